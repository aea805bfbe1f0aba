import { useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Form, Input, Modal, Radio, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TCaseList, TCaseListItem, TEscalationView } from '@server/modules/cases/cases.schema';
import { http } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { errorText, fmtTime, useRefreshCases } from './casesData';
import { DueTag, StatusTag } from './components';

type Dialog = { kind: 'decide' | 'follow'; escalation: TEscalationView } | { kind: 'remind'; caseId: number; number: string } | null;

function DialogForm({ dialog, onClose }: { dialog: NonNullable<Dialog>; onClose: () => void }) {
  const [form] = Form.useForm<{ approve?: boolean; note?: string }>();
  const { message } = App.useApp();
  const refresh = useRefreshCases();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    let v: { approve?: boolean; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      if (dialog.kind === 'remind') await http.post(`/api/cases/${dialog.caseId}/remind`, { note: v.note });
      else if (dialog.kind === 'decide') await http.post(`/api/escalations/${dialog.escalation.id}/decide`, { approve: v.approve, note: v.note ?? '' });
      else await http.post(`/api/escalations/${dialog.escalation.id}/follow`, { note: v.note });
      message.success(t('已提交', 'Saved'));
      await refresh();
      onClose();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const title = dialog.kind === 'decide' ? t('审批督办申请', 'Decide escalation') : dialog.kind === 'follow' ? t('督办意见', 'Escalation note') : t('催办', 'Remind');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void run()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'escalation-submit' }} destroyOnHidden>
      <Form form={form} layout="vertical">
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
          label={dialog.kind === 'decide' ? t('审批意见', 'Note') : dialog.kind === 'follow' ? t('督办意见（将通知承办单位）', 'Note to the departments') : t('催办内容', 'Reminder')}
          rules={dialog.kind === 'decide' ? [] : [{ required: true, whitespace: true, message: t('请填写', 'Required') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="escalation-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Level 1's board: escalation requests to decide, escalated cases with their notes, overdue cases to chase. */
export function EscalationsPage() {
  const navigate = useNavigate();
  const { can } = useAuth();
  const [tab, setTab] = useState('pending');
  const [dialog, setDialog] = useState<Dialog>(null);
  const pending = useQuery({ queryKey: ['escalations', 'pending'], queryFn: () => http.get<TEscalationView[]>('/api/escalations?status=pending') });
  const approved = useQuery({ queryKey: ['escalations', 'approved'], queryFn: () => http.get<TEscalationView[]>('/api/escalations?status=approved') });
  const ended = useQuery({ queryKey: ['escalations', 'ended'], queryFn: () => http.get<TEscalationView[]>('/api/escalations?status=closed'), enabled: tab === 'ended' });
  const overdue = useQuery({ queryKey: ['cases', 'list', 'overdue-board'], queryFn: () => http.get<TCaseList>('/api/cases?overdue=1&pageSize=100') });
  const decides = can('cases.escalations');
  const open = (id: number) => ({ onClick: () => void navigate(`/cases/${id}`), style: { cursor: 'pointer' } });

  const escColumns = (kind: 'pending' | 'approved' | 'ended') => [
    { title: t('办件编号', 'Number'), dataIndex: 'caseNumber', width: 160, render: (v: string) => <a>{v}</a> },
    { title: t('状态', 'Status'), dataIndex: 'caseStatus', width: 120, render: (s: TEscalationView['caseStatus']) => <StatusTag status={s} /> },
    { title: t('诉求摘要', 'Summary'), dataIndex: 'caseSummary', ellipsis: true },
    { title: t('主办单位', 'Lead'), dataIndex: 'leadUnitName', width: 170, render: (v: string | null) => v ?? '—' },
    { title: t('督办理由', 'Reason'), dataIndex: 'reason', width: 200, ellipsis: true },
    kind === 'pending'
      ? { title: t('申请', 'Requested'), key: 'req', width: 170, render: (_: unknown, e: TEscalationView) => `${e.requestedByName ?? ''} ${fmtTime(e.requestedAt)}` }
      : {
          title: t('最近督办意见', 'Last note'),
          key: 'note',
          width: 220,
          render: (_: unknown, e: TEscalationView) => (e.followCount ? `${e.lastFollowNote}（${fmtTime(e.lastFollowAt)}，共${e.followCount}次）` : t('尚无', 'none')),
        },
    { title: t('时限', 'Due'), key: 'due', width: 160, render: (_: unknown, e: TEscalationView) => <DueTag due={e.deadline} state={e.dueState} /> },
    ...(decides && kind !== 'ended'
      ? [
          {
            title: t('操作', 'Actions'),
            key: 'act',
            width: 120,
            render: (_: unknown, e: TEscalationView) => (
              <span onClick={(ev) => ev.stopPropagation()}>
                {kind === 'pending' ? (
                  <Button size="small" type="primary" onClick={() => setDialog({ kind: 'decide', escalation: e })} data-testid={`escalation-decide-${e.caseNumber}`}>
                    {t('审批', 'Decide')}
                  </Button>
                ) : (
                  <Button size="small" onClick={() => setDialog({ kind: 'follow', escalation: e })} data-testid={`escalation-follow-${e.caseNumber}`}>
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
                  { title: t('办件编号', 'Number'), dataIndex: 'number', width: 160, render: (v: string) => <a>{v}</a> },
                  { title: t('状态', 'Status'), dataIndex: 'status', width: 120, render: (s: TCaseListItem['status']) => <StatusTag status={s} /> },
                  { title: t('诉求摘要', 'Summary'), dataIndex: 'summary', ellipsis: true },
                  { title: t('主办单位', 'Lead'), dataIndex: 'leadUnitName', width: 170 },
                  { title: t('时限', 'Due'), key: 'due', width: 170, render: (_, r) => <DueTag due={r.deadline} state={r.dueState} /> },
                  {
                    title: t('操作', 'Actions'),
                    key: 'act',
                    width: 100,
                    render: (_, r) => (
                      <span onClick={(ev) => ev.stopPropagation()}>
                        <Button size="small" onClick={() => setDialog({ kind: 'remind', caseId: r.id, number: r.number })} data-testid={`escalation-remind-${r.number}`}>
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
            children: <Table<TEscalationView> rowKey="id" loading={ended.isLoading} dataSource={ended.data ?? []} columns={escColumns('ended')} scroll={{ x: 1100 }} onRow={(e) => open(e.caseId)} />,
          },
        ]}
      />
      {dialog && <DialogForm dialog={dialog} onClose={() => setDialog(null)} />}
    </Card>
  );
}
