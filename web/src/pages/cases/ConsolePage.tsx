import { CopyOutlined, PhoneOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import type { TDuplicate, TIntakeResult } from '@server/modules/cases/cases.schema';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { DispatchFields } from './CaseActions';
import {
  CASE_TYPES,
  categoryOptions,
  CHANNEL_LABEL,
  CHANNELS,
  fmtTime,
  STATUS_LABEL,
  TYPE_LABEL,
  type CaseType,
  type Channel,
} from './casesData';
import { useCaseCategories, useRefreshCases, casesApi } from './api';
import { WebQueueCard } from './WebQueueCard';

type Intake = {
  channel: Channel;
  type: CaseType;
  category: number[];
  phone?: string;
  name?: string;
  enterprise?: boolean;
  enterpriseName?: string;
  anonymous?: boolean;
  description: string;
  address?: string;
  lat?: number | null;
  lng?: number | null;
};

/** A value that settles `ms` after its last change (for lookups while typing). */
function useDebounced<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** The hotline agent's intake console: keyboard-first form, live duplicate check, routing suggestion, dispatch in one step. */
export function ConsolePage() {
  const [form] = Form.useForm<Intake>();
  const [dispatchForm] = Form.useForm();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const refresh = useRefreshCases();
  const cats = useCaseCategories();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<(TIntakeResult & { duplicates: TDuplicate[] }) | null>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const leadTouched = useRef(false);

  const category = Form.useWatch('category', form);
  const address = Form.useWatch('address', form) ?? '';
  const description = Form.useWatch('description', form) ?? '';
  const lat = Form.useWatch('lat', form);
  const lng = Form.useWatch('lng', form);
  const enterprise = Form.useWatch('enterprise', form);
  const categoryId = category?.length ? category[category.length - 1] : undefined;
  const probe = useDebounced({ categoryId, address: address.trim(), description: description.trim(), lat, lng });

  const dups = useQuery({
    queryKey: ['cases', 'probe-duplicates', probe.categoryId, probe.address, probe.lat, probe.lng],
    queryFn: () =>
      casesApi.duplicates({
        categoryId: probe.categoryId,
        address: probe.address,
        ...(probe.lat != null && probe.lng != null ? { lat: probe.lat, lng: probe.lng } : {}),
      }),
    enabled: !!probe.categoryId && (probe.address.length >= 2 || (probe.lat != null && probe.lng != null)),
  });
  const routing = useQuery({
    queryKey: ['cases', 'probe-routing', probe.categoryId, probe.address, probe.description],
    queryFn: () =>
      casesApi.routingSuggestion({
        categoryId: probe.categoryId,
        address: probe.address,
        description: probe.description.slice(0, 500),
      }),
    enabled: !!probe.categoryId,
  });
  useEffect(() => {
    const s = routing.data;
    if (!s) return;
    if (!leadTouched.current) dispatchForm.setFieldsValue({ leadUnitId: s.suggestions[0]?.unitId });
    if (!dispatchForm.isFieldTouched('timeLimitDays')) dispatchForm.setFieldsValue({ timeLimitDays: s.timeLimitDays });
  }, [routing.data, dispatchForm]);

  const options = useMemo(() => categoryOptions(cats.data ?? []), [cats.data]);

  const reset = () => {
    form.resetFields();
    dispatchForm.resetFields();
    leadTouched.current = false;
    setDone(null);
    setTimeout(() => firstField.current?.focus(), 0);
  };

  const submit = async (withDispatch: boolean) => {
    let v: Intake;
    let d: { leadUnitId?: number; assistUnitIds?: number[]; timeLimitDays?: number; note?: string } = {};
    try {
      v = await form.validateFields();
      if (withDispatch) d = await dispatchForm.validateFields();
    } catch {
      return; // the forms show what is missing
    }
    setBusy(true);
    try {
      const res = await casesApi.intake({
        channel: v.channel,
        type: v.type,
        categoryId: v.category[v.category.length - 1],
        requester: {
          name: v.name ?? '',
          phone: v.phone ?? '',
          enterprise: !!v.enterprise,
          enterpriseName: v.enterpriseName ?? '',
          anonymous: !!v.anonymous,
        },
        description: v.description,
        address: v.address ?? '',
        ...(v.lat != null && v.lng != null ? { lat: v.lat, lng: v.lng } : {}),
        ...(withDispatch
          ? {
              dispatch: {
                leadUnitId: d.leadUnitId,
                assistUnitIds: d.assistUnitIds ?? [],
                timeLimitDays: d.timeLimitDays,
                note: d.note ?? '',
              },
            }
          : {}),
      });
      setDone({ ...res, duplicates: dups.data ?? [] });
      message.success(withDispatch ? t('已受理并派单', 'Accepted and dispatched') : t('已受理', 'Accepted'));
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const map: Record<string, string> = {
          categoryId: 'category',
          'requester.phone': 'phone',
          'requester.name': 'name',
        };
        const name = map[e.field] ?? e.field;
        if (form.getFieldInstance(name) !== undefined)
          form.setFields([{ name: name as keyof Intake, errors: [e.message] }]);
      }
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit(true);
    }
  };

  const merge = async (mainCaseId: number) => {
    if (!done) return;
    try {
      await casesApi.act(done.id, 'merge', { mainCaseId });
      message.success(t('已合并到主办件', 'Merged into the main case'));
      await refresh();
      setDone({ ...done, status: 'merged', duplicates: [] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  if (done) {
    return (
      <Card data-testid="intake-result">
        <Result
          status="success"
          title={t(`已受理，${STATUS_LABEL[done.status]()}`, `Accepted: ${STATUS_LABEL[done.status]()}`)}
          subTitle={t(
            '请向来电人读出办件编号和查询密码（已同时短信发送）',
            'Read the number and password to the caller (also sent by SMS)',
          )}
          extra={
            <Space orientation="vertical" size="large">
              <Descriptions
                bordered
                column={1}
                items={[
                  {
                    key: 'n',
                    label: t('办件编号', 'Case number'),
                    children: (
                      <Typography.Text
                        copyable={{ icon: <CopyOutlined /> }}
                        strong
                        style={{ fontSize: 22 }}
                        data-testid="intake-result-number"
                      >
                        {done.number}
                      </Typography.Text>
                    ),
                  },
                  {
                    key: 'p',
                    label: t('查询密码', 'Query password'),
                    children: (
                      <Typography.Text
                        strong
                        style={{ fontSize: 22, letterSpacing: 4 }}
                        data-testid="intake-result-password"
                      >
                        {done.password}
                      </Typography.Text>
                    ),
                  },
                  {
                    key: 'l',
                    label: t('办理时限', 'Time limit'),
                    children: t(`${done.timeLimitDays} 个工作日`, `${done.timeLimitDays} working days`),
                  },
                ]}
              />
              {done.duplicates.length > 0 && done.status === 'accepted' && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('发现疑似重复诉求，可合并办理', 'Possible duplicates: merge?')}
                  description={
                    <Space orientation="vertical">
                      {done.duplicates.slice(0, 5).map((d) => (
                        <Space key={d.id}>
                          {d.number} {d.summary}
                          <Button size="small" onClick={() => void merge(d.id)} data-testid={`intake-merge-${d.id}`}>
                            {t('合并到此件', 'Merge into this')}
                          </Button>
                        </Space>
                      ))}
                    </Space>
                  }
                />
              )}
              <Space>
                <Button type="primary" autoFocus onClick={reset} data-testid="intake-new">
                  {t('继续受理', 'Next call')}
                </Button>
                <Button onClick={() => void navigate(`/cases/${done.id}`)} data-testid="intake-open">
                  {t('查看办件', 'Open the case')}
                </Button>
              </Space>
            </Space>
          }
        />
      </Card>
    );
  }

  return (
    <div onKeyDown={onKeyDown}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card
            title={
              <Space>
                <PhoneOutlined />
                {t('诉求受理', 'Intake')}
              </Space>
            }
            extra={
              <Typography.Text type="secondary">
                {t('Enter 受理 · Ctrl+Enter 受理并派单', 'Enter: accept · Ctrl+Enter: accept and dispatch')}
              </Typography.Text>
            }
          >
            <Form<Intake>
              form={form}
              layout="vertical"
              initialValues={{ channel: 'hotline', type: 'complaint', enterprise: false, anonymous: false }}
              onFinish={() => void submit(false)}
              data-testid="intake-form"
            >
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="phone"
                    label={t('来电号码', 'Phone')}
                    rules={[
                      {
                        pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                        message: t('电话号码格式不正确', 'Invalid phone number'),
                      },
                    ]}
                  >
                    <Input
                      ref={(el) => {
                        firstField.current = el?.input ?? null;
                      }}
                      autoFocus
                      inputMode="tel"
                      data-testid="intake-phone"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="name" label={t('诉求人', 'Name')}>
                    <Input maxLength={50} data-testid="intake-name" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="channel" label={t('受理渠道', 'Channel')} rules={[{ required: true }]}>
                    <Select
                      options={CHANNELS.filter((c) => c !== 'web' && c !== 'open311').map((c) => ({
                        value: c,
                        label: CHANNEL_LABEL[c](),
                      }))}
                      data-testid="intake-channel"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Space wrap style={{ marginBottom: 8 }}>
                <Form.Item name="anonymous" valuePropName="checked" noStyle>
                  <Checkbox data-testid="intake-anonymous">
                    {t('要求对承办单位保密（匿名）', 'Keep the requester anonymous')}
                  </Checkbox>
                </Form.Item>
                <Form.Item name="enterprise" valuePropName="checked" noStyle>
                  <Checkbox data-testid="intake-enterprise">{t('企业诉求', 'Enterprise')}</Checkbox>
                </Form.Item>
                {enterprise && (
                  <Form.Item name="enterpriseName" noStyle>
                    <Input
                      placeholder={t('企业名称', 'Enterprise name')}
                      style={{ width: 240 }}
                      data-testid="intake-enterprise-name"
                    />
                  </Form.Item>
                )}
              </Space>
              <Row gutter={12}>
                <Col xs={24} md={14}>
                  <Form.Item
                    name="category"
                    label={t('诉求分类', 'Category')}
                    rules={[{ required: true, message: t('请选择诉求分类', 'Choose a category') }]}
                  >
                    <Cascader
                      options={options}
                      showSearch
                      placeholder={t('可输入关键字搜索', 'Type to search')}
                      data-testid="intake-category"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item name="type" label={t('诉求类型', 'Type')} rules={[{ required: true }]}>
                    <Select
                      options={CASE_TYPES.map((c) => ({ value: c, label: TYPE_LABEL[c]() }))}
                      data-testid="intake-type"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="description"
                label={t('诉求内容', 'Description')}
                rules={[
                  { required: true, whitespace: true, message: t('请填写诉求内容', 'Describe the request') },
                  { min: 5, message: t('至少 5 个字', 'At least 5 characters') },
                ]}
              >
                <Input.TextArea rows={4} maxLength={4000} showCount data-testid="intake-description" />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name="address" label={t('事发地址', 'Address')}>
                    <Input maxLength={200} data-testid="intake-address" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name="lat" label={t('纬度（可选）', 'Latitude')}>
                    <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} data-testid="intake-lat" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name="lng" label={t('经度（可选）', 'Longitude')}>
                    <InputNumber
                      min={-180}
                      max={180}
                      step={0.0001}
                      style={{ width: '100%' }}
                      data-testid="intake-lng"
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Space>
                <Button htmlType="submit" loading={busy} data-testid="intake-submit">
                  {t('受理 (Enter)', 'Accept (Enter)')}
                </Button>
                <Button
                  type="primary"
                  loading={busy}
                  onClick={() => void submit(true)}
                  data-testid="intake-submit-dispatch"
                >
                  {t('受理并派单 (Ctrl+Enter)', 'Accept & dispatch (Ctrl+Enter)')}
                </Button>
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('派单', 'Dispatch')} size="small">
              {categoryId ? (
                <Form
                  form={dispatchForm}
                  layout="vertical"
                  onValuesChange={(changed) => {
                    if ('leadUnitId' in changed) leadTouched.current = true;
                  }}
                  data-testid="intake-dispatch-form"
                >
                  <DispatchFields suggestion={routing.data} form={dispatchForm} />
                  {routing.data && (
                    <Typography.Text type="secondary">
                      {t(
                        `签收时限：${routing.data.signHours} 个工作小时（至 ${fmtTime(routing.data.signDue)}）`,
                        `Sign-for within ${routing.data.signHours} working hours (${fmtTime(routing.data.signDue)})`,
                      )}
                    </Typography.Text>
                  )}
                </Form>
              ) : (
                <Empty description={t('选择诉求分类后给出派单建议', 'Choose a category to get a suggestion')} />
              )}
            </Card>
            <Card
              size="small"
              title={
                <Space>
                  <WarningOutlined />
                  {t('疑似重复诉求', 'Possible duplicates')}
                  {!!dups.data?.length && <Tag color="orange">{dups.data.length}</Tag>}
                </Space>
              }
              data-testid="intake-duplicates"
            >
              <List
                size="small"
                loading={dups.isFetching}
                locale={{
                  emptyText: categoryId
                    ? t('同一地点近期无同类未办结诉求', 'No open case of this kind nearby')
                    : t('选择分类并填写地址后自动查重', 'Fill in category and address'),
                }}
                dataSource={dups.data ?? []}
                renderItem={(d) => (
                  <List.Item data-testid={`duplicate-${d.id}`} extra={<Tag>{STATUS_LABEL[d.status]()}</Tag>}>
                    <List.Item.Meta
                      title={
                        <a href={`/cases/${d.id}`} target="_blank" rel="noreferrer">
                          {d.number}
                        </a>
                      }
                      description={`${d.summary} · ${d.address} · ${d.reason === 'nearby' ? t(`相距${d.distanceM}米`, `${d.distanceM} m`) : t('地址相同或相近', 'same address')} · ${fmtTime(d.createdAt)}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
            <WebQueueCard />
          </Space>
        </Col>
      </Row>
    </div>
  );
}
