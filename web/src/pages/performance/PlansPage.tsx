import { CheckOutlined, CloseOutlined, DownloadOutlined, EyeOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { errorText } from '../../lib/api';
import { fmtDate } from '../../lib/time';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { PlanDetail } from './PlanDetail';
import { ADJUSTMENT_STATUS, fmt, PLAN_STATUS, pickYear, type TAdjustment, type TPlanSummary } from './perfData';
import { useYears, performanceApi, usePlans, useRequestedAdjustments, PERFORMANCE_KEY } from './api';
import { FormModal } from '../../components/FormModal';
import { useUnitCategories, useUnits } from '../admin/api';
import { YearPicker } from '../../components/YearPicker';

/**
 * 绩效计划: the office reviews every unit's plan (and adjustment requests); a unit user lands on
 * their own unit's plan directly.
 */
export function PlansPage() {
  const [params, setParams] = useSearchParams();
  const years = useYears();
  const year = pickYear(years.data, Number(params.get('year')) || null);
  const { can } = useAuth();
  const plans = usePlans(year?.id ?? null);
  const reviewer = can('plans.review');

  const yearSelect = (
    <Space wrap>
      <YearPicker
        years={years.data ?? []}
        value={year}
        loading={years.isLoading}
        onChange={(id) => setParams({ year: String(id) })}
        width={280}
        testId="plans-year"
      />
    </Space>
  );

  if (years.data && !years.data.length) return <Empty description={t('还没有考核年度', 'No assessment year yet')} />;
  const own = !reviewer && plans.data?.length === 1 ? plans.data[0] : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small">{yearSelect}</Card>
      {plans.error && <Alert type="error" showIcon title={errorText(plans.error)} />}
      {year && own && <PlanDetail yearId={year.id} unitId={own.unitId} />}
      {year &&
        !own &&
        plans.data &&
        (plans.data.length ? (
          <ReviewList yearId={year.id} plans={plans.data} reviewer={reviewer} />
        ) : (
          <Empty description={t('本年度没有需要您查看的绩效计划', 'No plans for you this year')} />
        ))}
    </Space>
  );
}

/** One plan on its own page (links from the review list). */
export function PlanPage() {
  const { yearId, unitId } = useParams();
  const navigate = useNavigate();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Button onClick={() => navigate(`/performance/plans?year=${yearId}`)}>
        {t('← 返回计划列表', '← Back to plans')}
      </Button>
      <PlanDetail yearId={Number(yearId)} unitId={Number(unitId)} />
    </Space>
  );
}

