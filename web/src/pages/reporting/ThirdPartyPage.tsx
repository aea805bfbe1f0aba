import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { monthsOfYearSoFar } from '../../lib/time';
import { SubmissionDrawer, type DrawerTarget } from './SubmissionDrawer';
import { STATUS, type TThirdPartyGrid } from './reportingData';
import { reportingApi } from './api';

type Entry = {
  indicatorId: number;
  unitId: number;
  values: Record<string, unknown>;
  confirmations: { key: string; comment: string }[];
};

/**
 * 第三方数据: the assessing body enters the data of the units it assesses, month by month, directly in
 * the system (第三方在自身平台内进行填报); entries go straight to the office for acceptance.
 */
export function ThirdPartyPage() {
  const periods = monthsOfYearSoFar();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [period, setPeriod] = useState(periods[1] ?? periods[0]);
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [confirm, setConfirm] = useState<{ index: number; key: string; message: string } | null>(null);
  const [comment, setComment] = useState('');
  const [confirmations, setConfirmations] = useState<Record<string, { key: string; comment: string }[]>>({});
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const grid = useQuery({
    queryKey: ['reporting', 'third-party', period],
    queryFn: () => reportingApi.thirdParty(period),
  });
  useEffect(() => {
    setEdits({});
    setConfirmations({});
  }, [period]);
  const g = grid.data;
  const cell = useMemo(() => new Map((g?.cells ?? []).map((c) => [`${c.indicatorId}|${c.unitId}`, c])), [g]);
  const single = (ind: TThirdPartyGrid['indicators'][number]) =>
    ind.form.fields.length === 1 && ['integer', 'decimal', 'percent', 'money'].includes(ind.form.fields[0].type);
  const entries = (): Entry[] =>
    Object.entries(edits).map(([k, v]) => {
      const [indicatorId, unitId] = k.split('|').map(Number);
      const ind = g!.indicators.find((i) => i.id === indicatorId)!;
      return { indicatorId, unitId, values: { [ind.form.fields[0].key]: v }, confirmations: confirmations[k] ?? [] };
    });

  const save = useMutation({
    mutationFn: () => reportingApi.saveThirdParty({ period, entries: entries() }),
    onSuccess: async (r) => {
      message.success(t(`已提交 ${r.saved} 项，等待绩效办审核`, `${r.saved} submitted to the office`));
      setEdits({});
      setConfirmations({});
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    },
    onError: (e) => {
      const m = e instanceof ApiError ? /^entries\.(\d+)\.confirmations\.(.+)$/.exec(e.field ?? '') : null;
      if (m) {
        setComment('');
        setConfirm({ index: Number(m[1]), key: m[2], message: e.message });
      } else message.error(errorText(e));
    },
  });

  if (grid.error) return <Alert type="error" showIcon title={errorText(grid.error)} />;
  return (
    <Card
      title={t('第三方数据录入', 'Third-party data entry')}
      extra={
        <Space>
          <Select
            style={{ width: 120 }}
            value={period}
            onChange={setPeriod}
            options={periods.map((p) => ({ value: p, label: p }))}
            data-testid="tp-period"
          />
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!Object.keys(edits).length}
            loading={save.isPending}
            onClick={() => save.mutate()}
            data-testid="tp-submit"
          >
            {t(`提交（${Object.keys(edits).length}）`, `Submit (${Object.keys(edits).length})`)}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '本单位作为考评主体负责下列指标的数据。录入后直接报绩效办审核归档（不经被考评单位审核）；归档前可更正，归档后需申请修订。',
          'You assess these indicators. Entries go straight to the office; correct them before acceptance, or request a revision after.',
        )}
      </Typography.Paragraph>
      {g && !g.indicators.length && (
        <Empty description={t('本单位没有需要录入的第三方指标', 'No third-party indicators for your unit')} />
      )}
      {g && g.indicators.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          loading={grid.isLoading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={g.units}
          data-testid="tp-grid"
          columns={[
            { title: t('被考评单位', 'Unit'), dataIndex: 'name', fixed: 'left' as const, width: 180 },
            ...g.indicators.map((ind) => ({
              title: (
                <Tooltip title={ind.name}>
                  <span>
                    {ind.code} {ind.name.slice(0, 8)}
                    {ind.unitOfMeasure ? `（${ind.unitOfMeasure}）` : ''}
                  </span>
                </Tooltip>
              ),
              width: 170,
              render: (_: unknown, u: TThirdPartyGrid['units'][number]) => {
                if (!ind.unitIds.includes(u.id)) return <Typography.Text type="secondary">—</Typography.Text>;
                const k = `${ind.id}|${u.id}`;
                const c = cell.get(k);
                const locked = c?.status === 'accepted';
                const tag = c ? (
                  <Tag
                    color={STATUS[c.status].color}
                    style={{ marginLeft: 4 }}
                    onClick={() => setTarget({ id: c.submissionId })}
                  >
                    {c.status === 'submitted'
                      ? t('待审', 'Sent')
                      : c.returnReason
                        ? t('退回', 'Returned')
                        : STATUS[c.status].label()}
                  </Tag>
                ) : null;
                if (!single(ind) || locked)
                  return (
                    <Space size={2}>
                      {c ? <span>{c.value ?? '—'}</span> : null}
                      {tag}
                      {!c && !single(ind) && (
                        <Typography.Text type="secondary">{t('多字段表单', 'Multi-field form')}</Typography.Text>
                      )}
                    </Space>
                  );
                return (
                  <Space size={2}>
                    <InputNumber
                      size="small"
                      style={{ width: 90 }}
                      value={k in edits ? edits[k] : (c?.value ?? null)}
                      status={c?.returnReason ? 'warning' : undefined}
                      onChange={(v) => setEdits({ ...edits, [k]: v })}
                      data-testid={`tp-${ind.code}-${u.id}`}
                    />
                    {tag}
                  </Space>
                );
              },
            })),
          ]}
        />
      )}
      <Modal
        open={!!confirm}
        title={t('请确认异常提示', 'Confirm the flagged value')}
        okButtonProps={{ disabled: !comment.trim() }}
        onCancel={() => setConfirm(null)}
        onOk={() => {
          if (!confirm) return;
          const e = entries()[confirm.index];
          const k = `${e.indicatorId}|${e.unitId}`;
          setConfirmations({
            ...confirmations,
            [k]: [
              ...(confirmations[k] ?? []).filter((x) => x.key !== confirm.key),
              { key: confirm.key, comment: comment.trim() },
            ],
          });
          setConfirm(null);
          message.info(t('已记录说明，请再次提交', 'Comment recorded; submit again'));
        }}
      >
        <Alert type="warning" showIcon title={confirm?.message} style={{ marginBottom: 8 }} />
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('情况说明（必填）', 'Comment (required)')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}
