import { useMemo, useState, type ReactNode } from 'react';
import type { CampaignKind } from '@server/modules/evaluation/evaluation.schema';
import { useNavigate } from 'react-router';
import { t } from '../../lib/i18n';
import { KINDS } from '../evaluation/evaluationData';
import { LEVEL_LABEL, type RatingLevel } from '../ratings/api';
import type { Drill, StreetGeo, TCockpit } from './api';
import { CockpitChart, registerStreetMap, type CockpitChartOption } from './CockpitChart';

export type Instruct = (v: {
  targetKind: 'case' | 'indicator' | 'free';
  targetRef?: string;
  unitId?: number;
  title: string;
}) => void;
export type PanelProps = { data: TCockpit; onDrill(d: Drill): void; onInstruct: Instruct };

const AXIS = {
  axisLine: { lineStyle: { color: '#2d5a9a' } },
  axisLabel: { color: '#7fa3cc' },
  splitLine: { lineStyle: { color: 'rgba(64,158,255,0.12)' } },
};
const PALETTE = ['#36d1ff', '#ffc53d', '#36cf7a', '#ff7a45', '#b37feb', '#5cdbd3'];
const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}`);

export function Panel({
  title,
  extra,
  children,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="ck-panel" data-testid={testId}>
      <div className="ck-panel-head">
        <span className="ck-panel-title">{title}</span>
        {extra}
      </div>
      <div className="ck-panel-body">{children}</div>
    </section>
  );
}

function Move({ n }: { n: number | null }) {
  if (n === null) return <span className="ck-flat">—</span>;
  if (n > 0) return <span className="ck-up">▲{n}</span>;
  if (n < 0) return <span className="ck-down">▼{-n}</span>;
  return <span className="ck-flat">–</span>;
}

/** The numbers across the top; each opens the list behind it. */
export function KpiStrip({ data, onDrill }: Omit<PanelProps, 'onInstruct'>) {
  const c = data.cases;
  const kpis: { key: string; label: string; value: ReactNode; tone: string; drill: Drill }[] = [
    {
      key: 'red',
      label: t('红灯', 'Red lights'),
      value: data.lights.red,
      tone: 'red',
      drill: { kind: 'lights', title: t('红灯指标', 'Red lights'), q: { light: 'red' } },
    },
    {
      key: 'yellow',
      label: t('黄灯', 'Yellow lights'),
      value: data.lights.yellow,
      tone: 'gold',
      drill: { kind: 'lights', title: t('黄灯指标', 'Yellow lights'), q: { light: 'yellow' } },
    },
    {
      key: 'reports',
      label: t('逾期未报', 'Overdue reports'),
      value: data.reports.overdue,
      tone: 'gold',
      drill: { kind: 'reports', title: t('逾期未报的月度数据', 'Overdue monthly reports'), q: {} },
    },
    {
      key: 'tasks',
      label: t('督办逾期', 'Overdue tasks'),
      value: data.supervision.byStatus.overdue,
      tone: 'red',
      drill: { kind: 'tasks', title: t('逾期督办事项', 'Overdue supervision tasks'), q: { status: 'overdue' } },
    },
    {
      key: 'received',
      label: t('热线受理', 'Hotline cases'),
      value: c.received,
      tone: 'cyan',
      drill: { kind: 'cases', title: t('本年受理的诉求', 'Cases received this year'), q: { kind: 'received' } },
    },
    {
      key: 'ontime',
      label: t('按时办结率', 'On-time rate'),
      value: (
        <>
          {pct(c.onTimeRate)}
          <small>%</small>
        </>
      ),
      tone: 'green',
      drill: { kind: 'cases', title: t('超期未办结的诉求', 'Open cases past their deadline'), q: { kind: 'overdue' } },
    },
    {
      key: 'satisfaction',
      label: t('满意率', 'Satisfaction'),
      value: (
        <>
          {pct(c.satisfactionRate)}
          <small>%</small>
        </>
      ),
      tone: 'green',
      drill: { kind: 'cases', title: t('本年受理的诉求', 'Cases received this year'), q: { kind: 'received' } },
    },
    {
      key: 'overdue',
      label: t('超期 / 督办中', 'Overdue / escalated'),
      value: (
        <>
          {c.overdueOpen}
          <small>/ {c.escalatedOpen}</small>
        </>
      ),
      tone: 'red',
      drill: { kind: 'cases', title: t('超期未办结的诉求', 'Open cases past their deadline'), q: { kind: 'overdue' } },
    },
  ];
  return (
    <div className="ck-kpis">
      {kpis.map((k) => (
        <button
          key={k.key}
          type="button"
          className={`ck-kpi ${k.tone}`}
          data-testid={`ck-kpi-${k.key}`}
          onClick={() => onDrill(k.drill)}
        >
          <div className="ck-kpi-label">{k.label}</div>
          <div className="ck-kpi-value">{k.value}</div>
        </button>
      ))}
    </div>
  );
}

/** Rankings per category with movement since last month and last year. */
export function RankingPanel({ data, onInstruct, limit }: Omit<PanelProps, 'onDrill'> & { limit?: number }) {
  const r = data.rankings;
  const navigate = useNavigate();
  const [cat, setCat] = useState<number | null | 'all'>('all');
  const rows = (
    cat === 'all'
      ? [...r.rows].sort((a, b) => b.total - a.total)
      : r.rows.filter((x) => x.categoryId === cat).sort((a, b) => a.rank - b.rank)
  ).slice(0, limit ?? 500);
  return (
    <Panel
      testId="ck-rankings"
      title={
        <>
          {t('绩效排名', 'Rankings')}{' '}
          <span className="ck-flat" style={{ fontWeight: 400 }}>
            {r.window}
          </span>
        </>
      }
    >
      <div className="ck-tabs" style={{ marginBottom: 2 }}>
        <button type="button" className={`ck-tab ${cat === 'all' ? 'on' : ''}`} onClick={() => setCat('all')}>
          {t('全部', 'All')}
        </button>
        {r.categories.map((c) => (
          <button
            key={String(c.id)}
            type="button"
            className={`ck-tab ${cat === c.id ? 'on' : ''}`}
            onClick={() => setCat(c.id)}
            title={c.name}
          >
            {c.name.replace(/^面向/, '').slice(0, 4)}
          </button>
        ))}
      </div>
      {r.problem ? (
        <div className="ck-empty">{r.problem}</div>
      ) : !rows.length ? (
        <div className="ck-empty">{t('暂无得分数据', 'No scores yet')}</div>
      ) : (
        <table className="ck-table">
          <thead>
            <tr>
              <th>{t('类别名次', 'Rank')}</th>
              <th>{t('单位', 'Unit')}</th>
              <th style={{ textAlign: 'right' }}>{t('得分', 'Score')}</th>
              <th title={t('类别名次较上月累计', 'Rank change since last month')}>{t('月', 'Mo')}</th>
              <th title={t('类别名次较上年同期', 'Rank change since last year')}>{t('年', 'Yr')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr
                key={x.unitId}
                className="click"
                data-testid={`ck-rank-${x.unitCode}`}
                onClick={() => navigate(`/performance/scores/unit/${x.unitId}`)}
              >
                <td>
                  <span className={`ck-rank ${x.rank <= 3 ? 'top' : ''}`}>{x.rank}</span>
                  <span className="ck-flat">/{x.of}</span>
                </td>
                <td>
                  <span className="ck-name" title={x.unitName}>
                    {x.unitName}
                  </span>
                  {x.missing > 0 && (
                    <span className="ck-flat" title={t(`缺 ${x.missing} 项数据`, `${x.missing} values missing`)}>
                      {' '}
                      ⚠
                    </span>
                  )}
                </td>
                <td className="num">{x.total.toFixed(2)}</td>
                <td>
                  <Move n={x.moveMonth} />
                </td>
                <td>
                  <Move n={x.moveYear} />
                </td>
                <td>
                  <button
                    type="button"
                    className="ck-link"
                    onClick={(e) => {
                      e.stopPropagation();
                      onInstruct({ targetKind: 'free', unitId: x.unitId, title: `${x.unitName}绩效排名情况` });
                    }}
                  >
                    {t('批', 'Inst.')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** Category averages of the year-to-date score, month by month. */
export function TrendPanel({ data }: { data: TCockpit }) {
  const tr = data.rankings.trend;
  const option = useMemo<CockpitChartOption>(
    () => ({
      color: PALETTE,
      tooltip: { trigger: 'axis' },
      legend: {
        type: 'scroll',
        textStyle: { color: '#9cc3ea', fontSize: 11 },
        pageTextStyle: { color: '#9cc3ea' },
        bottom: 0,
        itemWidth: 12,
        itemHeight: 8,
        itemGap: 6,
      },
      grid: { left: 32, right: 10, top: 8, bottom: 44 },
      xAxis: { type: 'category', data: tr.months.map((m) => `${m}月`), ...AXIS },
      yAxis: { type: 'value', scale: true, ...AXIS },
      series: tr.series.map((s) => ({ name: s.name, type: 'line', smooth: true, symbolSize: 4, data: s.avg })),
    }),
    [tr],
  );
  return (
    <Panel title={t('类别平均得分走势（累计）', 'Category averages, year to date')} testId="ck-trend">
      {tr.months.length ? <CockpitChart option={option} /> : <div className="ck-empty">{t('暂无数据', 'No data')}</div>}
    </Panel>
  );
}

/** Units × level-1 indicators: the worst light of each group's leaves. */
export function LightsPanel({ data, onDrill }: Omit<PanelProps, 'onInstruct'>) {
  const l = data.lights;
  return (
    <Panel
      testId="ck-lights"
      title={t('预警灯 · 单位 × 一级指标', 'Warning lights · units × level-1 indicators')}
      extra={
        <span className="ck-flat">
          <span className="ck-dot red" /> {l.red} <span className="ck-dot yellow" /> {l.yellow}{' '}
          <span className="ck-dot green" /> {l.green}
          {' · '}
          {t(`${l.unitsWithRed} 个单位有红灯`, `${l.unitsWithRed} units with red`)}
        </span>
      }
    >
      {!l.rows.length ? (
        <div className="ck-empty">{t('暂无预警数据', 'No lights yet')}</div>
      ) : (
        <table className="ck-table ck-heat">
          <thead>
            <tr>
              <th>{t('单位', 'Unit')}</th>
              {l.indicators.map((i) => (
                <th key={i.id} title={i.name} style={{ textAlign: 'center' }}>
                  {i.name.slice(0, 4)}
                </th>
              ))}
              <th style={{ textAlign: 'right' }}>{t('红灯', 'Red')}</th>
            </tr>
          </thead>
          <tbody>
            {l.rows.map((r) => (
              <tr key={r.unitId}>
                <td>
                  <span className="ck-name" title={r.unitName}>
                    {r.unitName}
                  </span>
                </td>
                {r.cells.map((c) => (
                  <td
                    key={c.indicatorId}
                    className="cell"
                    data-testid={`ck-light-${r.unitId}-${c.indicatorId}`}
                    title={`${c.leaves} ${t('项指标', 'leaves')}${c.red ? `，${t('红灯', 'red')} ${c.red}` : ''}`}
                    onClick={() =>
                      c.light !== 'none' &&
                      onDrill({
                        kind: 'lights',
                        title: `${r.unitName} · ${l.indicators.find((i) => i.id === c.indicatorId)?.name ?? ''}`,
                        q: { light: c.light, unitId: r.unitId, indicatorId: c.indicatorId },
                      })
                    }
                  >
                    <span className={`ck-dot ${c.light}`} />
                  </td>
                ))}
                <td className="num">
                  {r.red ? (
                    <button
                      type="button"
                      className="ck-link"
                      style={{ color: '#ff4d4f' }}
                      data-testid={`ck-unit-red-${r.unitId}`}
                      onClick={() =>
                        onDrill({
                          kind: 'lights',
                          title: `${r.unitName} · ${t('红灯', 'red lights')}`,
                          q: { light: 'red', unitId: r.unitId },
                        })
                      }
                    >
                      {r.red}
                    </button>
                  ) : (
                    <span className="ck-flat">0</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

const STATUS_ZH: Record<string, string> = {
  proposed: '待立项',
  assigned: '已交办',
  signed: '已签收',
  plan_submitted: '方案待批',
  in_progress: '推进中',
  completion_applied: '申请办结',
  completed: '已办结',
  declined: '不予立项',
  merged: '已合并',
};

/** Supervision tasks by light and status, overdue first. */
export function SupervisionPanel({ data, onDrill }: Omit<PanelProps, 'onInstruct'>) {
  const s = data.supervision;
  const navigate = useNavigate();
  const stat = (label: string, n: number, color: string, drill: Drill, id: string) => (
    <button type="button" className="ck-stat" data-testid={`ck-task-${id}`} onClick={() => onDrill(drill)}>
      <b style={{ color }}>{n}</b>
      {label}
    </button>
  );
  return (
    <Panel
      testId="ck-supervision"
      title={t('督查督办', 'Supervision')}
      extra={<span className="ck-flat">{t(`共 ${s.total} 项`, `${s.total} tasks`)}</span>}
    >
      <div className="ck-stats">
        {stat(
          t('逾期', 'Overdue'),
          s.byStatus.overdue,
          '#ff4d4f',
          { kind: 'tasks', title: t('逾期督办事项', 'Overdue tasks'), q: { status: 'overdue' } },
          'overdue',
        )}
        {stat(
          t('红灯', 'Red'),
          s.byLight.red,
          '#ff4d4f',
          { kind: 'tasks', title: t('红灯督办事项', 'Red tasks'), q: { light: 'red' } },
          'red',
        )}
        {stat(
          t('黄灯', 'Yellow'),
          s.byLight.yellow,
          '#faad14',
          { kind: 'tasks', title: t('黄灯督办事项', 'Yellow tasks'), q: { light: 'yellow' } },
          'yellow',
        )}
        {stat(
          t('推进中', 'Open'),
          s.byStatus.open,
          '#36d1ff',
          { kind: 'tasks', title: t('推进中的督办事项', 'Open tasks'), q: { status: 'open' } },
          'open',
        )}
      </div>
      {!s.top.length ? (
        <div className="ck-empty">{t('没有在办的督办事项', 'No open tasks')}</div>
      ) : (
        <table className="ck-table">
          <tbody>
            {s.top.map((x) => (
              <tr key={x.id} className="click" onClick={() => navigate(`/supervision/ledger?task=${x.id}`)}>
                <td>
                  <span className={`ck-dot ${x.light ?? 'none'}`} />
                </td>
                <td>
                  <span className="ck-name" style={{ maxWidth: 'min(260px, 11vw)' }} title={x.title}>
                    {x.title}
                  </span>
                </td>
                <td>
                  <span className="ck-name" style={{ maxWidth: 'min(120px, 5vw)' }}>
                    {x.leadUnitName ?? '—'}
                  </span>
                </td>
                <td style={{ color: x.overdue ? '#ff4d4f' : undefined }}>
                  {x.overdue ? t('逾期', 'overdue') : (STATUS_ZH[x.status] ?? x.status)}
                </td>
                <td className="num">{x.deadline.slice(5)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** The hotline: monthly volume with on-time and satisfaction rates, and the top categories. */
export function HotlinePanel({ data, onDrill }: Omit<PanelProps, 'onInstruct'>) {
  const c = data.cases;
  const option = useMemo<CockpitChartOption>(
    () => ({
      color: ['#36d1ff', '#36cf7a', '#ffc53d'],
      tooltip: { trigger: 'axis' },
      legend: {
        type: 'scroll',
        textStyle: { color: '#9cc3ea', fontSize: 11 },
        pageTextStyle: { color: '#9cc3ea' },
        bottom: 0,
        itemWidth: 12,
        itemHeight: 8,
        itemGap: 6,
      },
      grid: { left: 34, right: 30, top: 10, bottom: 40 },
      xAxis: { type: 'category', data: c.months.map((m) => `${Number(m.month.slice(5))}月`), ...AXIS },
      yAxis: [
        { type: 'value', ...AXIS },
        { type: 'value', min: 0, max: 100, ...AXIS, splitLine: { show: false } },
      ],
      series: [
        {
          name: t('受理量', 'Received'),
          type: 'bar',
          barWidth: '50%',
          data: c.months.map((m) => m.received),
          itemStyle: { color: 'rgba(54,209,255,0.7)' },
        },
        {
          name: t('按时办结率', 'On time %'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 3,
          data: c.months.map((m) => m.onTimeRate),
        },
        {
          name: t('满意率', 'Satisfied %'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 3,
          data: c.months.map((m) => m.satisfactionRate),
        },
      ],
    }),
    [c],
  );
  const max = Math.max(1, ...c.topCategories.map((x) => x.n));
  return (
    <Panel testId="ck-hotline" title={t('12345 热线 · 受理与办理', 'Hotline · volume and rates')}>
      <div className="ck-split" style={{ gridTemplateColumns: '1.4fr 1fr' }}>
        <div style={{ minHeight: 0 }}>
          <CockpitChart option={option} />
        </div>
        <div>
          <div className="ck-flat" style={{ marginBottom: 2 }}>
            {t('诉求热点类别', 'Top categories')}
          </div>
          {c.topCategories.map((x, i) => (
            <div
              key={x.categoryId}
              className="ck-heatcell"
              style={{ textAlign: 'left', marginBottom: 3 }}
              data-testid={`ck-cat-${x.categoryId}`}
              onClick={() =>
                onDrill({
                  kind: 'cases',
                  title: `${x.name} · ${t('本年诉求', 'cases this year')}`,
                  q: { kind: 'received', categoryId: x.categoryId },
                })
              }
            >
              <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                <span>
                  {i + 1}. {x.name}
                </span>
                <span>{x.n}</span>
              </div>
              <div style={{ height: 4, background: 'rgba(127,163,204,0.15)' }}>
                <div style={{ width: `${(x.n / max) * 100}%`, height: 4, background: PALETTE[i % PALETTE.length] }} />
              </div>
            </div>
          ))}
          {!c.topCategories.length && <div className="ck-empty">{t('本年暂无诉求', 'No cases this year')}</div>}
        </div>
      </div>
    </Panel>
  );
}

/** Where the cases come from: the district's streets on an offline map, or as a heat table by category. */
export function PlacesPanel({ data, geo, onDrill }: Omit<PanelProps, 'onInstruct'> & { geo: StreetGeo | undefined }) {
  const c = data.cases;
  const [view, setView] = useState<'map' | 'table'>('map');
  const option = useMemo<CockpitChartOption | null>(() => {
    if (!geo) return null;
    registerStreetMap('xn-streets', geo);
    // The busiest street would wash out the others: the scale tops out at the second busiest.
    const ns = c.streets.map((s) => s.n).sort((a, b) => b - a);
    const max = Math.max(1, ns[1] ?? ns[0] ?? 1);
    return {
      tooltip: {
        formatter: (p: { name: string; value: number }) =>
          `${p.name}<br/>${t('诉求', 'Cases')} ${Number.isFinite(p.value) ? p.value : 0}`,
      },
      visualMap: {
        min: 0,
        max,
        right: 4,
        bottom: 4,
        itemHeight: 70,
        itemWidth: 10,
        text: [t('多', 'more'), t('少', 'fewer')],
        textStyle: { color: '#9cc3ea' },
        inRange: { color: ['#0d3b78', '#1890ff', '#ffc53d', '#ff4d4f'] },
        calculable: false,
      },
      series: [
        {
          type: 'map',
          map: 'xn-streets',
          nameProperty: 'name',
          roam: false,
          aspectScale: Math.cos((30.58 * Math.PI) / 180),
          layoutSize: '96%',
          label: {
            show: true,
            color: '#eaf6ff',
            fontSize: 11,
            formatter: (p: { name: string }) => p.name.replace('街道', ''),
          },
          itemStyle: { borderColor: '#36d1ff', borderWidth: 1, areaColor: '#0d3b78' },
          emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#36d1ff' } },
          select: { disabled: true },
          data: c.streets.map((s) => ({ name: s.name, value: s.n, code: s.code })),
        },
      ],
    };
  }, [geo, c]);
  const drillStreet = (code: string, name: string, categoryId?: number) =>
    onDrill({
      kind: 'cases',
      title: `${name} · ${t('本年诉求', 'cases this year')}`,
      q: { kind: 'received', street: code, categoryId },
    });
  const maxCell = Math.max(1, ...c.streets.flatMap((s) => s.byCategory));
  return (
    <Panel
      testId="ck-places"
      title={t('诉求热点 · 街道', 'Hot spots by street')}
      extra={
        <div className="ck-tabs">
          <button type="button" className={`ck-tab ${view === 'map' ? 'on' : ''}`} onClick={() => setView('map')}>
            {t('地图', 'Map')}
          </button>
          <button
            type="button"
            className={`ck-tab ${view === 'table' ? 'on' : ''}`}
            data-testid="ck-places-table"
            onClick={() => setView('table')}
          >
            {t('热力表', 'Heat table')}
          </button>
        </div>
      }
    >
      {view === 'map' ? (
        option ? (
          <CockpitChart
            option={option}
            testId="ck-map"
            onClick={(p) => {
              const d = p.data as { code?: string } | undefined;
              if (d?.code) drillStreet(d.code, p.name);
            }}
          />
        ) : (
          <div className="ck-empty">{t('地图加载中…', 'Loading the map…')}</div>
        )
      ) : (
        <table className="ck-table">
          <thead>
            <tr>
              <th>{t('街道', 'Street')}</th>
              <th style={{ textAlign: 'right' }}>{t('合计', 'All')}</th>
              {c.topCategories.map((k) => (
                <th key={k.categoryId} style={{ textAlign: 'center' }} title={k.name}>
                  {k.name.slice(0, 4)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.streets.map((s) => (
              <tr key={s.code}>
                <td>
                  <button type="button" className="ck-link" onClick={() => drillStreet(s.code, s.name)}>
                    {s.name}
                  </button>
                </td>
                <td className="num">{s.n}</td>
                {s.byCategory.map((n, i) => (
                  <td
                    key={i}
                    className="ck-heatcell"
                    style={{
                      background: `rgba(255, ${Math.round(200 - (n / maxCell) * 150)}, 60, ${0.1 + (n / maxCell) * 0.7})`,
                    }}
                    onClick={() => drillStreet(s.code, s.name, c.topCategories[i].categoryId)}
                  >
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {c.unlocated > 0 && view === 'table' && (
        <div className="ck-note">
          {t(
            `另有 ${c.unlocated} 件诉求没有坐标，未计入街道。`,
            `${c.unlocated} cases without coordinates are not placed.`,
          )}
        </div>
      )}
    </Panel>
  );
}

const LEVEL_TONES: Record<RatingLevel, string> = {
  very_satisfied: '#36cf7a',
  satisfied: '#36d1ff',
  basic: '#5b8ff9',
  unsatisfied: '#faad14',
  very_unsatisfied: '#ff4d4f',
};

/**
 * 多元评价 and 好差评: the year's ratings (given, satisfaction, 差评 and their rectifications, the five
 * levels as one bar) and the closed/published campaigns with their lowest units. Every number opens the
 * ratings behind it; a campaign opens its results page. `full`: the presentation's larger layout.
 */
export function EvaluationPanel({ data, onDrill, full }: Omit<PanelProps, 'onInstruct'> & { full?: boolean }) {
  const navigate = useNavigate();
  const { ratings: r, campaigns } = data.evaluation;
  const rated = Math.max(1, r.rated);
  const drill = (title: string, q: Extract<Drill, { kind: 'ratings' }>['q']) => onDrill({ kind: 'ratings', title, q });
  const stat = (id: string, label: string, value: ReactNode, color: string, onClick: () => void) => (
    <button type="button" className="ck-stat" data-testid={`ck-rating-${id}`} onClick={onClick}>
      <b style={{ color }}>{value}</b>
      {label}
    </button>
  );
  const ratingsPart = (
    <div>
      <div className="ck-stats" style={{ gridTemplateColumns: 'repeat(5, 1fr)' }}>
        {stat('rated', t('评价', 'Rated'), r.rated, '#36d1ff', () => drill(t('本年好差评', 'Ratings this year'), {}))}
        {stat(
          'good',
          t('满意率', 'Satisfied'),
          <>
            {pct(r.goodRate)}
            <small style={{ fontSize: 11 }}>%</small>
          </>,
          '#36cf7a',
          () => drill(t('本年好差评', 'Ratings this year'), {}),
        )}
        {stat('bad', t('差评', 'Poor'), r.bad, '#ff4d4f', () =>
          drill(t('本年差评', 'Poor ratings this year'), { level: 'bad' }),
        )}
        {stat('open', t('整改中', 'Rectifying'), r.rectifications.open, '#ffc53d', () =>
          drill(t('整改未销号的差评', 'Poor ratings being rectified'), { rectification: 'open' }),
        )}
        {stat('overdue', t('整改逾期', 'Overdue'), r.rectifications.overdue, '#ff4d4f', () =>
          drill(t('整改逾期的差评', 'Rectifications overdue'), { rectification: 'overdue' }),
        )}
      </div>
      <div className="ck-levels" title={t('五级评价分布', 'The five levels')}>
        {(Object.keys(LEVEL_TONES) as RatingLevel[]).map((l) =>
          r.levels[l] ? (
            <span
              key={l}
              data-testid={`ck-level-${l}`}
              style={{ flexGrow: r.levels[l], background: LEVEL_TONES[l] }}
              title={`${LEVEL_LABEL[l]()} ${r.levels[l]}（${((r.levels[l] / rated) * 100).toFixed(1)}%）`}
              onClick={() => drill(`${t('本年', 'This year: ')}${LEVEL_LABEL[l]()}`, { level: l })}
            />
          ) : null,
        )}
      </div>
      {full && r.topBadUnits.length > 0 && (
        <table className="ck-table" style={{ marginTop: 6 }}>
          <thead>
            <tr>
              <th>{t('差评较多的单位', 'Most poor ratings')}</th>
              <th style={{ textAlign: 'right' }}>{t('差评', 'Poor')}</th>
              <th style={{ textAlign: 'right' }}>{t('评价', 'Rated')}</th>
            </tr>
          </thead>
          <tbody>
            {r.topBadUnits.map((u) => (
              <tr
                key={u.unitId}
                className="click"
                onClick={() =>
                  drill(`${u.unitName} · ${t('差评', 'poor ratings')}`, { level: 'bad', unitId: u.unitId })
                }
              >
                <td>{u.unitName}</td>
                <td className="num" style={{ color: '#ff4d4f' }}>
                  {u.bad}
                </td>
                <td className="num">{u.rated}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
  const campaignsPart = !campaigns.length ? (
    <div className="ck-flat" data-testid="ck-campaigns-none">
      {t('本年尚无已结束的评议活动', 'No campaign results this year yet')}
    </div>
  ) : (
    <table className="ck-table" data-testid="ck-campaigns">
      {full && (
        <thead>
          <tr>
            <th>{t('评议活动', 'Campaign')}</th>
            <th style={{ textAlign: 'right' }}>{t('满意率', 'Satisfied')}</th>
            <th style={{ textAlign: 'right' }}>{t('有效问卷', 'Valid')}</th>
            <th>{t('得分最低', 'Lowest')}</th>
          </tr>
        </thead>
      )}
      <tbody>
        {campaigns.slice(0, full ? 12 : 20).map((c) => {
          const low = c.lowest[0];
          return (
            <tr
              key={c.id}
              className="click"
              data-testid={`ck-campaign-${c.id}`}
              title={`${KINDS[c.kind as CampaignKind]?.() ?? c.kind} · ${c.periodFrom} — ${c.periodTo}${c.status === 'closed' ? t('（已结束，未发布）', ' (closed, not published)') : ''}`}
              onClick={() => navigate(`/evaluation/campaigns/${c.id}/results`)}
            >
              <td>
                <span className="ck-name" style={{ maxWidth: full ? 360 : 'min(150px, 10vw)' }}>
                  {c.status === 'closed' ? '◇ ' : ''}
                  {c.title}
                </span>
              </td>
              <td className="num" title={t('满意率 / 平均分', 'Satisfaction / mean')}>
                {c.satisfactionRate !== null ? `${pct(c.satisfactionRate)}%` : (c.mean?.toFixed(1) ?? '—')}
              </td>
              <td className="num ck-flat" title={t('有效问卷', 'Valid responses')}>
                {c.valid}
              </td>
              <td title={t('得分最低的单位', 'Lowest unit')}>
                {low ? (
                  <span className="ck-name" style={{ maxWidth: full ? 240 : 'min(90px, 6vw)', color: '#ffc53d' }}>
                    ↓{low.unitName} {low.mean?.toFixed(1) ?? ''}
                  </span>
                ) : (
                  <span className="ck-flat">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  return (
    <Panel
      testId="ck-evaluation"
      title={t('多元评价 · 好差评', 'Evaluation · ratings')}
      extra={
        <button
          type="button"
          className="ck-link ck-flat"
          data-testid="ck-rating-done"
          onClick={() => drill(t('整改已销号的差评', 'Rectified poor ratings'), { rectification: 'done' })}
        >
          {t(`已销号 ${r.rectifications.done}`, `${r.rectifications.done} rectified`)}
        </button>
      }
    >
      {full ? (
        <div className="ck-split">
          {ratingsPart}
          <div>{campaignsPart}</div>
        </div>
      ) : (
        <>
          {ratingsPart}
          <div className="ck-eval-campaigns">{campaignsPart}</div>
        </>
      )}
    </Panel>
  );
}
