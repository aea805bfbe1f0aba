import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Form, Input, Radio, Row, Select, Space, Statistic, Table, Tabs, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { TComplaint, TEvaluationRow, THotlineComplaint } from '@server/modules/services/services.schema';
import { EChart } from '../../components/EChart';
import { FormModal } from '../../components/FormModal';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import {
  servicesApi,
  SVC_KEY,
  useApplications,
  useComplaints,
  useEvaluation,
  useFigures,
  useUnits,
  type ListFilters,
  type TFigure,
} from './api';
import { ANOMALIES, COMPLAINT_KINDS, COMPLAINT_STATUSES, GRADES, LIGHTS } from './servicesData';
import { ApplicationsTable } from './WorkPages';

type Decision = { id: number; decision: 'accept' | 'decline' | 'resolve' };

function Complaints() {
  const [status, setStatus] = useState<string>('pending');
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [hotline, setHotline] = useState(false);
  const list = useComplaints(status);
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Radio.Group
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          optionType="button"
          size="small"
          options={[
            { value: '', label: t('全部', 'All') },
            ...Object.entries(COMPLAINT_STATUSES).map(([k, v]) => ({ value: k, label: v.label() })),
          ]}
        />
        <Button size="small" icon={<PlusOutlined />} onClick={() => setHotline(true)}>
          {t('登记热线投诉', 'Hotline complaint')}
        </Button>
      </Space>
      <Table<TComplaint>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        pagination={false}
        columns={[
          {
            title: t('办件', 'Application'),
            dataIndex: 'number',
            width: 170,
            render: (v: string, r) => <Link to={`/services/applications/${r.applicationId}`}>{v}</Link>,
          },
          { title: t('部门', 'Department'), dataIndex: 'departmentName', width: 150 },
          {
            title: t('类型', 'Kind'),
            dataIndex: 'kind',
            width: 130,
            render: (k: TComplaint['kind']) => COMPLAINT_KINDS[k](),
          },
          { title: t('内容', 'Content'), dataIndex: 'content' },
          {
            title: t('来源', 'Channel'),
            dataIndex: 'channel',
            width: 70,
            render: (c: string) => (c === 'public' ? t('网上', 'Online') : t('热线', 'Hotline')),
          },
          { title: t('投诉时间', 'Filed'), dataIndex: 'filedAt', width: 140, render: (v: string) => fmtTime(v) },
          { title: t('受理期限', 'Decide by'), dataIndex: 'decideBy', width: 100 },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 110,
            render: (s: TComplaint['status']) => (
              <Tag color={COMPLAINT_STATUSES[s].color}>{COMPLAINT_STATUSES[s].label()}</Tag>
            ),
          },
          {
            title: '',
            width: 170,
            render: (_, r) => (
              <Space size={4}>
                {r.status === 'pending' && (
                  <>
                    <Button size="small" onClick={() => setDeciding({ id: r.id, decision: 'accept' })}>
                      {t('受理', 'Accept')}
                    </Button>
                    <Button size="small" onClick={() => setDeciding({ id: r.id, decision: 'decline' })}>
                      {t('不予受理', 'Decline')}
                    </Button>
                  </>
                )}
                {r.status === 'accepted' && (
                  <Button size="small" onClick={() => setDeciding({ id: r.id, decision: 'resolve' })}>
                    {t('办结', 'Resolve')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {hotline && (
        <FormModal<THotlineComplaint>
          title={t('登记热线投诉', 'Hotline complaint')}
          onClose={() => setHotline(false)}
          submit={(v) => servicesApi.hotlineComplaint(v)}
          invalidate={[SVC_KEY]}
          success={t('已保存', 'Saved')}
        >
          <Form.Item name="number" label={t('办件编号', 'Number')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true }]}>
            <Select options={Object.entries(COMPLAINT_KINDS).map(([k, l]) => ({ value: k, label: l() }))} />
          </Form.Item>
          <Form.Item name="content" label={t('内容', 'Content')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
      {deciding && (
        <FormModal<{ note: string }>
          title={t('处理意见', 'Decision')}
          onClose={() => setDeciding(null)}
          submit={(v) => servicesApi.decideComplaint(deciding.id, { decision: deciding.decision, note: v.note })}
          invalidate={[SVC_KEY]}
          success={t('已保存', 'Saved')}
        >
          <Form.Item name="note" label={t('意见', 'Note')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}

/** 电子监察: every open application's light, filters, anomalies; complaints. */
export function MonitorPage() {
  const [filters, setFilters] = useState<ListFilters>({ page: 1, pageSize: 20 });
  const list = useApplications(filters, true);
  const units = useUnits();
  const c = list.data?.counts;
  const set = (p: Partial<ListFilters>) => setFilters({ ...filters, ...p, page: 1 });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Row gutter={12}>
        {(['red', 'yellow', 'green'] as const).map((l) => (
          <Col span={6} key={l}>
            <Card
              size="small"
              hoverable
              onClick={() => set({ light: filters.light === l ? undefined : l })}
              style={{ borderColor: filters.light === l ? LIGHTS[l].color : undefined }}
              data-testid={`monitor-count-${l}`}
            >
              <Statistic
                title={LIGHTS[l].label()}
                value={c?.[l] ?? 0}
                styles={{ content: { color: LIGHTS[l].color } }}
              />
            </Card>
          </Col>
        ))}
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('补正暂停计时', 'Clock stopped (materials)')} value={c?.paused ?? 0} />
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'open',
              label: t('在办件实时监察', 'Open applications'),
              children: (
                <>
                  <Space wrap style={{ marginBottom: 8 }}>
                    <Select
                      allowClear
                      placeholder={t('灯色', 'Light')}
                      style={{ width: 160 }}
                      value={filters.light}
                      onChange={(v) => set({ light: v })}
                      options={(['red', 'yellow', 'green'] as const).map((l) => ({
                        value: l,
                        label: LIGHTS[l].label(),
                      }))}
                      data-testid="monitor-light"
                    />
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      placeholder={t('部门', 'Department')}
                      style={{ width: 200 }}
                      value={filters.departmentId}
                      onChange={(v) => set({ departmentId: v })}
                      options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                    />
                    <Select
                      allowClear
                      placeholder={t('异常', 'Anomaly')}
                      style={{ width: 200 }}
                      value={filters.anomaly}
                      onChange={(v) => set({ anomaly: v })}
                      options={['refusal_no_reason', 'out_of_order'].map((a) => ({ value: a, label: ANOMALIES[a]() }))}
                    />
                    <Input.Search
                      placeholder={t('办件编号', 'Number')}
                      allowClear
                      onSearch={(v) => set({ q: v || undefined })}
                      style={{ width: 200 }}
                    />
                  </Space>
                  <ApplicationsTable
                    data={list.data}
                    loading={list.isLoading}
                    filters={filters}
                    setFilters={setFilters}
                  />
                </>
              ),
            },
            { key: 'complaints', label: t('投诉处理', 'Complaints'), children: <Complaints /> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** 办件统计: per department and month, with a chart, the Excel export and the quarterly 电子监察 evaluation. */
export function FiguresPage() {
  const now = new Date();
  const [year, setYear] = useState(now.getFullYear());
  const [month, setMonth] = useState<number | undefined>(now.getMonth() + 1);
  const [quarter, setQuarter] = useState(Math.max(1, Math.ceil((now.getMonth() + 1) / 3) - 1) || 1);
  const figures = useFigures(year, month);
  const evaluation = useEvaluation(year, quarter);
  const top = useMemo(
    () =>
      [...(figures.data ?? [])]
        .filter((f) => f.completed)
        .sort((a, b) => b.applications - a.applications)
        .slice(0, 20),
    [figures.data],
  );
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('办结', 'Completed'), t('按时办结率%', 'On-time %'), t('提前办结率%', 'Early %')] },
      grid: { left: 40, right: 40, bottom: 90, top: 40 },
      xAxis: {
        type: 'category',
        data: top.map((f) => f.departmentName.replace(/^区/, '')),
        axisLabel: { rotate: 40, fontSize: 11 },
      },
      yAxis: [
        { type: 'value', name: t('件', 'n') },
        { type: 'value', max: 100, name: '%' },
      ],
      series: [
        { name: t('办结', 'Completed'), type: 'bar', data: top.map((f) => f.completed) },
        { name: t('按时办结率%', 'On-time %'), type: 'line', yAxisIndex: 1, data: top.map((f) => f.onTimeRate) },
        { name: t('提前办结率%', 'Early %'), type: 'line', yAxisIndex: 1, data: top.map((f) => f.earlyRate) },
      ],
    }),
    [top],
  );
  const cols = [
    { title: t('部门', 'Department'), dataIndex: 'departmentName', width: 170 },
    { title: t('申请', 'Filed'), dataIndex: 'applications', width: 70 },
    { title: t('办结', 'Completed'), dataIndex: 'completed', width: 70 },
    {
      title: t('提前办结率', 'Early %'),
      dataIndex: 'earlyRate',
      width: 90,
      render: (v: number | null) => (v === null ? '—' : `${v}%`),
    },
    {
      title: t('按时办结率', 'On-time %'),
      dataIndex: 'onTimeRate',
      width: 90,
      render: (v: number | null) => (v === null ? '—' : `${v}%`),
    },
    { title: t('超时', 'Overdue'), dataIndex: 'overdue', width: 60 },
    { title: t('不予', 'Refused'), dataIndex: 'refused', width: 60 },
    {
      title: t('平均用时/承诺', 'Avg used / committed'),
      width: 120,
      render: (_: unknown, r: TFigure) => (r.avgDaysUsed === null ? '—' : `${r.avgDaysUsed} / ${r.avgDaysCommitted}`),
    },
    { title: t('补正', 'Corrections'), dataIndex: 'corrections', width: 60 },
    { title: t('投诉', 'Complaints'), dataIndex: 'complaints', width: 60 },
    {
      title: t('好评率', 'Satisfied %'),
      dataIndex: 'satisfaction',
      width: 90,
      render: (v: number | null, r: TFigure) =>
        v === null ? '—' : <span title={`${r.rated} ${t('条评价', 'ratings')}`}>{`${v}%`}</span>,
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('政务服务办件统计', 'Service figures')}
        extra={
          <Space wrap>
            <Select
              value={year}
              onChange={setYear}
              options={[year - 1, year, year + 1].map((y) => ({ value: y, label: `${y}` }))}
              style={{ width: 90 }}
            />
            <Select
              value={month ?? 0}
              onChange={(v) => setMonth(v || undefined)}
              style={{ width: 100 }}
              options={[
                { value: 0, label: t('全年', 'Year') },
                ...Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: t(`${i + 1} 月`, `Month ${i + 1}`) })),
              ]}
            />
            <Button icon={<DownloadOutlined />} href={servicesApi.figuresExportUrl(year, month)}>
              {t('导出 Excel', 'Export')}
            </Button>
          </Space>
        }
      >
        <EChart option={option} height={320} testId="figures-chart" />
        <Table<TFigure>
          rowKey="departmentId"
          size="small"
          loading={figures.isLoading}
          dataSource={figures.data ?? []}
          columns={cols}
          pagination={{ pageSize: 50 }}
        />
      </Card>
      <Card
        size="small"
        title={t('季度电子监察绩效评估', 'Quarterly e-supervision evaluation')}
        extra={
          <Select
            value={quarter}
            onChange={setQuarter}
            style={{ width: 110 }}
            options={[1, 2, 3, 4].map((q) => ({ value: q, label: t(`第 ${q} 季度`, `Q${q}`) }))}
          />
        }
      >
        <Table<TEvaluationRow>
          rowKey="departmentId"
          size="small"
          loading={evaluation.isLoading}
          dataSource={evaluation.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t('名次', 'Rank'), dataIndex: 'rank', width: 60 },
            ...cols.slice(0, 6),
            { title: t('得分', 'Score'), dataIndex: 'score', width: 70 },
            {
              title: t('等次', 'Grade'),
              dataIndex: 'grade',
              width: 80,
              render: (g: TEvaluationRow['grade']) => <Tag color={GRADES[g].color}>{GRADES[g].label()}</Tag>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
