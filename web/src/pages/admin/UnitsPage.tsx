import {
  ApartmentOutlined,
  DeleteOutlined,
  PlusOutlined,
  SaveOutlined,
  StopOutlined,
  CheckCircleOutlined,
} from '@ant-design/icons';
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
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Tabs,
  Tag,
  Tree,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import type { TCategory, TUnit } from '@server/modules/units/units.schema';
import { ApiError, errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { ExcelListButtons } from '../../components/ExcelListButtons';
import { RequirePermission } from './NoAccess';
import { CategoriesTab } from './CategoriesTab';
import {
  buildUnitTree,
  subtreeIds,
  UNIT_KIND_COLOR,
  UNIT_KIND_LABEL,
  UNIT_KINDS,
  unitTreeSelectData,
  type UnitKind,
  type UnitNode,
} from './adminData';
import { adminApi, UNITS_KEY, useUnitCategories, useUnits } from './api';

/** 单位管理: the unit tree with a detail form, and the unit categories (考评类别). */
export function UnitsPage() {
  return (
    <RequirePermission permission="units.read">
      <UnitsPageBody />
    </RequirePermission>
  );
}

function UnitsPageBody() {
  const [tab, setTab] = useState('units');
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('单位管理', 'Units')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'units', label: <span data-testid="units-tab">{t('单位', 'Units')}</span>, children: <UnitsTab /> },
          {
            key: 'categories',
            label: <span data-testid="categories-tab">{t('考评类别', 'Assessment categories')}</span>,
            children: <CategoriesTab />,
          },
        ]}
      />
    </div>
  );
}

type Selection = { mode: 'edit'; id: number } | { mode: 'create'; parentId: number | null } | null;

function UnitsTab() {
  const units = useUnits();
  const categories = useUnitCategories();
  const [selection, setSelection] = useState<Selection>(null);
  if (units.isLoading || categories.isLoading) return <Spin />;
  if (units.error || categories.error) {
    return (
      <Alert
        type="error"
        showIcon
        title={t('无法读取单位', 'Cannot load the units')}
        description={errorText(units.error ?? categories.error)}
      />
    );
  }
  const list = units.data ?? [];
  const selectedId =
    selection?.mode === 'edit' ? selection.id : selection?.mode === 'create' ? selection.parentId : null;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <UnitTreeCard
          units={list}
          selectedId={selectedId}
          onSelect={(id) => setSelection({ mode: 'edit', id })}
          onCreateRoot={() => setSelection({ mode: 'create', parentId: null })}
        />
      </Col>
      <Col xs={24} lg={15}>
        <UnitDetail units={list} categories={categories.data ?? []} selection={selection} onSelect={setSelection} />
      </Col>
    </Row>
  );
}

