import { CalendarOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState, type CSSProperties } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { DayKind, TCalendarDay, TCalendarStatus } from '@server/modules/calendar/calendar.schema';
import { ApiError, errorText } from '../../lib/api';
import { FormModal } from '../../components/FormModal';
import { adminApi, CALENDAR_KEY, useCalendarDays, useCalendarStatus } from './api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const KIND_LABEL: Record<DayKind, () => string> = {
  holiday: () => t('放假', 'Day off'),
  workday: () => t('调休上班', 'Make-up workday'),
};
const KIND_COLOR: Record<DayKind, string> = { holiday: 'red', workday: 'blue' };
const SOURCE_LABEL: Record<TCalendarDay['source'], () => string> = {
  package: () => t('内置数据', 'Built-in'),
  admin: () => t('管理员录入', 'Entered by admin'),
};

/** Warnings about years without official holiday data; shown on the calendar page and the admin's home page. */
export function CalendarWarnings({ onEnter }: { onEnter?: (year: number) => void }) {
  const status = useCalendarStatus();
  const navigate = useNavigate();
  const { can } = useAuth();
  if (status.error)
    return (
      <Alert
        type="error"
        showIcon
        title={t('无法读取工作日历状态', 'Cannot load the calendar status')}
        description={errorText(status.error)}
      />
    );
  const warnings = status.data?.warnings ?? [];
  if (!warnings.length) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {warnings.map((w) => (
        <Alert
          key={w.year}
          type="warning"
          showIcon
          data-testid={`calendar-warning-${w.year}`}
          title={w.message}
          action={
            can('calendar.manage') && (
              <Button
                size="small"
                type="primary"
                onClick={() => (onEnter ? onEnter(w.year) : void navigate(`/admin/calendar?enter=${w.year}`))}
                data-testid={`calendar-warning-enter-${w.year}`}
              >
                {t('立即录入', 'Enter now')}
              </Button>
            )
          }
        />
      ))}
    </Space>
  );
}

