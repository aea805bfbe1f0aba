import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { ReturnModal, SubmissionDrawer, type DrawerTarget } from './SubmissionDrawer';
import { fmtNum, fmtTime, type TBulkResult, type TSubmission } from './reportingData';
import { reportingApi } from './api';

/** Columns shared by the review lists. */
export function submissionColumns(open: (id: number) => void, opts: { unit?: boolean } = {}) {
  return [
    ...(opts.unit ? [{ title: t('单位', 'Unit'), dataIndex: 'unitName', width: 180 }] : []),
    {
      title: t('指标', 'Indicator'),
      render: (_: unknown, r: TSubmission) => (
        <a onClick={() => open(r.id)}>
          <Typography.Text type="secondary">{r.indicatorCode}</Typography.Text> {r.indicatorName}
        </a>
      ),
    },
    { title: t('填报期', 'Period'), dataIndex: 'period', width: 90 },
    {
      title: t('数值', 'Value'),
      width: 120,
      render: (_: unknown, r: TSubmission) => `${fmtNum(r.value)} ${r.unitOfMeasure}`,
    },
    {
      title: t('提示', 'Notes'),
      width: 190,
      render: (_: unknown, r: TSubmission) => (
        <Space size={4} wrap>
          {r.source === 'third_party' && <Tag color="cyan">{t('第三方', 'Third party')}</Tag>}
          {r.late && <Tag color="volcano">{t('迟报', 'Late')}</Tag>}
          {r.flags.length > 0 && (
            <Tooltip
              title={r.flags
                .map((f) => `${f.message}${f.comment ? `（${t('说明', 'comment')}：${f.comment}）` : ''}`)
                .join('\n')}
            >
              <Tag color="orange" data-testid="flag-tag">
                {t(`异常提示 ${r.flags.length}`, `${r.flags.length} flag(s)`)}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('填报人', 'Entered by'),
      width: 200,
      render: (_: unknown, r: TSubmission) => `${r.enteredByName} · ${fmtTime(r.submittedAt ?? r.enteredAt)}`,
    },
  ];
}

/** Bulk approve / return over a queue of submissions (leader or office). */
export function QueueTable({
  queue,
  action,
  actionLabel,
  testid,
}: {
  queue: 'leader' | 'office';
  action: 'bulk-approve' | 'bulk-accept';
  actionLabel: string;
  testid: string;
}) {
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [selected, setSelected] = useState<number[]>([]);
  const [returning, setReturning] = useState(false);
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const list = useQuery({
    queryKey: ['reporting', 'queue', queue],
    queryFn: () => reportingApi.submissions({ queue, limit: 2000 }),
  });
  const report = (r: TBulkResult) => {
    if (r.failed.length) {
      modal.warning({
        title: t(
          `${r.done.length} 条已处理，${r.failed.length} 条未能处理`,
          `${r.done.length} done, ${r.failed.length} not`,
        ),
        content: (
          <ul>
            {r.failed.map((f) => (
              <li key={f.id}>
                #{f.id}：{f.message}
              </li>
            ))}
          </ul>
        ),
      });
    } else message.success(t(`已处理 ${r.done.length} 条`, `${r.done.length} done`));
  };
  const bulk = useMutation({
    mutationFn: () => reportingApi.bulk(action, selected),
    onSuccess: async (r) => {
      report(r);
      setSelected([]);
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const returnMany = useMutation({
    mutationFn: async (reason: string) => {
      const out: TBulkResult = { done: [], failed: [] };
      for (const id of selected) {
        try {
          await reportingApi.act(id, 'return', { reason });
          out.done.push(id);
        } catch (e) {
          out.failed.push({ id, message: errorText(e) });
        }
      }
      return out;
    },
    onSuccess: async (r) => {
      report(r);
      setSelected([]);
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    },
  });
  return (
    <>
      {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          type="primary"
          icon={<CheckOutlined />}
          disabled={!selected.length}
          loading={bulk.isPending}
          onClick={() => bulk.mutate()}
          data-testid={testid}
        >
          {actionLabel}（{selected.length}）
        </Button>
        <Button
          danger
          icon={<RollbackOutlined />}
          disabled={!selected.length}
          loading={returnMany.isPending}
          onClick={() => setReturning(true)}
          data-testid={`${testid}-return`}
        >
          {t('退回', 'Return')}（{selected.length}）
        </Button>
        <Typography.Text type="secondary">
          {t(`共 ${list.data?.length ?? 0} 条待处理`, `${list.data?.length ?? 0} waiting`)}
        </Typography.Text>
      </Space>
      <Table<TSubmission>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        rowClassName={(r) => (r.flags.length ? 'xn-row-flagged' : '')}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        columns={submissionColumns((id) => setTarget({ id }), { unit: queue === 'office' })}
        data-testid={`${testid}-table`}
      />
      <style>{'.xn-row-flagged td { background: #fff7e6 !important; }'}</style>
      <ReturnModal
        open={returning}
        count={selected.length}
        onCancel={() => setReturning(false)}
        onOk={(reason) => {
          setReturning(false);
          returnMany.mutate(reason);
        }}
      />
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </>
  );
}

/** 单位审核: the unit leader approves (or returns) what the unit's reporters submitted, one by one or in bulk. */
export function LeaderReviewPage() {
  return (
    <Card title={t('单位审核：本单位已提交待审核的数据', 'Unit review: submitted data of your unit')}>
      <QueueTable
        queue="leader"
        action="bulk-approve"
        actionLabel={t('批量审核通过', 'Approve selected')}
        testid="bulk-approve"
      />
    </Card>
  );
}