/** The tree of units with a search box: matches are highlighted and shown with their ancestors. */
function UnitTreeCard(props: {
  units: TUnit[];
  selectedId: number | null;
  onSelect(id: number): void;
  onCreateRoot(): void;
}) {
  const { units, selectedId } = props;
  const { can } = useAuth();
  const qc = useQueryClient();
  const [query, setQuery] = useState('');
  const roots = useMemo(() => buildUnitTree(units), [units]);
  const [expanded, setExpanded] = useState<number[] | null>(null);
  const q = query.trim().toLowerCase();

  // With a query: the matching units plus their ancestors, all expanded.
  const visible = useMemo(() => {
    if (!q) return null;
    const byId = new Map(units.map((u) => [u.id, u]));
    const keep = new Set<number>();
    for (const u of units) {
      if (!u.name.toLowerCase().includes(q) && !u.code.toLowerCase().includes(q)) continue;
      for (
        let cur: TUnit | undefined = u;
        cur && !keep.has(cur.id);
        cur = cur.parentId === null ? undefined : byId.get(cur.parentId)
      )
        keep.add(cur.id);
    }
    return keep;
  }, [q, units]);

  const highlight = (text: string): ReactNode => {
    const i = q ? text.toLowerCase().indexOf(q) : -1;
    if (i < 0) return text;
    return (
      <>
        {text.slice(0, i)}
        <span style={{ background: '#ffe58f' }}>{text.slice(i, i + q.length)}</span>
        {text.slice(i + q.length)}
      </>
    );
  };

  type Node = { key: number; title: ReactNode; children: Node[] };
  const toNode = (n: UnitNode): Node | null => {
    if (visible && !visible.has(n.id)) return null;
    return {
      key: n.id,
      title: (
        <span data-testid={`unit-node-${n.code}`} style={n.active ? undefined : { color: '#999' }}>
          {highlight(n.name)}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {highlight(n.code)}
          </Typography.Text>
          {!n.active && (
            <Tag style={{ marginInlineStart: 6 }} color="default">
              {t('停用', 'Inactive')}
            </Tag>
          )}
        </span>
      ),
      children: n.children.map(toNode).filter((c): c is Node => c !== null),
    };
  };
  const treeData = roots.map(toNode).filter((c): c is Node => c !== null);
  // By default the district and its first level are open.
  const defaultExpanded = roots.map((r) => r.id);
  const expandedKeys = visible ? [...visible] : (expanded ?? defaultExpanded);

  return (
    <Card
      size="small"
      title={
        <Space>
          <ApartmentOutlined />
          {t('单位树', 'Unit tree')}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {t(`共 ${units.length} 个`, `${units.length} units`)}
          </Typography.Text>
        </Space>
      }
      extra={
        can('units.manage') && !units.some((u) => u.parentId === null) ? (
          <Button size="small" icon={<PlusOutlined />} onClick={props.onCreateRoot}>
            {t('新增区', 'Add district')}
          </Button>
        ) : null
      }
      actions={[
        <ExcelListButtons
          key="excel"
          base={adminApi.unitsExcelBase()}
          testId="units-excel"
          canImport={can('units.manage')}
          onImported={() => qc.invalidateQueries({ queryKey: UNITS_KEY })}
        />,
      ]}
    >
      <Input.Search
        allowClear
        placeholder={t('搜索单位名称或编码', 'Search by name or code')}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="unit-search"
        style={{ marginBottom: 8 }}
      />
      {treeData.length ? (
        <div style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 300, overflow: 'auto' }} data-testid="unit-tree">
          <Tree
            showLine
            blockNode
            treeData={treeData}
            expandedKeys={expandedKeys}
            onExpand={(keys) => setExpanded(keys.map(Number))}
            selectedKeys={selectedId === null ? [] : [selectedId]}
            onSelect={(keys) => {
              if (keys.length) props.onSelect(Number(keys[0]));
            }}
          />
        </div>
      ) : (
        <Empty description={q ? t('没有匹配的单位', 'No matching unit') : t('还没有单位', 'No units yet')} />
      )}
    </Card>
  );
}

type UnitFormValues = {
  code: string;
  name: string;
  kind: UnitKind;
  parentId?: number | null;
  categoryId?: number | null;
  sort: number;
  active: boolean;
};
const UNIT_FIELDS = ['code', 'name', 'kind', 'parentId', 'categoryId', 'sort', 'active'] as const;

/** The kind a new unit under `parent` most likely has. */
function childKind(parent: TUnit | undefined): UnitKind {
  if (!parent) return 'district';
  if (parent.kind === 'district') return 'department';
  if (parent.kind === 'department') return 'department';
  return 'community';
}

function UnitDetail(props: {
  units: TUnit[];
  categories: TCategory[];
  selection: Selection;
  onSelect(s: Selection): void;
}) {
  const { units, categories, selection } = props;
  if (!selection) {
    return (
      <Card size="small">
        <Empty
          description={t('请在左侧选择一个单位查看或编辑', 'Select a unit on the left to view or edit it')}
          style={{ padding: 48 }}
        />
      </Card>
    );
  }
  const unit = selection.mode === 'edit' ? units.find((u) => u.id === selection.id) : undefined;
  if (selection.mode === 'edit' && !unit) {
    return (
      <Card size="small">
        <Empty description={t('该单位已不存在', 'This unit no longer exists')} />
      </Card>
    );
  }
  // Remount per selection so the form starts from the selected unit's values.
  const key = selection.mode === 'edit' ? `edit-${selection.id}` : `create-${selection.parentId}`;
  return (
    <UnitForm
      key={key}
      units={units}
      categories={categories}
      unit={unit}
      parentId={selection.mode === 'create' ? selection.parentId : null}
      onSelect={props.onSelect}
    />
  );
}

