import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { TStats } from '@server/modules/assistance/assistance.schema';
import { EChart, type EChartOption } from '../../components/EChart';
import { t } from '../../lib/i18n';
import { THIS_YEAR, money } from '../mediation/mediationData';
import { KINDS, useAstStats } from './assistanceData';

type UnitRow = TStats['byUnit'][number];

/** 求助统计: requests by kind, by referred unit (on time, overdue, satisfaction), by month. */
export function AssistanceStatsPage() {
  const [year, setYear] = useState(THIS_YEAR);
  const q = useAstStats(year);
  const s = q.data;
  const kindChart = useMemo<EChartOption | null>(
    () =>
      !s
        ? null
        : {
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 120, right: 20, top: 36, bottom: 24 },
            yAxis: { type: 'category', data: s.byKind.map((x) => KINDS[x.kind]()) },
            xAxis: { type: 'value' },
            series: [
              { name: t('按时答复', 'On time'), type: 'bar', stack: 'a', data: s.byKind.map((x) => x.onTime) },
              { name: t('逾期或超期', 'Late'), type: 'bar', stack: 'a', data: s.byKind.map((x) => x.due - x.onTime) },
              {
                name: t('未到期', 'Not yet due'),
                type: 'bar',
                stack: 'a',
                data: s.byKind.map((x) => x.requests - x.due),
              },
            ],
          },
    [s],
  );
  const monthChart = useMemo<EChartOption | null>(
    () =>
      !s
        ? null
        : {
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 40, right: 40, top: 36, bottom: 24 },
            xAxis: { type: 'category', data: s.byMonth.map((m) => `${Number(m.month.slice(5))}月`) },
            yAxis: [
              { type: 'value', name: t('件', 'requests') },
              { type: 'value', name: '%', max: 100 },
            ],
            series: [
              { name: t('求助', 'Requests'), type: 'bar', data: s.byMonth.map((m) => m.requests) },
              {
                name: t('按时答复率', 'On-time %'),
                type: 'line',
                yAxisIndex: 1,
                data: s.byMonth.map((m) => m.onTimeRate),
              },
              {
                name: t('满意率', 'Satisfaction %'),
                type: 'line',
                yAxisIndex: 1,
                data: s.byMonth.map((m) => m.satisfactionRate),
              },
            ],
          },
    [s],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('求助统计', 'Assistance figures')}
        </Typography.Title>
        <Space className="no-print">
          <Select
            style={{ width: 100 }}
            value={year}
            onChange={setYear}
            options={[THIS_YEAR, THIS_YEAR - 1].map((y) => ({ value: y, label: `${y}年` }))}
          />
          <Button icon={<DownloadOutlined />} href={`/api/assistance/stats.xlsx?year=${year}`}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      {q.isLoading ? (
        <Spin />
      ) : !s || !s.total.requests ? (
        <Empty description={t('本年度尚无求助', 'No requests this year')} />
      ) : (
        <>
          <Row gutter={[12, 12]} data-testid="ast-stats">
            {[
              [t('求助登记', 'Requests'), s.total.requests, ''],
              [t('转办', 'Referred'), s.total.referred, ''],
              [t('按时答复率', 'On-time rate'), s.total.onTimeRate ?? '—', '%'],
              [t('超期未答复', 'Overdue, open'), s.total.overdueOpen, ''],
              [t('回访满意率', 'Satisfaction'), s.total.satisfactionRate ?? '—', '%'],
              [t('追回金额', 'Recovered'), money(s.total.amountRecovered), t('元', '¥')],
            ].map(([title, value, suffix]) => (
              <Col key={String(title)} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Statistic title={title} value={value} suffix={suffix} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={12}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('按求助类别', 'By kind')}>
                {kindChart && <EChart option={kindChart} height={280} testId="ast-kind-chart" />}
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('按月', 'By month')}>
                {monthChart && <EChart option={monthChart} height={280} />}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('按承办单位', 'By responsible unit')}>
            <Table<UnitRow>
              rowKey="unitId"
              size="small"
              pagination={false}
              dataSource={s.byUnit}
              columns={[
                { title: t('承办单位', 'Unit'), dataIndex: 'unitName' },
                { title: t('转办', 'Referred'), dataIndex: 'requests', align: 'right' },
                { title: t('已答复', 'Answered'), dataIndex: 'answered', align: 'right' },
                { title: t('按时答复', 'On time'), dataIndex: 'onTime', align: 'right' },
                {
                  title: t('按时率(%)', 'On-time %'),
                  dataIndex: 'onTimeRate',
                  align: 'right',
                  render: (v: number | null) => v ?? '—',
                },
                { title: t('超期未答复', 'Overdue'), dataIndex: 'overdueOpen', align: 'right' },
                {
                  title: t('满意率(%)', 'Satisfaction %'),
                  dataIndex: 'satisfactionRate',
                  align: 'right',
                  render: (v: number | null) => v ?? '—',
                },
                { title: t('追回(元)', 'Recovered'), align: 'right', render: (_, r) => money(r.amountRecovered) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
