import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { TCategory } from '@server/modules/units/units.schema';
import { ApiError, errorText } from '../../lib/api';
import { FormModal } from '../../components/FormModal';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { adminApi, CATEGORIES_KEY, useUnitCategories, useUnits } from './api';

type CategoryValues = { code: string; name: string; description: string; sort: number };
const CATEGORY_FIELDS = ['code', 'name', 'description', 'sort'] as const;

/** 考评类别: the groups units are compared within. */
export function CategoriesTab() {
  const { can } = useAuth();
  const canManage = can('units.manage');
  const categories = useUnitCategories();
  const units = useUnits();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<TCategory | 'new' | null>(null);

  const remove = useMutation({
    mutationFn: (c: TCategory) => adminApi.deleteCategory(c.id),
    onSuccess: async () => {
      message.success(t('类别已删除', 'Category deleted'));
      await qc.invalidateQueries({ queryKey: CATEGORIES_KEY });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'IN_USE')
        modal.warning({ title: t('不能删除该类别', 'This category cannot be deleted'), content: e.message });
      else message.error(errorText(e));
    },
  });

  if (categories.error)
    return (
      <Alert
        type="error"
        showIcon
        title={t('无法读取考评类别', 'Cannot load the categories')}
        description={errorText(categories.error)}
      />
    );
  const unitCount = new Map<number, number>();
  for (const u of units.data ?? [])
    if (u.categoryId !== null) unitCount.set(u.categoryId, (unitCount.get(u.categoryId) ?? 0) + 1);

  return (
    <>
      <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">
          {t('同一类别内的单位相互比较、排名。', 'Units are compared and ranked within their category.')}
        </Typography.Text>
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="category-create"
          >
            {t('新增类别', 'Add category')}
          </Button>
        )}
      </Space>
      <Table<TCategory>
        rowKey="id"
        size="middle"
        loading={categories.isLoading}
        dataSource={categories.data ?? []}
        pagination={false}
        columns={[
          { title: t('编码', 'Code'), dataIndex: 'code', width: 120 },
          { title: t('名称', 'Name'), dataIndex: 'name', width: 200 },
          { title: t('说明', 'Description'), dataIndex: 'description' },
          { title: t('排序', 'Sort'), dataIndex: 'sort', width: 80 },
          { title: t('单位数', 'Units'), key: 'units', width: 90, render: (_, c) => unitCount.get(c.id) ?? 0 },
          ...(canManage
            ? [
                {
                  title: t('操作', 'Actions'),
                  key: 'actions',
                  width: 170,
                  render: (_: unknown, c: TCategory) => (
                    <Space>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(c)}
                        data-testid={`category-edit-${c.code}`}
                      >
                        {t('编辑', 'Edit')}
                      </Button>
                      <Popconfirm
                        title={t(`删除类别「${c.name}」？`, `Delete category ${c.name}?`)}
                        okText={t('删除', 'Delete')}
                        cancelText={t('取消', 'Cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutate(c)}
                      >
                        <Button size="small" danger icon={<DeleteOutlined />} data-testid={`category-delete-${c.code}`}>
                          {t('删除', 'Delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <CategoryModal category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function CategoryModal({ category, onClose }: { category: TCategory | null; onClose(): void }) {
  return (
    <FormModal<CategoryValues, TCategory>
      title={category ? t('编辑考评类别', 'Edit category') : t('新增考评类别', 'New category')}
      onClose={onClose}
      submit={(v) => {
        const body = { code: v.code, name: v.name, description: v.description ?? '', sort: v.sort ?? 0 };
        return category ? adminApi.updateCategory(category.id, body) : adminApi.createCategory(body);
      }}
      invalidate={[CATEGORIES_KEY]}
      success={t('已保存', 'Saved')}
      errorFields={CATEGORY_FIELDS}
      onError={(e, form) => {
        if (!(e instanceof ApiError && e.code === 'DUPLICATE')) return false;
        form.setFields([{ name: 'code', errors: [t('该编码已被使用', 'This code is already used')] }]);
        return true;
      }}
      okText={t('保存', 'Save')}
      okTestId="category-save"
      initialValues={category ?? { code: '', name: '', description: '', sort: 0 }}
    >
      <Form.Item
        name="code"
        label={t('编码', 'Code')}
        rules={[
          { required: true, message: t('请输入编码', 'Enter a code') },
          {
            pattern: /^[A-Za-z0-9_-]+$/,
            message: t('只能包含字母、数字、下划线和连字符', 'Letters, digits, _ and - only'),
          },
        ]}
      >
        <Input data-testid="category-form-code" maxLength={32} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('名称', 'Name')}
        rules={[{ required: true, message: t('请输入名称', 'Enter a name') }]}
      >
        <Input data-testid="category-form-name" maxLength={50} />
      </Form.Item>
      <Form.Item name="description" label={t('说明', 'Description')}>
        <Input.TextArea data-testid="category-form-description" rows={3} maxLength={500} />
      </Form.Item>
      <Form.Item name="sort" label={t('排序', 'Sort order')}>
        <InputNumber data-testid="category-form-sort" min={0} max={100000} precision={0} />
      </Form.Item>
    </FormModal>
  );
}
