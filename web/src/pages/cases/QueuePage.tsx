import {
  Alert,
  Badge,
  Card,
  Cascader,
  Checkbox,
  DatePicker,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { ExportButton } from '../../components/TableTools';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { TCaseListItem } from '@server/modules/cases/cases.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { paginationTotal, totalLabel } from '../../lib/lists';
import {
  CASE_STATUSES,
  categoryOptions,
  categoryPathIds,
  CHANNEL_LABEL,
  CHANNELS,
  fmtTime,
  STATUS_LABEL,
  type CaseStatus,
  type Channel,
} from './casesData';
import { useCaseCategories, useCaseCounts, useCaseList, casesApi } from './api';
import { useUnits } from '../admin/api';
import { DueTag, EscalatedFlag, StatusTag } from './components';

type Awaiting = 'dispatch' | 'verify' | 'feedback' | 'review' | 'extension';

/** The case list with filters kept in the URL (so home widgets can link to a filtered queue). */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const cats = useCaseCategories();
  const units = useUnits();
  const isAgent = can('cases.dispatch');
  const counts = useCaseCounts(isAgent);
  const get = (k: string) => params.get(k) ?? undefined;
  const filters = {
    awaiting: get('awaiting') as Awaiting | undefined,
    status: get('status'),
    categoryId: get('categoryId'),
    unitId: get('unitId'),
    channel: get('channel'),
    overdue: get('overdue'),
    dueSoon: get('dueSoon'),
    escalated: get('escalated'),
    q: get('q'),
    searchAll: get('searchAll'),
    from: get('from'),
    to: get('to'),
    place: get('place'),
    sort: get('sort'),
    page: Number(get('page') ?? 1),
    pageSize: Number(get('pageSize') ?? 20),
  };
  const set = (patch: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  const list = useCaseList(['list', filters], filters, { keepPrevious: true });
  const catOptions = useMemo(() => categoryOptions(cats.data ?? [], false), [cats.data]);
  const badge = (n: number | undefined) =>
    n ? <Badge count={n} size="small" offset={[6, -2]} overflowCount={999} /> : null;
  const c = counts.data;
  const tabs = [
    { key: 'all', label: t('全部', 'All') },
    ...(isAgent
      ? [
          {
            key: 'dispatch',
            label: (
              <span data-testid="tab-awaiting-dispatch">
                {t('待派单', 'To dispatch')}
                {badge(c?.awaitingDispatch)}
              </span>
            ),
          },
          {
            key: 'extension',
            label: (
              <span>
                {t('延期审批', 'Extensions')}
                {badge(c?.extensionRequests)}
              </span>
            ),
          },
          {
            key: 'verify',
            label: (
              <span data-testid="tab-awaiting-verify">
                {t('待核查', 'To verify')}
                {badge(c?.awaitingVerify)}
              </span>
            ),
          },
          {
            key: 'feedback',
            label: (
              <span>
                {t('待回访', 'To call back')}
                {badge(c?.awaitingFeedback)}
              </span>
            ),
          },
          {
            key: 'review',
            label: (
              <span>
                {t('专业评价', 'Review')}
                {badge(c?.awaitingReview)}
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          {t('诉求列表', 'Cases')}
          {list.data && (
            <Typography.Text type="secondary" data-testid="queue-total">
              {totalLabel(list.data)}
            </Typography.Text>
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={filters.awaiting ?? 'all'}
        items={tabs}
        onChange={(k) => set({ awaiting: k === 'all' ? undefined : k })}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          defaultValue={filters.q}
          placeholder={t('编号、内容、地址或电话', 'Number, text, address or phone')}
          onSearch={(v) => set({ q: v.trim(), searchAll: undefined })}
          style={{ width: 260 }}
          data-testid="queue-search"
        />
        <Select<CaseStatus[]>
          mode="multiple"
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ minWidth: 180 }}
          value={filters.status ? (filters.status.split(',') as CaseStatus[]) : []}
          onChange={(v) => set({ status: v.join(',') })}
          options={CASE_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s]() }))}
          data-testid="queue-status"
        />
        <Cascader
          changeOnSelect
          allowClear
          placeholder={t('诉求分类', 'Category')}
          options={catOptions}
          value={categoryPathIds(cats.data ?? [], filters.categoryId ? Number(filters.categoryId) : null)}
          onChange={(v) => set({ categoryId: v?.length ? (v[v.length - 1] as number) : undefined })}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('承办单位', 'Department')}
          style={{ width: 200 }}
          value={filters.unitId ? Number(filters.unitId) : undefined}
          onChange={(v) => set({ unitId: v })}
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select<Channel>
          allowClear
          placeholder={t('受理渠道', 'Channel')}
          style={{ width: 150 }}
          value={filters.channel as Channel | undefined}
          onChange={(v) => set({ channel: v })}
          options={CHANNELS.map((ch) => ({ value: ch, label: CHANNEL_LABEL[ch]() }))}
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          onChange={(v) =>
            set({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD'), searchAll: undefined })
          }
          placeholder={[t('受理日期从', 'Received from'), t('至', 'to')]}
          style={{ width: 250 }}
          data-testid="queue-dates"
        />
        <Input.Search
          allowClear
          defaultValue={filters.place}
          placeholder={t('街道、道路或社区', 'Street, road or community')}
          onSearch={(v) => set({ place: v.trim() })}
          style={{ width: 200 }}
          data-testid="queue-place"
        />
        <Select
          style={{ width: 150 }}
          value={filters.sort ?? 'newest'}
          onChange={(v) => set({ sort: v === 'newest' ? undefined : v })}
          options={[
            { value: 'newest', label: t('受理时间：新→旧', 'Newest first') },
            { value: 'oldest', label: t('受理时间：旧→新', 'Oldest first') },
            { value: 'deadline', label: t('办理时限：近→远', 'Deadline: soonest') },
            { value: 'deadline_desc', label: t('办理时限：远→近', 'Deadline: latest') },
          ]}
          data-testid="queue-sort"
        />
        <Checkbox
          checked={filters.overdue === '1'}
          onChange={(e) => set({ overdue: e.target.checked ? 1 : undefined })}
          data-testid="queue-overdue"
        >
          {t('已超期', 'Overdue')}
        </Checkbox>
        <Checkbox
          checked={filters.dueSoon === '1'}
          onChange={(e) => set({ dueSoon: e.target.checked ? 1 : undefined })}
        >
          {t('即将到期', 'Due soon')}
        </Checkbox>
        <Checkbox
          checked={filters.escalated === '1'}
          onChange={(e) => set({ escalated: e.target.checked ? 1 : undefined })}
        >
          {t('督办件', 'Escalated')}
        </Checkbox>
        <ExportButton
          path={casesApi.casesExportUrl()}
          query={{ ...filters, page: undefined, pageSize: undefined }}
          testId="queue-export"
        />
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 12 }} />}
      {list.data?.searchFrom && (
        <Typography.Paragraph type="secondary" data-testid="queue-search-window">
          {t(
            `关键词搜索范围：${list.data.searchFrom} 以来受理的办件。`,
            `Keyword search covers cases since ${list.data.searchFrom}. `,
          )}
          <Typography.Link onClick={() => set({ searchAll: 1 })} data-testid="queue-search-all">
            {t('搜索全部时间', 'Search all time')}
          </Typography.Link>
        </Typography.Paragraph>
      )}
      <Table<TCaseListItem>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1100 }}
        data-testid="case-queue"
        onRow={(r) =>
          ({
            onClick: () => void navigate(`/cases/${r.id}`),
            style: { cursor: 'pointer' },
            'data-testid': `case-row-${r.number}`,
          }) as object
        }
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          ...paginationTotal(list.data),
          showSizeChanger: true,
          onChange: (page, pageSize) => set({ page, pageSize }),
        }}
        columns={[
          { title: t('办件编号', 'Number'), dataIndex: 'number', width: 160, render: (v: string) => <a>{v}</a> },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 130,
            render: (s: CaseStatus, r) => (
              <Space size={2} wrap>
                <StatusTag status={s} />
                <EscalatedFlag on={r.escalated} />
              </Space>
            ),
          },
          { title: t('分类', 'Category'), dataIndex: 'categoryName', width: 170, ellipsis: true },
          { title: t('诉求摘要', 'Summary'), dataIndex: 'summary', ellipsis: true },
          { title: t('诉求人', 'Requester'), dataIndex: 'requesterName', width: 90 },
          {
            title: t('主办单位', 'Lead'),
            dataIndex: 'leadUnitName',
            width: 170,
            ellipsis: true,
            render: (v: string | null) => v ?? '—',
          },
          { title: t('受理时间', 'Created'), dataIndex: 'createdAt', width: 140, render: (v: string) => fmtTime(v) },
          {
            title: t('时限', 'Due'),
            key: 'due',
            width: 170,
            render: (_, r) =>
              r.status === 'dispatched' && r.signState === 'overdue' ? (
                <DueTag due={r.signDue} state={r.signState} kind="sign" />
              ) : (
                <DueTag due={r.deadline} state={r.dueState} />
              ),
          },
        ]}
      />
    </Card>
  );
}