function UnitForm(props: {
  units: TUnit[];
  categories: TCategory[];
  unit?: TUnit;
  parentId: number | null;
  onSelect(s: Selection): void;
}) {
  const { units, categories, unit } = props;
  const { can } = useAuth();
  const canManage = can('units.manage');
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<UnitFormValues>();
  const kind = Form.useWatch('kind', form);
  const creating = !unit;
  const parent = units.find((u) => u.id === (unit ? unit.parentId : props.parentId));

  // A unit cannot move under itself or its descendants: those are greyed out in the parent picker.
  const forbidden = useMemo(() => (unit ? subtreeIds(units, unit.id) : new Set<number>()), [units, unit]);
  const parentTree = useMemo(() => unitTreeSelectData(units, (u) => forbidden.has(u.id)), [units, forbidden]);
  const childCount = unit ? units.filter((u) => u.parentId === unit.id).length : 0;

  const initial: UnitFormValues = unit
    ? {
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        parentId: unit.parentId,
        categoryId: unit.categoryId,
        sort: unit.sort,
        active: unit.active,
      }
    : {
        code: '',
        name: '',
        kind: childKind(parent),
        parentId: props.parentId,
        categoryId: parent?.categoryId ?? null,
        sort: 0,
        active: true,
      };

  const refresh = () => qc.invalidateQueries({ queryKey: UNITS_KEY });

  const onError = (e: unknown) => {
    if (applyFieldError(form, e, UNIT_FIELDS)) return;
    if (e instanceof ApiError && e.code === 'DUPLICATE') {
      form.setFields([{ name: 'code', errors: [t('该编码已被其他单位使用', 'This code is used by another unit')] }]);
      return;
    }
    message.error(errorText(e));
  };

  const save = useMutation({
    mutationFn: async (v: UnitFormValues) => {
      const body = {
        code: v.code,
        name: v.name,
        kind: v.kind,
        parentId: v.kind === 'district' ? null : (v.parentId ?? null),
        categoryId: v.categoryId ?? null,
        sort: v.sort ?? 0,
      };
      return unit ? adminApi.updateUnit(unit.id, { ...body, active: v.active }) : adminApi.createUnit(body);
    },
    onSuccess: async (saved) => {
      message.success(creating ? t('单位已新增', 'Unit added') : t('已保存', 'Saved'));
      await refresh();
      props.onSelect({ mode: 'edit', id: saved.id });
    },
    onError,
  });

  const toggle = useMutation({
    mutationFn: (active: boolean) => adminApi.updateUnit(unit!.id, { active }),
    onSuccess: async (saved) => {
      message.success(saved.active ? t('已启用', 'Activated') : t('已停用', 'Deactivated'));
      form.setFieldValue('active', saved.active);
      await refresh();
    },
    onError: (e) => message.error(errorText(e)),
  });

  const remove = useMutation({
    mutationFn: () => adminApi.deleteUnit(unit!.id),
    onSuccess: async () => {
      message.success(t('单位已删除', 'Unit deleted'));
      props.onSelect(unit?.parentId ? { mode: 'edit', id: unit.parentId } : null);
      await refresh();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'IN_USE') {
        // The unit has sub-units, users or records: offer to deactivate it instead.
        modal.confirm({
          title: t('不能删除该单位', 'This unit cannot be deleted'),
          content: e.message,
          okText: unit?.active ? t('改为停用', 'Deactivate instead') : t('知道了', 'OK'),
          cancelText: t('取消', 'Cancel'),
          okButtonProps: { 'data-testid': 'unit-delete-deactivate' },
          onOk: () => (unit?.active ? toggle.mutateAsync(false) : undefined),
        });
        return;
      }
      message.error(errorText(e));
    },
  });

  const title = creating
    ? parent
      ? t(`在「${parent.name}」下新增单位`, `New unit under ${parent.name}`)
      : t('新增区级单位', 'New district')
    : unit.name;

  return (
    <Card
      size="small"
      title={
        <Space>
          {title}
          {unit && <Tag color={UNIT_KIND_COLOR[unit.kind]}>{UNIT_KIND_LABEL[unit.kind]()}</Tag>}
          {unit && !unit.active && <Tag>{t('已停用', 'Inactive')}</Tag>}
        </Space>
      }
      extra={
        unit && canManage ? (
          <Button
            icon={<PlusOutlined />}
            onClick={() => props.onSelect({ mode: 'create', parentId: unit.id })}
            data-testid="unit-add-child"
          >
            {t('新增下级单位', 'Add sub-unit')}
          </Button>
        ) : null
      }
    >
      {unit && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('上级：', 'Parent: ')}
          {parent ? parent.name : t('无（区级）', 'none (district)')} · {t('下级单位：', 'Sub-units: ')}
          {childCount}
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ flex: '110px' }}
        wrapperCol={{ flex: 1 }}
        initialValues={initial}
        disabled={!canManage}
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed) => {
          // Clear a server error on a field once it is edited.
          for (const name of Object.keys(changed)) form.setFields([{ name: name as keyof UnitFormValues, errors: [] }]);
        }}
        style={{ maxWidth: 640 }}
      >
        <Form.Item
          name="code"
          label={t('单位编码', 'Code')}
          rules={[
            { required: true, message: t('请输入单位编码', 'Enter a code') },
            {
              pattern: /^[A-Za-z0-9_-]+$/,
              message: t('只能包含字母、数字、下划线和连字符', 'Letters, digits, _ and - only'),
            },
            { max: 32 },
          ]}
        >
          <Input data-testid="unit-form-code" placeholder="CGJ" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('单位名称', 'Name')}
          rules={[{ required: true, message: t('请输入单位名称', 'Enter a name') }, { max: 100 }]}
        >
          <Input data-testid="unit-form-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('单位类型', 'Kind')} rules={[{ required: true }]}>
          <Select
            data-testid="unit-form-kind"
            options={UNIT_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABEL[k]() }))}
          />
        </Form.Item>
        {kind !== 'district' && (
          <Form.Item
            name="parentId"
            label={t('上级单位', 'Parent unit')}
            rules={[{ required: true, message: t('请选择上级单位', 'Choose a parent unit') }]}
          >
            <TreeSelect
              data-testid="unit-form-parent"
              treeData={parentTree}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandedKeys={units.filter((u) => u.parentId === null).map((u) => u.id)}
              placeholder={t('选择上级单位', 'Choose the parent unit')}
            />
          </Form.Item>
        )}
        <Form.Item name="categoryId" label={t('考评类别', 'Category')}>
          <Select
            data-testid="unit-form-category"
            allowClear
            placeholder={t('未分类', 'None')}
            options={categories.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))}
          />
        </Form.Item>
        <Form.Item
          name="sort"
          label={t('排序', 'Sort order')}
          tooltip={t('同级单位按此数字从小到大排列', 'Siblings are ordered by this number')}
        >
          <InputNumber data-testid="unit-form-sort" min={0} max={100000} precision={0} />
        </Form.Item>
        {unit && (
          <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
            <Switch data-testid="unit-form-active" />
          </Form.Item>
        )}
        {canManage && (
          <Form.Item label=" " colon={false}>
            <Space wrap>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SaveOutlined />}
                loading={save.isPending}
                data-testid="unit-save"
              >
                {creating ? t('新增', 'Create') : t('保存', 'Save')}
              </Button>
              {unit && (
                <Button
                  icon={unit.active ? <StopOutlined /> : <CheckCircleOutlined />}
                  loading={toggle.isPending}
                  onClick={() => toggle.mutate(!unit.active)}
                  data-testid="unit-toggle-active"
                >
                  {unit.active ? t('停用', 'Deactivate') : t('启用', 'Activate')}
                </Button>
              )}
              {unit && (
                <Popconfirm
                  title={t('删除该单位？', 'Delete this unit?')}
                  description={t(
                    '只有没有下级单位、用户和业务数据的单位才能删除。',
                    'Only a unit without sub-units, users or records can be deleted.',
                  )}
                  okText={t('删除', 'Delete')}
                  cancelText={t('取消', 'Cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove.mutate()}
                >
                  <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="unit-delete">
                    {t('删除', 'Delete')}
                  </Button>
                </Popconfirm>
              )}
              {creating && (
                <Button onClick={() => props.onSelect(parent ? { mode: 'edit', id: parent.id } : null)}>
                  {t('取消', 'Cancel')}
                </Button>
              )}
            </Space>
          </Form.Item>
        )}
      </Form>
      {!canManage && (
        <Typography.Text type="secondary">
          {t('您只有查看权限。', 'You can view units but not change them.')}
        </Typography.Text>
      )}
    </Card>
  );
}
