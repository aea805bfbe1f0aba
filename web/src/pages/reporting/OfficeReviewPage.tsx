import { CheckOutlined, CloseOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Input,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { qs, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { monthsOfYearSoFar } from '../../lib/time';
import { QueueTable } from './LeaderReviewPage';
import { ExportButton } from '../../components/TableTools';
import { LightDot, LightsTable } from './MyReportingPage';
import { SubmissionDrawer, type DrawerTarget } from './SubmissionDrawer';
import {
  CELL,
  cellInfo,
  fmtNum,
  fmtTime,
  showValue,
  type TAnomalyItem,
  type TOverdue,
  type TRevisionItem,
} from './reportingData';
import { useUnitCategories } from '../admin/api';
import { useTodo, reportingApi, useReportingHome } from './api';

/** 数据审核: the office accepts or returns, decides revision requests, and watches the matrix, overdue and anomaly lists. */
export function OfficeReviewPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'queue';
  const home = useReportingHome();
  const o = home.data?.office;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small">
        <Space size={40} wrap>
          <Statistic title={t('待审核归档', 'Awaiting acceptance')} value={o?.pendingAcceptance ?? '—'} />
          <Statistic
            title={t('修订申请', 'Revision requests')}
            value={o?.pendingRevisions ?? '—'}
            styles={{ content: { color: o?.pendingRevisions ? '#722ed1' : undefined } }}
          />
          <Statistic
            title={t('逾期未报', 'Overdue')}
            value={o?.overdue ?? '—'}
            styles={{ content: { color: o?.overdue ? '#cf1322' : undefined } }}
          />
          <Statistic
            title={t('待审数据中的异常提示', 'Flagged in the queue')}
            value={o?.flagged ?? '—'}
            styles={{ content: { color: o?.flagged ? '#d46b08' : undefined } }}
          />
        </Space>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k })}
          items={[
            {
              key: 'queue',
              label: t('待审核归档', 'To accept'),
              children: (
                <QueueTable
                  queue="office"
                  action="bulk-accept"
                  actionLabel={t('批量审核归档', 'Accept selected')}
                  testid="bulk-accept"
                />
              ),
            },
            { key: 'revisions', label: t('修订申请', 'Revisions'), children: <RevisionRequests /> },
            { key: 'matrix', label: t('填报矩阵', 'Matrix'), children: <MatrixView /> },
            { key: 'overdue', label: t('逾期未报', 'Overdue'), children: <OverdueList /> },
            { key: 'anomalies', label: t('异常数据', 'Anomalies'), children: <AnomalyList /> },
            { key: 'lights', label: t('警示灯', 'Warning lights'), children: <LightsOverview /> },
          ]}
        />
      </Card>
    </Space>
  );
}

