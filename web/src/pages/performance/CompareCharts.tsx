import { Card, Col, Empty, Row, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { EChart, type EChartOption } from '../../components/EChart';
import { t } from '../../lib/i18n';
import { pts, signed, type TComparison } from './ScoreData';

type Option = EChartOption;

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** The unit against its category and its own last year: monthly totals, level-1 scores, improvement candidates. */
export function CompareCharts({ data }: { data: TComparison }) {
  const months = data.months;
  const line = useMemo<Option>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: months.map((m) => m.label) },
      yAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 5)) },
      series: [
        {
          name: data.unit.name,
          type: 'line',
          data: months.map((m) => round2(m.total)),
          symbolSize: 7,
          lineStyle: { width: 3 },
        },
        {
          name: t('同类平均', 'Category average'),
          type: 'line',
          data: months.map((m) => round2(m.categoryAvg)),
          lineStyle: { type: 'dashed' },
        },
        {
          name: t('同类最高', 'Category best'),
          type: 'line',
          data: months.map((m) => round2(m.categoryBest)),
          lineStyle: { type: 'dotted' },
        },
        { name: t('上年同期', 'Same month last year'), type: 'line', data: months.map((m) => round2(m.lastYearTotal)) },
      ],
    }),
    [months, data.unit.name],
  );
  const bar = useMemo<Option>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: data.nodes.map((n) => n.name) },
      yAxis: { type: 'value' },
      series: [
        { name: data.unit.name, type: 'bar', data: data.nodes.map((n) => round2(n.score)) },
        { name: t('同类平均', 'Category average'), type: 'bar', data: data.nodes.map((n) => round2(n.categoryAvg)) },
        { name: t('同类最高', 'Category best'), type: 'bar', data: data.nodes.map((n) => round2(n.categoryBest)) },
      ],
    }),
    [data.nodes, data.unit.name],
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card size="small" title={t('月度得分：与同类单位、与上年同期比较', 'Monthly total vs category and last year')}>
          {months.length ? <EChart option={line} height={280} testId="chart-months" /> : <Empty />}
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small" title={t(`一级指标（${data.window.label}）`, `Level-1 scores (${data.window.label})`)}>
          <EChart option={bar} height={280} testId="chart-nodes" />
        </Card>
      </Col>
      <Col span={24}>
        <Card
          size="small"
          title={t(
            `绩效改进奖候选（${data.unit.categoryName}，${data.window.label}与上年同期比较）`,
            `Improvement award candidates (${data.unit.categoryName})`,
          )}
        >
          {data.improvement.length ? (
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={data.improvement}
              rowClassName={(r) => (r.unitId === data.unit.id ? 'ant-table-row-selected' : '')}
              data-testid="improvement-table"
              columns={[
                {
                  title: t('单位', 'Unit'),
                  dataIndex: 'unitName',
                  render: (v: string, r) => (
                    <span>
                      {v} {r.candidate && <Tag color="gold">{t('候选', 'Candidate')}</Tag>}
                    </span>
                  ),
                },
                { title: t('本年得分', 'Total'), dataIndex: 'total', width: 100, render: pts },
                { title: t('上年同期', 'Last year'), dataIndex: 'lastYearTotal', width: 100, render: pts },
                { title: t('得分变化', 'Change'), dataIndex: 'scoreChange', width: 100, render: signed },
                { title: t('名次', 'Rank'), width: 120, render: (_, r) => `${r.lastYearRank} → ${r.rank}` },
                {
                  title: t('名次变化', 'Places'),
                  dataIndex: 'rankChange',
                  width: 100,
                  render: (v: number) =>
                    v > 0 ? (
                      <Typography.Text type="success">↑{v}</Typography.Text>
                    ) : v < 0 ? (
                      <Typography.Text type="danger">↓{-v}</Typography.Text>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          ) : (
            <Typography.Text type="secondary">
              {t('上年没有可比较的得分', 'No comparable scores last year')}
            </Typography.Text>
          )}
        </Card>
      </Col>
    </Row>
  );
}
