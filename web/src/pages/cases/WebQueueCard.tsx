import { GlobalOutlined } from '@ant-design/icons';
import { Card, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { t } from '../../lib/i18n';
import { useCaseList } from './api';
import { CHANNEL_LABEL, fmtTime } from './casesData';

/**
 * The agent console's feed of citizens' own submissions (the public page and Open311 clients) still
 * waiting for dispatch: they reach nobody until an agent routes them. The newest first, as they arrive
 * (refreshed every minute); the count and 全部 lead to the whole queue, oldest first.
 */
export function WebQueueCard() {
  const query = (channel: 'web' | 'open311') => ({
    awaiting: 'dispatch',
    channel,
    sort: 'oldest',
    pageSize: 6,
  });
  const web = useCaseList(['console-web', 'web'], query('web'), { refetchInterval: 60_000 });
  const open311 = useCaseList(['console-web', 'open311'], query('open311'), { refetchInterval: 60_000 });
  const lists = [web, open311];
  const total = lists.reduce((n, l) => n + (l.data?.total ?? 0), 0);
  const items = lists
    .flatMap((l) => l.data?.items ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 6);
  return (
    <Card
      size="small"
      data-testid="console-web-queue"
      title={
        <Space>
          <GlobalOutlined />
          {t('网上诉求待派单', 'Online submissions to dispatch')}
          {total > 0 && (
            <Tag color="red" data-testid="console-web-count">
              {total}
            </Tag>
          )}
        </Space>
      }
      extra={
        total > 0 ? (
          <Link to="/cases?awaiting=dispatch&sort=oldest" data-testid="console-web-all">
            {t('全部待派单', 'All to dispatch')}
          </Link>
        ) : null
      }
    >
      <List
        size="small"
        loading={lists.some((l) => l.isLoading)}
        locale={{ emptyText: t('没有待派单的网上诉求', 'No online submission is waiting') }}
        dataSource={items}
        renderItem={(c) => (
          <List.Item data-testid={`console-web-${c.id}`} extra={<Tag>{CHANNEL_LABEL[c.channel]()}</Tag>}>
            <List.Item.Meta
              title={<Link to={`/cases/${c.id}`}>{c.number}</Link>}
              description={
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                  {fmtTime(c.createdAt)} · {c.summary}
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
