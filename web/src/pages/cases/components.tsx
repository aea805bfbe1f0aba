import { ClockCircleOutlined, ExclamationCircleOutlined, FlagFilled, PaperClipOutlined } from '@ant-design/icons';
import { Space, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TAttachmentView, TCaseEventView, TDispatchView } from '@server/modules/cases/cases.schema';
import { t } from '../../lib/i18n';
import {
  eventLabel,
  fmtDate,
  fmtTime,
  ROLE_LABEL,
  STATUS_COLOR,
  STATUS_LABEL,
  type CaseStatus,
  type DueState,
} from './casesData';
import { casesApi } from './api';

export function StatusTag({ status }: { status: CaseStatus }) {
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="case-status" data-status={status}>
      {STATUS_LABEL[status]()}
    </Tag>
  );
}

/** Re-renders every `ms` so countdowns move. */
function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** "2天3小时" from milliseconds. */
export function spanText(ms: number): string {
  const mins = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  if (d > 0) return t(`${d}天${h}小时`, `${d}d ${h}h`);
  if (h > 0) return t(`${h}小时${m}分`, `${h}h ${m}m`);
  return t(`${m}分钟`, `${m} min`);
}

/** A deadline with its warning state and a live countdown (or how late it is). */
export function DueTag({
  due,
  state,
  kind = 'deadline',
  testId,
  labelled,
}: {
  due: string | null;
  state: DueState | null;
  kind?: 'deadline' | 'sign';
  testId?: string;
  labelled?: boolean;
}) {
  const now = useNow();
  if (!due || !state) return <Typography.Text type="secondary">—</Typography.Text>;
  const left = new Date(due).getTime() - now;
  const what = kind === 'sign' ? t('签收', 'Sign-for') : t('办理', 'Handling');
  const prefix = labelled ? `${what} ` : '';
  const title = `${what}${t('时限', ' due')}：${fmtTime(due)}`;
  if (state === 'done') {
    return (
      <Tooltip title={title}>
        <Tag data-testid={testId} data-due={state}>
          {kind === 'sign' ? t('已签收', 'Signed') : t('已完成', 'Done')}
        </Tag>
      </Tooltip>
    );
  }
  if (state === 'overdue') {
    return (
      <Tooltip title={title}>
        <Tag color="red" icon={<ExclamationCircleOutlined />} data-testid={testId} data-due={state}>
          {kind === 'sign' ? t('签收超时', 'Sign-for late') : `${prefix}${t('已超期', 'overdue')}`} {spanText(left)}
        </Tag>
      </Tooltip>
    );
  }
  return (
    <Tooltip title={title}>
      <Tag
        color={state === 'due_soon' ? 'orange' : 'blue'}
        icon={<ClockCircleOutlined />}
        data-testid={testId}
        data-due={state}
      >
        {prefix}
        {state === 'due_soon' ? t('即将到期 ', 'Due soon ') : ''}
        {t('剩', '')}
        {spanText(left)}
        {t('', ' left')}
      </Tag>
    </Tooltip>
  );
}

export function EscalatedFlag({ on }: { on: boolean }) {
  if (!on) return null;
  return (
    <Tag color="volcano" icon={<FlagFilled />} data-testid="case-escalated">
      {t('督办件', 'Escalated')}
    </Tag>
  );
}

/** The case timeline; staff see internal notes, marked as such. */
export function CaseTimeline({ events }: { events: TCaseEventView[] }) {
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.map((e) => ({
        key: e.id,
        color: e.type.includes('escalation') || e.type === 'reminded' ? 'red' : e.isPublic ? 'blue' : 'gray',
        content: (
          <div data-testid={`event-${e.type}`}>
            <Space wrap size={4}>
              <Typography.Text type="secondary">{fmtTime(e.at)}</Typography.Text>
              <Typography.Text strong>{eventLabel(e.type)}</Typography.Text>
              <Typography.Text type="secondary">
                {e.actorName}
                {e.unitName && e.actorRole === 'handler' && !e.actorName.includes('（')
                  ? `（${e.unitName}）`
                  : ''} · {ROLE_LABEL[e.actorRole]?.() ?? e.actorRole}
              </Typography.Text>
              {!e.isPublic && <Tag variant="filled">{t('内部', 'Internal')}</Tag>}
            </Space>
            {e.publicText && <div>{e.publicText}</div>}
            {e.note && e.note !== e.publicText && (
              <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {t('备注：', 'Note: ')}
                {e.note}
              </Typography.Paragraph>
            )}
          </div>
        ),
      }))}
    />
  );
}

