import { Alert, Badge, Button, Card, Form, Input, Radio, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TCaseListItem, TEscalationView } from '@server/modules/cases/cases.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { fmtTime } from './casesData';
import { CASES_KEY, casesApi, ESCALATIONS_KEY, NOTICES_KEY, useCaseList, useEscalations } from './api';
import { FormModal } from '../../components/FormModal';
import { DueTag, StatusTag } from './components';

type Dialog =
  | { kind: 'decide' | 'follow'; escalation: TEscalationView }
  | { kind: 'remind'; caseId: number; number: string }
  | null;

type DialogValues = { approve?: boolean; note?: string };

function DialogForm({ dialog, onClose }: { dialog: NonNullable<Dialog>; onClose: () => void }) {
  const submit = (v: DialogValues): Promise<unknown> => {
    if (dialog.kind === 'remind') return casesApi.act(dialog.caseId, 'remind', { note: v.note });
    if (dialog.kind === 'decide')
      return casesApi.decideEscalation(dialog.escalation.id, { approve: !!v.approve, note: v.note ?? '' });
    return casesApi.followEscalation(dialog.escalation.id, { note: v.note ?? '' });
  };
  const title =
    dialog.kind === 'decide'
      ? t('审批督办申请', 'Decide escalation')
      : dialog.kind === 'follow'
        ? t('督办意见', 'Escalation note')
        : t('催办', 'Remind');
  return (
    <FormModal<DialogValues>
      title={title}
      onClose={onClose}
      submit={submit}
      invalidate={[CASES_KEY, ESCALATIONS_KEY, NOTICES_KEY]}
      success={t('已提交', 'Saved')}
      errorFields={[]}
      okTestId="escalation-submit"
    >
      {dialog.kind !== 'remind' && (
        <Typography.Paragraph>
          {dialog.escalation.caseNumber}：{dialog.escalation.caseSummary}
          <br />
          <Typography.Text type="secondary">{t('督办理由：', 'Reason: ') + dialog.escalation.reason}</Typography.Text>
        </Typography.Paragraph>
      )}
      {dialog.kind === 'decide' && (
        <Form.Item name="approve" rules={[{ required: true, message: t('请选择', 'Choose one') }]}>
          <Radio.Group>
            <Radio value={true} data-testid="escalation-approve-yes">
              {t('批准，列为督办件', 'Approve')}
            </Radio>
            <Radio value={false} data-testid="escalation-approve-no">
              {t('不批准', 'Reject')}
            </Radio>
          </Radio.Group>
        </Form.Item>
      )}
      <Form.Item
        name="note"
        label={
          dialog.kind === 'decide'
            ? t('审批意见', 'Note')
            : dialog.kind === 'follow'
              ? t('督办意见（将通知承办单位）', 'Note to the departments')
              : t('催办内容', 'Reminder')
        }
        rules={dialog.kind === 'decide' ? [] : [{ required: true, whitespace: true, message: t('请填写', 'Required') }]}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="escalation-note" />
      </Form.Item>
    </FormModal>
  );
}