/** The working-day calendar administration: holidays and make-up days per year, entry of a new year's arrangement, a deadline tool. */
export function CalendarPage() {
  const { can } = useAuth();
  const canManage = can('calendar.manage');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  // ?enter=2027 (from the home-page warning) opens the arrangement entry for that year.
  const asked = Number(params.get('enter'));
  const askedYear = canManage && Number.isInteger(asked) && asked >= MIN_YEAR && asked <= MAX_YEAR ? asked : null;
  const [year, setYear] = useState(() => askedYear ?? dayjs().year());
  const [editing, setEditing] = useState<{ date: string | null; kind: DayKind; name: string } | null>(null);
  const [entering, setEntering] = useState<number | null>(askedYear);

  const status = useCalendarStatus();
  const days = useCalendarDays(year);
  const yearStatus = status.data?.years.find((y) => y.year === year);

  const remove = useMutation({
    mutationFn: (date: string) => adminApi.deleteCalendarDay(date),
    onSuccess: async (_, date) => {
      message.success(t(`已删除 ${date} 的设置`, `Removed the entry for ${date}`));
      await qc.invalidateQueries({ queryKey: CALENDAR_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });

  const openEdit = (date: string) => {
    const existing = days.data?.find((d) => d.date === date);
    setEditing({ date, kind: existing?.kind ?? 'holiday', name: existing?.name ?? '' });
  };

  return (
    <div>
      <Typography.Title level={3}>
        <CalendarOutlined /> {t('工作日历', 'Working-day calendar')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(
          '办理时限按工作日计算：周末不计，法定节假日不计，调休上班日计入。每年请根据国务院办公厅发布的放假安排录入次年数据。',
          'Time limits count working days: weekends and official holidays are skipped, make-up working days count. Enter each new year from the State Council arrangement.',
        )}
      </Typography.Paragraph>

      <div style={{ marginBottom: 16 }}>
        <CalendarWarnings onEnter={(y) => setEntering(y)} />
      </div>

      <Card
        title={
          <Space wrap>
            <span>{t('年份', 'Year')}</span>
            <DatePicker
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              minDate={dayjs(`${MIN_YEAR}-01-01`)}
              maxDate={dayjs(`${MAX_YEAR}-12-31`)}
              onChange={(d: Dayjs | null) => d && setYear(d.year())}
              data-testid="calendar-year"
            />
          </Space>
        }
        extra={
          canManage && (
            <Space wrap>
              <Button
                icon={<PlusOutlined />}
                onClick={() => setEditing({ date: null, kind: 'holiday', name: '' })}
                data-testid="calendar-add-day"
              >
                {t('新增日期', 'Add a day')}
              </Button>
              <Button
                type="primary"
                icon={<UploadOutlined />}
                onClick={() => setEntering(year)}
                data-testid="calendar-enter-year"
              >
                {t('录入新年度放假安排', "Enter a year's arrangement")}
              </Button>
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          style={{ marginBottom: 16 }}
          data-testid="calendar-year-status"
        >
          <Descriptions.Item label={t('数据状态', 'Status')}>
            {yearStatus?.source ? (
              <Tag color="green">{t('已确认', 'Confirmed')}</Tag>
            ) : (
              <Tag color="orange">{t('未确认', 'Not confirmed')}</Tag>
            )}
            {yearStatus?.source && SOURCE_LABEL[yearStatus.source]()}
          </Descriptions.Item>
          <Descriptions.Item label={t('确认时间', 'Confirmed at')}>
            {yearStatus?.confirmedAt ? dayjs(yearStatus.confirmedAt).format('YYYY-MM-DD HH:mm') : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('放假/调休天数', 'Days stored')}>
            {days.data
              ? `${days.data.filter((d) => d.kind === 'holiday').length} / ${days.data.filter((d) => d.kind === 'workday').length}`
              : '—'}
          </Descriptions.Item>
        </Descriptions>
        {days.error && <Alert type="error" showIcon title={errorText(days.error)} style={{ marginBottom: 16 }} />}
        <Tabs
          items={[
            {
              key: 'table',
              label: t('列表', 'List'),
              children: (
                <Table<TCalendarDay>
                  rowKey="date"
                  size="small"
                  loading={days.isLoading}
                  dataSource={days.data ?? []}
                  pagination={false}
                  data-testid="calendar-table"
                  locale={{
                    emptyText: (
                      <Empty
                        description={t(`${year} 年暂无放假或调休数据`, `No holidays or make-up days for ${year}`)}
                      />
                    ),
                  }}
                  columns={[
                    {
                      title: t('日期', 'Date'),
                      dataIndex: 'date',
                      render: (d: string) => (
                        <span>
                          {d} <Typography.Text type="secondary">{dayjs(d).format('ddd')}</Typography.Text>
                        </span>
                      ),
                    },
                    {
                      title: t('类型', 'Kind'),
                      dataIndex: 'kind',
                      filters: [
                        { text: KIND_LABEL.holiday(), value: 'holiday' },
                        { text: KIND_LABEL.workday(), value: 'workday' },
                      ],
                      onFilter: (v, r) => r.kind === v,
                      render: (k: DayKind) => <Tag color={KIND_COLOR[k]}>{KIND_LABEL[k]()}</Tag>,
                    },
                    { title: t('名称', 'Name'), dataIndex: 'name' },
                    {
                      title: t('来源', 'Source'),
                      dataIndex: 'source',
                      render: (s: TCalendarDay['source']) => SOURCE_LABEL[s](),
                    },
                    ...(canManage
                      ? [
                          {
                            title: t('操作', 'Actions'),
                            key: 'actions',
                            render: (_: unknown, r: TCalendarDay) => (
                              <Space>
                                <Button
                                  size="small"
                                  type="link"
                                  icon={<EditOutlined />}
                                  onClick={() => openEdit(r.date)}
                                  data-testid={`calendar-edit-${r.date}`}
                                >
                                  {t('修改', 'Edit')}
                                </Button>
                                <Popconfirm
                                  title={t(
                                    `删除 ${r.date} 的设置？删除后该日按普通工作日/周末计算。`,
                                    `Remove ${r.date}? It then counts as an ordinary weekday/weekend.`,
                                  )}
                                  onConfirm={() => remove.mutate(r.date)}
                                >
                                  <Button
                                    size="small"
                                    type="link"
                                    danger
                                    icon={<DeleteOutlined />}
                                    data-testid={`calendar-delete-${r.date}`}
                                  >
                                    {t('删除', 'Delete')}
                                  </Button>
                                </Popconfirm>
                              </Space>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              ),
            },
            {
              key: 'grid',
              label: t('月历', 'Months'),
              children: <YearGrid year={year} days={days.data ?? []} onPick={canManage ? openEdit : undefined} />,
            },
          ]}
        />
      </Card>

      <DeadlinePreview status={status.data} />

      {editing && <DayModal initial={editing} onClose={() => setEditing(null)} />}
      {entering !== null && (
        <ArrangementModal initialYear={entering} onClose={() => setEntering(null)} onDone={(y) => setYear(y)} />
      )}
    </div>
  );
}

const WEEKDAYS = () => [
  t('一', 'Mo'),
  t('二', 'Tu'),
  t('三', 'We'),
  t('四', 'Th'),
  t('五', 'Fr'),
  t('六', 'Sa'),
  t('日', 'Su'),
];

/** Twelve small month grids, Monday first; holidays red, make-up working days blue, weekends grey. */
function YearGrid({ year, days, onPick }: { year: number; days: TCalendarDay[]; onPick?: (date: string) => void }) {
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const heads = WEEKDAYS();
  return (
    <Row gutter={[12, 12]} data-testid="calendar-grid">
      {Array.from({ length: 12 }, (_, m) => {
        const first = dayjs(`${year}-${String(m + 1).padStart(2, '0')}-01`);
        const offset = (first.day() + 6) % 7;
        const cells: (string | null)[] = [...Array<null>(offset).fill(null)];
        for (let d = 1; d <= first.daysInMonth(); d++) cells.push(first.date(d).format('YYYY-MM-DD'));
        return (
          <Col key={m} xs={24} sm={12} md={8} xl={6}>
            <Card size="small" title={t(`${m + 1} 月`, first.format('MMMM'))}>
              <div
                style={{
                  display: 'grid',
                  gridTemplateColumns: 'repeat(7, 1fr)',
                  gap: 2,
                  textAlign: 'center',
                  fontSize: 12,
                }}
              >
                {heads.map((h) => (
                  <div key={h} style={{ color: '#999' }}>
                    {h}
                  </div>
                ))}
                {cells.map((date, i) => {
                  if (!date) return <div key={`e${i}`} />;
                  const entry = byDate.get(date);
                  const dow = dayjs(date).day();
                  const style: CSSProperties = {
                    padding: '2px 0',
                    borderRadius: 3,
                    cursor: onPick ? 'pointer' : 'default',
                    position: 'relative',
                  };
                  if (entry?.kind === 'holiday')
                    Object.assign(style, { background: '#fde2e2', color: '#b71c1c', fontWeight: 600 });
                  else if (entry?.kind === 'workday')
                    Object.assign(style, { background: '#e3edff', color: '#1d4ed8', fontWeight: 600 });
                  else if (dow === 0 || dow === 6) style.color = '#aaa';
                  return (
                    <div
                      key={date}
                      style={style}
                      title={entry ? `${date} ${KIND_LABEL[entry.kind]()} ${entry.name}` : date}
                      onClick={onPick ? () => onPick(date) : undefined}
                      data-testid={`calendar-cell-${date}`}
                    >
                      {Number(date.slice(8))}
                      {entry && (
                        <sup style={{ fontSize: 9 }}>{entry.kind === 'holiday' ? t('休', 'H') : t('班', 'W')}</sup>
                      )}
                    </div>
                  );
                })}
              </div>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

type DayForm = { date: Dayjs; kind: DayKind; name: string };

/** Add or edit one day: an official day off or a make-up working day. */
function DayModal({
  initial,
  onClose,
}: {
  initial: { date: string | null; kind: DayKind; name: string };
  onClose: () => void;
}) {
  return (
    <FormModal<DayForm, TCalendarDay>
      title={
        initial.date
          ? t(`修改 ${initial.date}`, `Edit ${initial.date}`)
          : t('新增放假或调休日期', 'Add a day off or make-up workday')
      }
      okText={t('保存', 'Save')}
      modalProps={{ cancelText: t('取消', 'Cancel'), 'data-testid': 'calendar-day-modal' }}
      onClose={onClose}
      submit={(v) => adminApi.putCalendarDay(v.date.format('YYYY-MM-DD'), { kind: v.kind, name: v.name ?? '' })}
      invalidate={[CALENDAR_KEY]}
      success={(d) => t(`已保存 ${d.date}`, `Saved ${d.date}`)}
      errorFields={['date', 'kind', 'name']}
      initialValues={{ date: initial.date ? dayjs(initial.date) : undefined, kind: initial.kind, name: initial.name }}
    >
      <Form.Item
        name="date"
        label={t('日期', 'Date')}
        rules={[{ required: true, message: t('请选择日期', 'Pick a date') }]}
      >
        <DatePicker disabled={!!initial.date} style={{ width: '100%' }} data-testid="calendar-day-date" />
      </Form.Item>
      <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true }]}>
        <Radio.Group data-testid="calendar-day-kind">
          <Radio value="holiday">{t('放假（不计工作日）', 'Day off (not a working day)')}</Radio>
          <Radio value="workday">{t('调休上班（计为工作日）', 'Make-up workday (counts)')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="name"
        label={t('名称', 'Name')}
        rules={[{ max: 50, message: t('名称不超过 50 字', 'At most 50 characters') }]}
      >
        <Input placeholder={t('如：国庆节', 'e.g. National Day')} data-testid="calendar-day-name" />
      </Form.Item>
    </FormModal>
  );
}

type ParsedDay = { date: string; kind: DayKind; name: string; line: number };
type LineError = { line: number; message: string };

const KIND_WORDS: Record<string, DayKind> = {
  holiday: 'holiday',
  off: 'holiday',
  放假: 'holiday',
  休: 'holiday',
  假: 'holiday',
  workday: 'workday',
  work: 'workday',
  上班: 'workday',
  班: 'workday',
  补班: 'workday',
  调休上班: 'workday',
};

/** A real date from YYYY-MM-DD (also / or . as separators), or null. */
function parseDate(s: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/**
 * Parses pasted lines `2027-01-01 holiday 元旦` (or a range `2027-10-01~2027-10-07 放假 国庆节`); blank lines and
 * lines starting with # are skipped. Every problem is reported with its line number.
 */
function parseArrangement(text: string, year: number): { days: ParsedDay[]; errors: LineError[] } {
  const days: ParsedDay[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const [range, kindWord, ...rest] = s.split(/[\s,，、\t]+/);
    const [fromText, toText, extra] = range.split(/~|～|至|--/);
    const from = parseDate(fromText);
    const to = toText === undefined ? from : parseDate(toText);
    if (!from || !to || extra !== undefined) {
      errors.push({
        line,
        message: t(
          `日期「${range}」无效，应为 YYYY-MM-DD 或 YYYY-MM-DD~YYYY-MM-DD`,
          `Invalid date "${range}": use YYYY-MM-DD or YYYY-MM-DD~YYYY-MM-DD`,
        ),
      });
      return;
    }
    const kind = kindWord === undefined ? undefined : KIND_WORDS[kindWord.toLowerCase()];
    if (!kind) {
      errors.push({
        line,
        message: t(
          `类型「${kindWord ?? ''}」无效，应为 holiday（放假）或 workday（调休上班）`,
          `Invalid kind "${kindWord ?? ''}": use holiday or workday`,
        ),
      });
      return;
    }
    const name = rest.join(' ');
    if (name.length > 50) {
      errors.push({ line, message: t('名称不超过 50 字', 'The name has at most 50 characters') });
      return;
    }
    if (to < from) {
      errors.push({ line, message: t('结束日期早于开始日期', 'The range ends before it starts') });
      return;
    }
    let d = dayjs(from);
    for (let n = 0; !d.isAfter(dayjs(to), 'day'); n++, d = d.add(1, 'day')) {
      const date = d.format('YYYY-MM-DD');
      if (n >= 31) {
        errors.push({ line, message: t('一行的日期范围不超过 31 天', 'A range covers at most 31 days') });
        return;
      }
      if (d.year() !== year) {
        errors.push({ line, message: t(`${date} 不在 ${year} 年内`, `${date} is not in ${year}`) });
        return;
      }
      const dup = seen.get(date);
      if (dup !== undefined) {
        errors.push({ line, message: t(`${date} 与第 ${dup} 行重复`, `${date} repeats line ${dup}`) });
        return;
      }
      seen.set(date, line);
      days.push({ date, kind, name, line });
    }
  });
  return { days, errors };
}

const EXAMPLE = `# 每行：日期 类型 名称；类型为 holiday（放假）或 workday（调休上班）；可写日期范围
2027-01-01 holiday 元旦
2027-10-01~2027-10-07 holiday 国庆节
2027-09-26 workday 国庆节`;

/** Enter a whole year's official arrangement by pasting lines; replaces the year's data and confirms the year. */
function ArrangementModal({
  initialYear,
  onClose,
  onDone,
}: {
  initialYear: number;
  onClose: () => void;
  onDone: (year: number) => void;
}) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [year, setYear] = useState(initialYear);
  const [text, setText] = useState('');
  const [serverError, setServerError] = useState<string | null>(null);
  const parsed = useMemo(() => parseArrangement(text, year), [text, year]);
  const holidays = parsed.days.filter((d) => d.kind === 'holiday').length;

  const load = useMutation({
    mutationFn: () => adminApi.calendarDays(year),
    onSuccess: (rows) => {
      if (!rows.length) message.info(t(`${year} 年暂无数据`, `No data for ${year}`));
      else setText(rows.map((r) => `${r.date} ${r.kind}${r.name ? ` ${r.name}` : ''}`).join('\n'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  const submit = useMutation({
    mutationFn: () =>
      adminApi.putCalendarYear(
        year,
        parsed.days.map(({ date, kind, name }) => ({ date, kind, name })),
      ),
    onSuccess: async (rows) => {
      message.success(t(`已录入 ${year} 年放假安排，共 ${rows.length} 天`, `Saved ${rows.length} days for ${year}`));
      await qc.invalidateQueries({ queryKey: CALENDAR_KEY });
      onDone(year);
      onClose();
    },
    onError: (e) => {
      // Point a server-side field such as days.3.date back at the pasted line.
      const m = e instanceof ApiError && e.field ? /^days\.(\d+)\./.exec(e.field) : null;
      const line = m ? parsed.days[Number(m[1])]?.line : undefined;
      setServerError(line ? t(`第 ${line} 行：${e.message}`, `Line ${line}: ${e.message}`) : errorText(e));
    },
  });

  return (
    <Modal
      open
      width={720}
      title={t('录入新年度放假安排', "Enter a year's official arrangement")}
      okText={t('确认录入', 'Save')}
      cancelText={t('取消', 'Cancel')}
      okButtonProps={{ disabled: !parsed.days.length || parsed.errors.length > 0, 'data-testid': 'arrangement-submit' }}
      confirmLoading={submit.isPending}
      onOk={() => submit.mutate()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="arrangement-modal"
    >
      <Typography.Paragraph type="secondary">
        {t(
          '请按国务院办公厅发布的节假日安排通知录入：放假日（含周末）写 holiday，周末调休上班写 workday。保存后将替换该年度全部已有数据，并标记该年度为已确认。',
          'Enter the State Council notice: days off (weekends included) as holiday, weekend make-up working days as workday. Saving replaces all of the year’s data and marks the year confirmed.',
        )}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('年度', 'Year')}</span>
        <InputNumber
          min={MIN_YEAR}
          max={MAX_YEAR}
          precision={0}
          value={year}
          onChange={(v) => v && setYear(v)}
          data-testid="arrangement-year"
        />
        <Button onClick={() => load.mutate()} loading={load.isPending}>
          {t('载入该年度现有数据', "Load the year's current data")}
        </Button>
        <Button onClick={() => setText(EXAMPLE.replaceAll('2027', String(year)))}>
          {t('填入格式示例', 'Insert an example')}
        </Button>
      </Space>
      <Input.TextArea
        rows={12}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setServerError(null);
        }}
        placeholder={EXAMPLE}
        style={{ fontFamily: 'monospace' }}
        data-testid="arrangement-text"
      />
      <div style={{ marginTop: 12 }} data-testid="arrangement-summary">
        {parsed.errors.length > 0 ? (
          <Alert
            type="error"
            showIcon
            title={t(`有 ${parsed.errors.length} 行需要修改`, `${parsed.errors.length} line(s) need fixing`)}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="arrangement-errors">
                {parsed.errors.map((e) => (
                  <li key={`${e.line}-${e.message}`}>
                    {t(`第 ${e.line} 行：${e.message}`, `Line ${e.line}: ${e.message}`)}
                  </li>
                ))}
              </ul>
            }
          />
        ) : parsed.days.length > 0 ? (
          <Alert
            type="info"
            showIcon
            title={t(
              `将录入 ${year} 年：放假 ${holidays} 天，调休上班 ${parsed.days.length - holidays} 天`,
              `${year}: ${holidays} days off, ${parsed.days.length - holidays} make-up workdays`,
            )}
          />
        ) : null}
        {serverError && <Alert type="error" showIcon title={serverError} style={{ marginTop: 8 }} />}
      </div>
    </Modal>
  );
}

/** Try the deadline rule: the N-th working day after a date, from the public endpoint the other modules rely on. */
function DeadlinePreview({ status }: { status: TCalendarStatus | undefined }) {
  const [from, setFrom] = useState<Dayjs>(() => dayjs());
  const [n, setN] = useState<number>(5);
  const calc = useMutation({
    mutationFn: adminApi.addWorkingDays,
  });
  const confirmed = new Set(status?.years.filter((y) => y.source).map((y) => y.year) ?? []);
  const result = calc.data?.date;
  const unconfirmed = result
    ? [...new Set([Number(calc.variables?.from.slice(0, 4)), Number(result.slice(0, 4))])].filter(
        (y) => !confirmed.has(y),
      )
    : [];
  return (
    <Card title={t('办理期限预览', 'Deadline preview')} style={{ marginTop: 16 }} data-testid="deadline-preview">
      <Space wrap>
        <span>{t('起算日期', 'From')}</span>
        <DatePicker
          value={from}
          allowClear={false}
          onChange={(d: Dayjs | null) => d && setFrom(d)}
          data-testid="deadline-from"
        />
        <span>{t('加', 'plus')}</span>
        <InputNumber
          min={0}
          max={3650}
          precision={0}
          value={n}
          onChange={(v) => setN(v ?? 0)}
          data-testid="deadline-days"
        />
        <span>{t('个工作日', 'working days')}</span>
        <Button
          type="primary"
          loading={calc.isPending}
          onClick={() => calc.mutate({ from: from.format('YYYY-MM-DD'), days: n })}
          data-testid="deadline-calc"
        >
          {t('计算', 'Compute')}
        </Button>
      </Space>
      <div style={{ marginTop: 12 }}>
        {calc.error && <Alert type="error" showIcon title={errorText(calc.error)} />}
        {result && (
          <Typography.Text strong data-testid="deadline-result">
            {t(
              `${calc.variables?.from} 之后第 ${calc.variables?.days} 个工作日：${result}（${dayjs(result).format('dddd')}）`,
              `Working day ${calc.variables?.days} after ${calc.variables?.from}: ${result} (${dayjs(result).format('dddd')})`,
            )}
          </Typography.Text>
        )}
        {unconfirmed.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 8 }}
            title={t(
              `${unconfirmed.join('、')} 年尚无法定节假日数据，结果只排除了周末，可能不准确`,
              `No official holiday data for ${unconfirmed.join(', ')}: only weekends were skipped, so the result may be wrong`,
            )}
          />
        )}
      </div>
    </Card>
  );
}
