import { CalculatorOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { TFormulas, TRates, TStatsRow } from '@server/modules/casestats/casestats.schema';
import { ApiError, errorText } from '../../lib/api';
import { FormModal } from '../../components/FormModal';
import { ExportButton } from '../../components/TableTools';
import { casesApi, CASE_STATS_KEY } from './api';
import { useAuth } from '../../lib/auth';
import { EChart, type EChartOption } from '../../components/EChart';
import { t } from '../../lib/i18n';

type RateKey = keyof TRates;
type CounterKey = keyof TStatsRow['counters'];

const RATE_LABEL: Record<RateKey, [string, string]> = {
  responseRate: ['响应率', 'Response'],
  signOnTimeRate: ['按时签收率', 'On-time sign-for'],
  onTimeRate: ['按时办结率', 'On-time completion'],
  resolutionRate: ['解决率', 'Resolution'],
  satisfactionRate: ['满意率', 'Satisfaction'],
  closureRate: ['办结率', 'Closure'],
  redoRate: ['重办率', 'Redo'],
};
const RATE_KEYS = Object.keys(RATE_LABEL) as RateKey[];
/** Rates where lower is better. */
const LOWER_IS_BETTER: ReadonlySet<RateKey> = new Set(['redoRate']);

const COUNTER_COLUMNS: { key: CounterKey; zh: string; en: string; late?: boolean }[] = [
  { key: 'dispatched', zh: '派单', en: 'Dispatched' },
  { key: 'assistDispatched', zh: '协办', en: 'Assisting' },
  { key: 'signedOnTime', zh: '按时签收', en: 'Signed on time' },
  { key: 'signedLate', zh: '超时签收', en: 'Signed late', late: true },
  { key: 'completedOnTime', zh: '按时办结', en: 'Done on time' },
  { key: 'completedLate', zh: '超期办结', en: 'Done late', late: true },
  { key: 'closed', zh: '结案', en: 'Closed' },
  { key: 'extensions', zh: '延期', en: 'Extensions' },
  { key: 'returns', zh: '退单', en: 'Returns' },
  { key: 'redos', zh: '重办', en: 'Redos' },
  { key: 'satisfied', zh: '满意', en: 'Satisfied' },
  { key: 'basic', zh: '基本满意', en: 'Basic' },
  { key: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
];

const fmtRate = (v: number | null) => (v === null ? '—' : `${v.toFixed(v % 1 === 0 ? 0 : 1)}%`);
const rateColor = (key: RateKey, v: number | null) => {
  if (v === null) return undefined;
  const good = LOWER_IS_BETTER.has(key) ? v <= 5 : v >= 90;
  const bad = LOWER_IS_BETTER.has(key) ? v > 15 : v < 75;
  return good ? 'green' : bad ? 'red' : 'orange';
};
const lateOf = (r: TStatsRow) => r.counters.signedLate + r.counters.completedLate;
/** More than a tenth of the unit's signings and completions this month were late: the row is highlighted. */
const mostlyLate = (r: TStatsRow) => {
  const c = r.counters;
  const all = c.signedOnTime + c.signedLate + c.completedOnTime + c.completedLate;
  return all > 0 && lateOf(r) / all > 0.1;
};

/** 部门诉求办理统计: counters and rates per department and month, trends, rankings and the formulas behind the rates. */
export function StatsPage() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [month, setMonth] = useState<Dayjs>(() => {
    // ?month=YYYY-MM (a score explanation links here with the month behind the number).
    const m = params.get('month') ?? '';
    const asked = /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? dayjs(`${m}-01`) : null;
    return asked && !asked.isAfter(dayjs(), 'month') ? asked : dayjs().startOf('month');
  });
  const [unitId, setUnitId] = useState<number | undefined>();
  const [rankBy, setRankBy] = useState<RateKey>('onTimeRate');
  const [rankSide, setRankSide] = useState<'top' | 'bottom'>('top');
  const [editing, setEditing] = useState(false);
  const monthStr = month.format('YYYY-MM');
  const from = month.subtract(11, 'month').format('YYYY-MM');

  const stats = useQuery({ queryKey: [...CASE_STATS_KEY, monthStr], queryFn: () => casesApi.monthStats(monthStr) });
  const trend = useQuery({
    queryKey: ['case-stats', 'trend', from, monthStr, unitId],
    queryFn: () => casesApi.trend({ from, to: monthStr, unitId }),
  });
  const formulas = useQuery({
    queryKey: [...CASE_STATS_KEY, 'formulas'],
    queryFn: casesApi.formulas,
    staleTime: 60_000,
  });
  const sync = useMutation({
    mutationFn: casesApi.syncStats,
    onSuccess: (r) =>
      message.success(
        t(
          `已同步：${r.rows} 个单位月份，写入 ${r.inputs} 条考核数据`,
          `Synced ${r.rows} unit-months, ${r.inputs} score inputs`,
        ),
      ),
    onError: (e) => message.error(errorText(e)),
  });

  const rows = useMemo(() => stats.data?.rows ?? [], [stats.data]);
  const shownRows = unitId ? rows.filter((r) => r.unitId === unitId) : rows;
  const totals = stats.data?.totals;

  const trendOption = useMemo<EChartOption>(() => {
    const points = trend.data?.points ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.month.slice(2).replace('-', '/')) },
      yAxis: [
        { type: 'value', name: t('件', 'cases'), minInterval: 1 },
        { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        {
          name: t('派单', 'Dispatched'),
          type: 'bar',
          data: points.map((p) => p.counters.dispatched),
          itemStyle: { color: '#1677ff' },
        },
        {
          name: t('结案', 'Closed'),
          type: 'bar',
          data: points.map((p) => p.counters.closed),
          itemStyle: { color: '#52c41a' },
        },
        {
          name: t('按时办结率', 'On-time rate'),
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => p.rates.onTimeRate),
          connectNulls: true,
          smooth: true,
        },
        {
          name: t('满意率', 'Satisfaction'),
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => p.rates.satisfactionRate),
          connectNulls: true,
          smooth: true,
        },
      ],
    };
  }, [trend.data]);

  const ranked = useMemo(() => {
    const withValue = rows.filter((r) => r.rates[rankBy] !== null);
    const better = (a: TStatsRow, b: TStatsRow) => {
      const d = (b.rates[rankBy] ?? 0) - (a.rates[rankBy] ?? 0);
      return LOWER_IS_BETTER.has(rankBy) ? -d : d;
    };
    const sorted = [...withValue].sort((a, b) => better(a, b) || b.counters.dispatched - a.counters.dispatched);
    return rankSide === 'top' ? sorted.slice(0, 10) : sorted.slice(-10).reverse();
  }, [rows, rankBy, rankSide]);

  const rankOption = useMemo<EChartOption>(() => {
    const list = [...ranked].reverse(); // the best at the top of a horizontal bar chart
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, name: '%' },
      yAxis: { type: 'category', data: list.map((r) => r.unitName), axisLabel: { width: 110, overflow: 'truncate' } },
      series: [
        {
          name: t('按时办结率', 'On-time rate'),
          type: 'bar',
          barMaxWidth: 14,
          data: list.map((r) => r.rates.onTimeRate),
          itemStyle: { color: '#1677ff' },
        },
        {
          name: t('满意率', 'Satisfaction'),
          type: 'bar',
          barMaxWidth: 14,
          data: list.map((r) => r.rates.satisfactionRate),
          itemStyle: { color: '#faad14' },
        },
      ],
    };
  }, [ranked]);

  const categoryOption = useMemo<EChartOption>(() => {
    const cats = [...(stats.data?.categories ?? [])].slice(0, 10).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: cats.map((c) => c.name.split(' / ').slice(-2).join('/')),
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [
        {
          name: t('受理', 'Received'),
          type: 'bar',
          barMaxWidth: 14,
          data: cats.map((c) => c.created),
          itemStyle: { color: '#722ed1' },
        },
        {
          name: t('结案', 'Closed'),
          type: 'bar',
          barMaxWidth: 14,
          data: cats.map((c) => c.closed),
          itemStyle: { color: '#52c41a' },
        },
      ],
    };
  }, [stats.data]);

  const columns: ColumnsType<TStatsRow> = [
    {
      title: t('单位', 'Unit'),
      dataIndex: 'unitName',
      fixed: 'left',
      width: 200,
      sorter: (a, b) => a.unitName.localeCompare(b.unitName, 'zh'),
      render: (name: string, r) => (
        <Space size={4}>
          <span>{name}</span>
          {lateOf(r) > 0 && (
            <Tooltip
              title={t(
                `本月超时签收 ${r.counters.signedLate} 件，超期办结 ${r.counters.completedLate} 件`,
                `${r.counters.signedLate} signed late, ${r.counters.completedLate} done late`,
              )}
            >
              <Tag color="red" data-testid={`stats-overdue-${r.unitId}`}>
                {t('超期', 'Late')} {lateOf(r)}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('办理量', 'Volume'),
      children: COUNTER_COLUMNS.slice(0, 10).map((c) => ({
        title: t(c.zh, c.en),
        key: c.key,
        width: 76,
        align: 'right' as const,
        sorter: (a: TStatsRow, b: TStatsRow) => a.counters[c.key] - b.counters[c.key],
        render: (_: unknown, r: TStatsRow) => {
          const v = r.counters[c.key];
          return c.late && v > 0 ? (
            <Typography.Text type="danger" strong>
              {v}
            </Typography.Text>
          ) : (
            v
          );
        },
      })),
    },
    {
      title: t('评价', 'Ratings'),
      children: COUNTER_COLUMNS.slice(10).map((c) => ({
        title: t(c.zh, c.en),
        key: c.key,
        width: 76,
        align: 'right' as const,
        sorter: (a: TStatsRow, b: TStatsRow) => a.counters[c.key] - b.counters[c.key],
        render: (_: unknown, r: TStatsRow) => r.counters[c.key],
      })),
    },
    {
      title: t('指标（%）', 'Rates (%)'),
      children: RATE_KEYS.map((k) => ({
        title: t(...RATE_LABEL[k]),
        key: k,
        width: 96,
        align: 'right' as const,
        sorter: (a: TStatsRow, b: TStatsRow) => (a.rates[k] ?? -1) - (b.rates[k] ?? -1),
        render: (_: unknown, r: TStatsRow) => {
          const v = r.rates[k];
          return v === null ? (
            <Typography.Text type="secondary">—</Typography.Text>
          ) : (
            <Tag color={rateColor(k, v)}>{fmtRate(v)}</Tag>
          );
        },
      })),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('部门诉求办理统计', 'Department case statistics')}
          </Typography.Title>
          <DatePicker
            picker="month"
            allowClear={false}
            value={month}
            onChange={(d) => d && setMonth(d.startOf('month'))}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            data-testid="stats-month"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            placeholder={t('全部单位', 'All units')}
            value={unitId}
            onChange={(v) => setUnitId(v)}
            options={rows.map((r) => ({ value: r.unitId, label: r.unitName }))}
            data-testid="stats-unit"
          />
          <ExportButton path={casesApi.statsExportUrl()} query={{ month: monthStr, unitId }} testId="stats-export" />
          {can('cases.configure') && (
            <>
              <Button
                icon={<SyncOutlined />}
                loading={sync.isPending}
                onClick={() => sync.mutate()}
                data-testid="stats-sync"
              >
                {t('同步到绩效考核', 'Sync to scores')}
              </Button>
              <Button icon={<CalculatorOutlined />} onClick={() => setEditing(true)} data-testid="stats-formulas">
                {t('计算公式', 'Formulas')}
              </Button>
            </>
          )}
        </Space>
      </Card>

      {stats.error && <Alert type="error" showIcon message={errorText(stats.error)} />}

      <Row gutter={[16, 16]}>
        {(
          [
            ['dispatched', t('派单量', 'Dispatched')],
            ['closed', t('结案量', 'Closed')],
          ] as [CounterKey, string][]
        ).map(([k, label]) => (
          <Col key={k} xs={12} md={6} xl={3}>
            <Card size="small">
              <Statistic title={label} value={totals?.counters[k] ?? 0} loading={stats.isLoading} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6} xl={3}>
          <Card size="small">
            <Statistic
              title={t('超期件（签收+办结）', 'Late (sign + done)')}
              value={totals ? totals.counters.signedLate + totals.counters.completedLate : 0}
              styles={{
                content:
                  totals && totals.counters.signedLate + totals.counters.completedLate > 0
                    ? { color: '#cf1322' }
                    : undefined,
              }}
              loading={stats.isLoading}
            />
          </Card>
        </Col>
        {(['responseRate', 'signOnTimeRate', 'onTimeRate', 'resolutionRate', 'satisfactionRate'] as RateKey[]).map(
          (k) => (
            <Col key={k} xs={12} md={6} xl={3}>
              <Card size="small">
                <Statistic
                  title={t(...RATE_LABEL[k])}
                  value={fmtRate(totals?.rates[k] ?? null)}
                  loading={stats.isLoading}
                />
              </Card>
            </Col>
          ),
        )}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t(
              `月度诉求量趋势${unitId ? `（${rows.find((r) => r.unitId === unitId)?.unitName ?? ''}）` : ''}`,
              'Monthly volume',
            )}
          >
            <EChart option={trendOption} testId="stats-trend-chart" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('各部门按时办结率与满意率', 'On-time and satisfaction by department')}
            extra={
              <Space size={8}>
                <Select
                  size="small"
                  style={{ width: 130 }}
                  value={rankBy}
                  onChange={setRankBy}
                  options={RATE_KEYS.map((k) => ({ value: k, label: t(...RATE_LABEL[k]) }))}
                />
                <Segmented
                  size="small"
                  value={rankSide}
                  onChange={(v) => setRankSide(v as 'top' | 'bottom')}
                  options={[
                    { value: 'top', label: t('前 10', 'Top 10') },
                    { value: 'bottom', label: t('后 10', 'Bottom 10') },
                  ]}
                />
              </Space>
            }
          >
            {ranked.length ? (
              <EChart option={rankOption} testId="stats-rank-chart" />
            ) : (
              <Empty style={{ height: 268 }} description={t('本月暂无数据', 'No data this month')} />
            )}
          </Card>
        </Col>
        {!!stats.data?.categories.length && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('诉求分类分布（前 10）', 'Top 10 categories')}>
              <EChart option={categoryOption} height={280} testId="stats-category-chart" />
            </Card>
          </Col>
        )}
        <Col xs={24} xl={stats.data?.categories.length ? 12 : 24}>
          <FormulaNotes formulas={formulas.data} />
        </Col>
      </Row>

      <Card size="small" title={t(`${monthStr} 各单位明细`, `Units, ${monthStr}`)}>
        <Table<TStatsRow>
          rowKey="unitId"
          size="small"
          loading={stats.isLoading}
          dataSource={shownRows}
          columns={columns}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(r) => (mostlyLate(r) ? { style: { background: '#fff1f0' } } : {})}
          data-testid="stats-table"
          locale={{ emptyText: <Empty description={t('本月暂无诉求办理数据', 'No case activity this month')} /> }}
        />
      </Card>

      {editing && formulas.data && (
        <FormulaEditor
          formulas={formulas.data}
          onClose={() => setEditing(false)}
          onSaved={async () => {
            setEditing(false);
            await qc.invalidateQueries({ queryKey: CASE_STATS_KEY });
            message.success(
              t('公式已保存，考核数据将在一分钟内按新公式更新', 'Saved; score inputs follow within a minute'),
            );
          }}
        />
      )}
    </Space>
  );
}

