import { Card, Col, Row, Statistic } from 'antd';
import { useNavigate } from 'react-router';
import { t } from '../../lib/i18n';
import { useCaseCounts } from './api';

type Tile = { key: string; label: string; value: number | undefined; to: string; danger?: boolean };

function Tiles({ title, tiles, testId }: { title: string; tiles: Tile[]; testId: string }) {
  const navigate = useNavigate();
  return (
    <Card title={title} size="small" data-testid={testId}>
      <Row gutter={[12, 12]}>
        {tiles.map((s) => (
          <Col key={s.key} xs={12} md={8}>
            <Card size="small" hoverable onClick={() => void navigate(s.to)} data-testid={`${testId}-${s.key}`}>
              <Statistic
                title={s.label}
                value={s.value ?? 0}
                styles={{ content: s.danger && s.value ? { color: '#cf1322' } : undefined }}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** Home widget for hotline agents: what waits for level 2. */
export function AgentCasesWidget() {
  const c = useCaseCounts().data;
  return (
    <Tiles
      title={t('12345 受理派单待办', 'Hotline desk')}
      testId="widget-cases-agent"
      tiles={[
        {
          key: 'dispatch',
          label: t('待派单', 'To dispatch'),
          value: c?.awaitingDispatch,
          to: '/cases?awaiting=dispatch',
        },
        { key: 'verify', label: t('待核查', 'To verify'), value: c?.awaitingVerify, to: '/cases?awaiting=verify' },
        {
          key: 'feedback',
          label: t('待回访', 'To call back'),
          value: c?.awaitingFeedback,
          to: '/cases?awaiting=feedback',
        },
        {
          key: 'extension',
          label: t('延期待审批', 'Extensions'),
          value: c?.extensionRequests,
          to: '/cases?awaiting=extension',
        },
        { key: 'review', label: t('专业评价中', 'In review'), value: c?.awaitingReview, to: '/cases?awaiting=review' },
        { key: 'overdue', label: t('超期未办结', 'Overdue'), value: c?.overdue, to: '/cases?overdue=1', danger: true },
      ]}
    />
  );
}

/** Home widget for department handlers: the unit's inbox with overdue work. */
export function HandlerCasesWidget() {
  const c = useCaseCounts().data;
  return (
    <Tiles
      title={t('本单位诉求办理', 'My unit’s cases')}
      testId="widget-cases-handler"
      tiles={[
        { key: 'toSign', label: t('待签收', 'To sign for'), value: c?.toSign, to: '/cases/inbox' },
        {
          key: 'signOverdue',
          label: t('签收超时', 'Sign-for late'),
          value: c?.signOverdue,
          to: '/cases/inbox',
          danger: true,
        },
        { key: 'inProgress', label: t('办理中', 'In progress'), value: c?.inProgress, to: '/cases/inbox' },
        { key: 'dueSoon', label: t('即将到期', 'Due soon'), value: c?.dueSoon, to: '/cases/inbox' },
        { key: 'overdue', label: t('已超期', 'Overdue'), value: c?.overdue, to: '/cases/inbox', danger: true },
        { key: 'notices', label: t('未读提醒', 'Unread notices'), value: c?.unreadNotices, to: '/cases/inbox' },
      ]}
    />
  );
}

/** Home widget for level 1: escalations to decide and overdue cases. */
export function SupervisorCasesWidget() {
  const c = useCaseCounts().data;
  return (
    <Tiles
      title={t('督办', 'Escalations')}
      testId="widget-cases-supervisor"
      tiles={[
        {
          key: 'pending',
          label: t('督办待审批', 'Escalations to decide'),
          value: c?.pendingEscalations,
          to: '/cases/escalations',
        },
        {
          key: 'overdue',
          label: t('超期诉求', 'Overdue cases'),
          value: c?.overdue,
          to: '/cases/escalations',
          danger: true,
        },
        {
          key: 'review',
          label: t('专业评价', 'Professional review'),
          value: c?.awaitingReview,
          to: '/cases?awaiting=review',
        },
      ]}
    />
  );
}
