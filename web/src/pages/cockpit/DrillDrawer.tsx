import { DatePicker, Drawer, Form, Input, Table, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { LEVEL_COLOR, LEVEL_LABEL, RECT_STATUS } from '../ratings/api';
import { SUP_KEY, supervisionApi } from '../supervision/api';
import {
  useDrill,
  type Drill,
  type TCaseDrill,
  type TLightDrill,
  type TRatingDrill,
  type TReportDrill,
  type TTaskDrill,
} from './api';
import type { Instruct } from './Panels';

const LIGHT_TAG = {
  red: ['red', '红灯'],
  yellow: ['gold', '黄灯'],
  green: ['green', '绿灯'],
  none: ['default', '无'],
} as const;
const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }).slice(0, 16) : '—');

/** The list behind a cockpit number, with links to where each item is explained and a 批示 on each. */
export function DrillDrawer({
  drill,
  onClose,
  onInstruct,
}: {
  drill: Drill | null;
  onClose(): void;
  onInstruct: Instruct;
}) {
  const q = useDrill(drill);
  const instructBtn = (v: Parameters<Instruct>[0]) => (
    <a onClick={() => onInstruct(v)} data-testid="ck-drill-instruct">
      {t('批示', 'Instruct')}
    </a>
  );
  let columns: TableColumnsType<never> = [];
  if (drill?.kind === 'lights')
    columns = [
      { title: t('单位', 'Unit'), dataIndex: 'unitName' },
      { title: t('一级指标', 'Group'), dataIndex: 'groupName' },
      { title: t('指标', 'Indicator'), render: (_, r: TLightDrill['items'][number]) => `${r.code} ${r.name}` },
      { title: t('目标', 'Target'), dataIndex: 'target', align: 'right' },
      { title: t('实际', 'Actual'), dataIndex: 'actual', align: 'right' },
      {
        title: t('完成进度', 'Progress'),
        render: (_, r: TLightDrill['items'][number]) =>
          r.completionPct === null ? '—' : `${r.completionPct}% / ${t('时间', 'time')} ${r.timePct}%`,
      },
      {
        title: t('灯', 'Light'),
        render: (_, r: TLightDrill['items'][number]) => (
          <Tag color={LIGHT_TAG[r.light][0]}>
            {t(LIGHT_TAG[r.light][1], r.light)}
            {r.overdue ? t('·逾期', ' · overdue') : ''}
          </Tag>
        ),
      },
      {
        title: t('操作', 'Actions'),
        render: (_, r: TLightDrill['items'][number]) => (
          <span style={{ whiteSpace: 'nowrap' }}>
            <Link
              to={`/performance/scores/unit/${r.unitId}?explain=${r.indicatorId}`}
              data-testid={`ck-explain-${r.unitId}-${r.indicatorId}`}
            >
              {t('得分说明', 'Explanation')}
            </Link>{' '}
            {instructBtn({
              targetKind: 'indicator',
              targetRef: r.code,
              unitId: r.unitId,
              title: `${r.unitName}「${r.name}」进度滞后`,
            })}
          </span>
        ),
      },
    ] as TableColumnsType<never>;
  if (drill?.kind === 'reports')
    columns = [
      { title: t('单位', 'Unit'), dataIndex: 'unitName' },
      { title: t('指标', 'Indicator'), render: (_, r: TReportDrill['items'][number]) => `${r.code} ${r.name}` },
      { title: t('月份', 'Period'), dataIndex: 'period' },
      { title: t('截止日', 'Deadline'), dataIndex: 'deadline' },
      { title: t('逾期天数', 'Days overdue'), dataIndex: 'daysOverdue', align: 'right' },
      {
        title: t('状态', 'Status'),
        render: (_, r: TReportDrill['items'][number]) =>
          r.status === 'missing' ? (
            <Tag color="red">{t('未填报', 'Missing')}</Tag>
          ) : (
            <Tag color="gold">{t('草稿未提交', 'Draft')}</Tag>
          ),
      },
      {
        title: t('操作', 'Actions'),
        render: (_, r: TReportDrill['items'][number]) => (
          <span style={{ whiteSpace: 'nowrap' }}>
            <Link to={`/performance/scores/unit/${r.unitId}`}>{t('单位得分', 'Unit scores')}</Link>{' '}
            {instructBtn({
              targetKind: 'indicator',
              targetRef: r.code,
              unitId: r.unitId,
              title: `${r.unitName}${r.period}「${r.name}」逾期未报`,
            })}
          </span>
        ),
      },
    ] as TableColumnsType<never>;
  if (drill?.kind === 'tasks')
    columns = [
      {
        title: t('事项', 'Task'),
        render: (_, r: TTaskDrill['items'][number]) => <Link to={`/supervision/ledger?task=${r.id}`}>{r.title}</Link>,
      },
      { title: t('牵头单位', 'Lead unit'), dataIndex: 'leadUnitName' },
      { title: t('时限', 'Deadline'), dataIndex: 'deadline' },
      { title: t('进度', 'Progress'), render: (_, r: TTaskDrill['items'][number]) => `${r.progress}%` },
      {
        title: t('灯', 'Light'),
        render: (_, r: TTaskDrill['items'][number]) =>
          r.light ? <Tag color={LIGHT_TAG[r.light][0]}>{t(LIGHT_TAG[r.light][1], r.light)}</Tag> : '—',
      },
      {
        title: t('逾期', 'Overdue'),
        render: (_, r: TTaskDrill['items'][number]) => (r.overdue ? <Tag color="red">{t('逾期', 'Overdue')}</Tag> : ''),
      },
    ] as TableColumnsType<never>;
  if (drill?.kind === 'cases')
    columns = [
      {
        title: t('编号', 'Number'),
        render: (_, r: TCaseDrill['items'][number]) => <Link to={`/cases/${r.id}`}>{r.number}</Link>,
      },
      { title: t('类别', 'Category'), dataIndex: 'categoryName' },
      { title: t('地址', 'Address'), dataIndex: 'address', ellipsis: true },
      {
        title: t('承办单位', 'Lead unit'),
        render: (_, r: TCaseDrill['items'][number]) => r.leadUnitName ?? t('待派单', 'Not dispatched'),
      },
      { title: t('受理时间', 'Received'), render: (_, r: TCaseDrill['items'][number]) => fmt(r.createdAt) },
      { title: t('办理时限', 'Deadline'), render: (_, r: TCaseDrill['items'][number]) => fmt(r.deadline) },
      {
        title: t('操作', 'Actions'),
        render: (_, r: TCaseDrill['items'][number]) =>
          instructBtn({ targetKind: 'case', targetRef: r.number, title: `诉求 ${r.number}（${r.categoryName}）` }),
      },
    ] as TableColumnsType<never>;
  if (drill?.kind === 'ratings')
    columns = [
      { title: t('单位', 'Unit'), dataIndex: 'unitName' },
      {
        title: t('评价对象', 'Subject'),
        render: (_, r: TRatingDrill['items'][number]) => {
          const label = r.subjectTitle ? `${r.subjectRef} ${r.subjectTitle}` : r.subjectRef;
          return r.subjectKind === 'case' ? (
            <Link to={`/cases/${r.subjectId}`}>{label}</Link>
          ) : (
            `${t('办件', 'Application')} ${label}`
          );
        },
      },
      {
        title: t('评价', 'Level'),
        render: (_, r: TRatingDrill['items'][number]) => (
          <Tag color={LEVEL_COLOR[r.level]}>{LEVEL_LABEL[r.level]()}</Tag>
        ),
      },
      { title: t('评价意见', 'Comment'), dataIndex: 'comment', width: '24%' },
      {
        title: t('评价日期', 'Rated on'),
        render: (_, r: TRatingDrill['items'][number]) => new Date(r.ratedAt).toLocaleDateString('zh-CN'),
      },
      {
        title: t('整改', 'Rectification'),
        render: (_, r: TRatingDrill['items'][number]) => {
          const x = r.rectification;
          if (!x) return '—';
          const s = RECT_STATUS[x.status as keyof typeof RECT_STATUS];
          return (
            <>
              <Tag color={s?.color}>{s?.label() ?? x.status}</Tag>
              {x.overdue ? <Tag color="red">{t('逾期', 'Overdue')}</Tag> : null}
              <div style={{ color: '#888', fontSize: 12, whiteSpace: 'nowrap' }}>
                {t('限', 'due ')}
                {x.dueDate}
              </div>
            </>
          );
        },
      },
      {
        title: t('操作', 'Actions'),
        render: (_, r: TRatingDrill['items'][number]) =>
          instructBtn({
            targetKind: r.subjectKind === 'case' ? 'case' : 'free',
            targetRef: r.subjectKind === 'case' ? r.subjectRef : undefined,
            unitId: r.unitId,
            title: `${r.unitName}差评整改（${r.subjectRef}）`,
          }),
      },
    ] as TableColumnsType<never>;
  const data = q.data as { total: number; items: never[] } | undefined;
  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      size="large"
      width={1000}
      title={drill ? `${drill.title}${data ? `（${data.total}）` : ''}` : ''}
      data-testid="ck-drill"
    >
      {q.error ? (
        <div>{errorText(q.error)}</div>
      ) : (
        <Table<never>
          size="small"
          rowKey={(r: Record<string, unknown>) =>
            String(r.id ?? r.ratingId ?? `${String(r.unitId)}-${String(r.indicatorId)}-${String(r.period ?? '')}`)
          }
          loading={q.isLoading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          footer={
            data && data.total > data.items.length
              ? () =>
                  t(
                    `仅列出前 ${data.items.length} 条，共 ${data.total} 条`,
                    `First ${data.items.length} of ${data.total}`,
                  )
              : undefined
          }
          data-testid="ck-drill-table"
        />
      )}
    </Drawer>
  );
}

