import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TRound, TRoundDetail } from '@server/modules/supervision/supervision.fieldwork.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { beijingToday, fmtDate } from '../../lib/time';
import { FIELD_KEY, supervisionApi, useRounds } from './api';
import { ROUND_KIND } from './fieldworkData';
import { useUnits } from './supervisionData';

/** 对账 / 查账 / 收账: the rounds the user takes part in; the office opens new ones. */
export function RoundsPage() {
  const { can } = useAuth();
  const q = useRounds();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('对账查账', 'Reconciliation rounds')}
        </Typography.Title>
        {can('supervision.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="round-new">
            {t('发起对账', 'Open a round')}
          </Button>
        )}
      </Space>
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      <Table<TRound>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        onRow={(r) => ({ onClick: () => navigate(`/supervision/rounds/${r.id}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: t('暂无对账', 'No round yet') }}
        columns={[
          { title: t('名称', 'Title'), dataIndex: 'title' },
          { title: t('类型', 'Kind'), dataIndex: 'kind', width: 110, render: (k: TRound['kind']) => ROUND_KIND[k]() },
          { title: t('截止日期', 'As of'), dataIndex: 'asOf', width: 110 },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 90,
            render: (s: TRound['status']) =>
              s === 'open' ? <Tag color="processing">{t('进行中', 'Open')}</Tag> : <Tag>{t('已结束', 'Closed')}</Tag>,
          },
          {
            title: t('确认进度', 'Confirmed'),
            width: 200,
            render: (_, r) => (
              <Progress
                size="small"
                percent={r.counts.tasks ? Math.round(((r.counts.tasks - r.counts.pending) / r.counts.tasks) * 100) : 0}
                format={() => `${r.counts.tasks - r.counts.pending}/${r.counts.tasks}`}
              />
            ),
          },
          {
            title: t('差异', 'Differences'),
            width: 120,
            render: (_, r) =>
              r.counts.differs ? (
                <span>
                  {r.counts.differs}
                  {r.counts.unresolved > 0 && (
                    <Tag color="orange" style={{ marginLeft: 6 }}>
                      {t('待处理', 'open')} {r.counts.unresolved}
                    </Tag>
                  )}
                </span>
              ) : (
                0
              ),
          },
          { title: t('发起', 'Opened'), width: 150, render: (_, r) => `${r.openedByName} ${fmtDate(r.openedAt)}` },
        ]}
      />
      {creating && <OpenRoundModal onClose={() => setCreating(false)} />}
    </Space>
  );
}

type OpenRoundValues = { kind: TRound['kind']; title?: string; asOf: string; unitIds?: number[] };

function OpenRoundModal({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const units = useUnits();
  return (
    <FormModal<OpenRoundValues, TRoundDetail>
      title={t('发起对账', 'Open a round')}
      onClose={onClose}
      submit={(v) => supervisionApi.openRound({ ...v, title: v.title ?? '', unitIds: v.unitIds ?? [] })}
      invalidate={[FIELD_KEY]}
      success={(r) => t(`已发起，共 ${r.counts.tasks} 项事项`, `Opened with ${r.counts.tasks} tasks`)}
      onSaved={(r) => void navigate(`/supervision/rounds/${r.id}`)}
      initialValues={{ kind: 'quarterly', asOf: beijingToday() }}
      modalProps={{ okButtonProps: { id: 'round-ok' } }}
    >
      <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true }]}>
        <Select options={Object.entries(ROUND_KIND).map(([value, l]) => ({ value, label: l() }))} />
      </Form.Item>
      <Form.Item name="asOf" label={t('对账截止日期', 'As of')} rules={[{ required: true }]}>
        <Input type="date" max={beijingToday()} />
      </Form.Item>
      <Form.Item name="title" label={t('名称（可选，默认按类型生成）', 'Title (optional)')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="unitIds"
        label={t('参与单位（不选为全部有在办事项的单位）', 'Units (empty: all with live tasks)')}
      >
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          data-testid="round-units"
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Typography.Text type="secondary">
        {t(
          '发起时将快照各单位当年在办事项的状态和进度，由单位逐项确认。',
          'The live tasks of the year are snapshotted; each unit confirms its own.',
        )}
      </Typography.Text>
    </FormModal>
  );
}
