import { KeyOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { TApiKey, TApiKeyCreate, TApiKeyCreated, TOpen311Settings } from '@server/modules/open311/open311.schema';
import { errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { FormModal } from '../../components/FormModal';
import { casesApi, OPEN311_KEYS_KEY, OPEN311_SETTINGS_KEY, useApiKeys, useOpen311Settings } from './api';
import { t } from '../../lib/i18n';

const fmt = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** 开放接口密钥: API keys of Open311 clients and the city platform (issue, rename, deactivate). */
export function Open311KeysPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<TApiKeyCreated | null>(null);
  const [limitOf, setLimitOf] = useState<TApiKey | null>(null);
  const keys = useApiKeys();
  const toggle = useMutation({
    mutationFn: (k: TApiKey) => casesApi.updateApiKey(k.id, { active: !k.active }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: OPEN311_KEYS_KEY });
      message.success(t('已更新', 'Updated'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  const base = `${window.location.origin}/open311/v2/`;

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
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="open311-new-key"
          >
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
          <Typography.Text code>{`${base}discovery.xml`}</Typography.Text>
          {t(
            '）。提交诉求须带 api_key；查询可不带密钥（按来源地址限流，可在下方设置为必须带密钥），接口不返回任何诉求人个人信息，各分类按其公开方式发布。',
            '). Filing needs an api_key; reading may go without one (rate-limited per address; a key can be required below). No personal data is returned; each category follows its publication rule.',
          )}
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
            {
              title: t('密钥', 'Key'),
              dataIndex: 'keyHint',
              render: (v: string) => (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {v}
                </Typography.Text>
              ),
            },
            {
              title: t('受理渠道', 'Channel'),
              dataIndex: 'channel',
              render: (c: TApiKey['channel']) =>
                c === 'city_transfer' ? (
                  <Tag color="purple">{t('市级平台转办', 'City platform')}</Tag>
                ) : (
                  <Tag>{t('开放接口', 'Open311')}</Tag>
                ),
            },
            { title: t('提交数', 'Requests'), dataIndex: 'requestCount', align: 'right' },
            {
              title: t('用量：提交 / 查询 / 拒绝', 'Use: posts / reads / refused'),
              key: 'usage',
              render: (_: unknown, k) => (
                <div data-testid={`open311-key-usage-${k.id}`} style={{ whiteSpace: 'nowrap' }}>
                  <div>
                    {t('今日', 'Today')} {k.usage.today.posts} / {k.usage.today.reads} /{' '}
                    {k.usage.today.refused ? (
                      <Typography.Text type="danger">{k.usage.today.refused}</Typography.Text>
                    ) : (
                      0
                    )}
                  </div>
                  <Typography.Text type="secondary">
                    {t('30天', '30 days')} {k.usage.last30Days.posts} / {k.usage.last30Days.reads} /{' '}
                    {k.usage.last30Days.refused}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('本小时提交 / 上限', 'Posts this hour / limit'),
              key: 'limit',
              render: (_: unknown, k) => (
                <span style={{ whiteSpace: 'nowrap' }}>
                  {k.usage.postsThisHour} / {k.postsPerHour}
                  <Button
                    size="small"
                    type="link"
                    onClick={() => setLimitOf(k)}
                    data-testid={`open311-key-limit-${k.id}`}
                  >
                    {t('修改', 'Edit')}
                  </Button>
                </span>
              ),
            },
            { title: t('最近使用', 'Last used'), dataIndex: 'lastUsedAt', render: fmt },
            { title: t('备注', 'Note'), dataIndex: 'note', ellipsis: true },
            {
              title: t('启用', 'Active'),
              dataIndex: 'active',
              render: (_: boolean, k) => (
                <Switch
                  checked={k.active}
                  loading={toggle.isPending && toggle.variables?.id === k.id}
                  onChange={() => toggle.mutate(k)}
                  data-testid={`open311-key-active-${k.id}`}
                />
              ),
            },
          ]}
        />
      </Card>
      <SettingsCard />
      {limitOf && <LimitModal k={limitOf} onClose={() => setLimitOf(null)} />}
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
        <Alert
          type="warning"
          showIcon
          message={t('密钥只显示这一次，请立即复制并交给对接方保存。', 'The key is shown only this once: copy it now.')}
        />
        <Typography.Paragraph
          copyable={{ text: issued?.apiKey }}
          style={{ marginTop: 12 }}
          data-testid="open311-issued-key"
        >
          <Typography.Text code>{issued?.apiKey}</Typography.Text>
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}

function CreateKeyModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (k: TApiKeyCreated) => Promise<void>;
}) {
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
      initialValues={{ channel: 'open311', note: '', postsPerHour: 600 }}
    >
      <Form.Item
        name="name"
        label={t('对接方名称', 'Client name')}
        rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Enter a name') }]}
      >
        <Input
          maxLength={100}
          placeholder={t('如：市民随手拍App、市级12345平台', 'e.g. citizen app, city platform')}
          data-testid="open311-key-name"
        />
      </Form.Item>
      <Form.Item name="channel" label={t('诉求受理渠道', 'Channel of filed cases')}>
        <Radio.Group
          options={[
            { value: 'open311', label: t('开放接口', 'Open311') },
            { value: 'city_transfer', label: t('市级平台转办', 'City platform transfer') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="postsPerHour"
        label={t('每小时最多提交次数', 'Posts per hour at most')}
        rules={[{ required: true }]}
      >
        <InputNumber min={1} max={100000} />
      </Form.Item>
      <Form.Item name="note" label={t('备注', 'Note')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
    </FormModal>
  );
}

/** A key's hourly limit of POSTs. */
function LimitModal({ k, onClose }: { k: TApiKey; onClose: () => void }) {
  return (
    <FormModal<{ postsPerHour: number }, TApiKey>
      title={`${k.name}：${t('每小时提交上限', 'posts per hour')}`}
      onClose={onClose}
      submit={(v) => casesApi.updateApiKey(k.id, { postsPerHour: v.postsPerHour })}
      invalidate={[OPEN311_KEYS_KEY]}
      success={t('已更新', 'Updated')}
      initialValues={{ postsPerHour: k.postsPerHour }}
    >
      <Form.Item name="postsPerHour" rules={[{ required: true }]}>
        <InputNumber min={1} max={100000} data-testid="open311-limit-input" />
      </Form.Item>
    </FormModal>
  );
}

type SettingsForm = Omit<TOpen311Settings, 'bbox'> & { bboxOn: boolean; bbox: NonNullable<TOpen311Settings['bbox']> };

/** 接口设置: CORS origins, keys for reads, extended statuses, read limits, the service area. */
function SettingsCard() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const q = useOpen311Settings();
  const save = useMutation({
    mutationFn: (v: SettingsForm) => {
      const { bboxOn, bbox, ...rest } = v;
      return casesApi.saveOpen311Settings({ ...rest, bbox: bboxOn ? bbox : null });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: OPEN311_SETTINGS_KEY });
      message.success(t('已保存', 'Saved'));
    },
    onError: (e) => {
      if (!applyFieldError(form, e)) message.error(errorText(e));
    },
  });
  if (!q.data) return q.error ? <Alert type="error" showIcon message={errorText(q.error)} /> : null;
  const s = q.data;
  const initial: SettingsForm = {
    ...s,
    bboxOn: s.bbox !== null,
    bbox: s.bbox ?? { minLat: 30.5, maxLat: 30.7, minLng: 114.1, maxLng: 114.4 },
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <SettingOutlined />
          {t('接口设置', 'API settings')}
        </Space>
      }
      data-testid="open311-settings"
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Form.Item
              name="allowedOrigins"
              label={t('允许的浏览器来源（CORS）', 'Allowed browser origins (CORS)')}
              extra={t(
                '如 https://app.example.org；* 表示任何来源。其他来源的浏览器请求不能读取结果，提交会被拒绝。',
                'e.g. https://app.example.org; * for any. Browsers on other origins cannot read answers, and their POSTs are refused.',
              )}
            >
              <Select
                mode="tags"
                tokenSeparators={[',', ' ']}
                placeholder="https://app.example.org"
                data-testid="open311-origins"
              />
            </Form.Item>
            <Space size={32} wrap>
              <Form.Item
                name="requireKeyForReads"
                label={t('查询诉求须带密钥', 'Key required to read requests')}
                valuePropName="checked"
              >
                <Switch data-testid="open311-require-key" />
              </Form.Item>
              <Form.Item
                name="extendedStatuses"
                label={t('默认返回扩展状态', 'Extended statuses by default')}
                valuePropName="checked"
                tooltip={t(
                  '如 in_progress、fixed、not_councils_responsibility；客户端也可用 extensions=true 单独请求',
                  'e.g. in_progress, fixed, not_councils_responsibility; clients may also ask with extensions=true',
                )}
              >
                <Switch />
              </Form.Item>
            </Space>
            <Space size={32} wrap>
              <Form.Item
                name="anonymousReadsPerMinute"
                label={t('无密钥查询（每地址每分钟）', 'Reads without key (per address, per minute)')}
                rules={[{ required: true }]}
              >
                <InputNumber min={1} max={100000} />
              </Form.Item>
              <Form.Item
                name="keyReadsPerMinute"
                label={t('带密钥查询（每密钥每分钟）', 'Reads with a key (per key, per minute)')}
                rules={[{ required: true }]}
              >
                <InputNumber min={1} max={100000} />
              </Form.Item>
            </Space>
          </Col>
          <Col xs={24} lg={12}>
            <Form.Item
              name="bboxOn"
              label={t('按服务范围检查坐标', 'Check locations against the service area')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
            <Space wrap>
              <Form.Item name={['bbox', 'minLat']} label={t('纬度 从', 'Latitude from')}>
                <InputNumber min={-90} max={90} step={0.01} />
              </Form.Item>
              <Form.Item name={['bbox', 'maxLat']} label={t('到', 'to')}>
                <InputNumber min={-90} max={90} step={0.01} />
              </Form.Item>
              <Form.Item name={['bbox', 'minLng']} label={t('经度 从', 'Longitude from')}>
                <InputNumber min={-180} max={180} step={0.01} />
              </Form.Item>
              <Form.Item name={['bbox', 'maxLng']} label={t('到', 'to')}>
                <InputNumber min={-180} max={180} step={0.01} />
              </Form.Item>
            </Space>
            <Form.Item name="outsideArea" label={t('范围外的坐标', 'A location outside the area')}>
              <Radio.Group
                options={[
                  { value: 'flag', label: t('受理并标记待核实', 'Accept and flag for staff') },
                  { value: 'refuse', label: t('拒绝（400）', 'Refuse (400)') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="open311-settings-save">
          {t('保存设置', 'Save settings')}
        </Button>
      </Form>
    </Card>
  );
}
