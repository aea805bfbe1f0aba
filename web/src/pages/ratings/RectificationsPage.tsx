import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Form, Input, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { TRatingRow, TRectification } from '@server/modules/ratings/ratings.schema';
import { EChart, type EChartOption } from '../../components/EChart';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useUnits } from '../admin/api';
import {
  ASPECT_LABEL,
  fmt,
  LEVEL_COLOR,
  LEVEL_LABEL,
  RATINGS_KEY,
  ratingsApi,
  RECT_STATUS,
  useRates,
  useRatings,
  useRectifications,
  type RatingLevel,
  type RectFilters,
} from './api';

type Dialog = { kind: 'callback' | 'submit' | 'review'; row: TRectification } | null;

/** 好差评: 差评整改 (the department calls back and rectifies; the office reviews) and the rates per department. */
export function RectificationsPage() {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('好差评与差评整改', 'Service ratings and rectifications')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'rect', label: t('差评整改', 'Rectifications'), children: <RectificationList /> },
          { key: 'ratings', label: t('评价记录', 'Ratings'), children: <RatingList /> },
          { key: 'rates', label: t('满意度统计', 'Rates per department'), children: <Rates /> },
        ]}
      />
    </Space>
  );
}

function RectificationList() {
  const { can } = useAuth();
  const office = can('ratings.manage');
  const [filters, setFilters] = useState<RectFilters>({ page: 1, pageSize: 20 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [open, setOpen] = useState<TRectification | null>(null);
  const q = useRectifications(filters);
  const units = useUnits();
  const set = (p: Partial<RectFilters>) => setFilters((f) => ({ ...f, ...p, page: 1 }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap className="no-print">
        <Input.Search
          allowClear
          placeholder={t('搜索编号', 'Search number')}
          style={{ width: 200 }}
          onSearch={(v) => set({ q: v || undefined })}
        />
        {office && (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('单位', 'Unit')}
            style={{ width: 200 }}
            onChange={(v) => set({ unitId: v })}
            options={(units.data ?? [])
              .filter((u) => u.kind !== 'district')
              .map((u) => ({ value: u.id, label: u.name }))}
          />
        )}
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 140 }}
          onChange={(v) => set({ status: v })}
          options={Object.entries(RECT_STATUS).map(([value, s]) => ({
            value: value as TRectification['status'],
            label: s.label(),
          }))}
          data-testid="rect-status-filter"
        />
        <Radio.Group
          optionType="button"
          value={filters.overdue ?? ''}
          onChange={(e) => set({ overdue: (e.target.value || undefined) as RectFilters['overdue'] })}
          options={[
            { value: '', label: t('全部', 'All') },
            { value: 'true', label: t('已逾期', 'Overdue') },
          ]}
        />
        <Button icon={<DownloadOutlined />} href={ratingsApi.rectificationsExportUrl(filters)}>
          {t('导出 Excel', 'Export .xlsx')}
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('打印', 'Print')}
        </Button>
      </Space>
      <Table<TRectification>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        locale={{ emptyText: t('暂无差评整改', 'No rectifications') }}
        data-testid="rect-table"
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total ?? 0,
          showTotal: (n) => t(`共 ${n} 件`, `${n} in all`),
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: t('编号', 'Number'), render: (_, r) => r.rating.subjectRef, width: 150 },
          { title: t('承办单位', 'Department'), dataIndex: 'unitName', width: 170 },
          {
            title: t('评价', 'Rating'),
            width: 100,
            render: (_, r) =>
              r.rating.level && <Tag color={LEVEL_COLOR[r.rating.level]}>{LEVEL_LABEL[r.rating.level]()}</Tag>,
          },
          { title: t('群众意见', 'Comment'), render: (_, r) => r.rating.comment, ellipsis: true },
          {
            title: t('整改期限', 'Due'),
            width: 150,
            render: (_, r) => (
              <Space size={4}>
                {r.dueDate}
                {r.overdue && <Tag color="red">{t('逾期', 'Overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('状态', 'Status'),
            width: 100,
            render: (_, r) => <Tag color={RECT_STATUS[r.status].color}>{RECT_STATUS[r.status].label()}</Tag>,
          },
          {
            title: t('操作', 'Actions'),
            width: 150,
            className: 'no-print',
            render: (_, r) => (
              <Space size={4} onClick={(e) => e.stopPropagation()}>
                {can('ratings.rectify') && (r.status === 'open' || r.status === 'returned') && (
                  <Button
                    size="small"
                    onClick={() => setDialog({ kind: 'callback', row: r })}
                    data-testid="rect-callback"
                  >
                    {t('回访', 'Call back')}
                  </Button>
                )}
                {can('ratings.rectify') && (r.status === 'called_back' || r.status === 'returned') && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'submit', row: r })}
                    data-testid="rect-submit"
                  >
                    {t('报送整改', 'Submit')}
                  </Button>
                )}
                {office && r.status === 'submitted' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'review', row: r })}
                    data-testid="rect-review"
                  >
                    {t('审核', 'Review')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {open && <RectDetail row={open} onClose={() => setOpen(null)} />}
      {dialog && <RectDialog dialog={dialog} onClose={() => setDialog(null)} />}
    </Space>
  );
}

