import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TReviewerCandidate, TReviewerProfile } from '@server/modules/ratings/ratings.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { ratingsApi, REVIEWERS_KEY, useReviewerCandidates } from './api';

export const REVIEWER_KIND: Record<TReviewerProfile['kind'], () => string> = {
  npc_deputy: () => t('人大代表', 'NPC deputy'),
  cppcc_member: () => t('政协委员', 'CPPCC member'),
  style_reviewer: () => t('行风评议员', 'Conduct reviewer'),
};

/**
 * 专业评价人: the evaluator accounts and their deputy profile (人大代表 / 政协委员 / 行风评议员). With a
 * profile an evaluator may give professional reviews of unsatisfied cases. The admin (users page) and the
 * office (好差评 menu) set and remove it; every change is audited on the server.
 */
export function ReviewersCard() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useReviewerCandidates();
  const [editing, setEditing] = useState<TReviewerCandidate | null>(null);
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const rows = (list.data ?? []).filter(
    (r) => !needle || r.username.toLowerCase().includes(needle) || r.displayName.toLowerCase().includes(needle),
  );
  const remove = useMutation({
    mutationFn: ratingsApi.deleteReviewer,
    onSuccess: () => {
      message.success(t('已取消代表身份', 'Profile removed'));
      return qc.invalidateQueries({ queryKey: REVIEWERS_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Card
      size="small"
      data-testid="reviewers-card"
      title={t('专业评价人（评议人的代表身份）', 'Reviewer profiles of evaluators')}
      extra={
        <Typography.Text type="secondary">
          {t(
            '有代表身份的评议人可对不满意诉求进行专业评价',
            'An evaluator with a profile may review unsatisfied cases',
          )}
        </Typography.Text>
      }
    >
      <Input.Search
        allowClear
        placeholder={t('按用户名或姓名查找', 'Find by username or name')}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 260, marginBottom: 8 }}
        data-testid="reviewers-search"
      />
      <Table<TReviewerCandidate>
        rowKey="userId"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('没有具有评议人角色的用户', 'No users with the evaluator role') }}
        columns={[
          { title: t('用户名', 'Username'), dataIndex: 'username', width: 140 },
          { title: t('姓名', 'Name'), dataIndex: 'displayName', width: 160 },
          { title: t('所属单位', 'Unit'), dataIndex: 'unitName', width: 180 },
          {
            title: t('代表身份', 'Profile'),
            render: (_, r) =>
              r.profile ? (
                <Space size={4}>
                  <Tag color="gold">{REVIEWER_KIND[r.profile.kind]()}</Tag>
                  {r.profile.title}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('未设置', 'None')}</Typography.Text>
              ),
          },
          {
            title: t('操作', 'Actions'),
            width: 190,
            render: (_, r) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setEditing(r)}
                  data-testid={`reviewer-set-${r.username}`}
                >
                  {t('设置', 'Set')}
                </Button>
                {r.profile && (
                  <Popconfirm
                    title={t('取消该用户的代表身份？', 'Remove the profile?')}
                    onConfirm={() => remove.mutate(r.userId)}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {t('取消', 'Remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <FormModal<{ kind: TReviewerProfile['kind']; title?: string }, TReviewerProfile[]>
          title={t(`代表身份：${editing.displayName}`, `Profile of ${editing.displayName}`)}
          onClose={() => setEditing(null)}
          initialValues={{ kind: editing.profile?.kind ?? 'npc_deputy', title: editing.profile?.title ?? '' }}
          submit={(v) => ratingsApi.putReviewer({ userId: editing.userId, kind: v.kind, title: v.title ?? '' })}
          invalidate={[REVIEWERS_KEY]}
          success={t('已保存', 'Saved')}
          okTestId="reviewer-ok"
        >
          <Form.Item name="kind" label={t('身份', 'Kind')} rules={[{ required: true }]}>
            <Select
              data-testid="reviewer-kind"
              options={Object.entries(REVIEWER_KIND).map(([value, l]) => ({ value, label: l() }))}
            />
          </Form.Item>
          <Form.Item name="title" label={t('职务说明', 'Title')}>
            <Input maxLength={100} placeholder={t('如：区人大代表、区政协委员', 'e.g. district NPC deputy')} />
          </Form.Item>
        </FormModal>
      )}
    </Card>
  );
}

/** The office's page of reviewer profiles (the admin finds the same list on the users page). */
export function ReviewersPage() {
  return <ReviewersCard />;
}
