import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Radio,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TRoundDetail, TRoundRow } from '@server/modules/supervision/supervision.fieldwork.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { fmtDate, fmtTime } from '../../lib/time';
import { SUP_KEY, supervisionApi, useRound } from './api';
import { RESOLUTION, ROW_STATE, STAGES } from './fieldworkData';
import { RoundConfirmView } from './RoundConfirmPage';
import { RoundHeader, stageText } from './roundParts';

/** A round: the office's view (units' progress, differences to resolve, closing, record) or the unit's confirmation page. */
export function RoundDetailPage() {
  const id = Number(useParams().id);
  const { can } = useAuth();
  const q = useRound(id);
  if (q.isLoading) return <Spin />;
  if (q.error || !q.data) return <Alert type="error" title={errorText(q.error)} />;
  const r = q.data;
  // A unit confirms its rows on its own page; the office and leaders see the whole round.
  if (r.canConfirm || (!can('supervision.manage') && can('supervision.report'))) return <RoundConfirmView round={r} />;
  return <OfficeView round={r} />;
}

function OfficeView({ round: r }: { round: TRoundDetail }) {
  const [resolving, setResolving] = useState<TRoundRow | null>(null);
  const [closing, setClosing] = useState(false);
  const c = r.counts;
  const diffs = r.rows.filter((x) => x.state === 'differs');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to="/supervision/rounds" className="xn-no-print">
            {t('对账查账', 'Rounds')}
          </Link>{' '}
          / {r.title}
        </Typography.Title>
        <Space wrap className="xn-no-print">
          <Button icon={<DownloadOutlined />} href={supervisionApi.roundRecordUrl(r.id)}>
            {t('导出记录', 'Export record')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
          {r.canManage && (
            <Button
              type="primary"
              onClick={() => setClosing(true)}
              disabled={c.unresolved > 0}
              data-testid="round-close"
            >
              {t('结束对账', 'Close the round')}
            </Button>
          )}
        </Space>
      </Space>
      <div className="xn-print-only xn-print-title">{r.title}记录</div>
      <RoundHeader round={r} />
      <Space wrap size={16}>
        {(
          [
            [t('单位', 'Units'), `${c.unitsDone}/${c.units}`],
            [t('事项', 'Tasks'), c.tasks],
            [t('确认一致', 'Confirmed'), c.confirmed],
            [t('有差异', 'Differences'), c.differs],
            [t('未确认', 'Pending'), c.pending],
            [t('差异待处理', 'Unresolved'), c.unresolved],
            [t('采纳 / 维持', 'Accepted / kept'), `${c.accepted} / ${c.kept}`],
          ] as const
        ).map(([label, v]) => (
          <Card size="small" key={label}>
            <Statistic title={label} value={v} />
          </Card>
        ))}
      </Space>
      <Card size="small" title={t('差异清单', 'Differences')} data-testid="round-diffs">
        <Table<TRoundRow>
          rowKey="id"
          size="small"
          dataSource={diffs}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('暂无差异', 'No difference') }}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 130 },
            { title: t('事项', 'Task'), render: (_, x) => `#${x.taskId} ${x.title}` },
            { title: t('台账', 'Ledger'), width: 170, render: (_, x) => `${stageText(x)} ${x.snapProgress}%` },
            {
              title: t('单位所报', 'Unit claims'),
              width: 150,
              render: (_, x) =>
                `${x.claimedStatus ? STAGES[x.claimedStatus]() : '—'} ${x.claimedProgress !== null ? `${x.claimedProgress}%` : ''}`,
            },
            { title: t('说明', 'Note'), dataIndex: 'note' },
            {
              title: t('处理', 'Resolution'),
              width: 200,
              render: (_, x) =>
                x.resolution ? (
                  <span>
                    <Tag color={x.resolution === 'accepted' ? 'green' : 'default'}>{RESOLUTION[x.resolution]()}</Tag>
                    {x.progressApplied && <Tag color="blue">{t('已更新进度', 'progress updated')}</Tag>}
                    {x.resolutionReason && <div>{x.resolutionReason}</div>}
                  </span>
                ) : x.actions.includes('resolve') ? (
                  <Button size="small" type="primary" onClick={() => setResolving(x)} data-testid="round-resolve">
                    {t('处理差异', 'Resolve')}
                  </Button>
                ) : (
                  <Tag color="orange">{t('待处理', 'Open')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('各单位确认进度', 'Units')}>
        <Table
          rowKey="unitId"
          size="small"
          dataSource={r.units}
          pagination={false}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName' },
            { title: t('事项', 'Tasks'), dataIndex: 'tasks', width: 80 },
            { title: t('确认一致', 'Confirmed'), dataIndex: 'confirmed', width: 100 },
            { title: t('有差异', 'Differences'), dataIndex: 'differs', width: 90 },
            {
              title: t('未确认', 'Pending'),
              dataIndex: 'pending',
              width: 90,
              render: (n: number) =>
                n ? <Tag color="orange">{n}</Tag> : <Tag color="green">{t('已完成', 'done')}</Tag>,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('对账明细', 'All rows')}>
        <Table<TRoundRow>
          rowKey="id"
          size="small"
          dataSource={r.rows}
          scroll={{ x: 800 }}
          pagination={false}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 130 },
            { title: t('事项', 'Task'), render: (_, x) => `#${x.taskId} ${x.title}` },
            { title: t('台账', 'Ledger'), width: 170, render: (_, x) => `${stageText(x)} ${x.snapProgress}%` },
            {
              title: t('确认', 'State'),
              width: 90,
              render: (_, x) => <Tag color={ROW_STATE[x.state].color}>{ROW_STATE[x.state].label()}</Tag>,
            },
            {
              title: t('确认人', 'By'),
              width: 160,
              render: (_, x) => (x.confirmedAt ? `${x.confirmedByName} ${fmtTime(x.confirmedAt)}` : ''),
            },
          ]}
        />
      </Card>
      <div className="xn-print-only" style={{ marginTop: 24 }}>
        <span style={{ marginRight: 48 }}>{t('区政府督查室（盖章）', 'Supervision office (seal)')}</span>
        {t('日期', 'Date')}：{r.closedAt ? fmtDate(r.closedAt) : ''}
      </div>
      {resolving && <ResolveModal row={resolving} onClose={() => setResolving(null)} />}
      {closing && <CloseModal round={r} onClose={() => setClosing(false)} />}
    </Space>
  );
}

