import { CalculatorOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { distributePoints, fmt, type IndicatorNode, type TIndicator } from './perfData';
import { performanceApi } from './api';

type AhpResult = { weights: number[]; lambdaMax: number; ci: number; cr: number; ri: number; consistent: boolean };

/** Saaty's 1–9 scale and reciprocals, strongest first. */
const SCALE: { value: number; label: string }[] = [
  ...[9, 8, 7, 6, 5, 4, 3, 2].map((v) => ({ value: v, label: String(v) })),
  { value: 1, label: '1' },
  ...[2, 3, 4, 5, 6, 7, 8, 9].map((v) => ({ value: 1 / v, label: `1/${v}` })),
];
const SCALE_HELP = t(
  '1 同等重要，3 稍重要，5 明显重要，7 强烈重要，9 极端重要，2/4/6/8 介于其间；倒数表示反过来。',
  '1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme, 2/4/6/8 in between; reciprocals mean the reverse.',
);

function label(v: number): string {
  if (v >= 1) return String(Math.round(v));
  return `1/${Math.round(1 / v)}`;
}

/**
 * AHP helper: a pairwise comparison matrix of a node's children (upper triangle entered, lower
 * triangle the reciprocals), computed by the server; consistent weights share the node's points.
 */
export function AhpModal({
  parent,
  onClose,
  onApplied,
}: {
  parent: IndicatorNode;
  onClose: () => void;
  onApplied: (list: TIndicator[]) => Promise<void>;
}) {
  const children = parent.children ?? [];
  const n = children.length;
  const [matrix, setMatrix] = useState<number[][]>(() =>
    Array.from({ length: n }, () => Array.from({ length: n }, () => 1)),
  );
  const [result, setResult] = useState<AhpResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();

  const setCell = (i: number, j: number, v: number) => {
    setMatrix((m) => m.map((row, r) => row.map((x, c) => (r === i && c === j ? v : r === j && c === i ? 1 / v : x))));
    setResult(null);
  };

  const calc = useMutation({
    mutationFn: () => performanceApi.ahp(matrix),
    onSuccess: (r) => {
      setResult(r);
      setError(null);
    },
    onError: (e) => {
      setResult(null);
      setError(
        e instanceof ApiError && e.status === 404
          ? t('AHP 计算服务暂不可用', 'The AHP service is not available')
          : errorText(e),
      );
    },
  });

  const apply = useMutation({
    mutationFn: () =>
      performanceApi.setWeights(
        parent.id,
        children.map((c, i) => ({ id: c.id, weight: result!.weights[i] })),
      ),
    onSuccess: async (list) => {
      message.success(t('已按权重分配分值', 'Points shared by the weights'));
      await onApplied(list);
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  const proposed = result ? distributePoints(parent.points, result.weights) : null;

  return (
    <Modal
      open
      width={Math.min(1100, Math.max(780, 360 + n * 110))}
      title={t(
        `层次分析法（AHP）确定权重：${parent.code} ${parent.name}`,
        `AHP weights: ${parent.code} ${parent.name}`,
      )}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('取消', 'Cancel')}
        </Button>,
        <Button
          key="calc"
          icon={<CalculatorOutlined />}
          onClick={() => calc.mutate()}
          loading={calc.isPending}
          data-testid="ahp-calc"
        >
          {t('计算', 'Compute')}
        </Button>,
        <Button
          key="apply"
          type="primary"
          disabled={!result?.consistent}
          loading={apply.isPending}
          onClick={() => apply.mutate()}
          data-testid="ahp-apply"
        >
          {t('应用权重', 'Apply weights')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t(
          '在右上三角选择“行指标相对列指标”的重要程度，左下三角自动取倒数。',
          'In the upper triangle choose how much more important the row is than the column; the lower triangle takes the reciprocal.',
        )}{' '}
        {SCALE_HELP}
      </Typography.Paragraph>
      <div style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'collapse' }} data-testid="ahp-matrix">
          <thead>
            <tr>
              <th />
              {children.map((c) => (
                <th key={c.id} style={{ padding: 4, fontWeight: 500, fontSize: 12, maxWidth: 110 }}>
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {children.map((row, i) => (
              <tr key={row.id}>
                <th style={{ padding: 4, fontWeight: 500, fontSize: 12, textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {row.name}
                </th>
                {children.map((col, j) => (
                  <td
                    key={col.id}
                    style={{
                      padding: 2,
                      textAlign: 'center',
                      border: '1px solid #f0f0f0',
                      background: i === j ? '#fafafa' : i > j ? '#fcfcfc' : undefined,
                    }}
                  >
                    {i === j ? (
                      '1'
                    ) : i < j ? (
                      <Select
                        size="small"
                        style={{ width: 80 }}
                        value={matrix[i][j]}
                        onChange={(v) => setCell(i, j, v)}
                        options={SCALE}
                        data-testid={`ahp-cell-${i}-${j}`}
                        popupMatchSelectWidth={false}
                      />
                    ) : (
                      <Typography.Text type="secondary">{label(matrix[i][j])}</Typography.Text>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {result && (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }} data-testid="ahp-result">
          <Descriptions size="small" bordered layout="vertical" column={5}>
            <Descriptions.Item label="λmax">{result.lambdaMax.toFixed(4)}</Descriptions.Item>
            <Descriptions.Item label="CI">{result.ci.toFixed(4)}</Descriptions.Item>
            <Descriptions.Item label="RI">{result.ri.toFixed(2)}</Descriptions.Item>
            <Descriptions.Item label="CR">{result.cr.toFixed(4)}</Descriptions.Item>
            <Descriptions.Item label={t('一致性', 'Consistency')}>
              {result.consistent ? t('通过', 'Passed') : t('未通过', 'Failed')}
            </Descriptions.Item>
          </Descriptions>
          {result.consistent ? (
            <Alert
              type="success"
              showIcon
              title={t(
                '一致性检验通过（CR < 0.1），可以应用权重。',
                'Consistent (CR < 0.1); the weights can be applied.',
              )}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              data-testid="ahp-inconsistent"
              title={t(
                `一致性检验未通过：CR = ${result.cr.toFixed(4)} ≥ 0.1，判断矩阵存在矛盾，请调整两两比较后重新计算。`,
                `Inconsistent: CR = ${result.cr.toFixed(4)} ≥ 0.1. Revise the comparisons and compute again.`,
              )}
            />
          )}
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={children.map((c, i) => ({
              id: c.id,
              name: `${c.code} ${c.name}`,
              weight: result.weights[i],
              current: c.points,
              proposed: proposed?.[i] ?? null,
            }))}
            columns={[
              { title: t('指标', 'Indicator'), dataIndex: 'name' },
              { title: t('权重', 'Weight'), dataIndex: 'weight', render: (w: number) => `${(w * 100).toFixed(2)}%` },
              { title: t('现分值', 'Current points'), dataIndex: 'current', render: (v: number) => fmt(v) },
              {
                title: t(`按 ${fmt(parent.points)} 分分配`, `Share of ${fmt(parent.points)}`),
                dataIndex: 'proposed',
                render: (v: number | null) => <b>{fmt(v)}</b>,
              },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}
