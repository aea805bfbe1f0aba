import { ArrowDownOutlined, ArrowUpOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Radio, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { pickYear, type TYear } from './perfData';
import { errorText } from '../../lib/api';
import { performanceApi, useYears, useScoreTable } from './api';
import {
  fmtTime,
  kindOfPeriod,
  PERIOD_KIND_LABEL,
  periodOptions,
  pts,
  signed,
  type ExplainTarget,
  type PeriodKind,
  type TScoreRow,
  type TScoreTable,
} from './ScoreData';
import { ScoreExplainDrawer } from './ScoreExplainDrawer';
import { GradeOrIncomplete, isIncomplete } from './Completeness';
import { ExportButton, PrintButton, PrintTitle } from '../../components/TableTools';
import { YearPicker } from '../../components/YearPicker';
import { PublishedToggle } from '../../components/PublishedToggle';

/** Year and period pickers shared by the score pages; the state lives in the URL (?year=&period=). */
export function useYearPeriod() {
  const [params, setParams] = useSearchParams();
  const years = useYears();
  const usable = (years.data ?? []).filter((y) => y.status !== 'draft');
  const year = pickYear(usable, Number(params.get('year')) || null);
  const wanted = params.get('period');
  const period = year && wanted && wanted.startsWith(String(year.year)) ? wanted : year ? String(year.year) : null;
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  return { years, usable, year, period, params, set };
}

export function YearPeriodPicker({
  usable,
  year,
  period,
  set,
  loading,
}: {
  usable: TYear[];
  year: TYear | null;
  period: string | null;
  set: (p: Record<string, string | null>) => void;
  loading?: boolean;
}) {
  const kind: PeriodKind = period ? kindOfPeriod(period) : 'year';
  return (
    <Space wrap>
      <YearPicker
        years={usable}
        value={year}
        loading={loading}
        onChange={(id) => set({ year: String(id), period: null })}
        width={240}
        testId="score-year"
      />
      <Radio.Group
        value={kind}
        optionType="button"
        onChange={(e) => year && set({ period: periodOptions(year.year, e.target.value as PeriodKind)[0].value })}
        options={(['year', 'half', 'quarter', 'month'] as const).map((k) => ({
          value: k,
          label: PERIOD_KIND_LABEL[k](),
        }))}
        data-testid="score-period-kind"
      />
      {year && kind !== 'year' && (
        <Select<string>
          style={{ width: 130 }}
          value={period ?? undefined}
          onChange={(p) => set({ period: p })}
          options={periodOptions(year.year, kind)}
          data-testid="score-period"
        />
      )}
    </Space>
  );
}

/** 绩效得分: the ranking table by category, each number opening its explanation. */
export function ScorePage() {
  const { years, usable, year, period, params, set } = useYearPeriod();
  const published = params.get('published') === '1';
  const table = useScoreTable(year?.id ?? null, period, published);
  const [explain, setExplain] = useState<ExplainTarget | null>(null);
  const data = table.data;
  const category = params.get('category');

  if (years.data && !usable.length)
    return <Empty description={t('还没有已生效的考核年度', 'No assessment year in force yet')} />;
  const tabs = data?.categories ?? [];
  const active = tabs.find((c) => String(c.id ?? 'none') === category) ?? tabs[0];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" className="xn-no-print">
        <Space wrap size={16}>
          <YearPeriodPicker usable={usable} year={year} period={period} set={set} loading={years.isLoading} />
          <PublishedToggle
            published={published}
            onChange={(p) => set({ published: p ? '1' : null })}
            testId="score-published-switch"
          />
          <ExportButton
            path={performanceApi.scoreTableExportUrl()}
            query={{ yearId: year?.id, period, published }}
            disabled={!data}
            testId="score-export"
          />
          <PrintButton testId="score-print" />
        </Space>
      </Card>
      {data && (
        <PrintTitle>
          {data.published
            ? `${data.year.name}${data.window.label}绩效考核结果通报`
            : `${data.year.name}${data.window.label}绩效考核排名（实时）`}
        </PrintTitle>
      )}
      {table.isLoading && <Card loading data-testid="score-loading" />}
      {data && data.rows.some(isIncomplete) && (
        <Alert
          type="warning"
          showIcon
          data-testid="score-incomplete"
          title={t(
            `${data.rows.filter(isIncomplete).length} 个单位数据不完整（计划未批准或缺少数据），等次标为「数据不完整」，鼠标移到标签上可查看缺少什么`,
            `${data.rows.filter(isIncomplete).length} unit(s) have incomplete data (plan not approved or data missing); hover the tag to see what is missing`,
          )}
        />
      )}
      {table.error && <Alert type={published ? 'info' : 'error'} showIcon title={errorText(table.error)} />}
      {data && (
        <Card
          title={
            <Space wrap>
              <span>{t(`${data.year.name} · ${data.window.label}`, `${data.year.name} · ${data.window.label}`)}</span>
              {data.published ? (
                <Tag color="purple">
                  {t(
                    `已发布：${fmtTime(data.published.publishedAt)}（${data.published.publishedByName}）`,
                    `Published ${fmtTime(data.published.publishedAt)}`,
                  )}
                </Tag>
              ) : (
                <Tag color="blue">{t('实时计算，随数据变化自动更新', 'Live, recomputed as data change')}</Tag>
              )}
            </Space>
          }
          extra={
            <Tooltip
              title={t(
                '点击任一分数可查看得分说明：原始数据、录入人、计分方法和计算过程。',
                'Click any score to see how it was computed.',
              )}
            >
              <Typography.Text type="secondary">
                <InfoCircleOutlined /> {t('点击分数查看计算过程', 'Click a score for its explanation')}
              </Typography.Text>
            </Tooltip>
          }
        >
          {data.problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('以下指标配置有误，暂不计分', 'These leaves are misconfigured and score nothing')}
              description={data.problems.map((p) => `${p.code}：${p.message}`).join('；')}
            />
          )}
          {!data.rows.length ? (
            <Empty description={t('本期没有可查看的得分', 'No scores to show')} />
          ) : (
            <Tabs
              activeKey={String(active?.id ?? 'none')}
              onChange={(k) => set({ category: k })}
              items={tabs.map((c) => ({
                key: String(c.id ?? 'none'),
                label: `${c.name}（${data.rows.filter((r) => r.categoryId === c.id).length}）`,
                children: (
                  <CategoryTable
                    data={data}
                    rows={data.rows.filter((r) => r.categoryId === c.id)}
                    onExplain={(unitId, indicatorId) =>
                      setExplain({ yearId: data.year.id, unitId, indicatorId, period: data.window.period, published })
                    }
                  />
                ),
              }))}
            />
          )}
        </Card>
      )}
      <ScoreExplainDrawer target={explain} onClose={() => setExplain(null)} />
    </Space>
  );
}

