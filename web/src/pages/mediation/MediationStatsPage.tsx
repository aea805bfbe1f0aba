import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { TStats } from '@server/modules/mediation/mediation.schema';
import { EChart, type EChartOption } from '../../components/EChart';
import { t } from '../../lib/i18n';
import { DISPUTE_TYPES, THIS_YEAR, money, useMedStats } from './mediationData';

type UnitRow = TStats['byUnit'][number];

/** 调解统计: disputes mediated, success rate, joint mediations, people and amounts; by month, type and unit. */
export function MediationStatsPage() {
  const [year, setYear] = useState(THIS_YEAR);
  const q = useMedStats(year);
  const s = q.data;
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
              { type: 'value', name: t('件', 'cases') },
              { type: 'value', name: '%', max: 100 },
            ],
            series: [
              { name: t('受理', 'Received'), type: 'bar', data: s.byMonth.map((m) => m.cases) },
              { name: t('调解成功', 'Agreements'), type: 'bar', data: s.byMonth.map((m) => m.agreed) },
              { name: t('联合调解', 'Joint'), type: 'bar', data: s.byMonth.map((m) => m.joint) },
              {
                name: t('成功率', 'Success rate'),
                type: 'line',
                yAxisIndex: 1,
                data: s.byMonth.map((m) => m.successRate),
              },
            ],
          },
    [s],
  );
  const typeChart = useMemo<EChartOption | null>(
    () =>
      !s
        ? null
        : {
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 90, right: 20, top: 36, bottom: 24 },
            yAxis: { type: 'category', data: s.byType.map((x) => DISPUTE_TYPES[x.disputeType]()) },
            xAxis: { type: 'value' },
            series: [
              { name: t('调解成功', 'Agreements'), type: 'bar', stack: 'a', data: s.byType.map((x) => x.agreed) },
              { name: t('调解不成', 'Failed'), type: 'bar', stack: 'a', data: s.byType.map((x) => x.failed) },
              {
                name: t('转仲裁/诉讼', 'Referred'),
                type: 'bar',
                stack: 'a',
                data: s.byType.map((x) => x.arbitration + x.court),
              },
              { name: t('调解中', 'Open'), type: 'bar', stack: 'a', data: s.byType.map((x) => x.open) },
            ],
          },
    [s],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('调解统计', 'Mediation figures')}
        </Typography.Title>
        <Space className="no-print">
          <Select
            style={{ width: 100 }}
            value={year}
            onChange={setYear}
            options={[THIS_YEAR, THIS_YEAR - 1].map((y) => ({ value: y, label: `${y}年` }))}
          />
          <Button icon={<DownloadOutlined />} href={`/api/mediation/stats.xlsx?year=${year}`}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      {q.isLoading ? (
        <Spin />
      ) : !s || !s.total.cases ? (
        <Empty description={t('本年度尚无调解案件', 'No disputes this year')} />
      ) : (
        <>
          <Row gutter={[12, 12]} data-testid="med-stats">
            {[
              [t('受理纠纷', 'Received'), s.total.cases, ''],
              [t('调解成功', 'Agreements'), s.total.agreed, ''],
              [t('调解成功率', 'Success rate'), s.total.successRate ?? '—', '%'],
              [t('联合调解', 'Joint mediations'), s.total.joint, ''],
              [t('涉及人数', 'People involved'), s.total.people, ''],
              [t('追回/兑现金额', 'Amount recovered'), money(s.total.amountRecovered), t('元', '¥')],
            ].map(([title, value, suffix]) => (
              <Col key={String(title)} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Statistic title={title} value={value} suffix={suffix} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={12}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('按月受理与成功率', 'By month')}>
                {monthChart && <EChart option={monthChart} height={280} testId="med-month-chart" />}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('按纠纷类型', 'By dispute type')}>
                {typeChart && <EChart option={typeChart} height={280} />}
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('按单位（主持或联合）', 'By unit (host or joint)')}>
            <Table<UnitRow>
              rowKey="unitId"
              size="small"
              pagination={false}
              dataSource={s.byUnit}
              columns={[
                { title: t('单位', 'Unit'), dataIndex: 'unitName' },
                { title: t('受理', 'Received'), dataIndex: 'cases', align: 'right' },
                { title: t('结案', 'Concluded'), dataIndex: 'concluded', align: 'right' },
                { title: t('调解成功', 'Agreements'), dataIndex: 'agreed', align: 'right' },
                {
                  title: t('成功率(%)', 'Success %'),
                  dataIndex: 'successRate',
                  align: 'right',
                  render: (v: number | null) => v ?? '—',
                },
                { title: t('联合调解', 'Joint'), dataIndex: 'joint', align: 'right' },
                { title: t('涉及人数', 'People'), dataIndex: 'people', align: 'right' },
                { title: t('追回(元)', 'Recovered'), align: 'right', render: (_, r) => money(r.amountRecovered) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
