import { ArrowLeftOutlined, CalculatorOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TIndicatorExplanation, TTotalExplanation } from '@server/modules/scoring/scoring.schema';
import { t } from '../../lib/i18n';
import { sourceRefLink } from '../../lib/sourceRefs';
import { AGGREGATE_LABEL, DATA_SOURCE_LABEL } from './perfData';
import { errorText } from '../../lib/api';
import { fmtTime, INPUT_SOURCE_LABEL, pts, STATUS_LABEL, type ExplainTarget } from './ScoreData';
import { useExplanation } from './api';

/**
 * 得分说明: any number opens here — the inputs with who entered them and when, the method and its
 * parameters, the formula, the arithmetic step by step, the children of a node, the places of a
 * ranking. Clicking a child or a level-1 score drills further; 返回 goes back.
 */
export function ScoreExplainDrawer({ target, onClose }: { target: ExplainTarget | null; onClose: () => void }) {
  const [stack, setStack] = useState<ExplainTarget[]>([]);
  useEffect(() => setStack(target ? [target] : []), [target]);
  const current = stack[stack.length - 1] ?? null;
  const q = useExplanation(current);
  const open = (indicatorId?: number) => current && setStack([...stack, { ...current, indicatorId }]);
  const e = q.data;
  const title = e ? (
    <Space wrap>
      {stack.length > 1 && (
        <Button
          size="small"
          icon={<ArrowLeftOutlined />}
          onClick={() => setStack(stack.slice(0, -1))}
          data-testid="explain-back"
        />
      )}
      <CalculatorOutlined />
      <span>
        {e.unit.name} · {e.kind === 'total' ? t('总分', 'Total') : e.indicator.name} · {e.window.label}
      </span>
      {e.published ? (
        <Tag color="purple">{t(`已发布 ${fmtTime(e.published.publishedAt)}`, 'Published')}</Tag>
      ) : (
        <Tag color="blue">{t('实时', 'Live')}</Tag>
      )}
    </Space>
  ) : (
    t('得分说明', 'Explanation')
  );
  return (
    <Drawer open={!!target} onClose={onClose} size={760} title={title} destroyOnHidden>
      <div data-testid="explain-drawer">
        {q.isLoading && <Spin />}
        {q.error && <Alert type="error" showIcon title={errorText(q.error)} />}
        {e?.kind === 'indicator' && <IndicatorExplanation e={e} onOpen={open} />}
        {e?.kind === 'total' && <TotalExplanation e={e} onOpen={open} />}
      </div>
    </Drawer>
  );
}

function Steps({ steps }: { steps: string[] }) {
  return (
    <ol style={{ paddingLeft: 20, margin: 0 }} data-testid="explain-steps">
      {steps.map((s, i) => (
        <li key={i} style={{ marginBottom: 4 }}>
          {s}
        </li>
      ))}
    </ol>
  );
}