/** Level 1's board: escalation requests to decide, escalated cases with their notes, overdue cases to chase. */
export function EscalationsPage() {
  const navigate = useNavigate();
  const { can } = useAuth();
  const [tab, setTab] = useState('pending');
  const [dialog, setDialog] = useState<Dialog>(null);
  const pending = useEscalations('pending');
  const approved = useEscalations('approved');
  const ended = useEscalations('closed', 'ended', tab === 'ended');
  const overdue = useCaseList(['list', 'overdue-board'], { overdue: 1, pageSize: 100 });
  const decides = can('cases.escalations');
  const open = (id: number) => ({ onClick: () => void navigate(`/cases/${id}`), style: { cursor: 'pointer' } });

  const escColumns = (kind: 'pending' | 'approved' | 'ended') => [
    { title: t('办件编号', 'Number'), dataIndex: 'caseNumber', width: 160, render: (v: string) => <a>{v}</a> },
    {
      title: t('状态', 'Status'),
      dataIndex: 'caseStatus',
      width: 120,
      render: (s: TEscalationView['caseStatus']) => <StatusTag status={s} />,
    },
    { title: t('诉求摘要', 'Summary'), dataIndex: 'caseSummary', ellipsis: true },
    { title: t('主办单位', 'Lead'), dataIndex: 'leadUnitName', width: 170, render: (v: string | null) => v ?? '—' },
    { title: t('督办理由', 'Reason'), dataIndex: 'reason', width: 200, ellipsis: true },
    kind === 'pending'
      ? {
          title: t('申请', 'Requested'),
          key: 'req',
          width: 170,
          render: (_: unknown, e: TEscalationView) => `${e.requestedByName ?? ''} ${fmtTime(e.requestedAt)}`,
        }
      : {
          title: t('最近督办意见', 'Last note'),
          key: 'note',
          width: 220,
          render: (_: unknown, e: TEscalationView) =>
            e.followCount
              ? `${e.lastFollowNote}（${fmtTime(e.lastFollowAt)}，共${e.followCount}次）`
              : t('尚无', 'none'),
        },
    {
      title: t('时限', 'Due'),
      key: 'due',
      width: 160,
      render: (_: unknown, e: TEscalationView) => <DueTag due={e.deadline} state={e.dueState} />,
    },
    ...(decides && kind !== 'ended'
      ? [
          {
            title: t('操作', 'Actions'),
            key: 'act',
            width: 120,
            render: (_: unknown, e: TEscalationView) => (
              <span onClick={(ev) => ev.stopPropagation()}>
                {kind === 'pending' ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'decide', escalation: e })}
                    data-testid={`escalation-decide-${e.caseNumber}`}
                  >
                    {t('审批', 'Decide')}
                  </Button>
                ) : (
                  <Button
                    size="small"
                    onClick={() => setDialog({ kind: 'follow', escalation: e })}
                    data-testid={`escalation-follow-${e.caseNumber}`}
                  >
                    {t('督办意见', 'Note')}
                  </Button>
                )}
              </span>
            ),
          },
        ]
      : []),
  ];

  const err = pending.error ?? approved.error ?? overdue.error;
  return (
    <Card title={t('督办工作台', 'Escalation board')}>
      {err && <Alert type="error" showIcon title={errorText(err)} style={{ marginBottom: 12 }} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'pending',
            label: (
              <Space>
                {t('待审批', 'To decide')}
                <Badge count={pending.data?.length ?? 0} />
              </Space>
            ),
            children: (
              <Table<TEscalationView>
                rowKey="id"
                loading={pending.isLoading}
                dataSource={pending.data ?? []}
                columns={escColumns('pending')}
                scroll={{ x: 1100 }}
                onRow={(e) => open(e.caseId)}
                data-testid="escalations-pending"
              />
            ),
          },
          {
            key: 'approved',
            label: (
              <Space>
                {t('督办中', 'Escalated')}
                <Badge count={approved.data?.length ?? 0} color="blue" />
              </Space>
            ),
            children: (
              <Table<TEscalationView>
                rowKey="id"
                loading={approved.isLoading}
                dataSource={approved.data ?? []}
                columns={escColumns('approved')}
                scroll={{ x: 1100 }}
                onRow={(e) => open(e.caseId)}
                data-testid="escalations-approved"
              />
            ),
          },
          {
            key: 'overdue',
            label: (
              <Space>
                {t('超期诉求', 'Overdue')}
                <Badge count={overdue.data?.total ?? 0} />
              </Space>
            ),
            children: (
              <Table<TCaseListItem>
                rowKey="id"
                loading={overdue.isLoading}
                dataSource={overdue.data?.items ?? []}
                scroll={{ x: 1000 }}
                onRow={(r) => open(r.id)}
                data-testid="escalations-overdue"
                columns={[
                  {
                    title: t('办件编号', 'Number'),
                    dataIndex: 'number',
                    width: 160,
                    render: (v: string) => <a>{v}</a>,
                  },
                  {
                    title: t('状态', 'Status'),
                    dataIndex: 'status',
                    width: 120,
                    render: (s: TCaseListItem['status']) => <StatusTag status={s} />,
                  },
                  { title: t('诉求摘要', 'Summary'), dataIndex: 'summary', ellipsis: true },
                  { title: t('主办单位', 'Lead'), dataIndex: 'leadUnitName', width: 170 },
                  {
                    title: t('时限', 'Due'),
                    key: 'due',
                    width: 170,
                    render: (_, r) => <DueTag due={r.deadline} state={r.dueState} />,
                  },
                  {
                    title: t('操作', 'Actions'),
                    key: 'act',
                    width: 100,
                    render: (_, r) => (
                      <span onClick={(ev) => ev.stopPropagation()}>
                        <Button
                          size="small"
                          onClick={() => setDialog({ kind: 'remind', caseId: r.id, number: r.number })}
                          data-testid={`escalation-remind-${r.number}`}
                        >
                          {t('催办', 'Remind')}
                        </Button>
                      </span>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'ended',
            label: t('已结束', 'Ended'),
            children: (
              <Table<TEscalationView>
                rowKey="id"
                loading={ended.isLoading}
                dataSource={ended.data ?? []}
                columns={escColumns('ended')}
                scroll={{ x: 1100 }}
                onRow={(e) => open(e.caseId)}
              />
            ),
          },
        ]}
      />
      {dialog && <DialogForm dialog={dialog} onClose={() => setDialog(null)} />}
    </Card>
  );
}
