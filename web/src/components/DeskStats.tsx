import { Card, Col, Empty, Row, Space, Spin, Statistic, Table, type TableColumnsType } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { money } from '../lib/format';
import { t } from '../lib/i18n';
import { EChart, type EChartOption } from './EChart';
import { THIS_YEAR, YearSelect } from './ListFilters';
import { PageHeader } from './PageHeader';
import { ExportButton, PrintButton } from './TableTools';

/** A headline figure: title, value, suffix (%, 元). */
export type Figure = [title: string, value: number | string, suffix?: string];
/** A chart card: its title, the option, its width in 24ths on a wide screen. */
export type StatsChart = { title: string; option: EChartOption; span: number; testId?: string };

/**
 * A desk's year figures (求助统计, 调解统计): the year picker, export and print, six headline figures, the
 * charts side by side, and the table by unit (`byUnit`). `charts` should be a module-level function (it is memoised on it).
 */
export function DeskStatsPage<S extends { byUnit: U[] }, U extends { unitId: number }>(props: {
  title: string;
  useStats: (year: number) => { isLoading: boolean; data?: S };
  /** The export route; the year is added. */
  exportPath: string;
  testId: string;
  isEmpty: (s: S) => boolean;
  emptyText: string;
  figures: (s: S) => Figure[];
  charts: (s: S) => StatsChart[];
  /** The table of `byUnit`. */
  units: { title: string; columns: TableColumnsType<U> };
}) {
  const { useStats, charts: chartsOf } = props;
  const [year, setYear] = useState(THIS_YEAR);
  const q = useStats(year);
  const s = q.data;
  const charts = useMemo(() => (s ? chartsOf(s) : []), [s, chartsOf]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <PageHeader title={props.title}>
        <YearSelect value={year} onChange={setYear} />
        <ExportButton path={props.exportPath} query={{ year }} testId={`${props.testId}-export`} />
        <PrintButton testId={`${props.testId}-print`} />
      </PageHeader>
      {q.isLoading ? (
        <Spin />
      ) : !s || props.isEmpty(s) ? (
        <Empty description={props.emptyText} />
      ) : (
        <>
          <Row gutter={[12, 12]} data-testid={props.testId}>
            {props.figures(s).map(([title, value, suffix]) => (
              <Col key={title} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Statistic title={title} value={value} suffix={suffix ?? ''} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={12}>
            {charts.map((c) => (
              <Col key={c.title} xs={24} xl={c.span}>
                <Card size="small" title={c.title}>
                  <EChart option={c.option} height={280} testId={c.testId} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={props.units.title}>
            <Table<U>
              rowKey="unitId"
              size="small"
              pagination={false}
              dataSource={s.byUnit}
              columns={props.units.columns}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

/** A right-aligned count column. */
export const countColumn = <U,>(title: string, dataIndex: keyof U & string) => ({
  title,
  dataIndex,
  align: 'right' as const,
});

/** The amount recovered (追回), in yuan. */
export const recoveredColumn = <U extends { amountRecovered: number }>() => ({
  title: t('追回(元)', 'Recovered'),
  align: 'right' as const,
  render: (_: unknown, r: U): ReactNode => money(r.amountRecovered),
});

/** A right-aligned rate column (%), — where there is no rate. */
export const rateColumn = <U,>(title: string, dataIndex: keyof U & string) => ({
  ...countColumn<U>(title, dataIndex),
  render: (v: number | null): ReactNode => v ?? '—',
});

type Series<M> = [name: string, value: (m: M) => number | null];

/** The months on the x axis: counts as bars, rates (%) as lines on a second axis. */
export function monthChart<M extends { month: string }>(
  months: readonly M[],
  o: { unit: string; bars: Series<M>[]; lines: Series<M>[] },
): EChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 36, bottom: 24 },
    xAxis: { type: 'category', data: months.map((m) => `${Number(m.month.slice(5))}月`) },
    yAxis: [
      { type: 'value', name: o.unit },
      { type: 'value', name: '%', max: 100 },
    ],
    series: [
      ...o.bars.map(([name, value]) => ({ name, type: 'bar', data: months.map(value) })),
      ...o.lines.map(([name, value]) => ({ name, type: 'line', yAxisIndex: 1, data: months.map(value) })),
    ],
  };
}

/** Categories (kinds, types) on the y axis, each a stacked bar of its parts. */
export function stackedBars<C>(
  rows: readonly C[],
  o: { label: (c: C) => string; left: number; parts: Series<C>[] },
): EChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: o.left, right: 20, top: 36, bottom: 24 },
    yAxis: { type: 'category', data: rows.map(o.label) },
    xAxis: { type: 'value' },
    series: o.parts.map(([name, value]) => ({ name, type: 'bar', stack: 'a', data: rows.map(value) })),
  };
}
