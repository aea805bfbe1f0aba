import { BellOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, List, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { CaseUiAction, TCaseListItem, TNotice } from '@server/modules/cases/cases.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { paginationTotal } from '../../lib/lists';
import { ActionModal, ACTION_LABEL } from './CaseActions';
import { fmtTime } from './casesData';
import { ExportButton } from '../../components/TableTools';
import { useCaseCounts, useRefreshCases, casesApi, useCaseList, useUnreadNotices } from './api';
import { DispatchStatusTag, DueTag, EscalatedFlag, StatusTag } from './components';

type Tab = 'todo' | 'overdue' | 'all';

function Notices() {
  const refresh = useRefreshCases();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const q = useUnreadNotices();
  const read = async (n: TNotice) => {
    try {
      await casesApi.readNotice(n.id);
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <BellOutlined />
          {t('消息提醒', 'Notices')}
          <Badge count={q.data?.length ?? 0} />
        </Space>
      }
      data-testid="case-notices"
    >
      <List
        size="small"
        dataSource={q.data ?? []}
        locale={{ emptyText: t('没有未读提醒', 'No unread notices') }}
        renderItem={(n) => (
          <List.Item
            actions={[
              <a key="open" onClick={() => void navigate(`/cases/${n.caseId}`)}>
                {t('查看', 'Open')}
              </a>,
              <a key="read" onClick={() => void read(n)} data-testid={`notice-read-${n.id}`}>
                {t('已读', 'Read')}
              </a>,
            ]}
          >
            <Space orientation="vertical" size={0}>
              <span>
                {n.kind === 'remind' || n.kind === 'escalation' ? (
                  <Tag color="red">{n.kind === 'remind' ? t('催办', 'Reminder') : t('督办', 'Escalation')}</Tag>
                ) : null}
                {n.text}
              </span>
              <Typography.Text type="secondary">
                {n.actorName} · {fmtTime(n.createdAt)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** The handler's inbox: active work orders of the unit with sign-for and handling countdowns, and the actions on them. */
export function InboxPage() {
  const navigate = useNavigate();
  const refresh = useRefreshCases();
  const { message } = App.useApp();
  const [tab, setTab] = useState<Tab>('todo');
  const [page, setPage] = useState(1);
  const [modal, setModal] = useState<{ id: number; action: CaseUiAction } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const counts = useCaseCounts();
  const params =
    tab === 'all'
      ? { page, pageSize: 20 }
      : { mine: 1, overdue: tab === 'overdue' ? 1 : undefined, page, pageSize: 20 };
  const list = useCaseList(['inbox', tab, page], params, { keepPrevious: true, refetchInterval: 60_000 });
  const direct = async (id: number, action: 'sign' | 'start') => {
    setBusy(id);
    try {
      await casesApi.act(id, action);
      message.success(t(`${ACTION_LABEL[action]()}成功`, `${ACTION_LABEL[action]()}: done`));
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const c = counts.data;
  const actionsFor = (r: TCaseListItem) => {
    const d = r.dispatch;
    if (!d) return null;
    const caseOk = ['dispatched', 'signed', 'in_progress', 'reported'].includes(r.status);
    const lead = d.role === 'lead';
    const working = d.status === 'signed' || d.status === 'in_progress';
    return (
      <Space wrap size={4} onClick={(e) => e.stopPropagation()}>
        {d.status === 'pending' && caseOk && (
          <Button
            size="small"
            type="primary"
            loading={busy === r.id}
            onClick={() => void direct(r.id, 'sign')}
            data-testid={`inbox-sign-${r.number}`}
          >
            {ACTION_LABEL.sign()}
          </Button>
        )}
        {d.status === 'signed' && (
          <Button
            size="small"
            loading={busy === r.id}
            onClick={() => void direct(r.id, 'start')}
            data-testid={`inbox-start-${r.number}`}
          >
            {ACTION_LABEL.start()}
          </Button>
        )}
        {working && (
          <Button
            size="small"
            type="primary"
            onClick={() => setModal({ id: r.id, action: 'report' })}
            data-testid={`inbox-report-${r.number}`}
          >
            {ACTION_LABEL.report()}
          </Button>
        )}
        {working && !d.extensionRequest && lead && (
          <Button
            size="small"
            onClick={() => setModal({ id: r.id, action: 'extension' })}
            data-testid={`inbox-extension-${r.number}`}
          >
            {ACTION_LABEL.extension()}
          </Button>
        )}
        <Button
          size="small"
          danger
          onClick={() => setModal({ id: r.id, action: 'return' })}
          data-testid={`inbox-return-${r.number}`}
        >
          {ACTION_LABEL.return()}
        </Button>
      </Space>
    );
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        {[
          { key: 'toSign', label: t('待签收', 'To sign for'), value: c?.toSign, danger: false },
          { key: 'signOverdue', label: t('签收超时', 'Sign-for late'), value: c?.signOverdue, danger: true },
          { key: 'inProgress', label: t('办理中', 'In progress'), value: c?.inProgress, danger: false },
          { key: 'dueSoon', label: t('即将到期', 'Due soon'), value: c?.dueSoon, danger: false },
          { key: 'overdue', label: t('已超期', 'Overdue'), value: c?.overdue, danger: true },
        ].map((s) => (
          <Col key={s.key} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic
                title={s.label}
                value={s.value ?? 0}
                styles={{ content: s.danger && s.value ? { color: '#cf1322' } : undefined }}
                data-testid={`inbox-count-${s.key}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={18}>
          <Card
            title={t('我的待办', 'My inbox')}
            extra={
              <ExportButton
                path={casesApi.casesExportUrl()}
                query={{ ...params, page: undefined, pageSize: undefined }}
                testId="inbox-export"
              />
            }
          >
            <Tabs
              activeKey={tab}
              onChange={(k) => {
                setTab(k as Tab);
                setPage(1);
              }}
              items={[
                { key: 'todo', label: t('待办工单', 'Open work orders') },
                { key: 'overdue', label: t('已超期', 'Overdue') },
                { key: 'all', label: t('本单位全部诉求', 'All of my unit') },
              ]}
            />
            {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
            <Table<TCaseListItem>
              rowKey={(r) => `${r.id}-${r.dispatch?.id ?? 0}`}
              size="middle"
              loading={list.isLoading}
              dataSource={list.data?.items ?? []}
              scroll={{ x: 880 }}
              data-testid="inbox-table"
              onRow={(r) =>
                ({
                  onClick: () => void navigate(`/cases/${r.id}`),
                  style: { cursor: 'pointer' },
                  'data-testid': `inbox-row-${r.number}`,
                }) as object
              }
              pagination={{
                current: page,
                pageSize: 20,
                ...paginationTotal(list.data),
                onChange: setPage,
                showSizeChanger: false,
              }}
              columns={[
                { title: t('办件编号', 'Number'), dataIndex: 'number', width: 150, render: (v: string) => <a>{v}</a> },
                {
                  title: t('状态', 'Status'),
                  key: 'status',
                  width: 150,
                  render: (_, r) => (
                    <Space size={2} wrap>
                      {r.dispatch ? <DispatchStatusTag status={r.dispatch.status} /> : <StatusTag status={r.status} />}
                      {r.dispatch && r.dispatch.role === 'assist' && <Tag>{t('协办', 'Assist')}</Tag>}
                      {r.dispatch?.extensionRequest && <Tag color="orange">{t('延期审批中', 'Extension asked')}</Tag>}
                      <EscalatedFlag on={r.escalated} />
                    </Space>
                  ),
                },
                {
                  // Summary with the address under it: one column instead of two keeps the actions in view.
                  title: t('诉求摘要 / 地址', 'Summary / address'),
                  key: 'summary',
                  ellipsis: true,
                  render: (_, r) => (
                    <div style={{ minWidth: 0 }}>
                      <Typography.Text ellipsis style={{ display: 'block' }}>
                        {r.summary}
                      </Typography.Text>
                      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
                        {r.address}
                      </Typography.Text>
                    </div>
                  ),
                },
                {
                  // Signing for comes first: until it is done the sign-for time limit is the one that runs.
                  title: t('时限', 'Time limits'),
                  key: 'due',
                  width: 165,
                  render: (_, r) =>
                    r.dispatch ? (
                      <Space orientation="vertical" size={0}>
                        {r.dispatch.status === 'pending' && (
                          <DueTag
                            due={r.dispatch.signDue}
                            state={r.dispatch.signState}
                            kind="sign"
                            testId={`inbox-sign-due-${r.number}`}
                          />
                        )}
                        <DueTag
                          due={r.dispatch.deadline}
                          state={r.dispatch.dueState}
                          testId={`inbox-due-${r.number}`}
                        />
                      </Space>
                    ) : (
                      <DueTag due={r.deadline} state={r.dueState} />
                    ),
                },
                ...(tab === 'all'
                  ? []
                  : [
                      {
                        title: t('操作', 'Actions'),
                        key: 'act',
                        width: 230,
                        fixed: 'right' as const,
                        render: (_: unknown, r: TCaseListItem) => actionsFor(r),
                      },
                    ]),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={6}>
          <Notices />
        </Col>
      </Row>
      {modal && <ActionModal caseId={modal.id} action={modal.action} onClose={() => setModal(null)} />}
    </Space>
  );
}
