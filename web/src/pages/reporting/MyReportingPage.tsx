import { EditOutlined, EyeOutlined } from '@ant-design/icons';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { t } from '../../lib/i18n';
import { ExcelPanel } from './ExcelPanel';
import { SubmissionDrawer, type DrawerTarget } from './SubmissionDrawer';
import { fmtNum, LIGHT, STATUS, type TLightItem, type TTodoItem } from './reportingData';
import { errorText } from '../../lib/api';
import { useTodo } from './api';
import { useYears } from '../performance/api';
import { YearPicker } from '../../components/YearPicker';

/** A coloured dot for a warning light. */
export function LightDot({ light, size = 12 }: { light: TLightItem['light']; size?: number }) {
  return (
    <Tooltip title={LIGHT[light].label()}>
      <span
        data-testid={`light-${light}`}
        style={{
          display: 'inline-block',
          width: size,
          height: size,
          borderRadius: '50%',
          background: LIGHT[light].color,
          boxShadow: light === 'none' ? undefined : `0 0 4px ${LIGHT[light].color}`,
        }}
      />
    </Tooltip>
  );
}

/** Working days left as a tag: red when overdue or today, orange within 3 days. */
export function DueTag({ item }: { item: Pick<TTodoItem, 'deadline' | 'workingDaysLeft' | 'overdue' | 'status'> }) {
  if (item.status !== 'missing' && item.status !== 'draft')
    return <Typography.Text type="secondary">{item.deadline}</Typography.Text>;
  const n = item.workingDaysLeft;
  const color = item.overdue || n < 0 ? 'red' : n === 0 ? 'volcano' : n <= 3 ? 'orange' : 'default';
  const text =
    item.overdue || n < 0
      ? t(`已逾期 ${Math.abs(n)} 天`, `${Math.abs(n)} days overdue`)
      : n === 0
        ? t('今天截止', 'Due today')
        : t(`剩 ${n} 个工作日`, `${n} working days left`);
  return (
    <Space size={4}>
      <span>{item.deadline}</span>
      <Tag color={color}>{text}</Tag>
    </Space>
  );
}