function ReviewList({ yearId, plans, reviewer }: { yearId: number; plans: TPlanSummary[]; reviewer: boolean }) {
  const navigate = useNavigate();
  const categories = useUnitCategories();
  const units = useUnits();
  const catName = useMemo(() => new Map((categories.data ?? []).map((c) => [c.id, c.name])), [categories.data]);
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const [status, setStatus] = useState<TPlanSummary['status'] | null>(null);
  const [category, setCategory] = useState<number | null>(null);
  const counts = (s: TPlanSummary['status']) => plans.filter((p) => p.status === s).length;
  const rows = plans.filter((p) => (!status || p.status === status) && (!category || p.categoryId === category));

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      {reviewer && <AdjustmentReview yearId={yearId} unitName={unitName} />}
      <Card
        title={t('各单位年度绩效计划', 'Plans of the units')}
        extra={
          <Button icon={<DownloadOutlined />} href={performanceApi.bookUrl(yearId)} data-testid="book-district">
            {t('下载责任书汇编（已批准）', 'Download all approved books')}
          </Button>
        }
      >
        <Space size={32} style={{ display: 'flex', marginBottom: 16 }} wrap>
          <Statistic title={t('单位总数', 'Units')} value={plans.length} />
          {(['approved', 'submitted', 'returned', 'draft'] as const).map((s) => (
            <Statistic
              key={s}
              title={PLAN_STATUS[s].label()}
              value={counts(s)}
              styles={{ content: { color: s === 'submitted' ? '#d48806' : s === 'returned' ? '#cf1322' : undefined } }}
            />
          ))}
        </Space>
        <Space style={{ display: 'flex', marginBottom: 12 }} wrap>
          <Select<TPlanSummary['status']>
            allowClear
            placeholder={t('全部状态', 'All statuses')}
            style={{ width: 140 }}
            value={status ?? undefined}
            onChange={(v) => setStatus(v ?? null)}
            options={(Object.keys(PLAN_STATUS) as TPlanSummary['status'][]).map((s) => ({
              value: s,
              label: PLAN_STATUS[s].label(),
            }))}
            data-testid="plans-status-filter"
          />
          <Select<number>
            allowClear
            placeholder={t('全部类别', 'All categories')}
            style={{ width: 180 }}
            value={category ?? undefined}
            onChange={(v) => setCategory(v ?? null)}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Space>
        <Table<TPlanSummary>
          rowKey="unitId"
          size="small"
          dataSource={rows}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          data-testid="plans-table"
          scroll={{ x: 860 }}
          columns={[
            {
              title: t('单位', 'Unit'),
              dataIndex: 'unitName',
              render: (v: string, p) => <a onClick={() => navigate(`/performance/plans/${yearId}/${p.unitId}`)}>{v}</a>,
            },
            {
              title: t('考评类别', 'Category'),
              width: 150,
              render: (_, p) => (p.categoryId ? catName.get(p.categoryId) : '—'),
            },
            {
              title: t('状态', 'Status'),
              dataIndex: 'status',
              width: 100,
              sorter: (a, b) => a.status.localeCompare(b.status),
              render: (s: TPlanSummary['status']) => <Tag color={PLAN_STATUS[s].color}>{PLAN_STATUS[s].label()}</Tag>,
            },
            {
              title: t('已填目标/适用指标', 'Targets / leaves'),
              width: 150,
              render: (_, p) => (
                <span>
                  {p.targetCount}/{p.leafCount}
                  {p.missingTargets > 0 && (
                    <Tag color="orange" style={{ marginLeft: 6 }}>
                      {t(`缺 ${p.missingTargets}`, `${p.missingTargets} missing`)}
                    </Tag>
                  )}
                </span>
              ),
            },
            {
              title: t('待审调整', 'Open adjustments'),
              dataIndex: 'pendingAdjustments',
              width: 100,
              render: (n: number) => (n ? <Tag color="gold">{n}</Tag> : '—'),
            },
            {
              // One column for both dates keeps the actions in view at 1280 px.
              title: t('提交 / 审核', 'Submitted / reviewed'),
              key: 'dates',
              width: 120,
              render: (_, p) => (
                <span style={{ fontSize: 12 }}>
                  {p.submittedAt ? fmtDate(p.submittedAt) : '—'}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.reviewedAt ? fmtDate(p.reviewedAt) : '—'}
                  </Typography.Text>
                </span>
              ),
            },
            {
              title: t('操作', 'Actions'),
              width: 190,
              fixed: 'right',
              render: (_, p) => (
                <Space size={4}>
                  <Button
                    size="small"
                    type={p.status === 'submitted' && reviewer ? 'primary' : 'default'}
                    icon={<EyeOutlined />}
                    onClick={() => navigate(`/performance/plans/${yearId}/${p.unitId}`)}
                    data-testid={`plan-open-${p.unitCode}`}
                  >
                    {p.status === 'submitted' && reviewer ? t('审核', 'Review') : t('查看', 'Open')}
                  </Button>
                  <Button size="small" icon={<DownloadOutlined />} href={performanceApi.bookUrl(yearId, p.unitId)}>
                    {t('责任书', 'Book')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** Open adjustment requests of the year, approved or rejected by the office. */
function AdjustmentReview({ yearId, unitName }: { yearId: number; unitName: Map<number, string> }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useRequestedAdjustments(yearId);
  const [rejecting, setRejecting] = useState<TAdjustment | null>(null);
  const decide = useMutation({
    mutationFn: ({ id, approve, comment }: { id: number; approve: boolean; comment?: string }) =>
      performanceApi.decideAdjustment(id, approve, comment),
    onSuccess: async (_d, v) => {
      await qc.invalidateQueries({ queryKey: PERFORMANCE_KEY });
      message.success(
        v.approve ? t('已同意调整，目标值已更新', 'Approved; the target changed') : t('已驳回调整申请', 'Rejected'),
      );
      setRejecting(null);
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (!list.data?.length) return null;
  return (
    <Card
      title={t(`待审核的目标调整申请（${list.data.length}）`, `Open adjustment requests (${list.data.length})`)}
      size="small"
    >
      <Table<TAdjustment>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 820 }}
        dataSource={list.data}
        data-testid="adjustments-pending"
        columns={[
          { title: t('单位', 'Unit'), width: 180, render: (_, a) => unitName.get(a.unitId) ?? a.unitId },
          { title: t('指标', 'Indicator'), render: (_, a) => `${a.indicatorCode} ${a.indicatorName}` },
          {
            title: t('原目标/挑战值', 'Old'),
            width: 120,
            render: (_, a) => `${fmt(a.oldTarget)} / ${fmt(a.oldChallenge)}`,
          },
          {
            title: t('新目标/挑战值', 'New'),
            width: 120,
            render: (_, a) => <b>{`${fmt(a.newTarget)} / ${fmt(a.newChallenge)}`}</b>,
          },
          { title: t('理由', 'Reason'), dataIndex: 'reason' },
          {
            title: t('状态', 'Status'),
            width: 90,
            render: (_, a) => (
              <Tag color={ADJUSTMENT_STATUS[a.status].color}>{ADJUSTMENT_STATUS[a.status].label()}</Tag>
            ),
          },
          {
            title: t('操作', 'Actions'),
            width: 170,
            fixed: 'right',
            render: (_, a) => (
              <Space size={4}>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => decide.mutate({ id: a.id, approve: true })}
                  data-testid={`adjustment-approve-${a.id}`}
                >
                  {t('同意', 'Approve')}
                </Button>
                <Button size="small" danger icon={<CloseOutlined />} onClick={() => setRejecting(a)}>
                  {t('驳回', 'Reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {rejecting && (
        <FormModal<{ comment: string }, TAdjustment>
          title={t('驳回调整申请', 'Reject the request')}
          onClose={() => setRejecting(null)}
          submit={(v) => performanceApi.decideAdjustment(rejecting.id, false, v.comment)}
          invalidate={[PERFORMANCE_KEY]}
          success={t('已驳回调整申请', 'Rejected')}
        >
          <Form.Item name="comment" label={t('驳回理由', 'Reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </FormModal>
      )}
    </Card>
  );
}
