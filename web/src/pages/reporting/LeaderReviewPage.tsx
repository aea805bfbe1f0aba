import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { monthsOfYearSoFar } from '../../lib/time';
import { ExportButton } from '../../components/TableTools';
import { useUnitCategories, useUnits } from '../admin/api';
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

type QueueFilter = {
  unitId?: number;
  categoryId?: number;
  indicatorId?: number;
  period?: string;
  status?: 'submitted' | 'leader_approved';
  q?: string;
  flagged?: boolean;
  sort?: string;
};

/** Bulk approve / return over a queue of submissions (leader or office), with its filters and export. */
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
  const [filter, setFilter] = useState<QueueFilter>({});
  const patch = (p: QueueFilter) => {
    setFilter((f) => ({ ...f, ...p }));
    setSelected([]);
  };
  const query = { queue, limit: 2000, ...filter, flagged: filter.flagged ? 1 : undefined };
  const list = useQuery({
    queryKey: ['reporting', 'queue', queue, filter],
    queryFn: () => reportingApi.submissions(query),
    placeholderData: (prev) => prev,
  });
  const units = useUnits();
  const categories = useUnitCategories();
  // Indicator choices: those in the queue as listed (and the one picked).
  const indicatorOptions = useMemo(() => {
    const m = new Map<number, string>();
    for (const r of list.data ?? []) m.set(r.indicatorId, `${r.indicatorCode} ${r.indicatorName}`);
    return [...m].sort((a, b) => a[1].localeCompare(b[1])).map(([value, label]) => ({ value, label }));
  }, [list.data]);
  const office = queue === 'office';
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
      <Space style={{ marginBottom: 8 }} wrap data-testid={`${testid}-filters`}>
        <Input.Search
          allowClear
          placeholder={t('单位、指标或填报人', 'Unit, indicator or who entered')}
          onSearch={(v) => patch({ q: v.trim() || undefined })}
          style={{ width: 220 }}
          data-testid={`${testid}-search`}
        />
        {office && (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('单位', 'Unit')}
            style={{ width: 180 }}
            value={filter.unitId}
            onChange={(v) => patch({ unitId: v })}
            options={(units.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
            data-testid={`${testid}-unit`}
          />
        )}
        {office && (
          <Select
            allowClear
            placeholder={t('考评类别', 'Category')}
            style={{ width: 140 }}
            value={filter.categoryId}
            onChange={(v) => patch({ categoryId: v })}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid={`${testid}-category`}
          />
        )}
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('指标', 'Indicator')}
          style={{ width: 200 }}
          value={filter.indicatorId}
          onChange={(v) => patch({ indicatorId: v })}
          options={indicatorOptions}
          data-testid={`${testid}-indicator`}
        />
        <Select
          allowClear
          placeholder={t('填报期', 'Period')}
          style={{ width: 110 }}
          value={filter.period}
          onChange={(v) => patch({ period: v })}
          options={monthsOfYearSoFar().map((p) => ({ value: p, label: p }))}
          data-testid={`${testid}-period`}
        />
        {office && (
          <Select
            allowClear
            placeholder={t('状态', 'Status')}
            style={{ width: 140 }}
            value={filter.status}
            onChange={(v) => patch({ status: v })}
            options={[
              { value: 'leader_approved', label: t('单位已审核', 'Approved by unit') },
              { value: 'submitted', label: t('第三方待审', 'Third party, submitted') },
            ]}
            data-testid={`${testid}-status`}
          />
        )}
        <Checkbox checked={!!filter.flagged} onChange={(e) => patch({ flagged: e.target.checked || undefined })}>
          {t('仅异常提示', 'Flagged only')}
        </Checkbox>
        <Select
          style={{ width: 150 }}
          value={filter.sort ?? 'period'}
          onChange={(v) => patch({ sort: v === 'period' ? undefined : v })}
          options={[
            { value: 'period', label: t('按填报期', 'By period') },
            { value: 'unit', label: t('按单位', 'By unit') },
            { value: 'indicator', label: t('按指标', 'By indicator') },
            { value: 'submitted', label: t('提交时间：早→晚', 'Submitted: oldest') },
            { value: 'submitted_desc', label: t('提交时间：晚→早', 'Submitted: newest') },
          ]}
          data-testid={`${testid}-sort`}
        />
        <ExportButton
          path={reportingApi.submissionsExportUrl()}
          query={{ ...query, limit: undefined }}
          testId={`${testid}-export`}
        />
      </Space>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          disabled={!list.data?.length}
          onClick={() => setSelected((list.data ?? []).map((r) => r.id))}
          data-testid={`${testid}-select-all`}
        >
          {filter.unitId
            ? t(`选中本单位全部 ${list.data?.length ?? 0} 条`, `Select all ${list.data?.length ?? 0} of this unit`)
            : t(`选中筛选结果全部 ${list.data?.length ?? 0} 条`, `Select all ${list.data?.length ?? 0} listed`)}
        </Button>
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
        <Typography.Text type="secondary" data-testid={`${testid}-count`}>
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
