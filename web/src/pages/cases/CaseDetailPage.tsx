import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import type { TDuplicate, TEscalationView } from '@server/modules/cases/cases.schema';
import { ApiError, errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { CaseActionBar } from './CaseActions';
import { CHANNEL_LABEL, ESCALATION_STATUS_LABEL, fmtTime, RATING_LABEL, STATUS_LABEL, TYPE_LABEL } from './casesData';
import { useCase, useCaseDuplicates } from './api';
import { AttachmentList, CaseTimeline, DispatchTable, DueTag, EscalatedFlag, StatusTag } from './components';
import { PublicationTag } from './publication';

const ESC_STATUS = ESCALATION_STATUS_LABEL;

function Duplicates({ caseId }: { caseId: number }) {
  const navigate = useNavigate();
  const q = useCaseDuplicates(caseId);
  if (q.isLoading) return <Spin />;
  if (!q.data?.length) return <Empty description={t('未发现重复诉求', 'No duplicates')} />;
  return (
    <Table<TDuplicate>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={q.data}
      onRow={(r) => ({ onClick: () => void navigate(`/cases/${r.id}`), style: { cursor: 'pointer' } })}
      columns={[
        { title: t('编号', 'Number'), dataIndex: 'number' },
        {
          title: t('状态', 'Status'),
          dataIndex: 'status',
          render: (s: TDuplicate['status']) => <StatusTag status={s} />,
        },
        { title: t('摘要', 'Summary'), dataIndex: 'summary' },
        { title: t('地址', 'Address'), dataIndex: 'address' },
        {
          title: t('相似原因', 'Why'),
          key: 'reason',
          render: (_, d) =>
            d.reason === 'nearby'
              ? t(`相距 ${d.distanceM} 米`, `${d.distanceM} m away`)
              : d.reason === 'same_address'
                ? t('地址相同', 'Same address')
                : t('地址相近', 'Similar address'),
        },
        { title: t('受理时间', 'Created'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
      ]}
    />
  );
}

/** One case: facts, actions the user may take, timeline, work orders, attachments, escalations. */
export function CaseDetailPage() {
  const { id } = useParams();
  const caseId = Number(id);
  const navigate = useNavigate();
  const { can } = useAuth();
  const q = useCase(caseId);
  if (q.isLoading) return <Spin size="large" style={{ display: 'block', margin: 80 }} />;
  if (q.error || !q.data) {
    const missing = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Alert
        type="error"
        showIcon
        title={missing ? t('诉求不存在或无权查看', 'Not found or not yours to see') : errorText(q.error)}
      />
    );
  }
  const c = q.data;
  const handling = c.status === 'dispatched' || c.status === 'signed' || c.status === 'in_progress';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="case-detail">
      <Space wrap align="center">
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
          {t('返回', 'Back')}
        </Button>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-number">
          {c.number}
        </Typography.Title>
        <StatusTag status={c.status} />
        <EscalatedFlag on={c.escalated} />
        {c.redoCount > 0 && <Tag color="magenta">{t(`重办 ${c.redoCount} 次`, `Redone ×${c.redoCount}`)}</Tag>}
        {c.confidential && (
          <Tag color="red" data-testid="case-confidential">
            {t('保密', 'Confidential')}
          </Tag>
        )}
        <span title={t('开放接口公开方式', 'Publication on the public API')} data-testid="case-publication">
          <PublicationTag value={c.publication} />
        </span>
        {c.status === 'dispatched' && (
          <DueTag due={c.signDue} state={c.signState} kind="sign" testId="case-sign-due" labelled />
        )}
        {handling && <DueTag due={c.deadline} state={c.dueState} testId="case-due" labelled />}
      </Space>
      <Card size="small">
        <CaseActionBar detail={c} />
        {!c.actions.length && (
          <Typography.Text type="secondary">
            {t('当前状态下您没有可执行的操作', 'Nothing for you to do in this state')}
          </Typography.Text>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('诉求信息', 'Request')} size="small">
            <Descriptions
              column={{ xs: 1, md: 2 }}
              size="small"
              items={[
                { key: 'cat', label: t('诉求分类', 'Category'), children: c.categoryName },
                {
                  key: 'type',
                  label: t('类型 / 渠道', 'Type / channel'),
                  children: `${TYPE_LABEL[c.type]()} · ${CHANNEL_LABEL[c.channel]()}`,
                },
                {
                  key: 'req',
                  label: t('诉求人', 'Requester'),
                  children: (
                    <span data-testid="case-requester">
                      {c.requester.name || t('（未留姓名）', '(no name)')} {c.requester.phone}
                      {c.requester.enterprise && (
                        <Tag style={{ marginLeft: 4 }}>{c.requester.enterpriseName || t('企业', 'Enterprise')}</Tag>
                      )}
                      {c.requester.anonymous && <Tag style={{ marginLeft: 4 }}>{t('匿名', 'Anonymous')}</Tag>}
                    </span>
                  ),
                },
                { key: 'at', label: t('受理时间', 'Created'), children: fmtTime(c.createdAt) },
                {
                  key: 'addr',
                  label: t('地址', 'Address'),
                  children: `${c.address || '—'}${c.lat !== null ? `（${c.lat.toFixed(5)}, ${c.lng?.toFixed(5)}）` : ''}`,
                  span: 2,
                },
                {
                  key: 'desc',
                  label: t('诉求内容', 'Description'),
                  children: (
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                      {c.description}
                    </Typography.Paragraph>
                  ),
                  span: 2,
                },
                ...(c.externalRef
                  ? [{ key: 'ext', label: t('外部编号', 'External ref'), children: c.externalRef }]
                  : []),
                ...(c.mainCase
                  ? [
                      {
                        key: 'main',
                        label: t('主办件', 'Main case'),
                        children: (
                          <a onClick={() => void navigate(`/cases/${c.mainCase!.id}`)}>
                            {c.mainCase.number}（{STATUS_LABEL[c.mainCase.status]()}）
                          </a>
                        ),
                      },
                    ]
                  : []),
                ...(c.mergedCases.length
                  ? [
                      {
                        key: 'merged',
                        label: t('合并的重复件', 'Merged duplicates'),
                        children: (
                          <Space wrap>
                            {c.mergedCases.map((m) => (
                              <a key={m.id} onClick={() => void navigate(`/cases/${m.id}`)}>
                                {m.number}
                              </a>
                            ))}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('办理情况', 'Handling')} size="small">
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'lead', label: t('主办单位', 'Lead'), children: c.leadUnitName ?? '—' },
                {
                  key: 'limit',
                  label: t('办理时限', 'Time limit'),
                  children: c.timeLimitDays ? t(`${c.timeLimitDays} 个工作日`, `${c.timeLimitDays} working days`) : '—',
                },
                { key: 'deadline', label: t('截止时间', 'Deadline'), children: c.deadline ? fmtTime(c.deadline) : '—' },
                ...(c.workingDaysLeft !== null
                  ? [
                      {
                        key: 'left',
                        label: t('剩余工作日', 'Working days left'),
                        children:
                          c.workingDaysLeft < 0 ? (
                            <Typography.Text type="danger">
                              {t(`超期 ${-c.workingDaysLeft} 个工作日`, `${-c.workingDaysLeft} late`)}
                            </Typography.Text>
                          ) : (
                            c.workingDaysLeft
                          ),
                      },
                    ]
                  : []),
                {
                  key: 'ext',
                  label: t('延期 / 退单', 'Extensions / returns'),
                  children: `${c.extensionCount} / ${c.returnCount}`,
                },
                ...(c.result ? [{ key: 'result', label: t('办理结果', 'Result'), children: c.result }] : []),
                ...(c.rejectReason
                  ? [{ key: 'rej', label: t('不予受理理由', 'Rejection reason'), children: c.rejectReason }]
                  : []),
                ...(c.feedback
                  ? [
                      {
                        key: 'fb',
                        label: t('评价', 'Feedback'),
                        children: `${RATING_LABEL[c.feedback.rating]()}${c.feedback.comment ? `：${c.feedback.comment}` : ''}（${c.feedback.by === 'citizen' ? t('市民网上评价', 'by the citizen') : t('回访录入', 'callback')}）`,
                      },
                    ]
                  : []),
                ...(c.reviewResult
                  ? [
                      {
                        key: 'rv',
                        label: t('专业评价', 'Review'),
                        children:
                          c.reviewResult === 'qualified'
                            ? t('合格', 'Qualified')
                            : t('不合格（重办）', 'Unqualified (redo)'),
                      },
                    ]
                  : []),
                { key: 'closed', label: t('办结时间', 'Closed'), children: fmtTime(c.closedAt) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Tabs
          items={[
            { key: 'timeline', label: t('办理过程', 'Timeline'), children: <CaseTimeline events={c.events} /> },
            {
              key: 'dispatches',
              label: t(`工单（${c.dispatches.length}）`, `Work orders (${c.dispatches.length})`),
              children: <DispatchTable dispatches={c.dispatches} />,
            },
            {
              key: 'files',
              label: t(`附件（${c.attachments.length}）`, `Attachments (${c.attachments.length})`),
              children: <AttachmentList caseId={c.id} attachments={c.attachments} />,
            },
            {
              key: 'esc',
              label: t(`督办（${c.escalations.length}）`, `Escalations (${c.escalations.length})`),
              children: c.escalations.length ? (
                <Table<TEscalationView>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={c.escalations}
                  columns={[
                    {
                      title: t('状态', 'Status'),
                      dataIndex: 'status',
                      render: (s: TEscalationView['status']) => <Tag>{ESC_STATUS[s]()}</Tag>,
                    },
                    { title: t('理由', 'Reason'), dataIndex: 'reason' },
                    {
                      title: t('申请', 'Requested'),
                      key: 'req',
                      render: (_, e) => `${e.requestedByName ?? ''} ${fmtTime(e.requestedAt)}`,
                    },
                    {
                      title: t('审批', 'Decision'),
                      key: 'dec',
                      render: (_, e) =>
                        e.decidedAt ? `${e.decidedByName ?? ''} ${fmtTime(e.decidedAt)} ${e.decisionNote}` : '—',
                    },
                    {
                      title: t('督办意见', 'Last note'),
                      key: 'f',
                      render: (_, e) => (e.followCount ? `${e.lastFollowNote}（${e.followCount}）` : '—'),
                    },
                  ]}
                />
              ) : (
                <Empty description={t('无督办记录', 'No escalations')} />
              ),
            },
            ...(can('cases.dispatch')
              ? [{ key: 'dups', label: t('疑似重复', 'Possible duplicates'), children: <Duplicates caseId={c.id} /> }]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
