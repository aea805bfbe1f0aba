import {
  CheckCircleOutlined,
  CopyOutlined,
  DeleteOutlined,
  EditOutlined,
  LockOutlined,
  PartitionOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TYearProblem } from '@server/modules/performance/performance.schema';
import type { TGradeRule } from '@server/engine/methods.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { YEAR_STATUS, type TYear } from './perfData';
import { useYears, performanceApi } from './api';
import { FormModal } from '../../components/FormModal';
import { DEFAULT_GRADE_RULE, SCHEME_PERIOD_NAMES } from '@common/performance';
import { useUnitCategories, useUnits } from '../admin/api';

type YearForm = { year: number; name?: string; deadlineDay: number; gradeRule: TGradeRule };

/** 考核年度: the yearly frames, their status, and the life-cycle actions of the office. */
export function YearsPage() {
  const years = useYears();
  const { can, me } = useAuth();
  const manage = can('indicators.manage');
  // An assessing body configures its own special schemes (the server checks the same: performance.policy.ts).
  const ownBody = !manage && can('schemes.configure') ? (me?.unitId ?? null) : null;
  const mayConfigure = (y: TYear) =>
    manage || (ownBody !== null && y.kind === 'special' && y.assessingUnitId === ownBody);
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<TYear | 'new' | null>(null);
  const [scheme, setScheme] = useState<TYear | 'new' | null>(null);
  const units = useUnits();
  const unitName = (id: number | null) => (id === null ? null : units.data?.find((u) => u.id === id)?.name);
  const [copying, setCopying] = useState<TYear | null>(null);
  const [problems, setProblems] = useState<{ year: TYear; list: TYearProblem[] } | null>(null);

  const refresh = () => qc.invalidateQueries({ queryKey: ['performance'] });
  const act = useMutation({
    mutationFn: ({ year, action }: { year: TYear; action: 'activate' | 'close' | 'delete' }) =>
      action === 'delete'
        ? performanceApi.deleteYear(year.id)
        : performanceApi.yearAction(year.id, action).then(() => undefined),
    onSuccess: async (_d, v) => {
      await refresh();
      message.success(
        v.action === 'activate'
          ? t('考核年度已生效', 'The year is in force')
          : v.action === 'close'
            ? t('考核年度已结束', 'The year is closed')
            : t('已删除', 'Deleted'),
      );
    },
    onError: (e) => message.error(errorText(e)),
  });

  /** Checks the tree first and lists every problem; only a clean tree gets the confirmation. */
  const activate = async (year: TYear) => {
    try {
      const check = await performanceApi.checkYear(year.id);
      if (!check.ok) {
        setProblems({ year, list: check.problems });
        return;
      }
      modal.confirm({
        title: t(`确认「${year.name}」生效？`, `Put ${year.name} in force?`),
        content: t(
          '生效后指标体系、分值和计分方法将被锁定，只能修改名称和说明。',
          'The tree, points and methods lock; only wording can change.',
        ),
        okText: t('生效', 'Put in force'),
        onOk: () => act.mutateAsync({ year, action: 'activate' }),
      });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card
      title={t('考核年度', 'Assessment years')}
      extra={
        (manage || ownBody !== null) && (
          <Space>
            <Button icon={<PlusOutlined />} onClick={() => setScheme('new')} data-testid="scheme-create">
              {t('新建专项考核', 'New special scheme')}
            </Button>
            {manage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="year-create"
              >
                {t('新建年度', 'New year')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '每个考核年度有独立的指标体系、计分方法和等次规则。可将上一年度的指标体系复制到新年度后调整；年度生效后指标体系锁定，结束后全部数据只读。',
          'Each year has its own indicator tree, methods and grade rule. Copy last year forward and adjust; once in force the tree locks, once closed everything is read-only.',
        )}
      </Typography.Paragraph>
      {years.error && <Alert type="error" showIcon title={errorText(years.error)} />}
      <Table<TYear>
        rowKey="id"
        loading={years.isLoading}
        dataSource={years.data ?? []}
        pagination={false}
        data-testid="years-table"
        columns={[
          { title: t('年度', 'Year'), dataIndex: 'year', width: 90 },
          {
            title: t('名称（考核方案）', 'Name (scheme)'),
            dataIndex: 'name',
            width: 250,
            render: (name: string, y) => (
              <Space direction="vertical" size={0}>
                <span>
                  {y.kind === 'special' ? (
                    <Tag color="geekblue">{t('专项考核', 'Special')}</Tag>
                  ) : (
                    <Tag>{t('年度综合', 'Annual')}</Tag>
                  )}
                  {name}
                </span>
                {y.kind === 'special' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('考评主体', 'Assessing body')}：
                    {unitName(y.assessingUnitId) ?? t('区绩效办', 'Performance office')}；
                    {t(SCHEME_PERIOD_NAMES[y.periods].zh, SCHEME_PERIOD_NAMES[y.periods].en)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 100,
            render: (s: TYear['status']) => <Tag color={YEAR_STATUS[s].color}>{YEAR_STATUS[s].label()}</Tag>,
          },
          {
            title: t('指标数（末级）', 'Indicators (leaves)'),
            width: 130,
            render: (_, y) => `${y.indicatorCount}（${y.leafCount}）`,
          },
          {
            title: t('等次规则', 'Grades'),
            render: (_, y) =>
              y.gradeRule.grades.map((g) => (
                <Tag key={g.label}>
                  {g.label}
                  {y.gradeRule.by === 'threshold' ? ` ≥${g.threshold}` : ` ${Math.round(g.threshold * 100)}%`}
                </Tag>
              )),
          },
          {
            title: t('月度数据截止', 'Monthly deadline'),
            width: 130,
            render: (_, y) => t(`次月 ${y.deadlineDay} 日`, `Day ${y.deadlineDay} of next month`),
          },
          {
            title: t('操作', 'Actions'),
            width: 330,
            render: (_, y) => (
              <Space wrap size={4}>
                <Button
                  size="small"
                  icon={<PartitionOutlined />}
                  onClick={() => navigate(`/performance/indicators?year=${y.id}`)}
                >
                  {t('指标体系', 'Indicators')}
                </Button>
                {mayConfigure(y) && y.status !== 'closed' && (
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setEditing(y)}
                    data-testid={y.kind === 'special' ? `scheme-edit-${y.code}-${y.year}` : `year-edit-${y.year}`}
                  >
                    {t('编辑', 'Edit')}
                  </Button>
                )}
                {mayConfigure(y) && y.kind === 'special' && y.status !== 'closed' && (
                  <Button size="small" onClick={() => setScheme(y)} data-testid={`scheme-settings-${y.code}-${y.year}`}>
                    {t('方案设置', 'Scheme settings')}
                  </Button>
                )}
                {manage && y.status === 'draft' && (
                  <Button
                    size="small"
                    type="primary"
                    icon={<CheckCircleOutlined />}
                    onClick={() => void activate(y)}
                    data-testid={`year-activate-${y.year}`}
                  >
                    {t('生效', 'Put in force')}
                  </Button>
                )}
                {manage && y.status === 'in_force' && (
                  <Popconfirm
                    title={t(
                      '结束后本年度的指标、计划和数据全部只读，确定结束？',
                      'Closing makes the year read-only. Close it?',
                    )}
                    onConfirm={() => act.mutateAsync({ year: y, action: 'close' })}
                  >
                    <Button size="small" icon={<LockOutlined />} data-testid={`year-close-${y.year}`}>
                      {t('结束', 'Close')}
                    </Button>
                  </Popconfirm>
                )}
                {manage && (
                  <Button
                    size="small"
                    icon={<CopyOutlined />}
                    onClick={() => setCopying(y)}
                    data-testid={y.kind === 'special' ? `year-copy-${y.year}-${y.code}` : `year-copy-${y.year}`}
                  >
                    {t('复制到新年度', 'Copy forward')}
                  </Button>
                )}
                {manage && y.status === 'draft' && (
                  <Popconfirm
                    title={t('删除该年度及其全部指标和计划？', 'Delete the year with its tree and plans?')}
                    onConfirm={() => act.mutateAsync({ year: y, action: 'delete' })}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />} />
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <YearModal year={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      {scheme && (
        <SchemeModal
          scheme={scheme === 'new' ? null : scheme}
          ownBody={ownBody}
          onClose={() => setScheme(null)}
          onSaved={refresh}
        />
      )}
      {copying && <CopyModal source={copying} onClose={() => setCopying(null)} onSaved={refresh} />}
      <Modal
        open={!!problems}
        title={t('该年度暂不能生效', 'The year cannot go into force yet')}
        onCancel={() => setProblems(null)}
        footer={[
          <Button
            key="tree"
            type="primary"
            onClick={() => navigate(`/performance/indicators?year=${problems?.year.id}`)}
          >
            {t('去修改指标体系', 'Fix the indicator tree')}
          </Button>,
          <Button key="close" onClick={() => setProblems(null)}>
            {t('关闭', 'Close')}
          </Button>,
        ]}
        width={640}
      >
        <Alert
          type="error"
          showIcon
          title={t(`发现 ${problems?.list.length ?? 0} 个问题：`, `${problems?.list.length ?? 0} problem(s):`)}
          style={{ marginBottom: 12 }}
        />
        <List
          size="small"
          dataSource={problems?.list ?? []}
          data-testid="year-problems"
          renderItem={(p) => (
            <List.Item>
              {p.code && <Tag>{p.code}</Tag>}
              {p.message}
            </List.Item>
          )}
        />
      </Modal>
    </Card>
  );
}

function YearModal({
  year,
  onClose,
  onSaved,
}: {
  year: TYear | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const nextYear = new Date().getFullYear() + 1;
  return (
    <FormModal<YearForm, TYear>
      title={year ? t(`编辑「${year.name}」`, `Edit ${year.name}`) : t('新建考核年度', 'New assessment year')}
      onClose={onClose}
      submit={(v) =>
        year
          ? performanceApi.updateYear(year.id, { name: v.name, deadlineDay: v.deadlineDay, gradeRule: v.gradeRule })
          : performanceApi.createYear({ ...v, name: v.name || undefined })
      }
      onSaved={onSaved}
      success={t('已保存', 'Saved')}
      width={620}
      initialValues={
        year
          ? { year: year.year, name: year.name, deadlineDay: year.deadlineDay, gradeRule: year.gradeRule }
          : { year: nextYear, deadlineDay: 15, gradeRule: DEFAULT_GRADE_RULE }
      }
    >
      <Space align="start">
        <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} disabled={!!year} data-testid="year-input" />
        </Form.Item>
        <Form.Item name="name" label={t('名称', 'Name')} style={{ width: 260 }}>
          <Input placeholder={t('默认：XXXX年度绩效考核', 'Default: <year>年度绩效考核')} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="deadlineDay"
          label={t('月度数据截止日（次月）', 'Monthly deadline (day of next month)')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={28} />
        </Form.Item>
      </Space>
      <Form.Item name={['gradeRule', 'by']} label={t('等次评定方式', 'Grading')}>
        <Radio.Group
          options={[
            { value: 'threshold', label: t('按分数线', 'By score threshold') },
            { value: 'share', label: t('按类别内比例', 'By share of the category') },
          ]}
        />
      </Form.Item>
      <Form.List name={['gradeRule', 'grades']}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="baseline">
                <Form.Item name={[f.name, 'label']} rules={[{ required: true, message: t('请填写等次', 'Required') }]}>
                  <Input placeholder={t('等次', 'Grade')} style={{ width: 140 }} maxLength={20} />
                </Form.Item>
                <Form.Item name={[f.name, 'threshold']} rules={[{ required: true, message: t('请填写', 'Required') }]}>
                  <InputNumber
                    placeholder={t('分数线 / 累计比例', 'Threshold / cumulative share')}
                    style={{ width: 200 }}
                    step={i === 0 ? 1 : 0.1}
                  />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('删除', 'Remove')}
                  />
                )}
              </Space>
            ))}
            {fields.length < 10 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: '', threshold: 0 })}>
                {t('添加等次', 'Add grade')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t(
          '按分数线：从高到低填写最低得分；按比例：从优到差填写类别内累计比例（0–1，最后一项为 1）。',
          'Threshold: minimum totals, best first. Share: cumulative shares of the category (0–1, last = 1).',
        )}
      </Typography.Paragraph>
    </FormModal>
  );
}

function CopyModal({ source, onClose, onSaved }: { source: TYear; onClose: () => void; onSaved: () => Promise<void> }) {
  const navigate = useNavigate();
  return (
    <FormModal<{ year: number; name?: string }, TYear>
      title={t(`复制「${source.name}」到新年度`, `Copy ${source.name} forward`)}
      onClose={onClose}
      submit={(v) => performanceApi.copyYear(source.id, { year: v.year, name: v.name || undefined })}
      onSaved={async (y) => {
        await onSaved();
        void navigate(`/performance/indicators?year=${y.id}`);
      }}
      success={(y) => t(`已复制为「${y.name}」（草稿）`, `Copied to ${y.name} (draft)`)}
      errorFields={['year']}
      initialValues={{ year: source.year + 1 }}
      header={
        <Typography.Paragraph type="secondary">
          {t(
            '复制指标体系（含分值、计分方法、适用范围、考评主体）、等次规则，以及数据采集的填报表单、截止规则和采集设置，生成草稿年度，可在生效前调整。年度目标（绩效计划）需各单位重新制定。',
            'Copies the tree (points, methods, applicability, assessing bodies), the grade rule, and data collection’s forms, deadline rules and settings into a new draft year. Yearly targets (plans) are agreed anew.',
          )}
        </Typography.Paragraph>
      }
    >
      <Form.Item name="year" label={t('新年度', 'New year')} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} data-testid="copy-year-input" />
      </Form.Item>
      <Form.Item name="name" label={t('名称（可选）', 'Name (optional)')}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}

type SchemeForm = {
  year: number;
  code: string;
  name: string;
  assessingUnitId: number | null;
  periods: 'half' | 'quarter';
  categoryIds: number[];
  unitIds: number[];
  methods: string;
};

/** A special scheme (专项考核) beside the year's annual one: its assessing body, periods and units assessed. */
function SchemeModal({
  scheme,
  ownBody,
  onClose,
  onSaved,
}: {
  scheme: TYear | null;
  /** An assessing body's own unit: it stays the scheme's assessing body (only the office changes it). */
  ownBody: number | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const units = useUnits();
  const cats = useUnitCategories();
  const unitOptions = (units.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  const ABC = {
    by: 'threshold' as const,
    grades: [
      { label: 'A', threshold: 90 },
      { label: 'B', threshold: 80 },
      { label: 'C', threshold: 70 },
      { label: 'D', threshold: 0 },
    ],
  };
  return (
    <FormModal<SchemeForm, TYear>
      title={
        scheme ? t(`「${scheme.name}」方案设置`, `Settings of ${scheme.name}`) : t('新建专项考核', 'New special scheme')
      }
      onClose={onClose}
      submit={(v) => {
        const common = {
          name: v.name,
          assessingUnitId: v.assessingUnitId ?? null,
          periods: v.periods,
          unitsAssessed: { categoryIds: v.categoryIds ?? [], unitIds: v.unitIds ?? [] },
          methods: v.methods ?? '',
        };
        return scheme
          ? performanceApi.updateScheme(scheme.id, common)
          : performanceApi.createScheme({ ...common, year: v.year, code: v.code, gradeRule: ABC });
      }}
      onSaved={onSaved}
      success={t('已保存', 'Saved')}
      width={640}
      errorFields={['year', 'code', 'name', 'assessingUnitId', 'periods', 'methods']}
      initialValues={
        scheme
          ? {
              year: scheme.year,
              code: scheme.code,
              name: scheme.name,
              assessingUnitId: scheme.assessingUnitId,
              periods: scheme.periods === 'quarter' ? 'quarter' : 'half',
              categoryIds: scheme.unitsAssessed.categoryIds,
              unitIds: scheme.unitsAssessed.unitIds,
              methods: scheme.methods,
            }
          : {
              year: new Date().getFullYear(),
              periods: 'half',
              categoryIds: [],
              unitIds: [],
              methods: '',
              assessingUnitId: ownBody,
            }
      }
      header={
        !scheme && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              '专项考核有自己的指标体系、数据、得分和发布；默认效能等级 A ≥ 90、B ≥ 80、C ≥ 70、D，可在「编辑」中修改。年度综合考核的末级指标可选择数据来源“专项考核结果”将其纳入。',
              'A special scheme has its own tree, data, scores and publications; grades A/B/C/D by default (editable). An annual leaf with the source “special assessment result” takes it in.',
            )}
          />
        )
      }
    >
      <Space align="start">
        <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} disabled={!!scheme} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('方案编码', 'Code')}
          rules={[
            { required: true, pattern: /^[a-z][a-z0-9_-]{0,39}$/, message: t('小写字母开头，如 urban', 'e.g. urban') },
          ]}
        >
          <Input disabled={!!scheme} placeholder="urban" style={{ width: 140 }} data-testid="scheme-code" />
        </Form.Item>
        <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true }]} style={{ width: 300 }}>
          <Input
            maxLength={100}
            placeholder={t('如：2026年信息化城市管理监督评价考核', 'Name')}
            data-testid="scheme-name"
          />
        </Form.Item>
      </Space>
      <Space align="start">
        <Form.Item name="assessingUnitId" label={t('考评主体', 'Assessing body')} style={{ width: 300 }}>
          <Select
            allowClear
            disabled={ownBody !== null}
            showSearch={{ optionFilterProp: 'label' }}
            options={unitOptions}
            placeholder={t('区绩效办', 'Performance office')}
          />
        </Form.Item>
        <Form.Item name="periods" label={t('考核周期', 'Periods')}>
          <Radio.Group
            options={[
              { value: 'half', label: t('半年和年度', 'Half-years and year') },
              { value: 'quarter', label: t('季度和年度', 'Quarters and year') },
            ]}
          />
        </Form.Item>
      </Space>
      <Form.Item name="categoryIds" label={t('被考核单位：考评类别', 'Units assessed: categories')}>
        <Select mode="multiple" options={(cats.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
      </Form.Item>
      <Form.Item name="unitIds" label={t('被考核单位：另加单位', 'Units assessed: further units')}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} />
      </Form.Item>
      <Form.Item name="methods" label={t('考核形式', 'Methods')}>
        <Input.TextArea
          rows={2}
          maxLength={2000}
          placeholder={t('自查、抽查考核、会议考核', 'Self-check, spot checks, meeting')}
        />
      </Form.Item>
    </FormModal>
  );
}