type ResolveValues = { decision: 'accepted' | 'kept'; applyProgress?: boolean; reason?: string };

function ResolveModal({ row, onClose }: { row: TRoundRow; onClose: () => void }) {
  const [form] = Form.useForm<ResolveValues>();
  const decision = Form.useWatch('decision', form);
  return (
    <FormModal<ResolveValues, TRoundDetail>
      form={form}
      title={t('处理差异', 'Resolve the difference')}
      onClose={onClose}
      submit={(v) =>
        supervisionApi.resolveRow(row.id, {
          decision: v.decision,
          applyProgress: v.decision === 'accepted' && !!v.applyProgress,
          reason: v.reason ?? '',
        })
      }
      // The round's lists and the ledger (an accepted claim may set the task's progress).
      invalidate={[SUP_KEY]}
      success={t('已保存', 'Saved')}
      initialValues={{ decision: 'accepted', applyProgress: row.claimedProgress !== null }}
      header={
        <Typography.Paragraph>
          #{row.taskId} {row.title}
          <br />
          {t('台账', 'Ledger')}：{stageText(row)} {row.snapProgress}% → {t('单位所报', 'unit claims')}：
          {row.claimedStatus ? STAGES[row.claimedStatus]() : '—'} {row.claimedProgress ?? ''}
          {row.claimedProgress !== null && '%'}
          <br />
          <Typography.Text type="secondary">{row.note}</Typography.Text>
        </Typography.Paragraph>
      }
      modalProps={{ okButtonProps: { id: 'round-resolve-ok' } }}
    >
      <Form.Item name="decision">
        <Radio.Group
          options={[
            { value: 'accepted', label: RESOLUTION.accepted() },
            { value: 'kept', label: RESOLUTION.kept() },
          ]}
        />
      </Form.Item>
      {decision === 'accepted' && row.claimedProgress !== null && (
        <Form.Item name="applyProgress" valuePropName="checked">
          <Checkbox>
            {t(`将事项进度更新为 ${row.claimedProgress}%`, `Set the task's progress to ${row.claimedProgress}%`)}
          </Checkbox>
        </Form.Item>
      )}
      <Form.Item
        name="reason"
        label={t('理由', 'Reason')}
        rules={
          decision === 'kept'
            ? [{ required: true, whitespace: true, message: t('维持台账须说明理由', 'A reason is required') }]
            : []
        }
      >
        <Input.TextArea rows={3} maxLength={2000} data-testid="round-resolve-reason" />
      </Form.Item>
    </FormModal>
  );
}

function CloseModal({ round, onClose }: { round: TRoundDetail; onClose: () => void }) {
  return (
    <FormModal<{ note?: string }, TRoundDetail>
      title={t('结束对账', 'Close the round')}
      onClose={onClose}
      submit={(v) => supervisionApi.closeRound(round.id, { note: v.note ?? '' })}
      invalidate={[SUP_KEY]}
      success={t('已保存', 'Saved')}
      header={
        round.counts.pending > 0 && (
          <Alert
            type="warning"
            style={{ marginBottom: 12 }}
            title={t(
              `还有 ${round.counts.pending} 项事项单位未确认，将记为未确认。`,
              `${round.counts.pending} rows are not confirmed and will be recorded so.`,
            )}
          />
        )
      }
      modalProps={{ okButtonProps: { id: 'round-close-ok' } }}
    >
      <Form.Item name="note" label={t('结束说明', 'Note')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}
