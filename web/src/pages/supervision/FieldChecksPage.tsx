import { CameraOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TChecksQuery, TCheckRow, TPointRow } from '@server/modules/supervision/supervision.fieldwork.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { supervisionApi, useChecks, usePoints } from './api';
import { METHODS, MODES, POINT_STATUS } from './fieldworkData';
import { TaskDrawer } from './TaskDrawer';
import { useUnits } from './supervisionData';

/** 实地督查: every check the user may see, with its points' state; the office records new ones (on a phone too). */
export function FieldChecksPage() {
  const { can } = useAuth();
  const [f, setF] = useState<Partial<TChecksQuery> & { page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<number | null>(null);
  const q = useChecks(f);
  const units = useUnits();
  const set = (p: Partial<TChecksQuery>) => setF((x) => ({ ...x, ...p, page: 1 }));
  const office = can('supervision.manage');
  const toDecide = usePoints('to_decide', office);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('实地督查', 'Field checks')}
        </Typography.Title>
        <Space wrap>
          {office && (
            <Link to="/supervision/checks/new">
              <Button type="primary" icon={<CameraOutlined />} data-testid="chk-new">
                {t('录入实地督查', 'Record a check')}
              </Button>
            </Link>
          )}
          <Button icon={<DownloadOutlined />} href={supervisionApi.checksExportUrl(f)}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
        </Space>
      </Space>
      {office && (toDecide.data?.length ?? 0) > 0 && (
        <PointsList
          title={t('待审核的整改答复', 'Answers awaiting the office')}
          rows={toDecide.data!}
          onOpen={setOpen}
        />
      )}
      <Space wrap>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('单位', 'Unit')}
          style={{ width: 180 }}
          onChange={(v) => set({ unitId: v })}
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select
          allowClear
          placeholder={t('明察 / 暗访', 'Mode')}
          style={{ width: 130 }}
          onChange={(v) => set({ mode: v })}
          options={Object.entries(MODES).map(([value, l]) => ({ value: value as 'open', label: l() }))}
        />
        <Select
          allowClear
          placeholder={t('整改状态', 'Points')}
          style={{ width: 160 }}
          onChange={(v) => set({ pending: v })}
          options={[
            { value: 'unit' as const, label: t('有待单位答复', 'Awaiting units') },
            { value: 'office' as const, label: t('有待督查室审核', 'Awaiting the office') },
          ]}
        />
      </Space>
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      <Table<TCheckRow>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        scroll={{ x: 900 }}
        onRow={(r) => ({ onClick: () => setOpen(r.taskId), style: { cursor: 'pointer' } })}
        pagination={{
          current: f.page,
          pageSize: f.pageSize,
          total: q.data?.total ?? 0,
          onChange: (page, pageSize) => setF((x) => ({ ...x, page, pageSize })),
        }}
        columns={[
          { title: t('日期', 'Date'), dataIndex: 'checkedOn', width: 110 },
          { title: t('事项', 'Task'), render: (_, r) => `#${r.taskId} ${r.taskTitle}` },
          { title: t('牵头单位', 'Lead unit'), dataIndex: 'leadUnitName', width: 140 },
          {
            title: t('次数', 'No.'),
            dataIndex: 'seq',
            width: 110,
            render: (s: number) => <Tag color={s > 1 ? 'volcano' : undefined}>{t(`第${s}次督查`, `Check ${s}`)}</Tag>,
          },
          {
            title: t('方式', 'How'),
            width: 150,
            render: (_, r) => `${MODES[r.mode]()}：${r.methods.map((m) => METHODS[m]()).join('、')}`,
          },
          { title: t('发现问题', 'Findings'), dataIndex: 'findings', ellipsis: true },
          {
            title: t('整改要求', 'Points'),
            width: 190,
            render: (_, r) =>
              r.points ? (
                <Space size={2} wrap>
                  {r.open > 0 && (
                    <Tag color="orange">
                      {t('待答复', 'open')} {r.open}
                    </Tag>
                  )}
                  {r.answered > 0 && (
                    <Tag color="blue">
                      {t('待审核', 'answered')} {r.answered}
                    </Tag>
                  )}
                  {r.accepted > 0 && (
                    <Tag color="green">
                      {t('已通过', 'accepted')} {r.accepted}
                    </Tag>
                  )}
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <TaskDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

/** Points awaiting someone, each opening its task. */
export function PointsList({
  title,
  rows,
  onOpen,
}: {
  title: string;
  rows: TPointRow[];
  onOpen: (taskId: number) => void;
}) {
  return (
    <Card size="small" title={title} data-testid="sup-points">
      <List
        size="small"
        dataSource={rows}
        renderItem={(p) => (
          <List.Item style={{ cursor: 'pointer' }} onClick={() => onOpen(p.taskId)}>
            <Space wrap>
              <Tag color={POINT_STATUS[p.status].color}>{POINT_STATUS[p.status].label()}</Tag>
              <span>
                #{p.taskId} {p.taskTitle}
              </span>
              <Typography.Text type="secondary">
                {t(`第${p.checkSeq}次督查`, `Check ${p.checkSeq}`)} · {t('整改要求', 'point')} {p.seq}：{p.requirement}
              </Typography.Text>
              {p.dueOn && (
                <Tag>
                  {t('期限', 'due')} {p.dueOn}
                </Tag>
              )}
              {p.status === 'returned' && p.returnReason && (
                <Typography.Text type="danger">
                  {t('退回理由', 'Returned')}：{p.returnReason}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** The unit's inbox card: rectification points its unit must answer (shown only when there are some). */
export function PendingPointsCard({ onOpen }: { onOpen: (taskId: number) => void }) {
  const q = usePoints('to_answer');
  if (!q.data?.length) return null;
  return <PointsList title={t('待答复的整改要求', 'Rectification points to answer')} rows={q.data} onOpen={onOpen} />;
}