function IndicatorExplanation({ e, onOpen }: { e: TIndicatorExplanation; onOpen: (indicatorId?: number) => void }) {
  const ind = e.indicator;
  const uom = ind.unitOfMeasure ? ` ${ind.unitOfMeasure}` : '';
  const valueText = (v: number | null) => (v === null ? '—' : `${Math.round(v * 10000) / 10000}${uom}`);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space size={24} wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="explain-score">
          {pts(e.score)}
          <Typography.Text type="secondary" style={{ fontSize: 16 }}>
            {' '}
            / {pts(ind.points)} {t('分', 'pts')}
          </Typography.Text>
        </Typography.Title>
        <Tag color={e.status === 'ok' ? 'green' : e.status === 'not_applicable' ? 'default' : 'orange'}>
          {STATUS_LABEL[e.status]?.() ?? e.status}
        </Tag>
        {e.storedScore !== null && e.score !== null && Math.abs(e.storedScore - e.score) > 1e-9 && (
          <Tag color="red">{t(`发布时得分 ${pts(e.storedScore)}`, `Published score ${pts(e.storedScore)}`)}</Tag>
        )}
      </Space>
      <Alert
        type="info"
        showIcon
        title={t('计算', 'Arithmetic')}
        description={<span data-testid="explain-arithmetic">{e.arithmetic}</span>}
      />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('指标', 'Indicator')}>
          {[...ind.path, ind.name].join(' / ')} <Typography.Text type="secondary">({ind.code})</Typography.Text>
        </Descriptions.Item>
        {ind.methodText && <Descriptions.Item label={t('计分方法', 'Method')}>{ind.methodText}</Descriptions.Item>}
        {ind.isLeaf && (
          <Descriptions.Item label={t('数据', 'Data')}>
            <Space wrap>
              {ind.dataSource && <Tag>{DATA_SOURCE_LABEL[ind.dataSource]()}</Tag>}
              {ind.aggregate && <Tag>{AGGREGATE_LABEL[ind.aggregate]()}</Tag>}
              {ind.direction === 'negative' && (
                <Tag color="orange">{t('逆向指标（越小越好）', 'Negative (lower is better)')}</Tag>
              )}
              {ind.role === 'bonus' && <Tag color="green">{t('加分项', 'Bonus')}</Tag>}
              {ind.role === 'deduction' && <Tag color="red">{t('扣分项', 'Deduction')}</Tag>}
              {ind.role === 'veto' && <Tag color="red">{t('一票否决', 'Veto')}</Tag>}
            </Space>
          </Descriptions.Item>
        )}
        {e.target && (
          <Descriptions.Item label={t('目标值', 'Target')}>
            {t('年度', 'Annual')} {valueText(e.target.annual)}
            {e.target.factor !== 1 && ` → ${t('本期', 'this period')} ${valueText(e.target.window)}`}
            {e.challenge && ` · ${t('挑战目标', 'Challenge')} ${valueText(e.challenge.annual)}`}
          </Descriptions.Item>
        )}
        {e.value !== null && <Descriptions.Item label={t('本期数值', 'Value')}>{valueText(e.value)}</Descriptions.Item>}
      </Descriptions>

      <div>
        <Typography.Title level={5}>{t('计算过程', 'Steps')}</Typography.Title>
        <Steps steps={e.steps} />
      </div>

      {e.formula && (
        <div>
          <Typography.Title level={5}>{t('公式', 'Formula')}</Typography.Title>
          <Typography.Paragraph code copyable>
            {e.formula.expression}
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('代入：', 'Substituted: ')}
            <Typography.Text code>{e.formula.substituted}</Typography.Text>
          </Typography.Paragraph>
          {e.formula.error && <Alert type="warning" showIcon title={e.formula.error} />}
        </div>
      )}

      {ind.isLeaf && (
        <div>
          <Typography.Title level={5}>
            {t('原始数据（谁在何时录入）', 'Inputs (who entered them, when)')}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(r) => `${r.indicatorId}:${r.field}:${r.period}`}
            dataSource={e.inputs}
            pagination={false}
            data-testid="explain-inputs"
            locale={{ emptyText: t('本期没有数据', 'No data in this period') }}
            columns={[
              { title: t('月份', 'Month'), dataIndex: 'period', width: 90 },
              ...(e.inputs.some((r) => r.field !== 'value' || r.indicatorId !== ind.id)
                ? [
                    {
                      title: t('数据项', 'Item'),
                      width: 110,
                      render: (_: unknown, r: TIndicatorExplanation['inputs'][number]) =>
                        r.field === 'value'
                          ? r.indicatorId === ind.id
                            ? t('指标值', 'Value')
                            : r.indicatorCode
                          : r.field,
                    },
                  ]
                : []),
              {
                title: t('数值', 'Value'),
                dataIndex: 'value',
                width: 90,
                render: (v: number | null) => (v === null ? '—' : Math.round(v * 10000) / 10000),
              },
              {
                title: t('来源', 'Source'),
                width: 110,
                render: (_, r) => (r.provenance ? INPUT_SOURCE_LABEL[r.provenance.source]() : '—'),
              },
              { title: t('录入人', 'Entered by'), width: 100, render: (_, r) => r.provenance?.enteredByName ?? '—' },
              {
                title: t('录入时间', 'At'),
                width: 160,
                render: (_, r) => (r.provenance ? fmtTime(r.provenance.enteredAt) : '—'),
              },
              {
                title: t('依据', 'Reference'),
                render: (_, r) => {
                  const link = sourceRefLink(r.provenance?.sourceRef);
                  if (!link) return '';
                  const label = t(link.zh, link.en);
                  return link.href ? (
                    <Link to={link.href} data-testid="explain-source-link">
                      {label}
                    </Link>
                  ) : (
                    <Typography.Text type="secondary">{label}</Typography.Text>
                  );
                },
              },
            ]}
          />
        </div>
      )}

      {e.rank && (
        <div>
          <Typography.Title level={5}>
            {t(`同类排名（第 ${e.rank.place} / ${e.rank.of} 名）`, `Ranking (${e.rank.place} of ${e.rank.of})`)}
          </Typography.Title>
          <Table
            size="small"
            rowKey="unitId"
            dataSource={e.rank.entries}
            pagination={false}
            rowClassName={(r) => (r.unitId === e.unit.id ? 'ant-table-row-selected' : '')}
            columns={[
              { title: t('名次', 'Place'), dataIndex: 'place', width: 70 },
              { title: t('单位', 'Unit'), dataIndex: 'unitName' },
              { title: t('数值', 'Value'), dataIndex: 'value', width: 120, render: (v: number | null) => valueText(v) },
            ]}
          />
        </div>
      )}

      {e.children && (
        <div>
          <Typography.Title level={5}>{t('下级指标', 'Children')}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            dataSource={e.children}
            pagination={false}
            columns={[
              {
                title: t('指标', 'Indicator'),
                render: (_, c) => <a onClick={() => onOpen(c.id)}>{c.name ?? c.code}</a>,
              },
              {
                title: t('得分', 'Score'),
                width: 100,
                render: (_, c) => (
                  <a onClick={() => onOpen(c.id)} data-testid={`explain-child-${c.code}`}>
                    {pts(c.score)}
                  </a>
                ),
              },
              {
                title: t('计入本项', 'Counted'),
                width: 140,
                render: (_, c) =>
                  c.counted ? (
                    t('是', 'Yes')
                  ) : (
                    <Tag>
                      {c.role === 'bonus'
                        ? t('加分（基础分外）', 'Bonus')
                        : c.role === 'deduction'
                          ? t('扣分（基础分外）', 'Deduction')
                          : t('一票否决', 'Veto')}
                    </Tag>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Space>
  );
}

function TotalExplanation({ e, onOpen }: { e: TTotalExplanation; onOpen: (indicatorId?: number) => void }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space size={24} wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="explain-score">
          {pts(e.total)}
          <Typography.Text type="secondary" style={{ fontSize: 16 }}>
            {' '}
            {t('分', 'pts')}
          </Typography.Text>
        </Typography.Title>
        <Tag color="blue">{t(`同类第 ${e.rank} / ${e.of} 名`, `Rank ${e.rank} of ${e.of}`)}</Tag>
        {e.grade && <Tag color="green">{e.grade}</Tag>}
        {e.veto && (
          <Tag color="red">
            {e.veto === 'zero_score'
              ? t('一票否决：总分计 0', 'Vetoed: zero')
              : t('一票否决：限制等次', 'Vetoed: grade capped')}
          </Tag>
        )}
        {e.missing > 0 && (
          <Tag color="orange">{t(`${e.missing} 项指标缺少数据`, `${e.missing} leaves without data`)}</Tag>
        )}
      </Space>
      <Alert
        type="info"
        showIcon
        title={t('计算', 'Arithmetic')}
        description={<span data-testid="explain-arithmetic">{e.arithmetic}</span>}
      />
      <div>
        <Typography.Title level={5}>{t('计算过程', 'Steps')}</Typography.Title>
        <Steps steps={e.steps} />
      </div>
      <div>
        <Typography.Title level={5}>{t('一级指标得分', 'Level-1 scores')}</Typography.Title>
        <Table
          size="small"
          rowKey="id"
          dataSource={e.roots}
          pagination={false}
          columns={[
            { title: t('指标', 'Indicator'), render: (_, r) => <a onClick={() => onOpen(r.id)}>{r.name ?? r.code}</a> },
            {
              title: t('得分', 'Score'),
              width: 120,
              render: (_, r) => (
                <a onClick={() => onOpen(r.id)} data-testid={`explain-root-${r.code}`}>
                  {pts(r.score)}
                </a>
              ),
            },
          ]}
        />
      </div>
      {e.deductions.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('问责扣分', 'Accountability deductions')}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            dataSource={e.deductions}
            pagination={false}
            columns={[
              { title: t('月份', 'Month'), dataIndex: 'period', width: 90 },
              { title: t('事由', 'Reason'), dataIndex: 'reason' },
              { title: t('文号', 'Document'), dataIndex: 'documentNo', width: 180 },
              { title: t('扣分', 'Points'), dataIndex: 'points', width: 80, render: (v: number) => `−${pts(v)}` },
            ]}
          />
        </div>
      )}
      {!e.roots.length && <Empty />}
    </Space>
  );
}
