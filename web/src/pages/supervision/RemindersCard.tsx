import { BellOutlined } from '@ant-design/icons';
import { Badge, Card, Empty, List, Space, Tag, Typography } from 'antd';
import type { TReminders } from '@server/modules/supervision/supervision.ledger.schema';
import { t } from '../../lib/i18n';
import { useReminders } from './api';
import { TaskLight } from './LightDot';
import { LIGHT_REASONS } from './supervisionData';

type Reminded = TReminders['rows'][number] & { times: number };

/**
 * 催办: the tasks reminded over the last 30 days, most recently reminded first, each once with the date and
 * reasons of its last reminder and how many times it was reminded; the badge counts those still red.
 * `as` narrows to the unit's (我的督办) or the leader's (tasks in their charge).
 */
export function RemindersCard({ as, onOpen }: { as: 'unit' | 'leader'; onOpen: (taskId: number) => void }) {
  const q = useReminders();
  const byTask = new Map<number, Reminded>();
  for (const r of q.data?.rows ?? []) {
    if (r.as !== as) continue;
    const seen = byTask.get(r.taskId);
    if (seen) seen.times++;
    else byTask.set(r.taskId, { ...r, times: 1 });
  }
  const rows = [...byTask.values()];
  const open = rows.filter((r) => r.light === 'red').length;
  if (as === 'leader' && !q.isLoading && !rows.length) return null;
  return (
    <Card
      size="small"
      data-testid={`sup-reminders-${as}`}
      title={
        <Space>
          <Badge count={open} size="small" data-testid="sup-reminders-badge">
            <BellOutlined style={{ fontSize: 16 }} />
          </Badge>
          {as === 'unit'
            ? t('催办（近 30 天）', 'Reminders (last 30 days)')
            : t('分管事项的催办（红灯）', 'Reminders of tasks in my charge (red)')}
        </Space>
      }
    >
      <List
        size="small"
        loading={q.isLoading}
        dataSource={rows.slice(0, 8)}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('暂无催办', 'No reminders')} />,
        }}
        renderItem={(r) => (
          <List.Item
            style={{ cursor: 'pointer' }}
            onClick={() => onOpen(r.taskId)}
            extra={<Typography.Text type="secondary">{r.on}</Typography.Text>}
          >
            <Space size={6} wrap>
              <TaskLight light={r.light} reasons={[]} />
              <Typography.Text strong={r.light === 'red'}>{r.title}</Typography.Text>
              {as === 'leader' && r.unitName && <Tag>{r.unitName}</Tag>}
              {r.reasons.map((x) => (
                <Tag key={x} color="red">
                  {LIGHT_REASONS[x]?.() ?? x}
                </Tag>
              ))}
              <Typography.Text type="secondary">
                {t('完成时限', 'Deadline')} {r.deadline}
              </Typography.Text>
              {r.times > 1 && (
                <Tag data-testid="sup-reminder-times">{t(`已催办 ${r.times} 次`, `reminded ${r.times} times`)}</Tag>
              )}
            </Space>
          </List.Item>
        )}
      />
      {rows.length > 8 && (
        <Typography.Text type="secondary">
          {t(`另有 ${rows.length - 8} 项被催办的事项`, `${rows.length - 8} more reminded task(s)`)}
        </Typography.Text>
      )}
    </Card>
  );
}
