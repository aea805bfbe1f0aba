import { DownloadOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import type { TItemInput } from '@server/modules/services/services.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { servicesApi, SVC_KEY, useItems, useUnits, type TItem } from './api';
import { ITEM_CHANNELS, KINDS, PHASES } from './servicesData';

/** 事项目录: the office keeps the catalogue (time limits, materials, steps with parallel stages), in Excel too. */
export function CataloguePage() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<string | undefined>();
  const items = useItems(false, { q: q || undefined, kind });
  const units = useUnits();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState<TItem | 'new' | null>(null);
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('政务服务事项目录', 'Service item catalogue')}
        extra={
          <Space wrap>
            <Button icon={<PlusOutlined />} type="primary" onClick={() => setEditing('new')} data-testid="item-new">
              {t('新增事项', 'New item')}
            </Button>
            <Button icon={<DownloadOutlined />} href={servicesApi.itemsExportUrl()}>
              {t('导出 Excel', 'Export')}
            </Button>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              beforeUpload={async (file) => {
                const fd = new FormData();
                fd.append('file', file);
                try {
                  const r = await servicesApi.importItems(fd);
                  message.success(
                    t(
                      `导入完成：新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}`,
                      `Imported: ${r.created} new, ${r.updated} updated`,
                    ),
                  );
                  void qc.invalidateQueries({ queryKey: SVC_KEY });
                } catch (e) {
                  modal.error({ title: t('导入未保存', 'Import refused'), content: errorText(e) });
                }
                return false;
              }}
            >
              <Button icon={<UploadOutlined />}>{t('导入 Excel', 'Import')}</Button>
            </Upload>
          </Space>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            placeholder={t('名称或编码', 'Name or code')}
            allowClear
            onSearch={setQ}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('事项类型', 'Kind')}
            style={{ width: 140 }}
            value={kind}
            onChange={setKind}
            options={Object.entries(KINDS).map(([k, l]) => ({ value: k, label: l() }))}
          />
        </Space>
        <Table<TItem>
          rowKey="id"
          size="small"
          loading={items.isLoading}
          dataSource={items.data ?? []}
          pagination={{ pageSize: 20, showTotal: (n) => t(`共 ${n} 项`, `${n} items`) }}
          columns={[
            { title: t('编码', 'Code'), dataIndex: 'code', width: 110 },
            {
              title: t('事项名称', 'Name'),
              dataIndex: 'name',
              render: (v: string, r) => (
                <Space size={4} wrap>
                  {v}
                  {r.parallel && <Tag color="magenta">{t('并联', 'Parallel')}</Tag>}
                  {!r.active && <Tag>{t('停用', 'Inactive')}</Tag>}
                </Space>
              ),
            },
            { title: t('类型', 'Kind'), dataIndex: 'kind', width: 90, render: (k: TItem['kind']) => KINDS[k]() },
            { title: t('责任部门', 'Department'), dataIndex: 'departmentName', width: 170 },
            {
              title: t('承诺/法定（工作日）', 'Committed / legal'),
              width: 130,
              render: (_, r) =>
                r.committedDays === 0 ? t('即办件', 'Same day') : `${r.committedDays} / ${r.legalDays}`,
            },
            {
              title: t('办理方式', 'Channel'),
              dataIndex: 'channel',
              width: 100,
              render: (c: TItem['channel']) => ITEM_CHANNELS[c](),
            },
            { title: t('环节', 'Steps'), width: 60, render: (_, r) => r.steps.length },
            {
              title: '',
              width: 60,
              render: (_, r) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} />,
            },
          ]}
        />
      </Card>
      {editing && (
        <FormModal<TItemInput, TItem>
          title={editing === 'new' ? t('新增事项', 'New item') : `${t('编辑事项', 'Edit item')} ${editing.code}`}
          width={900}
          onClose={() => setEditing(null)}
          invalidate={[SVC_KEY]}
          success={t('事项已保存', 'Saved')}
          initialValues={
            editing === 'new'
              ? {
                  kind: 'license',
                  channel: 'both',
                  legalDays: 20,
                  committedDays: 10,
                  materials: [{ name: '申请表', required: true }],
                  steps: [
                    { seq: 1, phase: 'accept', name: '受理', departmentId: undefined as unknown as number, days: 0 },
                    { seq: 2, phase: 'review', name: '审查', departmentId: undefined as unknown as number, days: 5 },
                    { seq: 3, phase: 'decide', name: '决定', departmentId: undefined as unknown as number, days: 2 },
                    { seq: 4, phase: 'deliver', name: '送达', departmentId: undefined as unknown as number, days: 1 },
                  ],
                  active: true,
                }
              : editing
          }
          submit={(v) => (editing === 'new' ? servicesApi.createItem(v) : servicesApi.updateItem(editing.id, v))}
        >
          <Space wrap align="start">
            <Form.Item name="code" label={t('事项编码', 'Code')} rules={[{ required: true }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="name" label={t('事项名称', 'Name')} rules={[{ required: true }]}>
              <Input style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name="kind" label={t('类型', 'Kind')}>
              <Select
                style={{ width: 130 }}
                options={Object.entries(KINDS).map(([k, l]) => ({ value: k, label: l() }))}
              />
            </Form.Item>
            <Form.Item name="departmentId" label={t('责任部门', 'Department')} rules={[{ required: true }]}>
              <Select style={{ width: 200 }} showSearch optionFilterProp="label" options={unitOptions} />
            </Form.Item>
            <Form.Item name="legalDays" label={t('法定时限', 'Legal days')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
            <Form.Item name="committedDays" label={t('承诺时限（0=即办）', 'Committed (0 = same day)')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
            <Form.Item name="channel" label={t('办理方式', 'Channel')}>
              <Select
                style={{ width: 130 }}
                options={Object.entries(ITEM_CHANNELS).map(([k, l]) => ({ value: k, label: l() }))}
              />
            </Form.Item>
            <Form.Item name="fees" label={t('收费', 'Fees')}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item label={t('申请材料', 'Materials')}>
            <Form.List name="materials">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((f) => (
                    <Space key={f.key}>
                      <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }]}>
                        <Input style={{ width: 300 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'required']} noStyle valuePropName="checked">
                        <Switch checkedChildren={t('必需', 'req.')} unCheckedChildren={t('可选', 'opt.')} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button size="small" onClick={() => add({ name: '', required: true })} icon={<PlusOutlined />}>
                    {t('添加材料', 'Add')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item
            label={t(
              '审批环节（同一阶段的多个环节并联办理；第 1 阶段受理，最后阶段送达）',
              'Steps (several in one stage run in parallel)',
            )}
          >
            <Form.List name="steps">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((f) => (
                    <Space key={f.key} wrap>
                      <Form.Item name={[f.name, 'seq']} noStyle>
                        <InputNumber min={1} max={20} addonBefore={t('阶段', 'Stage')} style={{ width: 120 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'phase']} noStyle>
                        <Select
                          style={{ width: 90 }}
                          options={Object.entries(PHASES).map(([k, l]) => ({ value: k, label: l() }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }]}>
                        <Input style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'departmentId']} noStyle rules={[{ required: true }]}>
                        <Select
                          style={{ width: 200 }}
                          showSearch
                          optionFilterProp="label"
                          options={unitOptions}
                          placeholder={t('部门', 'Department')}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'days']} noStyle>
                        <InputNumber min={0} max={365} addonAfter={t('工作日', 'days')} style={{ width: 130 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button
                    size="small"
                    onClick={() => add({ seq: 2, phase: 'review', name: '并联审查', days: 3 })}
                    icon={<PlusOutlined />}
                  >
                    {t('添加环节', 'Add step')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="guide" label={t('办事指南', 'Guide')}>
            <Input.TextArea rows={4} />
          </Form.Item>
        </FormModal>
      )}
    </Space>
  );
}
