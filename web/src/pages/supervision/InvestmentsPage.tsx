import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type {
  TInvestment,
  TInvestmentCreate,
  TInvestmentQuery,
} from '@server/modules/supervision/supervision.docs.schema';
import { FilterSelect, optionsOf } from '../../components/FilterSelect';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { INVESTMENTS_KEY, supervisionApi, useInvestments } from './api';
import { useUnits } from './supervisionData';

const STAGES = ['signed', 'registered', 'started', 'producing'] as const;
type Stage = (typeof STAGES)[number];
const STAGE: Record<Stage, () => string> = {
  signed: () => t('签约', 'Signed'),
  registered: () => t('注册', 'Registered'),
  started: () => t('开工', 'Started'),
  producing: () => t('投产', 'Producing'),
};

/** 招商引资督办: projects with their stages 签约 → 注册 → 开工 → 投产, amounts, unit and leader; units record the next stage. */
export function InvestmentsPage() {
  const { can } = useAuth();
  const [filters, setFilters] = useState<TInvestmentQuery>({});
  const [creating, setCreating] = useState(false);
  const [recording, setRecording] = useState<TInvestment | null>(null);
  const units = useUnits();
  const list = useInvestments(filters);
  const unitOptions = (units.data ?? [])
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  const rows = list.data ?? [];
  const set = (patch: Partial<TInvestmentQuery>) => setFilters((f) => ({ ...f, ...patch }));
  const sum = (f: (r: TInvestment) => number) => rows.reduce((a, r) => a + f(r), 0).toLocaleString();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('招商引资督办', 'Investment projects')}
        </Typography.Title>
        <Space wrap>
          {can('supervision.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('新增项目', 'New project')}
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            href={supervisionApi.investmentsExportUrl(filters)}
            data-testid="inv-export"
          >
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
        </Space>
      </Space>
      <Space wrap>
        <InputNumber
          placeholder={t('年度', 'Year')}
          min={2000}
          max={2100}
          onChange={(v) => set({ year: v ?? undefined })}
        />
        <FilterSelect
          label={t('当前阶段', 'Stage')}
          options={[{ value: 'none' as const, label: t('未签约', 'Not signed') }, ...optionsOf(STAGE)]}
          value={filters.stage}
          onChange={(v) => set({ stage: v })}
          testId="inv-filter-stage"
        />
        <FilterSelect
          label={t('责任单位', 'Unit')}
          width={180}
          search
          options={unitOptions}
          value={filters.unitId}
          onChange={(v) => set({ unitId: v })}
        />
        <FilterSelect
          label={t('逾期', 'Overdue')}
          options={[{ value: '1' as const, label: t('有逾期阶段', 'Behind plan') }]}
          value={filters.overdue}
          onChange={(v) => set({ overdue: v })}
        />
        <Input.Search allowClear placeholder={t('项目名称', 'Project')} onSearch={(v) => set({ q: v || undefined })} />
        <Typography.Text type="secondary">
          {t(
            `${rows.length} 个项目，签约额 ${sum((r) => r.contractAmount)} 万元，到位 ${sum((r) => r.paidInAmount)} 万元`,
            `${rows.length} projects, contracts ${sum((r) => r.contractAmount)}, paid in ${sum((r) => r.paidInAmount)} (10k yuan)`,
          )}
        </Typography.Text>
      </Space>
      {list.error && <Alert type="error" title={errorText(list.error)} />}
      <Table<TInvestment>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        locale={{ emptyText: t('暂无招商引资项目', 'No projects') }}
        onRow={() => ({ 'data-testid': 'inv-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ pageSize: 20 }}
        expandable={{
          expandedRowRender: (r) => (
            <div data-testid="inv-stages">
              <Steps
                size="small"
                current={r.stage ? STAGES.indexOf(r.stage) + 1 : 0}
                items={r.stages.map((s) => ({
                  title: STAGE[s.stage](),
                  status: s.doneOn ? 'finish' : r.overdueStages.includes(s.stage) ? 'error' : 'wait',
                  description: `${t('计划', 'plan')} ${s.plannedOn}${s.doneOn ? ` · ${t('完成', 'done')} ${s.doneOn}` : ''}${s.note ? ` · ${s.note}` : ''}`,
                }))}
              />
            </div>
          ),
        }}
        columns={[
          { title: t('项目', 'Project'), dataIndex: 'name' },
          { title: t('投资方', 'Investor'), dataIndex: 'investor', width: 150, ellipsis: true },
          {
            title: t('签约额(万元)', 'Contract'),
            dataIndex: 'contractAmount',
            width: 110,
            align: 'right',
            render: (v: number) => v.toLocaleString(),
          },
          {
            title: t('到位(万元)', 'Paid in'),
            dataIndex: 'paidInAmount',
            width: 100,
            align: 'right',
            render: (v: number) => v.toLocaleString(),
          },
          { title: t('责任单位', 'Unit'), dataIndex: 'unitName', width: 130 },
          {
            title: t('分管领导', 'Leader'),
            dataIndex: 'leaderName',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('阶段', 'Stage'),
            dataIndex: 'stage',
            width: 150,
            render: (s: Stage | null, r) => (
              <>
                <Tag color={s === 'producing' ? 'green' : s ? 'blue' : 'default'}>
                  {s ? STAGE[s]() : t('未签约', 'Not signed')}
                </Tag>
                {r.overdueStages.length > 0 && (
                  <Tag color="red">
                    {t(`${STAGE[r.overdueStages[0]]()}逾期`, `${STAGE[r.overdueStages[0]]()} late`)}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: '',
            width: 100,
            render: (_, r) =>
              r.canRecord && (
                <Button size="small" onClick={() => setRecording(r)}>
                  {t('登记进展', 'Record stage')}
                </Button>
              ),
          },
        ]}
      />
      {creating && <CreateModal onClose={() => setCreating(false)} unitOptions={unitOptions} />}
      {recording && <StageModal project={recording} onClose={() => setRecording(null)} />}
    </Space>
  );
}

type CreateValues = Omit<TInvestmentCreate, 'planned'> & { planned: Record<Stage, Dayjs> };

function CreateModal({
  onClose,
  unitOptions,
}: {
  onClose: () => void;
  unitOptions: { value: number; label: string }[];
}) {
  return (
    <FormModal<CreateValues, TInvestment>
      onClose={onClose}
      title={t('新增招商引资项目', 'New project')}
      submit={(v) =>
        supervisionApi.createInvestment({
          ...v,
          planned: Object.fromEntries(STAGES.map((s) => [s, v.planned[s].format('YYYY-MM-DD')])) as Record<
            Stage,
            string
          >,
        })
      }
      invalidate={[INVESTMENTS_KEY]}
      success={t('已新增', 'Created')}
      width={620}
      initialValues={{ year: new Date().getFullYear() }}
    >
      <Form.Item name="name" label={t('项目名称', 'Project')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="investor" label={t('投资方', 'Investor')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="industry" label={t('产业', 'Industry')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="contractAmount" label={t('签约额(万元)', 'Contract (10k yuan)')} rules={[{ required: true }]}>
          <InputNumber min={0} />
        </Form.Item>
      </Space>
      <Form.Item name="unitId" label={t('责任单位', 'Responsible unit')} rules={[{ required: true }]}>
        <Select showSearch optionFilterProp="label" options={unitOptions} />
      </Form.Item>
      <Space wrap>
        {STAGES.map((s) => (
          <Form.Item
            key={s}
            name={['planned', s]}
            label={t(`计划${STAGE[s]()}`, `${STAGE[s]()} planned`)}
            rules={[{ required: true }]}
          >
            <DatePicker />
          </Form.Item>
        ))}
      </Space>
    </FormModal>
  );
}

type StageValues = { doneOn: Dayjs; note?: string; paidInAmount?: number };

function StageModal({ project, onClose }: { project: TInvestment; onClose: () => void }) {
  const next = STAGES[project.stage ? STAGES.indexOf(project.stage) + 1 : 0];
  return (
    <FormModal<StageValues, TInvestment>
      onClose={onClose}
      title={`${project.name} · ${t('登记', 'record')}「${STAGE[next]()}」`}
      submit={(v) =>
        supervisionApi.recordStage(project.id, {
          stage: next,
          doneOn: v.doneOn.format('YYYY-MM-DD'),
          note: v.note ?? '',
          paidInAmount: v.paidInAmount ?? undefined,
        })
      }
      invalidate={[INVESTMENTS_KEY]}
      success={t('已登记', 'Recorded')}
      initialValues={{ paidInAmount: project.paidInAmount }}
    >
      <Form.Item name="doneOn" label={t('完成日期', 'Date reached')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="paidInAmount" label={t('累计到位资金(万元)', 'Paid in so far (10k yuan)')}>
        <InputNumber min={0} />
      </Form.Item>
      <Form.Item name="note" label={t('说明', 'Note')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}