const DISPATCH_STATUS: Record<TDispatchView['status'], () => string> = {
  pending: () => t('待签收', 'To sign for'),
  signed: () => t('已签收', 'Signed for'),
  in_progress: () => t('办理中', 'In progress'),
  reported: () => t('已上报', 'Reported'),
  returned: () => t('已退单', 'Returned'),
  cancelled: () => t('已撤销', 'Cancelled'),
};
const DISPATCH_COLOR: Record<TDispatchView['status'], string> = {
  pending: 'blue',
  signed: 'cyan',
  in_progress: 'processing',
  reported: 'green',
  returned: 'orange',
  cancelled: 'default',
};

export function DispatchStatusTag({ status }: { status: TDispatchView['status'] }) {
  return <Tag color={DISPATCH_COLOR[status]}>{DISPATCH_STATUS[status]()}</Tag>;
}

/** The work orders of a case: lead and assisting departments per round. */
export function DispatchTable({ dispatches }: { dispatches: TDispatchView[] }) {
  return (
    <Table<TDispatchView>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={dispatches}
      scroll={{ x: 900 }}
      data-testid="case-dispatches"
      columns={[
        {
          title: t('轮次', 'Round'),
          dataIndex: 'round',
          width: 60,
          render: (r: number, d) => `${r}${d.kind === 'redo' ? t('（重办）', ' (redo)') : ''}`,
        },
        { title: t('单位', 'Unit'), dataIndex: 'unitName' },
        {
          title: t('角色', 'Role'),
          dataIndex: 'role',
          width: 70,
          render: (r: string) =>
            r === 'lead' ? <Tag color="red">{t('主办', 'Lead')}</Tag> : <Tag>{t('协办', 'Assist')}</Tag>,
        },
        {
          title: t('状态', 'Status'),
          dataIndex: 'status',
          width: 90,
          render: (s: TDispatchView['status']) => <DispatchStatusTag status={s} />,
        },
        {
          title: t('签收', 'Sign-for'),
          key: 'sign',
          render: (_, d) =>
            d.signedAt ? fmtTime(d.signedAt) : <DueTag due={d.signDue} state={d.signState} kind="sign" />,
        },
        {
          title: t('办理时限', 'Deadline'),
          key: 'deadline',
          render: (_, d) => (
            <Space orientation="vertical" size={0}>
              <span>
                {d.deadlineDate}（{d.timeLimitDays}
                {t('个工作日', ' working days')}
                {d.extensionDays ? t(`，延期${d.extensionDays}天`, `, +${d.extensionDays}`) : ''}）
              </span>
              {d.reportedAt ? (
                <Typography.Text type="secondary">{t('上报 ', 'Reported ') + fmtTime(d.reportedAt)}</Typography.Text>
              ) : (
                <DueTag due={d.deadline} state={d.dueState} />
              )}
            </Space>
          ),
        },
        {
          title: t('结果 / 说明', 'Result / note'),
          key: 'result',
          render: (_, d) => (
            <Space orientation="vertical" size={0}>
              {d.result && <span>{d.result}</span>}
              {d.returnReason && (
                <Typography.Text type="warning">{t('退单理由：', 'Returned: ') + d.returnReason}</Typography.Text>
              )}
              {d.extensionRequest && (
                <Typography.Text type="warning" data-testid="extension-request">
                  {t(`申请延期 ${d.extensionRequest.days} 个工作日：`, `Asks ${d.extensionRequest.days} more days: `)}
                  {d.extensionRequest.reason}
                </Typography.Text>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

export function AttachmentList({ caseId, attachments }: { caseId: number; attachments: TAttachmentView[] }) {
  if (!attachments.length) return <Typography.Text type="secondary">{t('暂无附件', 'No attachments')}</Typography.Text>;
  return (
    <Space orientation="vertical" data-testid="case-attachments">
      {attachments.map((a) => (
        <Space key={a.id} wrap>
          <PaperClipOutlined />
          <a href={casesApi.attachmentUrl(caseId, a.id)} target="_blank" rel="noreferrer">
            {a.filename}
          </a>
          <Typography.Text type="secondary">
            {Math.ceil(a.size / 1024)} KB · {a.uploadedByName}
            {a.unitName ? `（${a.unitName}）` : ''} · {fmtDate(a.createdAt)}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}
