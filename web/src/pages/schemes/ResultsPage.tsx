import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Radio, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { EChart } from '../../components/EChart';
import { ExportButton } from '../../components/TableTools';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { SCHEMES_KEY, schemesApi, useSpecialSchemes } from './api';
import type { TScoreRow } from '@server/modules/scoring/scoring.schema';

const GRADE_COLORS = ['green', 'blue', 'gold', 'red', 'magenta', 'purple'];

/** The periods a special scheme publishes: its half-years (or quarters) and the year. */
function periodsOf(year: number, periods: string): { value: string; label: string }[] {
  const parts =
    periods === 'quarter'
      ? [1, 2, 3, 4].map((n) => ({ value: `${year}-Q${n}`, label: t(`第${n}季度`, `Q${n}`) }))
      : [
          { value: `${year}-H1`, label: t('上半年', 'First half') },
          { value: `${year}-H2`, label: t('下半年', 'Second half') },
        ];
  return [...parts, { value: String(year), label: t('全年', 'Year') }];
}

/**
 * 专项考核结果: a special scheme's results by grade (效能等级) for a half-year, quarter or the year —
 * published (what was announced) or live — with the grade table and the distribution.
 */
export function ResultsPage() {
  const [params, setParams] = useSearchParams();
  const schemes = useSpecialSchemes();
  const scheme = schemes.data.find((s) => s.id === Number(params.get('scheme'))) ?? schemes.data[0] ?? null;
  const options = scheme ? periodsOf(scheme.year, scheme.periods) : [];
  const period = options.some((o) => o.value === params.get('period')) ? params.get('period')! : options[0]?.value;
  const published = params.get('live') !== '1';
  const set = (patch: Record<string, string>) =>
    setParams({ ...Object.fromEntries(params), ...patch }, { replace: true });
  const table = useQuery({
    queryKey: [...SCHEMES_KEY, 'results', scheme?.id, period, published],
    queryFn: () => schemesApi.scores(scheme!.id, period!, published),
    enabled: !!scheme && !!period,
    retry: false,
  });

  if (!schemes.isLoading && !scheme) return <Empty description={t('还没有专项考核', 'No special scheme yet')} />;
  const data = table.data;
  const grades = scheme?.gradeRule.grades ?? [];
  const count = (label: string) => data?.rows.filter((r) => r.grade === label).length ?? 0;
  const rows = [...(data?.rows ?? [])].sort((a, b) => b.total - a.total || a.unitName.localeCompare(b.unitName, 'zh'));

  return (
    <Card
      title={t('专项考核结果（效能等级）', 'Special assessment results (grades)')}
      extra={
        <Space wrap className="no-print">
          <Select
            style={{ width: 300 }}
            value={scheme?.id}
            onChange={(v) => set({ scheme: String(v) })}
            options={schemes.data.map((s) => ({ value: s.id, label: s.name }))}
            data-testid="results-scheme"
          />
          <Radio.Group
            value={period}
            onChange={(e) => set({ period: String(e.target.value) })}
            options={options}
            optionType="button"
            data-testid="results-period"
          />
          <Radio.Group
            value={published ? 'pub' : 'live'}
            onChange={(e) => set({ live: e.target.value === 'live' ? '1' : '0' })}
            options={[
              { value: 'pub', label: t('已发布', 'Published') },
              { value: 'live', label: t('实时', 'Live') },
            ]}
          />
          {scheme && period && (
            <ExportButton
              path={schemesApi.resultsExportUrl(scheme.id)}
              query={{ period, published }}
              disabled={!table.data}
              testId="results-export"
            />
          )}
          <PrinterOutlined onClick={() => window.print()} title={t('打印', 'Print')} style={{ fontSize: 18 }} />
        </Space>
      }
    >
      {scheme && (
        <Typography.Paragraph type="secondary">
          {scheme.methods}
          {scheme.methods ? '；' : ''}
          {t('等次：', 'Grades: ')}
          {grades.map((g) => `${g.label} ≥ ${g.threshold}`).join('，')}
        </Typography.Paragraph>
      )}
      {table.error && (
        <Alert
          type={published ? 'info' : 'error'}
          showIcon
          title={errorText(table.error)}
          description={
            published ? t('可切换到“实时”查看当前得分。', 'Switch to live to see current scores.') : undefined
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {data && (
        <>
          {data.published && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              title={t(
                `${data.window.label}结果已于 ${data.published.publishedAt.slice(0, 10)} 发布（${data.published.publishedByName}）`,
                `${data.window.label} published on ${data.published.publishedAt.slice(0, 10)}`,
              )}
              data-testid="results-published"
            />
          )}
          <Row gutter={12} style={{ marginBottom: 12 }}>
            {grades.map((g, i) => (
              <Col key={g.label} xs={12} md={6}>
                <Card size="small">
                  <Statistic
                    title={t(`${g.label} 级（≥ ${g.threshold}）`, `${g.label} (≥ ${g.threshold})`)}
                    value={count(g.label)}
                    suffix={t('个单位', 'units')}
                    valueStyle={{ color: ['#389e0d', '#1677ff', '#d48806', '#cf1322'][i] }}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <EChart
            height={200}
            testId="results-chart"
            option={{
              tooltip: {},
              grid: { left: 40, right: 16, top: 16, bottom: 24 },
              xAxis: { type: 'category', data: grades.map((g) => g.label) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [{ type: 'bar', data: grades.map((g) => count(g.label)), barWidth: 36 }],
            }}
          />
          <Table<TScoreRow>
            rowKey="unitId"
            size="small"
            dataSource={rows}
            pagination={false}
            data-testid="results-table"
            columns={[
              { title: t('名次', 'Rank'), width: 60, render: (_, _r, i) => i + 1 },
              { title: t('单位', 'Unit'), dataIndex: 'unitName' },
              {
                title: t('序列', 'Group'),
                dataIndex: 'categoryName',
                filters: data.categories.map((c) => ({ text: c.name, value: c.name })),
                onFilter: (v, r) => r.categoryName === v,
              },
              ...data.topIndicators.map((n, k) => ({
                title: `${n.name}（${n.points}）`,
                key: `n${n.indicatorId}`,
                render: (_: unknown, r: TScoreRow) => {
                  const s = r.nodes[k]?.score;
                  return s === null || s === undefined ? '—' : s.toFixed(2);
                },
              })),
              {
                title: t('总分', 'Total'),
                dataIndex: 'total',
                sorter: (a, b) => a.total - b.total,
                render: (v: number) => <b>{v.toFixed(2)}</b>,
              },
              {
                title: t('效能等级', 'Grade'),
                dataIndex: 'grade',
                filters: grades.map((g) => ({ text: g.label, value: g.label })),
                onFilter: (v, r) => r.grade === v,
                render: (g: string | null) =>
                  g ? <Tag color={GRADE_COLORS[grades.findIndex((x) => x.label === g)] ?? 'default'}>{g}</Tag> : '—',
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