/** How each rate is computed (the formula in force, and what it means). */
function FormulaNotes({ formulas }: { formulas: TFormulas | undefined }) {
  return (
    <Card size="small" title={t('指标口径（计算公式）', 'How the rates are computed')}>
      <Collapse
        size="small"
        ghost
        defaultActiveKey={['f']}
        items={[
          {
            key: 'f',
            label: t(
              '按月统计：事件发生在哪个月（北京时间）就计入哪个月；分母为 0 时不计算（显示 —）',
              'Per month of the event (Beijing time); no value when the denominator is 0',
            ),
            children: (
              <Descriptions size="small" column={1} bordered>
                {(formulas?.rates ?? []).map((r) => (
                  <Descriptions.Item key={r.key} label={t(r.zh, r.en)}>
                    <Typography.Text code>{r.expression}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary">{t(r.note.zh, r.note.en)}</Typography.Text>
                      {r.expression !== r.defaultExpression && (
                        <Tag style={{ marginLeft: 8 }}>{t('已自定义', 'customised')}</Tag>
                      )}
                    </div>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** The office edits the rate formulas (checked by the server; the error names the formula). */
function FormulaEditor({
  formulas,
  onClose,
  onSaved,
}: {
  formulas: TFormulas;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [form] = Form.useForm<Record<string, string>>();
  return (
    <FormModal<Record<string, string>, TFormulas>
      form={form}
      width={760}
      title={t('统计指标计算公式', 'Rate formulas')}
      okText={t('保存', 'Save')}
      modalProps={{ cancelText: t('取消', 'Cancel') }}
      onClose={onClose}
      submit={casesApi.saveFormulas}
      onSaved={onSaved}
      errorFields={[]}
      onError={(e) => {
        if (!(e instanceof ApiError && e.field?.startsWith('formulas.'))) return false;
        form.setFields([{ name: e.field.slice('formulas.'.length), errors: [e.message] }]);
        return true;
      }}
      errorsInline
      initialValues={Object.fromEntries(formulas.rates.map((r) => [r.key, r.expression]))}
      header={
        <Typography.Paragraph type="secondary">
          {t('可用变量：', 'Variables: ')}
          {formulas.variables.map((v) => (
            <Tooltip key={v.name} title={t(v.zh, v.en)}>
              <Typography.Text code>{v.name}</Typography.Text>
            </Tooltip>
          ))}
          {t('；函数：min、max、round、if、ifnull 等。', '; functions: min, max, round, if, ifnull …')}
        </Typography.Paragraph>
      }
    >
      {formulas.rates.map((r) => (
        <Form.Item
          key={r.key}
          name={r.key}
          label={
            <Space>
              {t(r.zh, r.en)}
              <Button size="small" type="link" onClick={() => form.setFieldValue(r.key, r.defaultExpression)}>
                {t('恢复默认', 'Default')}
              </Button>
            </Space>
          }
          extra={t(r.note.zh, r.note.en)}
          rules={[{ required: true, message: t('请填写公式', 'Enter a formula') }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} data-testid={`formula-${r.key}`} />
        </Form.Item>
      ))}
    </FormModal>
  );
}
