import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { TApiKey, TApiKeyCreate, TApiKeyCreated } from '@server/modules/open311/open311.schema';
import { errorText } from '../../lib/api';
import { FormModal } from '../../components/FormModal';
import { casesApi, OPEN311_KEYS_KEY, useApiKeys } from './api';
import { t } from '../../lib/i18n';

const fmt = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** 开放接口密钥: API keys of Open311 clients and the city platform (issue, rename, deactivate). */
export function Open311KeysPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<TApiKeyCreated | null>(null);
  const keys = useApiKeys();
  const toggle = useMutation({
    mutationFn: (k: TApiKey) => casesApi.updateApiKey(k.id, { active: !k.active }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: OPEN311_KEYS_KEY });
      message.success(t('已更新', 'Updated'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  const base = `${window.location.origin}/open311/v2`;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space>
            <KeyOutlined />
            {t('开放接口（Open311 GeoReport v2）密钥', 'Open311 GeoReport v2 API keys')}
          </Space>
        }
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="open311-new-key">
            {t('签发密钥', 'Issue a key')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {t('接口地址：', 'Endpoint: ')}
          <Typography.Text copyable code>
            {base}
          </Typography.Text>
          {t('（服务发现：', ' (discovery: ')}
          <Typography.Text code>{`${base}/discovery.xml`}</Typography.Text>
          {t('）。提交诉求须带 api_key；查询无需密钥，接口不返回任何诉求人个人信息。', '). Filing needs an api_key; reading does not, and never returns personal data.')}
        </Typography.Paragraph>
        {keys.error && <Alert type="error" showIcon message={errorText(keys.error)} />}
        <Table<TApiKey>
          rowKey="id"
          size="small"
          loading={keys.isLoading}
          dataSource={keys.data ?? []}
          pagination={false}
          data-testid="open311-keys"
          columns={[
            { title: t('名称', 'Name'), dataIndex: 'name' },
            { title: t('密钥', 'Key'), dataIndex: 'keyHint', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            {
              title: t('受理渠道', 'Channel'),
              dataIndex: 'channel',
              render: (c: TApiKey['channel']) => (c === 'city_transfer' ? <Tag color="purple">{t('市级平台转办', 'City platform')}</Tag> : <Tag>{t('开放接口', 'Open311')}</Tag>),
            },
            { title: t('提交数', 'Requests'), dataIndex: 'requestCount', align: 'right' },
            { title: t('最近使用', 'Last used'), dataIndex: 'lastUsedAt', render: fmt },
            { title: t('签发时间', 'Issued'), dataIndex: 'createdAt', render: fmt },
            { title: t('备注', 'Note'), dataIndex: 'note', ellipsis: true },
            {
              title: t('启用', 'Active'),
              dataIndex: 'active',
              render: (_: boolean, k) => (
                <Switch checked={k.active} loading={toggle.isPending && toggle.variables?.id === k.id} onChange={() => toggle.mutate(k)} data-testid={`open311-key-active-${k.id}`} />
              ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateKeyModal
          onClose={() => setCreating(false)}
          onCreated={async (created) => {
            setCreating(false);
            setIssued(created);
          }}
        />
      )}
      <Modal
        open={!!issued}
        title={t('密钥已签发', 'Key issued')}
        onCancel={() => setIssued(null)}
        destroyOnHidden // the key must not stay in the page (hidden) once the dialog is closed
        footer={
          <Button type="primary" onClick={() => setIssued(null)}>
            {t('我已妥善保存', 'I have saved it')}
          </Button>
        }
      >
        <Alert type="warning" showIcon message={t('密钥只显示这一次，请立即复制并交给对接方保存。', 'The key is shown only this once: copy it now.')} />
        <Typography.Paragraph copyable={{ text: issued?.apiKey }} style={{ marginTop: 12 }} data-testid="open311-issued-key">
          <Typography.Text code>{issued?.apiKey}</Typography.Text>
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}

function CreateKeyModal({ onClose, onCreated }: { onClose: () => void; onCreated: (k: TApiKeyCreated) => Promise<void> }) {
  return (
    <FormModal<TApiKeyCreate, TApiKeyCreated>
      title={t('签发开放接口密钥', 'Issue an API key')}
      okText={t('签发', 'Issue')}
      modalProps={{ cancelText: t('取消', 'Cancel') }}
      onClose={onClose}
      submit={casesApi.createApiKey}
      invalidate={[OPEN311_KEYS_KEY]}
      onSaved={onCreated}
      errorsInline
      initialValues={{ channel: 'open311', note: '' }}
    >
        <Form.Item name="name" label={t('对接方名称', 'Client name')} rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Enter a name') }]}>
          <Input maxLength={100} placeholder={t('如：市民随手拍App、市级12345平台', 'e.g. citizen app, city platform')} data-testid="open311-key-name" />
        </Form.Item>
        <Form.Item name="channel" label={t('诉求受理渠道', 'Channel of filed cases')}>
          <Radio.Group
            options={[
              { value: 'open311', label: t('开放接口', 'Open311') },
              { value: 'city_transfer', label: t('市级平台转办', 'City platform transfer') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('备注', 'Note')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
    </FormModal>
  );
}
