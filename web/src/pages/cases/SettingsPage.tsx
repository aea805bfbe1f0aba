import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import type { TCaseCategory, TCaseSettings, TRoutingRule } from '@server/modules/cases/cases.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { CASE_TYPES, categoryOptions, categoryPathIds, TYPE_LABEL } from './casesData';
import { PublicationTag, publicationOptions } from './publication';
import {
  CASE_CATEGORIES_KEY,
  CASE_SETTINGS_KEY,
  casesApi,
  ROUTING_RULES_KEY,
  useCaseCategories,
  useCaseSettings,
  useRoutingRules,
} from './api';
import { FormModal } from '../../components/FormModal';
import { applyFieldError } from '../../lib/forms';
import { useUnits } from '../admin/api';

type CatNode = TCaseCategory & { children?: CatNode[] };

function useUnitOptions() {
  const units = useUnits();
  return (units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }));
}

function CategoryModal({
  editing,
  all,
  onClose,
}: {
  editing: TCaseCategory | 'new';
  all: TCaseCategory[];
  onClose: () => void;
}) {
  const units = useUnitOptions();
  const init =
    editing === 'new'
      ? { timeLimitDays: 10, signHours: 4, active: true, sort: 0, publication: 'public' }
      : { ...editing, parentPath: categoryPathIds(all, editing.parentId) };
  const options = useMemo(
    () =>
      categoryOptions(
        all.filter((c) => editing === 'new' || c.id !== editing.id),
        false,
      ),
    [all, editing],
  );
  const submit = (v: Record<string, unknown>) => {
    const path = (v.parentPath as number[] | undefined) ?? [];
    const body = {
      code: v.code,
      name: v.name,
      parentId: path.length ? path[path.length - 1] : null,
      defaultUnitId: v.defaultUnitId ?? null,
      timeLimitDays: v.timeLimitDays,
      signHours: v.signHours,
      open311Code: v.open311Code || null,
      description: v.description ?? '',
      active: v.active,
      sort: v.sort ?? 0,
      publication: v.publication ?? 'public',
    };
    return editing === 'new' ? casesApi.createCategory(body) : casesApi.updateCategory(editing.id, body);
  };
  return (
    <FormModal<Record<string, unknown>>
      title={editing === 'new' ? t('新增诉求分类', 'New category') : t('编辑诉求分类', 'Edit category')}
      onClose={onClose}
      submit={submit}
      invalidate={[CASE_CATEGORIES_KEY]}
      success={t('已保存', 'Saved')}
      initialValues={init}
    >
      <Space.Compact block>
        <Form.Item
          name="code"
          label={t('编码', 'Code')}
          rules={[
            { required: true },
            { pattern: /^[A-Za-z0-9_.-]+$/, message: t('只能是字母、数字、_ . -', 'Letters, digits, _ . -') },
          ]}
          style={{ width: '40%' }}
        >
          <Input data-testid="category-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('名称', 'Name')}
          rules={[{ required: true, whitespace: true }]}
          style={{ width: '60%' }}
        >
          <Input maxLength={50} data-testid="category-name" />
        </Form.Item>
      </Space.Compact>
      <Form.Item name="parentPath" label={t('上级分类', 'Parent')}>
        <Cascader options={options} changeOnSelect allowClear placeholder={t('无（一级分类）', 'None (top level)')} />
      </Form.Item>
      <Form.Item
        name="defaultUnitId"
        label={t('默认承办单位', 'Default department')}
        extra={t('不填时沿用上级分类的默认单位', 'Empty: the parent’s department applies')}
      >
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={units} data-testid="category-unit" />
      </Form.Item>
      <Space wrap>
        <Form.Item
          name="timeLimitDays"
          label={t('办理时限（工作日）', 'Time limit (working days)')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={365} data-testid="category-days" />
        </Form.Item>
        <Form.Item
          name="signHours"
          label={t('签收时限（工作小时）', 'Sign-for (working hours)')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={240} />
        </Form.Item>
        <Form.Item name="sort" label={t('排序', 'Order')}>
          <InputNumber min={0} max={100000} />
        </Form.Item>
      </Space>
      <Form.Item name="open311Code" label={t('Open311 服务编码', 'Open311 service code')}>
        <Input />
      </Form.Item>
      <Form.Item
        name="publication"
        label={t('开放接口公开方式', 'Publication on the public API')}
        extra={t(
          '下级分类取本级与上级中最严格的方式；举报件和标记保密的诉求一律不公开。',
          'Sub-categories take the strictest rule up the tree; whistle-blowing and confidential cases are never public.',
        )}
      >
        <Select options={publicationOptions()} data-testid="category-publication" />
      </Form.Item>
      <Form.Item name="description" label={t('说明', 'Description')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

function CategoriesTab({ editable }: { editable: boolean }) {
  const cats = useCaseCategories();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<TCaseCategory | 'new' | null>(null);
  const tree = useMemo(() => {
    const all = cats.data ?? [];
    const build = (parent: number | null): CatNode[] =>
      all
        .filter((c) => c.parentId === parent)
        .map((c) => {
          const children = build(c.id);
          return children.length ? { ...c, children } : { ...c };
        });
    return build(null);
  }, [cats.data]);
  const remove = async (c: TCaseCategory) => {
    try {
      await casesApi.deleteCategory(c.id);
      await qc.invalidateQueries({ queryKey: CASE_CATEGORIES_KEY });
      message.success(t('已删除', 'Deleted'));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <>
      {editable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          style={{ marginBottom: 12 }}
          data-testid="category-add"
        >
          {t('新增分类', 'New category')}
        </Button>
      )}
      {cats.error && <Alert type="error" showIcon title={errorText(cats.error)} />}
      <Table<CatNode>
        rowKey="id"
        size="small"
        loading={cats.isLoading}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: false }}
        scroll={{ x: 900 }}
        data-testid="category-table"
        columns={[
          {
            title: t('名称', 'Name'),
            dataIndex: 'name',
            render: (v: string, c) => (c.active ? v : <Typography.Text delete>{v}</Typography.Text>),
          },
          { title: t('编码', 'Code'), dataIndex: 'code', width: 100 },
          {
            title: t('默认承办单位', 'Department'),
            key: 'unit',
            render: (_, c) =>
              c.defaultUnitId ? (
                c.effectiveUnitName
              ) : c.effectiveUnitName ? (
                <Typography.Text type="secondary">{t('沿用：', 'inherited: ') + c.effectiveUnitName}</Typography.Text>
              ) : (
                <Tag>{t('按地址派单', 'by address')}</Tag>
              ),
          },
          {
            title: t('办理时限', 'Limit'),
            dataIndex: 'timeLimitDays',
            width: 100,
            render: (v: number) => t(`${v} 工作日`, `${v} days`),
          },
          {
            title: t('签收时限', 'Sign-for'),
            dataIndex: 'signHours',
            width: 100,
            render: (v: number) => t(`${v} 小时`, `${v} h`),
          },
          { title: 'Open311', dataIndex: 'open311Code', width: 100, render: (v: string | null) => v ?? '—' },
          {
            title: t('公开方式', 'Publication'),
            key: 'publication',
            width: 110,
            render: (_: unknown, c: CatNode) => <PublicationTag value={c.effectivePublication} />,
          },
          ...(editable
            ? [
                {
                  title: t('操作', 'Actions'),
                  key: 'act',
                  width: 120,
                  render: (_: unknown, c: CatNode) => (
                    <Space>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)} />
                      <Popconfirm
                        title={t(
                          '删除该分类？已有诉求的分类只能停用',
                          'Delete? Categories with cases can only be deactivated',
                        )}
                        onConfirm={() => void remove(c)}
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <CategoryModal editing={editing} all={cats.data ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

function RuleModal({ editing, onClose }: { editing: TRoutingRule | 'new'; onClose: () => void }) {
  const cats = useCaseCategories();
  const units = useUnitOptions();
  const init =
    editing === 'new'
      ? { kind: 'keyword', priority: 0, active: true }
      : { ...editing, categoryPath: categoryPathIds(cats.data ?? [], editing.categoryId) };
  const submit = (v: Record<string, unknown>) => {
    const path = (v.categoryPath as number[] | undefined) ?? [];
    const body = {
      kind: v.kind,
      pattern: v.pattern,
      categoryId: path.length ? path[path.length - 1] : null,
      unitId: v.unitId,
      priority: v.priority ?? 0,
      note: v.note ?? '',
      active: v.active,
    };
    return editing === 'new' ? casesApi.createRoutingRule(body) : casesApi.updateRoutingRule(editing.id, body);
  };
  return (
    <FormModal<Record<string, unknown>>
      title={editing === 'new' ? t('新增派单规则', 'New rule') : t('编辑派单规则', 'Edit rule')}
      onClose={onClose}
      submit={submit}
      invalidate={[ROUTING_RULES_KEY]}
      success={t('已保存', 'Saved')}
      initialValues={init}
    >
      <Form.Item name="kind" label={t('匹配方式', 'Match')}>
        <Radio.Group>
          <Radio value="keyword">{t('诉求内容关键词', 'Keyword in the description')}</Radio>
          <Radio value="address">{t('地址', 'Address')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="pattern"
        label={t('关键词（多个用 | 分隔）', 'Terms (separate with |)')}
        rules={[{ required: true, whitespace: true }]}
      >
        <Input maxLength={200} data-testid="rule-pattern" />
      </Form.Item>
      <Form.Item name="categoryPath" label={t('仅适用于分类', 'Only for category')}>
        <Cascader
          options={categoryOptions(cats.data ?? [], false)}
          changeOnSelect
          allowClear
          placeholder={t('不限', 'Any')}
        />
      </Form.Item>
      <Form.Item name="unitId" label={t('派往单位', 'Department')} rules={[{ required: true }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={units} data-testid="rule-unit" />
      </Form.Item>
      <Space>
        <Form.Item name="priority" label={t('优先级（大者优先）', 'Priority (higher wins)')}>
          <InputNumber min={-1000} max={1000} />
        </Form.Item>
        <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('说明', 'Note')}>
        <Input maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

function RulesTab() {
  const rules = useRoutingRules();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<TRoutingRule | 'new' | null>(null);
  const remove = async (r: TRoutingRule) => {
    try {
      await casesApi.deleteRoutingRule(r.id);
      await qc.invalidateQueries({ queryKey: ROUTING_RULES_KEY });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => setEditing('new')}
        style={{ marginBottom: 12 }}
        data-testid="rule-add"
      >
        {t('新增规则', 'New rule')}
      </Button>
      {rules.error && <Alert type="error" showIcon title={errorText(rules.error)} />}
      <Table<TRoutingRule>
        rowKey="id"
        size="small"
        loading={rules.isLoading}
        dataSource={rules.data ?? []}
        scroll={{ x: 900 }}
        data-testid="rule-table"
        columns={[
          {
            title: t('方式', 'Match'),
            dataIndex: 'kind',
            width: 90,
            render: (k: string) =>
              k === 'keyword' ? (
                <Tag color="blue">{t('关键词', 'Keyword')}</Tag>
              ) : (
                <Tag color="green">{t('地址', 'Address')}</Tag>
              ),
          },
          { title: t('关键词', 'Terms'), dataIndex: 'pattern', ellipsis: true },
          {
            title: t('分类', 'Category'),
            dataIndex: 'categoryName',
            width: 160,
            render: (v: string | null) => v ?? t('不限', 'Any'),
          },
          { title: t('派往单位', 'Department'), dataIndex: 'unitName', width: 170 },
          { title: t('优先级', 'Priority'), dataIndex: 'priority', width: 80 },
          {
            title: t('启用', 'Active'),
            dataIndex: 'active',
            width: 70,
            render: (v: boolean) => (v ? t('是', 'Yes') : t('否', 'No')),
          },
          {
            title: t('操作', 'Actions'),
            key: 'act',
            width: 110,
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} />
                <Popconfirm title={t('删除该规则？', 'Delete this rule?')} onConfirm={() => void remove(r)}>
                  <Button size="small" danger icon={<DeleteOutlined />} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <RuleModal editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function ParametersTab({ editable }: { editable: boolean }) {
  const [form] = Form.useForm<TCaseSettings>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useCaseSettings();
  const save = async (v: TCaseSettings) => {
    try {
      await casesApi.saveSettings(v);
      await qc.invalidateQueries({ queryKey: CASE_SETTINGS_KEY });
      message.success(t('已保存', 'Saved'));
    } catch (e) {
      if (!applyFieldError(form, e)) message.error(errorText(e));
    }
  };
  if (!q.data) return null;
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={q.data}
      onFinish={(v) => void save(v)}
      disabled={!editable}
      style={{ maxWidth: 480 }}
    >
      <Typography.Paragraph type="secondary">
        {t(
          '同一分类的未办结诉求，在以下距离和天数内视为疑似重复。',
          'Open cases of the same category within this distance and these days count as possible duplicates.',
        )}
      </Typography.Paragraph>
      <Form.Item name="duplicateRadiusM" label={t('查重距离（米）', 'Radius (m)')} rules={[{ required: true }]}>
        <InputNumber min={10} max={5000} />
      </Form.Item>
      <Form.Item name="duplicateDays" label={t('查重天数', 'Days')} rules={[{ required: true }]}>
        <InputNumber min={1} max={90} />
      </Form.Item>
      <Typography.Title level={5}>
        {t('按诉求类型的公开方式（开放接口）', 'Publication per case type (public API)')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(
          '与分类的公开方式取更严格者；举报件一律不公开。',
          'The stricter of this and the category’s rule applies; whistle-blowing is never public.',
        )}
      </Typography.Paragraph>
      {CASE_TYPES.map((type) => (
        <Form.Item key={type} name={['typePublication', type]} label={TYPE_LABEL[type]()}>
          <Select
            options={publicationOptions()}
            disabled={type === 'report'}
            data-testid={`type-publication-${type}`}
          />
        </Form.Item>
      ))}
      {editable && (
        <Button type="primary" htmlType="submit">
          {t('保存', 'Save')}
        </Button>
      )}
    </Form>
  );
}

/** Categories, routing rules and duplicate-detection settings of the platform. */
export function SettingsPage() {
  const { can } = useAuth();
  const configure = can('cases.configure');
  return (
    <Card title={t('分类与派单规则', 'Categories and routing')}>
      <Tabs
        items={[
          { key: 'categories', label: t('诉求分类', 'Categories'), children: <CategoriesTab editable={configure} /> },
          { key: 'rules', label: t('派单规则', 'Routing rules'), children: <RulesTab /> },
          {
            key: 'params',
            label: t('查重与公开参数', 'Duplicates and publication'),
            children: <ParametersTab editable={configure} />,
          },
        ]}
      />
    </Card>
  );
}