type InstructValues = { title: string; content: string; deadline?: Dayjs };

/** A leader's 批示 from the cockpit: becomes a supervision task awaiting the office's 立项. */
export function InstructModal({ target, onClose }: { target: Parameters<Instruct>[0] | null; onClose(): void }) {
  if (!target) return null;
  return (
    <FormModal<InstructValues>
      title={t('领导批示', 'Leader instruction')}
      onClose={onClose}
      initialValues={{ title: target.title }}
      submit={(v) =>
        supervisionApi.instruct({
          targetKind: target.targetKind,
          targetRef: target.targetRef ?? null,
          unitId: target.unitId ?? null,
          title: v.title,
          content: v.content,
          deadline: v.deadline?.format('YYYY-MM-DD'),
        })
      }
      invalidate={[SUP_KEY]}
      success={t('批示已送督查室立项', 'Sent to the supervision office')}
      modalProps={{ okButtonProps: { id: 'ck-instruct-ok' } }}
    >
      {target.targetRef && (
        <p>
          {target.targetKind === 'case' ? t('诉求：', 'Case: ') : t('指标：', 'Indicator: ')}
          <b>{target.targetRef}</b>
        </p>
      )}
      <Form.Item name="title" label={t('事项', 'Task')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="content" label={t('批示内容', 'Instruction')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea
          rows={4}
          maxLength={5000}
          data-testid="ck-instruct-content"
          placeholder={t(
            '如：请相关单位一周内拿出整改措施，报督查室跟踪。',
            'e.g. Report a correction plan within a week.',
          )}
        />
      </Form.Item>
      <Form.Item name="deadline" label={t('完成时限（默认 20 个工作日）', 'Deadline (default 20 working days)')}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}