/** 我的填报: the unit's to-do list (which leaf, which month, due when), warning lights, Excel entry. */
export function MyReportingPage() {
  // Special schemes (专项考核, e.g. the urban-management 自查) are filled here too: the scheme switcher.
  const schemes = useYears();
  const inForce = (schemes.data ?? []).filter((y) => y.status === 'in_force');
  const [schemeId, setSchemeId] = useState<number | undefined>(undefined);
  const todo = useTodo(undefined, schemeId);
  const [filter, setFilter] = useState<'todo' | 'all'>('todo');
  const [target, setTarget] = useState<DrawerTarget | null>(null);
  const data = todo.data;
  const items = useMemo(() => {
    const list = (data?.items ?? []).filter((i) => filter === 'all' || i.needsAction);
    return [...list].sort(
      (a, b) =>
        (filter === 'todo' ? a.deadline.localeCompare(b.deadline) : b.period.localeCompare(a.period)) ||
        a.code.localeCompare(b.code),
    );
  }, [data, filter]);
  const periods = useMemo(() => [...new Set((data?.items ?? []).map((i) => i.period))].sort(), [data]);

  const switcher = inForce.some((y) => y.kind === 'special') && (
    <Card size="small">
      <YearPicker
        years={inForce}
        value={inForce.find((y) => y.id === schemeId) ?? inForce.find((y) => y.kind === 'annual') ?? null}
        onChange={setSchemeId}
        testId="reporting-scheme"
      />
    </Card>
  );
  if (todo.error)
    return (
      <Space orientation="vertical" style={{ width: '100%' }} size={16}>
        {switcher}
        <Alert type="error" showIcon title={errorText(todo.error)} />
      </Space>
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      {switcher}
      <Card loading={todo.isLoading}>
        {data && (
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Typography.Title level={4} style={{ marginTop: 0 }}>
                {data.unitName}
              </Typography.Title>
              <Typography.Text type="secondary">
                {t(
                  `${data.year} 年度 · 今天 ${data.today} · 每月数据须在次月截止日前上传`,
                  `${data.year} · today ${data.today} · monthly data are due in the following month`,
                )}
              </Typography.Text>
            </Col>
            <Col xs={6} md={4}>
              <Statistic title={t('待填报', 'To do')} value={data.counts.todo} data-testid="count-todo" />
            </Col>
            <Col xs={6} md={4}>
              <Statistic
                title={t('已逾期', 'Overdue')}
                value={data.counts.overdue}
                styles={{ content: { color: data.counts.overdue ? '#cf1322' : undefined } }}
              />
            </Col>
            <Col xs={6} md={4}>
              <Statistic
                title={t('被退回', 'Returned')}
                value={data.counts.returned}
                styles={{ content: { color: data.counts.returned ? '#d46b08' : undefined } }}
              />
            </Col>
            <Col xs={6} md={4}>
              <Statistic
                title={t('警示灯', 'Lights')}
                valueRender={() => (
                  <Space size={10}>
                    <Space size={4}>
                      <LightDot light="red" /> {data.counts.red}
                    </Space>
                    <Space size={4}>
                      <LightDot light="yellow" /> {data.counts.yellow}
                    </Space>
                    <Space size={4}>
                      <LightDot light="green" /> {data.counts.green}
                    </Space>
                  </Space>
                )}
              />
            </Col>
          </Row>
        )}
      </Card>

      <Card
        title={t('填报任务', 'Reporting tasks')}
        extra={
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as 'todo' | 'all')}
            options={[
              { value: 'todo', label: t(`需处理（${data?.counts.todo ?? 0}）`, `To do (${data?.counts.todo ?? 0})`) },
              { value: 'all', label: t('全部', 'All') },
            ]}
            data-testid="todo-filter"
          />
        }
      >
        <Table<TTodoItem>
          size="small"
          loading={todo.isLoading}
          rowKey={(r) => `${r.indicatorId}-${r.period}`}
          dataSource={items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="todo-table"
          columns={[
            {
              title: t('指标', 'Indicator'),
              render: (_, r) => (
                <span>
                  <Typography.Text type="secondary">{r.code}</Typography.Text> {r.name}
                </span>
              ),
            },
            { title: t('填报期', 'Period'), dataIndex: 'periodLabel', width: 110 },
            { title: t('截止日期', 'Due'), width: 230, render: (_, r) => <DueTag item={r} /> },
            {
              title: t('状态', 'Status'),
              width: 220,
              render: (_, r) => (
                <Space size={4} wrap>
                  <Tag color={r.overdue && r.status === 'missing' ? 'red' : STATUS[r.status].color}>
                    {r.overdue && r.status === 'missing' ? t('逾期未报', 'Overdue') : STATUS[r.status].label()}
                  </Tag>
                  {r.returned && (
                    <Tooltip title={r.returnReason}>
                      <Tag color="red">{t('已退回', 'Returned')}</Tag>
                    </Tooltip>
                  )}
                  {r.late && <Tag color="volcano">{t('迟报', 'Late')}</Tag>}
                  {r.pendingFlags > 0 && (
                    <Badge count={r.pendingFlags} title={t('异常提示待说明', 'Flags to explain')} />
                  )}
                </Space>
              ),
            },
            {
              title: t('数值', 'Value'),
              dataIndex: 'value',
              width: 110,
              render: (v: number | null, r) => (v === null ? '—' : `${fmtNum(v)} ${r.unitOfMeasure}`),
            },
            {
              title: '',
              width: 90,
              render: (_, r) =>
                r.needsAction ? (
                  <Button
                    size="small"
                    type="primary"
                    icon={<EditOutlined />}
                    data-testid={`fill-${r.code}-${r.period}`}
                    onClick={() =>
                      setTarget(
                        r.submissionId
                          ? { id: r.submissionId }
                          : {
                              indicatorId: r.indicatorId,
                              unitId: data!.unitId,
                              period: r.period,
                              title: `${r.code} ${r.name}`,
                            },
                      )
                    }
                  >
                    {t('填报', 'Fill')}
                  </Button>
                ) : (
                  <Button size="small" icon={<EyeOutlined />} onClick={() => setTarget({ id: r.submissionId! })}>
                    {t('查看', 'View')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <LightsTable lights={data?.lights ?? []} loading={todo.isLoading} />
        </Col>
        <Col xs={24} xl={10}>
          {data && periods.length > 0 && <ExcelPanel unitId={data.unitId} periods={periods} />}
        </Col>
      </Row>
      <SubmissionDrawer target={target} onClose={() => setTarget(null)} />
    </Space>
  );
}

/** Warning lights: time progress against completion progress per leaf. */
export function LightsTable({ lights, loading }: { lights: TLightItem[]; loading?: boolean }) {
  const order = { red: 0, yellow: 1, green: 2, none: 3 } as const;
  return (
    <Card title={t('进度警示灯', 'Progress warning lights')} size="small">
      <Table<TLightItem>
        size="small"
        loading={loading}
        rowKey="indicatorId"
        pagination={false}
        dataSource={[...lights].sort((a, b) => order[a.light] - order[b.light])}
        data-testid="lights-table"
        columns={[
          { title: '', width: 36, render: (_, r) => <LightDot light={r.light} /> },
          { title: t('指标', 'Indicator'), render: (_, r) => `${r.code} ${r.name}` },
          {
            title: t('年度目标', 'Target'),
            width: 90,
            render: (_, r) => (r.target === null ? '—' : `${fmtNum(r.target)}${r.unitOfMeasure}`),
          },
          {
            title: t('累计完成', 'Actual'),
            width: 90,
            render: (_, r) => (r.actual === null ? '—' : `${fmtNum(r.actual, 2)}${r.unitOfMeasure}`),
          },
          {
            title: t('时间进度（灰）/ 完成进度', 'Time (grey) / completion'),
            width: 200,
            render: (_, r) => (
              <div>
                <Progress percent={r.timePct} size="small" showInfo={false} strokeColor="#8c8c8c" />
                <Progress
                  percent={Math.min(100, r.completionPct ?? 0)}
                  size="small"
                  format={() => (r.completionPct === null ? '—' : `${r.completionPct}%`)}
                  strokeColor={LIGHT[r.light].color}
                />
              </div>
            ),
          },
          {
            title: '',
            width: 60,
            render: (_, r) => (r.overdue ? <Tag color="red">{t('逾期', 'Overdue')}</Tag> : null),
          },
        ]}
      />
    </Card>
  );
}