function RevisionRequests() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const [rejecting, setRejecting] = useState<TRevisionItem | null>(null);
  const [comment, setComment] = useState('');
  const list = useQuery({ queryKey: ['reporting', 'revisions'], queryFn: reportingApi.revisions });
  const decide = useMutation({
    mutationFn: (a: { id: number; approve: boolean; comment: string }) =>
      reportingApi.decideRevision(a.id, a.approve, a.comment),
    onSuccess: async (_, a) => {
      message.success(
        a.approve
          ? t('已批准修订，新值已生效并计入得分', 'Approved; the new value is current')
          : t('已驳回', 'Rejected'),
      );
      setRejecting(null);
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (list.error) return <Alert type="error" showIcon title={errorText(list.error)} />;
  return (
    <>
      <Table<TRevisionItem>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty description={t('没有待审批的修订申请', 'No pending requests')} /> }}
        data-testid="revisions-table"
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 170 },
          {
            title: t('指标', 'Indicator'),
            render: (_, r) => (
              <a onClick={() => setTarget({ id: r.submissionId })}>{`${r.indicatorCode} ${r.indicatorName}`}</a>
            ),
          },
          { title: t('填报期', 'Period'), dataIndex: 'period', width: 90 },
          {
            title: t('当前值 → 申请值', 'Current → requested'),
            width: 220,
            render: (_, r) => (
              <span>
                <Typography.Text delete type="secondary">
                  {fmtNum(r.currentValue)}
                </Typography.Text>
                {' → '}
                <b>{fmtNum(r.value)}</b>
                {Object.keys(r.values)
                  .filter((k) => JSON.stringify(r.values[k]) !== JSON.stringify(r.currentValues[k]))
                  .map((k) => (
                    <div key={k} style={{ fontSize: 12, color: '#8c8c8c' }}>
                      {k}: {showValue(undefined, r.currentValues[k])} → {showValue(undefined, r.values[k])}
                    </div>
                  ))}
              </span>
            ),
          },
          { title: t('理由', 'Reason'), dataIndex: 'reason' },
          {
            title: t('申请人', 'By'),
            width: 200,
            render: (_, r) => `${r.requestedByName} · ${fmtTime(r.requestedAt)}`,
          },
          {
            title: '',
            width: 170,
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => decide.mutate({ id: r.id, approve: true, comment: '' })}
                  data-testid={`revision-approve-${r.id}`}
                >
                  {t('批准', 'Approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  icon={<CloseOutlined />}
                  onClick={() => {
                    setComment('');
                    setRejecting(r);
                  }}
                >
                  {t('驳回', 'Reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!rejecting}
        title={t('驳回修订申请', 'Reject the request')}
        onCancel={() => setRejecting(null)}
        okButtonProps={{ danger: true, disabled: !comment.trim() }}
        onOk={() => rejecting && decide.mutate({ id: rejecting.id, approve: false, comment: comment.trim() })}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('驳回理由（必填）', 'Reason (required)')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </>
  );
}

const STATUS_FILTERS: { value: string; label: () => string }[] = [
  { value: 'overdue', label: () => t('有逾期未报', 'Has overdue') },
  { value: 'missing', label: () => t('有未填报', 'Has missing') },
  { value: 'draft', label: () => t('有草稿', 'Has drafts') },
  { value: 'returned', label: () => t('有退回', 'Has returned') },
  { value: 'submitted', label: () => t('有待单位审核', 'Has submitted') },
  { value: 'leader_approved', label: () => t('有待绩效办审核', 'Has unit-approved') },
  { value: 'accepted', label: () => t('有已归档', 'Has accepted') },
  { value: 'late', label: () => t('有迟报', 'Has late') },
  { value: 'flagged', label: () => t('有异常提示', 'Has flags') },
];

function MatrixView() {
  const periods = monthsOfYearSoFar();
  const [period, setPeriod] = useState(periods[1] ?? periods[0]);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [groupId, setGroupId] = useState<number | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const { message } = App.useApp();
  const categories = useUnitCategories();
  const query = qs({ period, categoryId, groupId, status });
  const m = useQuery({ queryKey: ['reporting', 'matrix', query], queryFn: () => reportingApi.matrix(query) });
  const flagged = useMemo(() => new Set((m.data?.flagged ?? []).map(([u, i]) => `${u}:${i}`)), [m.data]);
  const open = async (unitId: number, indicatorId: number) => {
    try {
      const list = await reportingApi.submissions({ unitId, indicatorId, period });
      if (list[0]) setTarget({ id: list[0].id });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          style={{ width: 120 }}
          value={period}
          onChange={setPeriod}
          options={periods.map((p) => ({ value: p, label: p }))}
          data-testid="matrix-period"
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('全部考评类别', 'All categories')}
          value={categoryId}
          onChange={setCategoryId}
          options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          data-testid="matrix-category"
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('全部一级指标', 'All groups')}
          value={groupId}
          onChange={setGroupId}
          options={(m.data?.groups ?? []).map((g) => ({ value: g.id, label: `${g.code} ${g.name}` }))}
        />
        <Select
          allowClear
          style={{ width: 170 }}
          placeholder={t('全部状态', 'All statuses')}
          value={status}
          onChange={setStatus}
          options={STATUS_FILTERS.map((s) => ({ value: s.value, label: s.label() }))}
          data-testid="matrix-status"
        />
        <Button icon={<DownloadOutlined />} href={reportingApi.matrixExportUrl(query)} data-testid="matrix-export">
          {t('导出 Excel', 'Export to Excel')}
        </Button>
      </Space>
      <Space wrap size={12}>
        {Object.entries(CELL).map(([k, c]) => (
          <Space key={k} size={4}>
            <span
              style={{ display: 'inline-block', width: 14, height: 14, background: c.bg, border: '1px solid #d9d9d9' }}
            />
            <Typography.Text style={{ fontSize: 12 }}>{c.label()}</Typography.Text>
          </Space>
        ))}
        <Typography.Text style={{ fontSize: 12 }}>
          <b>!</b> {t('迟报', 'late')} · <span style={{ color: '#d4380d' }}>⚑</span> {t('异常提示', 'flagged')}
        </Typography.Text>
      </Space>
      {m.error && <Alert type="error" showIcon title={errorText(m.error)} />}
      {m.data && (
        <div style={{ overflow: 'auto', maxHeight: 640, border: '1px solid #f0f0f0' }} data-testid="matrix">
          <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
            <thead>
              <tr>
                <th
                  style={{
                    position: 'sticky',
                    top: 0,
                    left: 0,
                    zIndex: 3,
                    background: '#fafafa',
                    padding: 4,
                    minWidth: 170,
                    textAlign: 'left',
                  }}
                >
                  {t('单位 \\ 指标', 'Unit \\ Indicator')}
                </th>
                {m.data.indicators.map((i) => (
                  <th
                    key={i.id}
                    title={`${i.code} ${i.name}\n${t('截止', 'Due')} ${i.deadline}`}
                    style={{
                      position: 'sticky',
                      top: 0,
                      zIndex: 2,
                      background: '#fafafa',
                      padding: '4px 2px',
                      writingMode: 'vertical-rl',
                      height: 90,
                      fontWeight: 500,
                    }}
                  >
                    {i.code}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.data.units.map((u, ui) => (
                <tr key={u.id}>
                  <td
                    style={{
                      position: 'sticky',
                      left: 0,
                      background: '#fff',
                      padding: '2px 4px',
                      whiteSpace: 'nowrap',
                      borderBottom: '1px solid #f0f0f0',
                    }}
                  >
                    {u.name}
                  </td>
                  {[...m.data!.cells[ui]].map((ch, ii) => {
                    const c = cellInfo(ch);
                    const f = flagged.has(`${ui}:${ii}`);
                    const ind = m.data!.indicators[ii];
                    const hasData = !'.-o'.includes(ch);
                    return (
                      <td
                        key={ii}
                        title={`${u.name} · ${ind.code} ${ind.name}\n${c.label()}${f ? t('，有异常提示', ', flagged') : ''}`}
                        onClick={hasData ? () => void open(u.id, ind.id) : undefined}
                        style={{
                          width: 22,
                          minWidth: 22,
                          height: 20,
                          background: c.bg,
                          color: c.fg,
                          textAlign: 'center',
                          border: '1px solid #fff',
                          cursor: hasData ? 'pointer' : 'default',
                        }}
                      >
                        {c.late ? '!' : ''}
                        {f ? <span style={{ color: '#d4380d' }}>⚑</span> : ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {m.data && (
        <Typography.Text type="secondary">
          {t(
            `${m.data.units.length} 个单位 × ${m.data.indicators.length} 项指标`,
            `${m.data.units.length} units × ${m.data.indicators.length} indicators`,
          )}
        </Typography.Text>
      )}
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </Space>
  );
}

function OverdueList() {
  const periods = monthsOfYearSoFar();
  const [period, setPeriod] = useState<string | undefined>();
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const list = useQuery({
    queryKey: ['reporting', 'overdue', period ?? ''],
    queryFn: () => reportingApi.overdue(period),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('全部月份', 'All months')}
          value={period}
          onChange={setPeriod}
          options={periods.map((p) => ({ value: p, label: p }))}
        />
        <Typography.Text type="secondary">
          {t(`共 ${list.data?.total ?? 0} 项逾期未报`, `${list.data?.total ?? 0} overdue`)}
        </Typography.Text>
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Table<TOverdue['items'][number]>
        size="small"
        rowKey={(r) => `${r.unitId}-${r.indicatorId}-${r.period}`}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        data-testid="overdue-table"
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 200 },
          { title: t('指标', 'Indicator'), render: (_, r) => `${r.code} ${r.name}` },
          { title: t('填报期', 'Period'), dataIndex: 'period', width: 90 },
          { title: t('截止日期', 'Deadline'), dataIndex: 'deadline', width: 110 },
          {
            title: t('逾期天数', 'Days overdue'),
            dataIndex: 'daysOverdue',
            width: 100,
            render: (n: number) => <Tag color={n > 15 ? 'red' : 'orange'}>{n}</Tag>,
          },
          {
            title: t('状态', 'Status'),
            width: 110,
            render: (_, r) =>
              r.status === 'draft' && r.submissionId ? (
                <a onClick={() => setTarget({ id: r.submissionId! })}>{t('草稿未提交', 'Draft')}</a>
              ) : (
                t('未填报', 'Nothing entered')
              ),
          },
        ]}
      />
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </Space>
  );
}

function AnomalyList() {
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const list = useQuery({ queryKey: ['reporting', 'anomalies'], queryFn: reportingApi.anomalies });
  return (
    <>
      {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Table<TAnomalyItem>
        size="small"
        rowKey="submissionId"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20 }}
        data-testid="anomalies-table"
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 180 },
          {
            title: t('指标', 'Indicator'),
            render: (_, r) => <a onClick={() => setTarget({ id: r.submissionId })}>{`${r.code} ${r.name}`}</a>,
          },
          { title: t('填报期', 'Period'), dataIndex: 'period', width: 90 },
          { title: t('数值', 'Value'), dataIndex: 'value', width: 90, render: (v: number | null) => fmtNum(v) },
          {
            title: t('异常提示与填报人说明', 'Flags and comments'),
            render: (_, r) =>
              r.flags.map((f) => (
                <div key={f.key} style={{ background: '#fff7e6', padding: '2px 6px', marginBottom: 2 }}>
                  {f.message}
                  {f.comment && (
                    <div style={{ color: '#595959' }}>
                      {t('说明', 'Comment')}：{f.comment}（{f.confirmedBy}）
                    </div>
                  )}
                </div>
              )),
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 110,
            render: (s: string) => <Tag>{s === 'accepted' ? t('已归档', 'Accepted') : t('审核中', 'In review')}</Tag>,
          },
        ]}
      />
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </>
  );
}

type LightRow = {
  unitId: number;
  unitCode: string;
  unitName: string;
  categoryId: number | null;
  red: number;
  yellow: number;
  green: number;
  none: number;
};

function LightsOverview() {
  const [unit, setUnit] = useState<LightRow | null>(null);
  const categories = useUnitCategories();
  const catName = new Map((categories.data ?? []).map((c) => [c.id, c.name]));
  const list = useQuery({
    queryKey: ['reporting', 'lights'],
    queryFn: () => reportingApi.lightsOverview<LightRow[]>(),
  });
  return (
    <>
      {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
      <div style={{ marginBottom: 8, textAlign: 'right' }}>
        <ExportButton path={reportingApi.lightsExportUrl()} testId="lights-export" />
      </div>
      <Table<LightRow>
        size="small"
        rowKey="unitId"
        loading={list.isLoading}
        dataSource={[...(list.data ?? [])].sort((a, b) => b.red - a.red || b.yellow - a.yellow)}
        pagination={{ pageSize: 20 }}
        data-testid="lights-overview"
        columns={[
          { title: t('单位', 'Unit'), render: (_, r) => <a onClick={() => setUnit(r)}>{r.unitName}</a> },
          {
            title: t('考评类别', 'Category'),
            width: 160,
            render: (_, r) => (r.categoryId ? catName.get(r.categoryId) : '—'),
          },
          ...(['red', 'yellow', 'green'] as const).map((l) => ({
            title: <LightDot light={l} />,
            width: 70,
            dataIndex: l,
            render: (n: number) =>
              n ? (
                <b style={{ color: l === 'red' ? '#cf1322' : undefined }}>{n}</b>
              ) : (
                <Typography.Text type="secondary">0</Typography.Text>
              ),
          })),
        ]}
      />
      <Drawer open={!!unit} onClose={() => setUnit(null)} size="large" title={unit?.unitName}>
        {unit && <UnitLights unitId={unit.unitId} />}
      </Drawer>
    </>
  );
}

function UnitLights({ unitId }: { unitId: number }) {
  const todo = useTodo(unitId);
  return <LightsTable lights={todo.data?.lights ?? []} loading={todo.isLoading} />;
}
