import { DownloadOutlined, EditOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TTaskDetail, TTaskRow } from '@server/modules/supervision/supervision.schema';
import { FilterSelect, optionsOf } from '../../components/FilterSelect';
import { FormModal } from '../../components/FormModal';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { SUP_KEY, supervisionApi, useLeaders, useLedger, type LedgerFilters } from './api';
import { LedgerImportButton } from './LedgerImport';
import { TaskLight } from './LightDot';
import { PendingPointsCard } from './FieldChecksPage';
import { RemindersCard } from './RemindersCard';
import { TaskDrawer } from './TaskDrawer';
import {
  CADENCES,
  COMPLETIONS,
  LIGHTS,
  PRIORITY_LABELS,
  QUALITIES,
  SOURCES,
  STATUSES,
  useUnits,
} from './supervisionData';

/** 督查督办台账 (mode ledger) and 我的督办 (mode mine: the user's own unit's tasks, red first). */
export function LedgerPage({ mode }: { mode: 'ledger' | 'mine' }) {
  const { can, me } = useAuth();
  const leaders = useLeaders();
  const [filters, setFilters] = useState<LedgerFilters>({
    page: 1,
    pageSize: 20,
    mine: mode === 'mine' ? '1' : undefined,
  });
  // ?task=<id> (the cockpit's links) opens that task.
  const [open, setOpen] = useState<number | null>(
    () => Number(new URLSearchParams(window.location.search).get('task')) || null,
  );
  const [dialog, setDialog] = useState<'instruct' | 'create' | null>(null);
  const q = useLedger(filters);
  const units = useUnits();
  const set = (patch: Partial<LedgerFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const data = q.data;
  const unitOptions = (units.data ?? [])
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {mode === 'mine' ? t('我的督办', 'My supervision tasks') : t('督查督办台账', 'Supervision ledger')}
        </Typography.Title>
        <Space wrap className="no-print">
          {can('supervision.instruct') && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('instruct')} data-testid="sup-instruct">
              {t('领导批示', 'Write an instruction')}
            </Button>
          )}
          {can('supervision.manage') && mode === 'ledger' && (
            <Button icon={<PlusOutlined />} onClick={() => setDialog('create')}>
              {t('新增事项', 'New task')}
            </Button>
          )}
          {can('supervision.manage') && mode === 'ledger' && <LedgerImportButton />}
          {can('supervision.instruct') && mode === 'ledger' && me && (
            <Button
              danger={filters.leaderId === me.id && filters.light === 'red'}
              onClick={() =>
                filters.leaderId === me.id && filters.light === 'red'
                  ? set({ leaderId: undefined, light: undefined })
                  : set({ leaderId: me.id, light: 'red' })
              }
              data-testid="sup-my-red"
            >
              {t('我分管的红灯事项', 'Red tasks in my charge')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={supervisionApi.ledgerExportUrl(filters)}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      {mode === 'mine' && <PendingPointsCard onOpen={setOpen} />}
      <Space wrap size={24}>
        <Card size="small">
          <Statistic title={t('事项', 'Tasks')} value={data?.total ?? 0} />
        </Card>
        {(['red', 'yellow', 'green'] as const).map((l) => (
          <Card
            size="small"
            key={l}
            hoverable
            onClick={() => set({ light: filters.light === l ? undefined : l })}
            style={{ borderColor: filters.light === l ? LIGHTS[l].color : undefined }}
          >
            <Statistic
              title={LIGHTS[l].label()}
              value={data?.counts[l] ?? 0}
              styles={{ content: { color: LIGHTS[l].color } }}
            />
          </Card>
        ))}
      </Space>
      {mode === 'mine' && <RemindersCard as="unit" onOpen={setOpen} />}
      {mode === 'ledger' && can('supervision.instruct') && <RemindersCard as="leader" onOpen={setOpen} />}
      <Space wrap className="no-print">
        <Input.Search
          allowClear
          placeholder={t('搜索事项', 'Search tasks')}
          style={{ width: 200 }}
          onSearch={(v) => set({ q: v || undefined })}
        />
        <FilterSelect
          label={t('来源', 'Source')}
          width={150}
          options={optionsOf(SOURCES)}
          value={filters.source}
          onChange={(v) => set({ source: v })}
        />
        {mode === 'ledger' && (
          <FilterSelect
            label={t('单位', 'Unit')}
            width={180}
            search
            options={unitOptions}
            value={filters.unitId}
            onChange={(v) => set({ unitId: v })}
          />
        )}
        {mode === 'ledger' && (
          <FilterSelect
            label={t('责任领导', 'Leader in charge')}
            width={170}
            search
            options={(leaders.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
            value={filters.leaderId}
            onChange={(v) => set({ leaderId: v })}
            testId="sup-filter-leader"
          />
        )}
        <FilterSelect
          label={t('优先级', 'Priority')}
          width={110}
          options={optionsOf(PRIORITY_LABELS)}
          value={filters.priority}
          onChange={(v) => set({ priority: v })}
          testId="sup-filter-priority"
        />
        <FilterSelect
          label={t('状态', 'Status')}
          options={optionsOf(STATUSES)}
          value={filters.status}
          onChange={(v) => set({ status: v })}
        />
        <FilterSelect
          label={t('警示灯', 'Light')}
          width={110}
          options={optionsOf(LIGHTS)}
          value={filters.light}
          onChange={(v) => set({ light: v })}
        />
      </Space>
      <Table<TTaskRow>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={data?.rows}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: data?.total,
          showSizeChanger: true,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          {
            title: t('灯', 'Light'),
            width: 50,
            render: (_, r) => <TaskLight light={r.light} reasons={r.lightReasons} />,
          },
          {
            title: t('事项', 'Task'),
            dataIndex: 'title',
            render: (v: string, r) => (
              <span data-testid="sup-row">
                {v}
                {r.parentId && <Tag style={{ marginLeft: 4 }}>{t('分解', 'sub')}</Tag>}
                {r.priority !== 'normal' && (
                  <Tag color={PRIORITY_LABELS[r.priority].color} style={{ marginLeft: 4 }}>
                    {PRIORITY_LABELS[r.priority].label()}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t('来源', 'Source'), width: 110, render: (_, r) => SOURCES[r.source]() },
          { title: t('牵头单位', 'Lead unit'), width: 130, render: (_, r) => r.leadUnitName ?? '—' },
          {
            title: t('责任领导', 'Leader'),
            width: 110,
            ellipsis: true,
            render: (_, r) => (r.leaderName ?? '—').replace(/（.*）/, ''),
          },
          { title: t('完成时限', 'Deadline'), dataIndex: 'deadline', width: 105 },
          {
            title: t('进度', 'Progress'),
            width: 120,
            render: (_, r) => <Progress percent={r.progress} size="small" />,
          },
          {
            title: t('状态', 'Status'),
            width: 150,
            render: (_, r) => (
              <Space size={2} wrap>
                <Tag color={STATUSES[r.status].color}>{STATUSES[r.status].label()}</Tag>
                {r.completion && <Tag>{COMPLETIONS[r.completion]()}</Tag>}
                {r.quality && <Tag>{QUALITIES[r.quality]()}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      <TaskDrawer id={open} onClose={() => setOpen(null)} />
      {dialog === 'instruct' && <InstructionDialog onClose={() => setDialog(null)} onCreated={(id) => setOpen(id)} />}
      {dialog === 'create' && <CreateDialog onClose={() => setDialog(null)} onCreated={(id) => setOpen(id)} />}
    </Space>
  );
}

type InstructionValues = {
  targetKind: 'case' | 'indicator' | 'free';
  targetRef?: string;
  unitId?: number;
  title: string;
  content: string;
  deadline?: Dayjs;
};

/** 领导批示: on a case (number), an indicator that is behind (code), or free; it becomes a task awaiting 立项. */
function InstructionDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: number) => void }) {
  const [form] = Form.useForm<InstructionValues>();
  const kind = Form.useWatch('targetKind', form);
  const units = useUnits();
  return (
    <FormModal<InstructionValues, TTaskDetail>
      form={form}
      title={t('领导批示', 'Leader instruction')}
      onClose={onClose}
      submit={(v) =>
        supervisionApi.instruct({
          ...v,
          targetRef: v.targetRef || null,
          unitId: v.unitId ?? null,
          deadline: v.deadline?.format('YYYY-MM-DD'),
        })
      }
      invalidate={[SUP_KEY]}
      success={t('批示已送督查室立项', 'Sent to the supervision office')}
      onSaved={(task) => onCreated(task.id)}
      initialValues={{ targetKind: 'free' }}
      modalProps={{ okButtonProps: { id: 'sup-instruct-ok' } }}
    >
      <Form.Item name="targetKind" label={t('批示对象', 'About')}>
        <Select
          data-testid="sup-target-kind"
          options={[
            { value: 'free', label: t('自由批示', 'Free') },
            { value: 'indicator', label: t('滞后指标（红灯）', 'Lagging indicator (red)') },
            { value: 'case', label: t('诉求办件', 'A case') },
          ]}
        />
      </Form.Item>
      {kind !== 'free' && (
        <Form.Item
          name="targetRef"
          label={kind === 'case' ? t('诉求编号', 'Case number') : t('指标编码', 'Indicator code')}
          rules={[{ required: true }]}
        >
          <Input maxLength={100} data-testid="sup-target-ref" />
        </Form.Item>
      )}
      <Form.Item name="unitId" label={t('建议承办单位', 'Suggested unit')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Form.Item name="title" label={t('事项', 'Task')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} data-testid="sup-instruct-title" />
      </Form.Item>
      <Form.Item name="content" label={t('批示内容', 'Instruction')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={4} maxLength={5000} data-testid="sup-instruct-content" />
      </Form.Item>
      <Form.Item name="deadline" label={t('完成时限（默认 20 个工作日）', 'Deadline (default 20 working days)')}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}

type CreateValues = {
  source: TTaskRow['source'];
  title: string;
  content?: string;
  standard?: string;
  leadUnitId: number;
  coUnitIds?: number[];
  deadline: Dayjs;
  cadence: TTaskDetail['cadence'];
  priority: TTaskRow['priority'];
};

/** 新增事项 (年初建账): the office enters a task straight into the ledger. */
function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: number) => void }) {
  const units = useUnits();
  const options = (units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }));
  return (
    <FormModal<CreateValues, TTaskDetail>
      title={t('新增督办事项', 'New supervision task')}
      onClose={onClose}
      submit={({ coUnitIds, deadline, ...rest }) =>
        supervisionApi.createTask({
          ...rest,
          deadline: deadline.format('YYYY-MM-DD'),
          coUnits: (coUnitIds ?? []).map((unitId) => ({ unitId, contact: '' })),
        })
      }
      invalidate={[SUP_KEY]}
      onSaved={(task) => onCreated(task.id)}
      initialValues={{ source: 'work_report', cadence: 'monthly', priority: 'normal' }}
    >
      <Form.Item name="source" label={t('来源', 'Source')}>
        <Select options={Object.entries(SOURCES).map(([value, l]) => ({ value, label: l() }))} />
      </Form.Item>
      <Form.Item name="title" label={t('事项', 'Task')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="content" label={t('内容', 'Content')}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item name="standard" label={t('完成标准', 'Standard of completion')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="leadUnitId" label={t('牵头单位', 'Lead unit')} rules={[{ required: true }]}>
        <Select showSearch optionFilterProp="label" options={options} />
      </Form.Item>
      <Form.Item name="coUnitIds" label={t('配合单位', 'Co-units')}>
        <Select mode="multiple" showSearch optionFilterProp="label" options={options} />
      </Form.Item>
      <Space>
        <Form.Item name="deadline" label={t('完成时限', 'Deadline')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="cadence" label={t('报送频次', 'Cadence')}>
          <Select
            style={{ width: 100 }}
            options={Object.entries(CADENCES).map(([value, l]) => ({ value, label: l() }))}
          />
        </Form.Item>
        <Form.Item name="priority" label={t('优先级', 'Priority')}>
          <Select
            style={{ width: 100 }}
            options={[
              { value: 'normal', label: t('一般', 'Normal') },
              { value: 'high', label: t('重点', 'High') },
              { value: 'urgent', label: t('紧急', 'Urgent') },
            ]}
          />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