function RatingList() {
  const { message, modal } = App.useApp();
  const [f, setF] = useState<{ page: number; pageSize: number; status?: string; level?: string; q?: string }>({
    page: 1,
    pageSize: 20,
  });
  const q = useRatings(f);
  const set = (p: Partial<typeof f>) => setF((x) => ({ ...x, ...p, page: 1 }));
  const link = useMutation({
    mutationFn: ratingsApi.renewLink,
    onSuccess: (r) =>
      modal.info({
        title: t('一次性评价链接', 'One-time rating link'),
        content: (
          <Typography.Paragraph copyable data-testid="rating-link">
            {`${window.location.origin}${r.link}`}
          </Typography.Paragraph>
        ),
      }),
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('搜索编号', 'Search number')}
          style={{ width: 200 }}
          onSearch={(v) => set({ q: v || undefined })}
          data-testid="rating-search"
        />
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 120 }}
          onChange={(v) => set({ status: v })}
          options={[
            { value: 'invited', label: t('待评价', 'Invited') },
            { value: 'rated', label: t('已评价', 'Rated') },
          ]}
          data-testid="rating-status"
        />
        <Select
          allowClear
          placeholder={t('评价等级', 'Level')}
          style={{ width: 130 }}
          onChange={(v) => set({ level: v })}
          options={Object.entries(LEVEL_LABEL).map(([value, l]) => ({ value, label: l() }))}
        />
      </Space>
      <Table<TRatingRow>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        data-testid="rating-table"
        locale={{ emptyText: t('暂无评价', 'No ratings') }}
        pagination={{
          current: f.page,
          pageSize: f.pageSize,
          total: q.data?.total ?? 0,
          onChange: (page, pageSize) => setF((x) => ({ ...x, page, pageSize })),
        }}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'subjectRef', width: 150 },
          { title: t('承办单位', 'Department'), dataIndex: 'unitName', width: 170 },
          { title: t('轮次', 'Round'), dataIndex: 'round', width: 60 },
          { title: t('邀请时间', 'Invited'), width: 160, render: (_, r) => fmt(r.invitedAt) },
          {
            title: t('评价', 'Rating'),
            width: 110,
            render: (_, r) =>
              r.level ? (
                <Tag color={LEVEL_COLOR[r.level]}>{LEVEL_LABEL[r.level]()}</Tag>
              ) : (
                <Tag>{r.remindedAt ? t('已提醒', 'Reminded') : t('待评价', 'Invited')}</Tag>
              ),
          },
          { title: t('意见', 'Comment'), dataIndex: 'comment', ellipsis: true },
          {
            title: t('操作', 'Actions'),
            width: 120,
            render: (_, r) =>
              r.status === 'invited' && (
                <Button
                  size="small"
                  loading={link.isPending}
                  onClick={() => link.mutate(r.id)}
                  data-testid="rating-new-link"
                >
                  {t('现场评价链接', 'On-site link')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}

function RectDetail({ row, onClose }: { row: TRectification; onClose(): void }) {
  return (
    <FormModal<Record<string, never>, null>
      title={t(`差评整改 · ${row.rating.subjectRef}`, `Rectification · ${row.rating.subjectRef}`)}
      onClose={onClose}
      submit={async () => null}
      okText={t('关闭', 'Close')}
      width={680}
    >
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('承办单位', 'Department')}>{row.unitName}</Descriptions.Item>
        <Descriptions.Item label={t('评价', 'Rating')}>
          {row.rating.level && LEVEL_LABEL[row.rating.level]()} · {fmt(row.rating.ratedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('分项', 'Aspects')}>
          {Object.entries(row.rating.aspects)
            .map(
              ([a, l]) =>
                `${ASPECT_LABEL[a as keyof typeof ASPECT_LABEL]?.() ?? a}：${LEVEL_LABEL[l as RatingLevel]?.() ?? l}`,
            )
            .join('；') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('群众意见', 'Comment')}>{row.rating.comment || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('联系电话', 'Phone')}>{row.rating.phone}</Descriptions.Item>
        <Descriptions.Item label={t('整改期限', 'Due')}>{row.dueDate}（15个工作日）</Descriptions.Item>
        <Descriptions.Item label={t('回访', 'Call-back')}>
          {row.calledBackAt ? `${fmt(row.calledBackAt)} ${row.callbackNote}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('整改结果', 'Result')}>
          {row.submittedAt ? `${fmt(row.submittedAt)} ${row.result}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('审核意见', 'Review')}>
          {row.reviewedAt ? `${fmt(row.reviewedAt)} ${row.reviewNote}` : '—'}
          {row.returns > 0 && ` (${t('退回', 'returned')} ${row.returns})`}
        </Descriptions.Item>
      </Descriptions>
    </FormModal>
  );
}

function RectDialog({ dialog, onClose }: { dialog: NonNullable<Dialog>; onClose(): void }) {
  const { kind, row } = dialog;
  if (kind === 'callback')
    return (
      <FormModal<{ note: string }, TRectification>
        title={t('记录回访', 'Record the call-back')}
        onClose={onClose}
        submit={(v) => ratingsApi.callback(row.id, v.note)}
        invalidate={[RATINGS_KEY]}
        success={t('已记录回访', 'Call-back recorded')}
        okTestId="rect-callback-ok"
      >
        <Typography.Paragraph type="secondary">
          {t('诉求人电话', 'Phone')}：{row.rating.phone} · {row.rating.comment}
        </Typography.Paragraph>
        <Form.Item name="note" label={t('回访情况', 'What the requester said')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} data-testid="rect-callback-note" />
        </Form.Item>
      </FormModal>
    );
  if (kind === 'submit')
    return (
      <FormModal<{ result: string }, TRectification>
        title={t('报送整改结果', 'Submit the result')}
        onClose={onClose}
        submit={(v) => ratingsApi.submit(row.id, v.result)}
        invalidate={[RATINGS_KEY]}
        success={t('已报送，待绩效办审核', 'Submitted for review')}
        okTestId="rect-submit-ok"
      >
        <Form.Item
          name="result"
          label={t('整改措施和结果', 'Measures and result')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input.TextArea rows={4} data-testid="rect-submit-result" />
        </Form.Item>
      </FormModal>
    );
  return (
    <FormModal<{ accept: boolean; note?: string }, TRectification>
      title={t('审核整改结果', 'Review the result')}
      onClose={onClose}
      initialValues={{ accept: true }}
      submit={(v) => ratingsApi.review(row.id, v.accept, v.note ?? '')}
      invalidate={[RATINGS_KEY]}
      success={t('已审核', 'Reviewed')}
      okTestId="rect-review-ok"
    >
      <Typography.Paragraph>{row.result}</Typography.Paragraph>
      <Form.Item name="accept" label={t('审核结论', 'Decision')}>
        <Radio.Group
          options={[
            { value: true, label: t('通过（销号）', 'Accept') },
            { value: false, label: t('退回重新整改', 'Return') },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label={t('审核意见', 'Note')}>
        <Input.TextArea rows={2} data-testid="rect-review-note" />
      </Form.Item>
    </FormModal>
  );
}

function Rates() {
  const [year, setYear] = useState(new Date().getFullYear());
  const q = useRates(year);
  const rows = useMemo(() => [...(q.data ?? [])].sort((a, b) => (b.goodRate ?? -1) - (a.goodRate ?? -1)), [q.data]);
  const option: EChartOption = useMemo(
    () => ({
      grid: { left: 160, right: 40, top: 10, bottom: 20 },
      tooltip: {},
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: rows.slice(0, 20).map((r) => r.unitName) },
      series: [
        { type: 'bar', data: rows.slice(0, 20).map((r) => r.goodRate), label: { show: true, position: 'right' } },
      ],
    }),
    [rows],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap>
        <Select
          value={year}
          style={{ width: 110 }}
          onChange={setYear}
          options={[0, 1, 2].map((d) => ({
            value: new Date().getFullYear() - d,
            label: `${new Date().getFullYear() - d}年`,
          }))}
        />
        <Button icon={<DownloadOutlined />} href={ratingsApi.ratesExportUrl(year)}>
          {t('导出 Excel', 'Export .xlsx')}
        </Button>
      </Space>
      {rows.length > 0 && (
        <EChart option={option} height={Math.max(200, Math.min(rows.length, 20) * 24 + 40)} testId="rates-chart" />
      )}
      <Table
        rowKey="unitId"
        size="small"
        loading={q.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('本年度暂无评价', 'No ratings this year') }}
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName' },
          { title: t('邀请', 'Invited'), dataIndex: 'invited', width: 80 },
          { title: t('已评价', 'Rated'), dataIndex: 'rated', width: 80 },
          {
            title: t('好评率', 'Good rate'),
            dataIndex: 'goodRate',
            width: 90,
            render: (v: number | null) => (v === null ? '—' : `${v}%`),
          },
          { title: t('满意度得分', 'Score'), dataIndex: 'score', width: 100, render: (v: number | null) => v ?? '—' },
          { title: t('差评整改', 'Rectifications'), dataIndex: 'rectifications', width: 100 },
          {
            title: t('逾期', 'Overdue'),
            dataIndex: 'overdue',
            width: 70,
            render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0),
          },
        ]}
      />
    </Space>
  );
}