/** The ranking of one category. Numbers of units the viewer may open are links to their explanation. */
export function CategoryTable({
  data,
  rows,
  onExplain,
}: {
  data: TScoreTable;
  rows: TScoreRow[];
  onExplain: (unitId: number, indicatorId?: number) => void;
}) {
  const navigate = useNavigate();
  const { me } = useAuth();
  const sorted = useMemo(
    () => [...rows].sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh')),
    [rows],
  );
  const num = (r: TScoreRow, value: number | null, indicatorId?: number, testId?: string) =>
    r.inScope ? (
      <a onClick={() => onExplain(r.unitId, indicatorId)} data-testid={testId}>
        {pts(value)}
      </a>
    ) : (
      pts(value)
    );
  const unitLink = (r: TScoreRow) => {
    const q = new URLSearchParams({ year: String(data.year.id), period: data.window.period });
    if (data.published) q.set('published', '1');
    return `/performance/scores/unit/${r.unitId}?${q.toString()}`;
  };
  const columns: ColumnsType<TScoreRow> = [
    {
      title: t('名次', 'Rank'),
      dataIndex: 'rank',
      width: 64,
      fixed: 'left',
      render: (v: number, r) => (
        <Typography.Text strong={v <= 3}>
          {v}
          <Typography.Text type="secondary">/{r.of}</Typography.Text>
        </Typography.Text>
      ),
    },
    {
      title: t('单位', 'Unit'),
      dataIndex: 'unitName',
      width: 170,
      fixed: 'left',
      render: (v: string, r) => (r.inScope ? <a onClick={() => navigate(unitLink(r))}>{v}</a> : v),
    },
    {
      title: t('总分', 'Total'),
      dataIndex: 'total',
      width: 90,
      sorter: (a, b) => a.total - b.total,
      render: (v: number, r) => (
        <Typography.Text strong>{num(r, v, undefined, `score-total-${r.unitCode}`)}</Typography.Text>
      ),
    },
    ...data.topIndicators.map((ti, k) => ({
      title: (
        <Tooltip title={`${ti.code} · ${t('分值', 'points')} ${ti.points}`}>
          <span>{ti.name}</span>
        </Tooltip>
      ),
      key: `n${ti.indicatorId}`,
      width: 100,
      render: (_: unknown, r: TScoreRow) =>
        num(r, r.nodes[k]?.score ?? null, ti.indicatorId, `score-node-${r.unitCode}-${ti.code}`),
    })),
    {
      title: t('加分', 'Bonus'),
      dataIndex: 'bonus',
      width: 70,
      render: (v: number) => (v ? <Typography.Text type="success">+{pts(v)}</Typography.Text> : '—'),
    },
    {
      title: t('扣分', 'Deductions'),
      width: 90,
      render: (_, r) => {
        const d = r.deduction + r.accountability;
        return d ? (
          <Tooltip
            title={t(
              `扣分项 ${pts(r.deduction)}，问责扣分 ${pts(r.accountability)}`,
              `Deductions ${pts(r.deduction)}, accountability ${pts(r.accountability)}`,
            )}
          >
            <Typography.Text type="danger">−{pts(d)}</Typography.Text>
          </Tooltip>
        ) : (
          '—'
        );
      },
    },
    {
      title: t('等次', 'Grade'),
      dataIndex: 'grade',
      width: 150,
      render: (_: string | null, r) => (
        <Space size={4}>
          <GradeOrIncomplete row={r} grades={data.grades.length} />
          {r.veto && (
            <Tooltip
              title={
                r.veto === 'zero_score'
                  ? t('一票否决：总分计为 0', 'Vetoed: zero')
                  : t('一票否决：等次受限', 'Vetoed: grade capped')
              }
            >
              <Tag color="red">{t('否决', 'Veto')}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('上年同期', 'Last year'),
      width: 100,
      render: (_, r) =>
        r.lastYearTotal === null ? '—' : `${pts(r.lastYearTotal)}${r.lastYearRank ? `（${r.lastYearRank}）` : ''}`,
    },
    {
      title: t('同比', 'Change'),
      dataIndex: 'change',
      width: 90,
      sorter: (a, b) => (a.change ?? -Infinity) - (b.change ?? -Infinity),
      render: (v: number | null) =>
        v === null ? (
          '—'
        ) : v > 0.005 ? (
          <Typography.Text type="success">
            <ArrowUpOutlined /> {signed(v)}
          </Typography.Text>
        ) : v < -0.005 ? (
          <Typography.Text type="danger">
            <ArrowDownOutlined /> {signed(v)}
          </Typography.Text>
        ) : (
          '0.00'
        ),
    },
    {
      title: t('缺数据', 'Missing'),
      dataIndex: 'missing',
      width: 80,
      render: (v: number) =>
        v ? (
          <Tooltip title={t('适用但本期没有得分的末级指标数', 'Applicable leaves without a score')}>
            <Tag color="orange">{v}</Tag>
          </Tooltip>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Table<TScoreRow>
      rowKey="unitId"
      size="small"
      dataSource={sorted}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="score-table"
      rowClassName={(r) => (r.unitId === me?.unitId ? 'ant-table-row-selected' : '')}
      onRow={(r) => ({ 'data-testid': `score-row-${r.unitCode}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}
