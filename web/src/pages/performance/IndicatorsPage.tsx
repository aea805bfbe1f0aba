import { ApartmentOutlined, DeleteOutlined, PlusOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { TIndicatorCreate } from '@server/modules/performance/performance.schema';
import type { DataSource } from '@server/engine/methods.schema';
import type { TUnit } from '@server/modules/units/units.schema';
import { ApiError, errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { ExcelListButtons } from '../../components/ExcelListButtons';
import { AhpModal } from './AhpModal';
import { MethodEditor } from './MethodEditor';
import {
  AGGREGATE_LABEL,
  buildIndicatorTree,
  CASE_METRIC_LABEL,
  DATA_SOURCE_COLOR,
  DATA_SOURCE_LABEL,
  fmt,
  METHOD_LABEL,
  pickYear,
  YEAR_STATUS,
  type IndicatorNode,
  type TIndicator,
  type TYear,
} from './perfData';
import { indicatorsKey, useIndicators, useYears, performanceApi } from './api';
import { useUnitCategories, useUnits } from '../admin/api';
import { YearPicker } from '../../components/YearPicker';

type Selection = { mode: 'edit'; id: number } | { mode: 'create'; parentId: number | null } | null;

type NodeForm = Omit<TIndicatorCreate, 'parentId'>;

const LEVEL_NAMES = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标'];
const levelName = (l: number) => t(LEVEL_NAMES[l - 1] ?? `${l}级指标`, `Level ${l}`);

/** 指标体系: the year's indicator tree with points, sources and methods, and an editor for the selected node. */
export function IndicatorsPage() {
  const [params, setParams] = useSearchParams();
  const years = useYears();
  const year = pickYear(years.data, Number(params.get('year')) || null);
  const indicators = useIndicators(year?.id ?? null);
  const units = useUnits();
  const categories = useUnitCategories();
  const { can, me } = useAuth();
  const qc = useQueryClient();
  const [selection, setSelection] = useState<Selection>(null);
  const [ahpFor, setAhpFor] = useState<IndicatorNode | null>(null);
  // Everything starts expanded; remember only what the user folds.
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());

  const tree = useMemo(() => buildIndicatorTree(indicators.data ?? []), [indicators.data]);
  const byId = useMemo(() => new Map((indicators.data ?? []).map((n) => [n.id, n])), [indicators.data]);
  const nodeById = useMemo(() => {
    const m = new Map<number, IndicatorNode>();
    const walk = (list: IndicatorNode[]) => list.forEach((n) => (m.set(n.id, n), walk(n.children ?? [])));
    walk(tree);
    return m;
  }, [tree]);
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const catName = useMemo(() => new Map((categories.data ?? []).map((c) => [c.id, c.name])), [categories.data]);

  useEffect(() => setSelection(null), [year?.id]);

  // The office; or an assessing body on its own special scheme (checked again by the server).
  const manage =
    !!year &&
    year.status !== 'closed' &&
    (can('indicators.manage') ||
      (can('schemes.configure') && year.kind === 'special' && year.assessingUnitId === me?.unitId));
  const structural = manage && year?.status === 'draft';
  const total = tree.reduce((s, n) => s + n.points, 0);
  const refresh = () => qc.invalidateQueries({ queryKey: ['performance'] });

  const selected = selection?.mode === 'edit' ? (nodeById.get(selection.id) ?? null) : null;

  const scopeText = (n: TIndicator) => {
    const parts = [
      ...n.appliesTo.categoryIds.map((c) => catName.get(c) ?? `#${c}`),
      ...n.appliesTo.unitIds.map((u) => unitName.get(u) ?? `#${u}`),
    ];
    return parts.length ? parts.join('、') : null;
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small">
        <Space wrap>
          <YearPicker
            years={years.data ?? []}
            value={year}
            loading={years.isLoading}
            onChange={(id) => setParams({ year: String(id) })}
            width={280}
            testId="indicator-year"
          />
          {year && <Tag color={YEAR_STATUS[year.status].color}>{YEAR_STATUS[year.status].label()}</Tag>}
          {year && (
            <Typography.Text>
              {t('一级指标合计', 'Top-level total')}: <b>{fmt(total)}</b> {t('分', 'pts')}
            </Typography.Text>
          )}
          {structural && (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setSelection({ mode: 'create', parentId: null })}
              data-testid="indicator-add-root"
            >
              {t('添加一级指标', 'Add top-level indicator')}
            </Button>
          )}
          {year && (
            <ExcelListButtons
              base={performanceApi.indicatorsExcelBase(year.id)}
              testId="indicators-excel"
              canImport={structural}
              onImported={refresh}
            />
          )}
        </Space>
        {year?.status === 'in_force' && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={t(
              '本年度已生效：指标结构、分值和计分方法已锁定，只能修改名称、说明、计量单位和排序。如需调整请复制到新年度。',
              'In force: structure, points and methods are locked; only wording and order can change.',
            )}
          />
        )}
        {year?.status === 'closed' && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t('本年度已结束，指标体系只读。', 'The year is closed; the tree is read-only.')}
          />
        )}
      </Card>
      {years.data && !years.data.length && (
        <Empty description={t('还没有考核年度，请先在“考核年度”中新建。', 'No assessment year yet.')} />
      )}
      {year && (
        <Row gutter={16} align="top">
          <Col xs={24} xl={14}>
            <Card title={t(`${year.name} · 指标体系`, `${year.name} · indicators`)} size="small">
              {indicators.error && <Alert type="error" showIcon title={errorText(indicators.error)} />}
              <Table<IndicatorNode>
                size="small"
                rowKey="id"
                loading={indicators.isLoading}
                dataSource={tree}
                pagination={false}
                scroll={{ x: 646 }}
                expandable={{
                  expandedRowKeys: [...nodeById.values()]
                    .filter((n) => n.children && !collapsed.has(n.id))
                    .map((n) => n.id),
                  onExpand: (open, n) =>
                    setCollapsed((c) => {
                      const next = new Set(c);
                      if (open) next.delete(n.id);
                      else next.add(n.id);
                      return next;
                    }),
                }}
                data-testid="indicator-tree"
                onRow={(n) => ({
                  onClick: () => setSelection({ mode: 'edit', id: n.id }),
                  style: {
                    cursor: 'pointer',
                    background: selection?.mode === 'edit' && selection.id === n.id ? '#fff1f0' : undefined,
                  },
                })}
                columns={[
                  {
                    title: t('指标', 'Indicator'),
                    width: 250,
                    ellipsis: true,
                    render: (_, n) => (
                      <span data-testid={`indicator-row-${n.code}`} title={`${n.code} ${n.name}`}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {n.code}
                        </Typography.Text>{' '}
                        {n.level === 1 ? <b>{n.name}</b> : n.name}
                      </span>
                    ),
                  },
                  {
                    title: t('分值', 'Points'),
                    width: 64,
                    align: 'right',
                    render: (_, n) => {
                      const off = n.childSum !== null && Math.abs(n.childSum - n.points) > 0.001;
                      return (
                        <Space size={4}>
                          {off && (
                            <Tooltip
                              title={t(
                                `下级合计 ${fmt(n.childSum)} 分，与本级 ${fmt(n.points)} 分不一致`,
                                `Children add up to ${fmt(n.childSum)}, not ${fmt(n.points)}`,
                              )}
                            >
                              <WarningOutlined style={{ color: '#fa541c' }} data-testid={`points-warning-${n.code}`} />
                            </Tooltip>
                          )}
                          {fmt(n.points)}
                        </Space>
                      );
                    },
                  },
                  {
                    title: t('数据来源 / 计分方法', 'Source / method'),
                    width: 176,
                    render: (_, n) =>
                      n.children ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t(`${n.children.length} 项下级指标`, `${n.children.length} children`)}
                        </Typography.Text>
                      ) : (
                        <Space size={2} wrap>
                          <Tag color={DATA_SOURCE_COLOR[n.dataSource]}>{DATA_SOURCE_LABEL[n.dataSource]()}</Tag>
                          {n.method ? (
                            <Tag>{METHOD_LABEL[n.method.kind]()}</Tag>
                          ) : (
                            <Tag color="error">{t('未设置计分方法', 'No method')}</Tag>
                          )}
                        </Space>
                      ),
                  },
                  {
                    title: t('适用范围', 'Applies to'),
                    width: 100,
                    render: (_, n) => {
                      const s = scopeText(n);
                      return s ? (
                        <Tooltip title={s}>
                          <Tag color="geekblue" style={{ maxWidth: 92, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                            {s}
                          </Tag>
                        </Tooltip>
                      ) : (
                        <Typography.Text type="secondary">
                          {n.parentId === null ? t('全部单位', 'All units') : ''}
                        </Typography.Text>
                      );
                    },
                  },
                  ...(structural
                    ? [
                        {
                          title: 'AHP',
                          width: 56,
                          // Kept in view at 1366×768: the tree scrolls under it instead of cutting it off.
                          fixed: 'right' as const,
                          align: 'center' as const,
                          render: (_: unknown, n: IndicatorNode) =>
                            (n.children?.length ?? 0) >= 2 ? (
                              <Tooltip title={t('AHP 层次分析法确定下级权重', 'Weights of the children by AHP')}>
                                <Button
                                  size="small"
                                  icon={<ApartmentOutlined />}
                                  aria-label="AHP"
                                  onClick={(e) => {
                                    e.stopPropagation();
                                    setAhpFor(n);
                                  }}
                                  data-testid={`ahp-open-${n.code}`}
                                />
                              </Tooltip>
                            ) : null,
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
          </Col>
          <Col
            xs={24}
            xl={10}
            style={{ position: 'sticky', top: 12, maxHeight: 'calc(100vh - 24px)', overflowY: 'auto' }}
          >
            <NodeEditor
              key={
                selection
                  ? `${selection.mode}-${selection.mode === 'edit' ? selection.id : selection.parentId}`
                  : 'none'
              }
              year={year}
              selection={selection}
              node={selected}
              parent={
                selection?.mode === 'create' && selection.parentId !== null
                  ? (byId.get(selection.parentId) ?? null)
                  : null
              }
              nextSort={
                selection?.mode === 'create'
                  ? Math.max(
                      0,
                      ...(indicators.data ?? []).filter((n) => n.parentId === selection.parentId).map((n) => n.sort),
                    ) + 10
                  : 0
              }
              allUnits={units.data ?? []}
              categories={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              manage={manage}
              structural={structural}
              onSelect={setSelection}
              onSaved={refresh}
            />
          </Col>
        </Row>
      )}
      {ahpFor && (
        <AhpModal
          parent={ahpFor}
          onClose={() => setAhpFor(null)}
          onApplied={async () => {
            await refresh();
          }}
        />
      )}
    </Space>
  );
}

function NodeEditor({
  year,
  selection,
  node,
  parent,
  nextSort,
  allUnits,
  categories,
  manage,
  structural,
  onSelect,
  onSaved,
}: {
  year: TYear;
  selection: Selection;
  node: IndicatorNode | null;
  parent: TIndicator | null;
  /** Sort value after the last sibling of a new node. */
  nextSort: number;
  allUnits: TUnit[];
  categories: { value: number; label: string }[];
  manage: boolean;
  structural: boolean;
  onSelect: (s: Selection) => void;
  onSaved: () => Promise<void>;
}) {
  const [form] = Form.useForm<NodeForm>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const dataSource = Form.useWatch('dataSource', form) as DataSource | undefined;
  const points = (Form.useWatch('points', form) as number | undefined) ?? node?.points ?? 0;
  const grades = year.gradeRule.grades.map((g) => g.label);
  const schemes = useYears();
  const specialSchemes = (schemes.data ?? []).filter(
    (s) => s.kind === 'special' && s.year === year.year && s.id !== year.id,
  );
  const isLeaf = !node?.children?.length;
  const creating = selection?.mode === 'create';

  const save = useMutation({
    mutationFn: async (v: NodeForm) => {
      if (creating) return performanceApi.createIndicator(year.id, { ...v, parentId: selection.parentId });
      if (!structural) {
        // In force: only wording and order may change.
        return performanceApi.updateIndicator(node!.id, {
          name: v.name,
          description: v.description,
          unitOfMeasure: v.unitOfMeasure,
          sort: v.sort,
        });
      }
      const body: Partial<NodeForm> = { ...v };
      if (!isLeaf) delete body.method;
      return performanceApi.updateIndicator(node!.id, body);
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: indicatorsKey(year.id) });
      await onSaved();
      message.success(t('已保存', 'Saved'));
      onSelect({ mode: 'edit', id: saved.id });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field) {
        const [head, ...rest] = e.field.split('.');
        // Method parameters are edited in one control: show the error under it.
        const name = head === 'method' ? ['method'] : [head, ...rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
        form.setFields([{ name: name as never, errors: [e.message] }]);
      }
      message.error(errorText(e));
    },
  });

  const remove = useMutation({
    mutationFn: () => performanceApi.deleteIndicator(node!.id),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: indicatorsKey(year.id) });
      await onSaved();
      message.success(t('已删除', 'Deleted'));
      onSelect(null);
    },
    onError: (e) => message.error(errorText(e)),
  });

  if (!selection) {
    return (
      <Card size="small" title={t('指标详情', 'Indicator')}>
        <Empty description={t('点击左侧指标查看或编辑', 'Select an indicator on the left')} />
      </Card>
    );
  }
  if (selection.mode === 'edit' && !node) return null;

  const initial: NodeForm = node
    ? {
        code: node.code,
        name: node.name,
        points: node.points,
        sort: node.sort,
        unitOfMeasure: node.unitOfMeasure,
        description: node.description,
        appliesTo: node.appliesTo,
        assessingUnitId: node.assessingUnitId,
        dataSource: node.dataSource,
        direction: node.direction,
        method: node.method,
        aggregate: node.aggregate,
        caseMetric: (node.caseMetric as NodeForm['caseMetric']) ?? null,
        specialSchemeId: node.specialSchemeId,
      }
    : {
        code: parent ? `${parent.code}_` : '',
        name: '',
        points: 0,
        sort: nextSort,
        unitOfMeasure: '',
        description: '',
        appliesTo: { categoryIds: [], unitIds: [] },
        assessingUnitId: null,
        dataSource: 'self_report',
        direction: 'positive',
        method: null,
        aggregate: 'sum',
        caseMetric: null,
        specialSchemeId: null,
      };
  const lock = !structural; // structure and scoring fields
  const wordingLock = !manage;
  const unitOptions = allUnits.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  const childSum = node?.childSum ?? null;

  return (
    <Card
      size="small"
      title={
        creating
          ? parent
            ? t(`在「${parent.name}」下添加${levelName(parent.level + 1)}`, `New child of ${parent.name}`)
            : t('添加一级指标', 'New top-level indicator')
          : `${node!.code} ${node!.name}`
      }
      extra={
        !creating &&
        structural && (
          <Space>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => onSelect({ mode: 'create', parentId: node!.id })}
              data-testid="indicator-add-child"
            >
              {t('添加下级', 'Add child')}
            </Button>
            <Popconfirm
              title={
                node?.children?.length
                  ? t(`将同时删除 ${countDescendants(node)} 个下级指标，确定删除？`, 'Delete with all its children?')
                  : t('确定删除该指标？', 'Delete this indicator?')
              }
              onConfirm={() => remove.mutateAsync()}
            >
              <Button size="small" danger icon={<DeleteOutlined />} data-testid="indicator-delete">
                {t('删除', 'Delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {creating && parent?.method && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '上级指标当前设有计分方法，添加下级后将改为按下级指标汇总，其计分方法会被清除。',
            'The parent has a method; once it has children its score is their sum and its method is cleared.',
          )}
        />
      )}
      {!creating && !isLeaf && childSum !== null && Math.abs(childSum - node!.points) > 0.001 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="points-mismatch"
          title={t(
            `下级指标分值合计 ${fmt(childSum)} 分，与本级分值 ${fmt(node!.points)} 分不一致，年度生效前须调整一致。`,
            `Children add up to ${fmt(childSum)} points, not ${fmt(node!.points)}; fix before putting the year in force.`,
          )}
        />
      )}
      {!creating && !isLeaf && childSum !== null && Math.abs(childSum - node!.points) <= 0.001 && (
        <Typography.Paragraph type="secondary">
          {t(`下级指标分值合计 ${fmt(childSum)} 分，与本级一致。`, `Children add up to ${fmt(childSum)} points.`)}
        </Typography.Paragraph>
      )}
      <Form<NodeForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        size="small"
      >
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('编码', 'Code')}
              rules={[
                {
                  required: true,
                  pattern: /^[A-Za-z][A-Za-z0-9_]{0,31}$/,
                  message: t('字母开头，可含字母、数字、下划线', 'A letter, then letters, digits or _'),
                },
              ]}
            >
              <Input disabled={lock} data-testid="indicator-code" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={100} disabled={wordingLock} data-testid="indicator-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="points" label={t('分值', 'Points')} rules={[{ required: true }]}>
              <InputNumber
                min={0}
                max={10000}
                style={{ width: '100%' }}
                disabled={lock}
                data-testid="indicator-points"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unitOfMeasure" label={t('计量单位', 'Unit of measure')}>
              <Input maxLength={20} disabled={wordingLock} placeholder="%、件、分" data-testid="indicator-uom" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sort" label={t('排序', 'Sort')}>
              <InputNumber min={0} max={100000} style={{ width: '100%' }} disabled={wordingLock} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('说明 / 考核细则', 'Description')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} disabled={wordingLock} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name={['appliesTo', 'categoryIds']}
              label={t('适用类别', 'Categories')}
              tooltip={t(
                '不选类别和单位 = 适用于全部有考评类别的单位；上级的限制对下级同样有效',
                'None = every unit with a category; a parent’s restriction narrows its children',
              )}
            >
              <Select
                mode="multiple"
                allowClear
                options={categories}
                disabled={lock}
                placeholder={t('全部', 'All')}
                data-testid="indicator-categories"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['appliesTo', 'unitIds']} label={t('适用单位', 'Units')}>
              <Select
                mode="multiple"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={unitOptions}
                disabled={lock}
                placeholder={t('按类别', 'By category')}
              />
            </Form.Item>
          </Col>
        </Row>
        {isLeaf && (
          <>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="dataSource" label={t('数据来源', 'Data source')}>
                  <Select
                    disabled={lock}
                    options={(Object.keys(DATA_SOURCE_LABEL) as DataSource[]).map((d) => ({
                      value: d,
                      label: DATA_SOURCE_LABEL[d](),
                    }))}
                    data-testid="indicator-source"
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="assessingUnitId" label={t('考评主体', 'Assessing body')}>
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={unitOptions}
                    disabled={lock}
                    placeholder={t('区绩效办', 'Performance office')}
                  />
                </Form.Item>
              </Col>
              {dataSource === 'special_assessment' && (
                <Col span={12}>
                  <Form.Item
                    name="specialSchemeId"
                    label={t('纳入的专项考核', 'Special scheme taken in')}
                    extra={t(
                      '专项考核发布结果后自动纳入：计分方法为定性评价时按等次，其他方法按总分（百分制）',
                      'Taken in when the special scheme publishes: by grade with a qualitative method, else its total',
                    )}
                    rules={[{ required: true, message: t('请选择专项考核', 'Choose a special scheme') }]}
                  >
                    <Select
                      disabled={lock}
                      options={specialSchemes.map((s) => ({ value: s.id, label: s.name }))}
                      data-testid="indicator-special-scheme"
                    />
                  </Form.Item>
                </Col>
              )}
              {dataSource === 'case_platform' && (
                <Col span={12}>
                  <Form.Item
                    name="caseMetric"
                    label={t('12345统计指标', 'Case metric')}
                    rules={[{ required: true, message: t('请选择统计指标', 'Choose a metric') }]}
                  >
                    <Select
                      disabled={lock}
                      options={Object.entries(CASE_METRIC_LABEL).map(([k, l]) => ({ value: k, label: l() }))}
                      data-testid="indicator-case-metric"
                    />
                  </Form.Item>
                </Col>
              )}
              <Col span={12}>
                <Form.Item name="direction" label={t('指标方向', 'Direction')}>
                  <Radio.Group
                    disabled={lock}
                    options={[
                      { value: 'positive', label: t('正向（越大越好）', 'Positive') },
                      { value: 'negative', label: t('逆向（越小越好）', 'Negative') },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="aggregate" label={t('年度汇总方式', 'Yearly aggregate')}>
                  <Select
                    disabled={lock}
                    options={(Object.keys(AGGREGATE_LABEL) as TIndicator['aggregate'][]).map((a) => ({
                      value: a,
                      label: AGGREGATE_LABEL[a](),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="method" label={t('计分方法', 'Scoring method')} rules={[{ required: false }]}>
              <MethodEditor points={points} grades={grades} disabled={lock} />
            </Form.Item>
          </>
        )}
        {!creating && node?.weight !== null && node?.weight !== undefined && (
          <Typography.Paragraph type="secondary">
            {t(`AHP 权重：${(node.weight * 100).toFixed(2)}%`, `AHP weight: ${(node.weight * 100).toFixed(2)}%`)}
          </Typography.Paragraph>
        )}
        {manage && (
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              icon={<SaveOutlined />}
              loading={save.isPending}
              data-testid="indicator-save"
            >
              {creating ? t('添加', 'Add') : t('保存', 'Save')}
            </Button>
            {creating && <Button onClick={() => onSelect(null)}>{t('取消', 'Cancel')}</Button>}
          </Space>
        )}
      </Form>
    </Card>
  );
}

function countDescendants(n: IndicatorNode): number {
  return (n.children ?? []).reduce((s, c) => s + 1 + countDescendants(c), 0);
}
