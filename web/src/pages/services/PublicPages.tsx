import { AuditOutlined, CheckCircleFilled, FileSearchOutlined, FormOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Result,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TFiled } from '@server/modules/services/services.schema';
import { LEVEL_LABEL, RatingForm } from '../../components/RatingForm';
import { PublicFrame as Frame } from '../../components/PublicFrame';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { servicesApi, useItems, type TItem, type TTrackView } from './api';
import { APP_STATUSES, COMPLAINT_KINDS, ITEM_CHANNELS, KINDS, RESULTS, STEP_STATUSES } from './servicesData';

const links = () => [
  { to: '/public/services', icon: <AuditOutlined />, label: t('办事指南', 'Guides') },
  { to: '/public/services/apply', icon: <FormOutlined />, label: t('网上申报', 'Apply') },
  { to: '/public/services/track', icon: <FileSearchOutlined />, label: t('办件查询', 'Track') },
];

function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <Frame
      title={t('汉江区政务服务网', 'Hanjiang Government Services')}
      links={links()}
      footer={t('政务服务中心 前台综合受理、后台分类审批 · 咨询电话 12345', 'Service centre · call 12345')}
    >
      {children}
    </Frame>
  );
}

/** The guide (办事指南) of one item. */
export function ItemGuide({ item }: { item: TItem }) {
  return (
    <Descriptions column={1} size="small" bordered data-testid="item-guide">
      <Descriptions.Item label={t('事项编码', 'Code')}>{item.code}</Descriptions.Item>
      <Descriptions.Item label={t('事项类型', 'Kind')}>{KINDS[item.kind]()}</Descriptions.Item>
      <Descriptions.Item label={t('责任部门', 'Department')}>{item.departmentName}</Descriptions.Item>
      <Descriptions.Item label={t('承诺时限', 'Committed')}>
        {item.committedDays === 0
          ? t('即办件（当场办结）', 'Same day')
          : t(`${item.committedDays} 个工作日`, `${item.committedDays} working days`)}
        <Typography.Text type="secondary">
          {' '}
          {t(`（法定 ${item.legalDays} 个工作日）`, `(legal ${item.legalDays})`)}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('办理方式', 'Channel')}>{ITEM_CHANNELS[item.channel]()}</Descriptions.Item>
      <Descriptions.Item label={t('收费标准', 'Fees')}>{item.fees || t('不收费', 'Free')}</Descriptions.Item>
      <Descriptions.Item label={t('申请材料', 'Materials')}>
        <ol style={{ margin: 0, paddingLeft: 18 }}>
          {item.materials.map((m) => (
            <li key={m.name}>
              {m.name}
              {!m.required && <Tag style={{ marginLeft: 4 }}>{t('非必需', 'optional')}</Tag>}
            </li>
          ))}
        </ol>
      </Descriptions.Item>
      <Descriptions.Item label={t('办理流程', 'Steps')}>
        <Space wrap size={4}>
          {[...new Set(item.steps.map((s) => s.seq))].map((seq) => {
            const stage = item.steps.filter((s) => s.seq === seq);
            return (
              <Tag key={seq} color={stage.length > 1 ? 'magenta' : 'blue'}>
                {stage.length > 1 ? t('并联：', 'Parallel: ') : ''}
                {stage.map((s) => `${s.name}（${s.departmentName}，${s.days}${t('日', 'd')}）`).join(' + ')}
              </Tag>
            );
          })}
        </Space>
      </Descriptions.Item>
      {item.guide && (
        <Descriptions.Item label={t('办事指南', 'Guide')}>
          <div style={{ whiteSpace: 'pre-wrap' }}>{item.guide}</div>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** 办事指南: every item with its guide; search by name. */
export function PublicItemsPage() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<string | undefined>();
  const items = useItems(true, { q: q || undefined, kind });
  const [open, setOpen] = useState<TItem | null>(null);
  return (
    <PublicFrame>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap style={{ width: '100%' }}>
          <Input.Search
            placeholder={t('搜索事项名称', 'Search items')}
            allowClear
            onSearch={setQ}
            style={{ width: 240 }}
            data-testid="items-search"
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
      </Card>
      {items.isLoading ? (
        <Spin />
      ) : (
        <List
          bordered
          style={{ background: '#fff' }}
          dataSource={items.data ?? []}
          locale={{ emptyText: <Empty description={t('没有符合条件的事项', 'No items')} /> }}
          pagination={{ pageSize: 15, size: 'small' }}
          renderItem={(i) => (
            <List.Item
              actions={[
                <a key="g" onClick={() => setOpen(i)}>
                  {t('办事指南', 'Guide')}
                </a>,
                i.channel !== 'window' ? (
                  <Link key="a" to={`/public/services/apply?item=${i.id}`}>
                    {t('申报', 'Apply')}
                  </Link>
                ) : (
                  <span key="w">{t('窗口办理', 'At window')}</span>
                ),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    {i.name}
                    {i.parallel && <Tag color="magenta">{t('并联审批', 'Parallel')}</Tag>}
                    {i.committedDays === 0 && <Tag color="green">{t('即办件', 'Same day')}</Tag>}
                  </Space>
                }
                description={`${i.departmentName} · ${KINDS[i.kind]()} · ${t('承诺', 'committed')} ${i.committedDays} ${t('个工作日', 'working days')}`}
              />
            </List.Item>
          )}
        />
      )}
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open?.name}
        size={Math.min(736, window.innerWidth)}
      >
        {open && <ItemGuide item={open} />}
        {open && open.channel !== 'window' && (
          <Link to={`/public/services/apply?item=${open.id}`}>
            <Button type="primary" style={{ marginTop: 12 }} block>
              {t('网上申报', 'Apply online')}
            </Button>
          </Link>
        )}
      </Drawer>
    </PublicFrame>
  );
}

type ApplyValues = {
  itemId: number;
  applicantName: string;
  applicantPhone: string;
  applicantOrg?: string;
  note?: string;
};

/** 网上申报: pick the item, who applies, the materials; the number and the query password are shown once. */
export function PublicApplyPage() {
  const [params] = useSearchParams();
  const [form] = Form.useForm<ApplyValues>();
  const { message } = App.useApp();
  const items = useItems(true);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [filed, setFiled] = useState<TFiled | null>(null);
  const itemId = Form.useWatch('itemId', form) ?? (Number(params.get('item')) || undefined);
  const item = items.data?.find((i) => i.id === itemId);
  const submit = async (v: ApplyValues) => {
    const fd = new FormData();
    fd.append('itemId', String(v.itemId));
    fd.append('applicantName', v.applicantName);
    fd.append('applicantPhone', v.applicantPhone);
    if (v.applicantOrg) fd.append('applicantOrg', v.applicantOrg);
    if (v.note) fd.append('note', v.note);
    for (const f of files) if (f.originFileObj) fd.append('file', f.originFileObj, f.name);
    setBusy(true);
    try {
      setFiled(await servicesApi.publicFile(fd));
      window.scrollTo(0, 0);
    } catch (e) {
      if (e instanceof ApiError && e.field && form.getFieldInstance(e.field) !== undefined)
        form.setFields([{ name: e.field as keyof ApplyValues, errors: [e.message] }]);
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (filed)
    return (
      <PublicFrame>
        <Card data-testid="apply-done">
          <Result
            icon={<CheckCircleFilled style={{ color: '#389e0d' }} />}
            title={t('申报已提交，等待窗口受理', 'Submitted; awaiting acceptance')}
            subTitle={t(
              `受理后承诺 ${filed.committedDays} 个工作日内办结`,
              `To be completed within ${filed.committedDays} working days of acceptance`,
            )}
          />
          <div
            style={{
              textAlign: 'center',
              background: '#fff7e6',
              border: '1px solid #ffd591',
              borderRadius: 8,
              padding: 16,
            }}
          >
            <Typography.Text type="secondary">{t('办件编号', 'Number')}</Typography.Text>
            <Typography.Title level={3} copyable style={{ margin: '4px 0 12px' }} data-testid="apply-number">
              {filed.number}
            </Typography.Title>
            <Typography.Text type="secondary">{t('查询密码', 'Query password')}</Typography.Text>
            <Typography.Title
              level={3}
              copyable
              style={{ margin: '4px 0 0', letterSpacing: 4 }}
              data-testid="apply-password"
            >
              {filed.password}
            </Typography.Title>
          </div>
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t(
              '请记下编号和密码：密码只显示这一次，凭它们查询进度、补正材料和评价。',
              'Note the number and password: shown only once.',
            )}
          />
          <Link to={`/public/services/track?number=${filed.number}`}>
            <Button block style={{ marginTop: 12 }}>
              {t('查询办理进度', 'Track it')}
            </Button>
          </Link>
        </Card>
      </PublicFrame>
    );
  return (
    <PublicFrame>
      <Card title={t('网上申报', 'Apply online')}>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ itemId: Number(params.get('item')) || undefined }}
          data-testid="apply-form"
        >
          <Form.Item
            name="itemId"
            label={t('申报事项', 'Item')}
            rules={[{ required: true, message: t('请选择事项', 'Pick an item') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={items.isLoading}
              data-testid="apply-item"
              options={(items.data ?? [])
                .filter((i) => i.channel !== 'window')
                .map((i) => ({ value: i.id, label: `${i.name}（${i.departmentName}）` }))}
            />
          </Form.Item>
          {item && (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              title={`${t('需提交', 'Bring')}：${item.materials.map((m) => m.name).join('、')}；${t('承诺', 'committed')} ${item.committedDays} ${t('个工作日', 'working days')}${item.parallel ? t('（多部门并联审批）', ' (parallel approval)') : ''}`}
            />
          )}
          <Form.Item
            name="applicantName"
            label={t('申请人（企业或个人）姓名', 'Applicant name')}
            rules={[{ required: true, message: t('请填写姓名', 'Enter a name') }]}
          >
            <Input maxLength={50} data-testid="apply-name" />
          </Form.Item>
          <Form.Item
            name="applicantPhone"
            label={t('手机号码', 'Mobile')}
            rules={[
              {
                required: true,
                pattern: /^1[3-9]\d{9}$/,
                message: t('请填写正确的手机号码', 'Enter a valid mobile number'),
              },
            ]}
          >
            <Input inputMode="tel" maxLength={11} data-testid="apply-phone" />
          </Form.Item>
          <Form.Item name="applicantOrg" label={t('单位名称（企业申报时填写）', 'Organisation')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label={t('申请材料（PDF、图片，最多 10 个）', 'Materials (PDF, images; up to 10)')}>
            <Upload
              beforeUpload={() => false}
              multiple
              fileList={files}
              onChange={(i) => setFiles(i.fileList.slice(0, 10))}
              accept=".pdf,.png,.jpg,.jpeg,.doc,.docx"
            >
              <Button icon={<UploadOutlined />} data-testid="apply-files">
                {t('选择文件', 'Choose files')}
              </Button>
            </Upload>
          </Form.Item>
          <Form.Item name="note" label={t('补充说明', 'Note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="apply-submit">
            {t('提交申报', 'Submit')}
          </Button>
        </Form>
      </Card>
    </PublicFrame>
  );
}

/** 办件查询: number + password → every step with the official, times and working days used; 补正 and complaints. */
export function PublicTrackPage() {
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const [cred, setCred] = useState<{ number: string; password: string } | null>(null);
  const [view, setView] = useState<TTrackView | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [complaining, setComplaining] = useState(false);
  const look = async (v: { number: string; password: string }) => {
    setBusy(true);
    try {
      setView(await servicesApi.publicTrack(v));
      setCred(v);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const supplement = async () => {
    if (!cred) return;
    const fd = new FormData();
    fd.append('number', cred.number);
    fd.append('password', cred.password);
    for (const f of files) if (f.originFileObj) fd.append('file', f.originFileObj, f.name);
    setBusy(true);
    try {
      setView(await servicesApi.publicSupplement(fd));
      setFiles([]);
      message.success(t('补正材料已提交，办理时限恢复计时', 'Materials sent; the clock runs again'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicFrame>
      <Card title={t('办件查询', 'Track an application')} size="small" style={{ marginBottom: 12 }}>
        <Form
          layout="vertical"
          onFinish={look}
          initialValues={{ number: params.get('number') ?? '' }}
          data-testid="track-form"
        >
          <Form.Item name="number" label={t('办件编号', 'Number')} rules={[{ required: true }]}>
            <Input data-testid="track-number" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('查询密码', 'Password')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('6 位数字', '6 digits') }]}
          >
            <Input.Password inputMode="numeric" maxLength={6} data-testid="track-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="track-submit">
            {t('查询', 'Look up')}
          </Button>
        </Form>
      </Card>
      {view && (
        <Card data-testid="track-result" size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {view.itemName}
            </Typography.Title>
            <Space wrap>
              <Tag color={APP_STATUSES[view.status].color} data-testid="track-status">
                {APP_STATUSES[view.status].label()}
              </Tag>
              {view.result && <Tag color={RESULTS[view.result].color}>{RESULTS[view.result].label()}</Tag>}
              {view.paused && <Tag color="orange">{t('补正中·暂停计时', 'Awaiting materials · clock stopped')}</Tag>}
            </Space>
            {view.reason && <Alert type="error" title={`${t('理由', 'Reason')}：${view.reason}`} />}
            <Typography.Text>
              {t('承诺时限', 'Committed')} {view.committedDays} {t('个工作日', 'working days')}
              {view.daysUsed !== null && ` · ${t('已用', 'used')} ${view.daysUsed} ${t('个工作日', 'working days')}`}
              {view.dueOn && ` · ${t('应办结', 'due')} ${view.dueOn}`}
            </Typography.Text>
            {view.openCorrection && (
              <Alert
                type="warning"
                showIcon
                data-testid="track-correction"
                title={`${t('请补正材料', 'Please supply')}：${view.openCorrection}`}
                description={
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Upload
                      beforeUpload={() => false}
                      multiple
                      fileList={files}
                      onChange={(i) => setFiles(i.fileList.slice(0, 10))}
                    >
                      <Button icon={<UploadOutlined />} data-testid="supplement-files">
                        {t('选择补正材料', 'Choose files')}
                      </Button>
                    </Upload>
                    <Button
                      type="primary"
                      disabled={!files.length}
                      loading={busy}
                      onClick={supplement}
                      data-testid="supplement-submit"
                    >
                      {t('提交补正材料', 'Send materials')}
                    </Button>
                  </Space>
                }
              />
            )}
            <Timeline
              data-testid="track-steps"
              items={view.steps.map((s) => ({
                color:
                  s.status === 'done'
                    ? s.decision === 'refuse'
                      ? 'red'
                      : 'green'
                    : s.status === 'correction'
                      ? 'orange'
                      : s.status === 'waiting' || s.status === 'cancelled'
                        ? 'gray'
                        : 'blue',
                content: (
                  <div>
                    <Space wrap size={4}>
                      <b>{s.name}</b>
                      <span>{s.departmentName}</span>
                      <Tag color={STEP_STATUSES[s.status].color}>{STEP_STATUSES[s.status].label()}</Tag>
                    </Space>
                    <div style={{ color: '#666', fontSize: 13 }}>
                      {s.official && (
                        <div>
                          {t('经办人', 'Official')}：{s.official}
                        </div>
                      )}
                      {s.startedAt && (
                        <div>
                          {t('开始', 'Start')}：{fmtTime(s.startedAt)}
                        </div>
                      )}
                      {s.endedAt && (
                        <div>
                          {t('完成', 'End')}：{fmtTime(s.endedAt)}
                        </div>
                      )}
                      {s.daysUsed !== null && (
                        <div>
                          {t('用时', 'Used')} {s.daysUsed} / {t('时限', 'limit')} {s.days}{' '}
                          {t('个工作日', 'working days')}
                        </div>
                      )}
                    </div>
                  </div>
                ),
              }))}
            />
            {view.rating && cred && (
              <Card size="small" title={t('政务服务好差评', 'Rate our service')} data-testid="track-rating">
                {view.rating.status === 'rated' ? (
                  <Typography.Text data-testid="track-rated">
                    {t('您的评价', 'Your rating')}：{view.rating.level ? LEVEL_LABEL[view.rating.level]() : ''}
                    {t('，感谢您的参与', ' — thank you')}
                  </Typography.Text>
                ) : (
                  <RatingForm
                    pending={busy}
                    rate={async (v) => {
                      setBusy(true);
                      try {
                        setView(await servicesApi.publicRate({ ...cred, ...v }));
                        message.success(t('感谢您的评价', 'Thank you for your rating'));
                      } finally {
                        setBusy(false);
                      }
                    }}
                  />
                )}
              </Card>
            )}
            <Button size="small" onClick={() => setComplaining(true)} data-testid="track-complain">
              {t('投诉（效能监察）', 'Complain')}
            </Button>
            {complaining && cred && (
              <Form
                layout="vertical"
                onFinish={async (v: { kind: 'delay'; content: string }) => {
                  try {
                    const r = await servicesApi.publicComplain({ ...cred, ...v });
                    message.success(
                      t(`投诉已提交，监察机构将在 ${r.decideBy} 前决定是否受理`, `Sent; decided by ${r.decideBy}`),
                    );
                    setComplaining(false);
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              >
                <Form.Item name="kind" label={t('投诉类型', 'Kind')} rules={[{ required: true }]}>
                  <Select options={Object.entries(COMPLAINT_KINDS).map(([k, l]) => ({ value: k, label: l() }))} />
                </Form.Item>
                <Form.Item name="content" label={t('投诉内容', 'Complaint')} rules={[{ required: true }]}>
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
                <Button htmlType="submit" type="primary">
                  {t('提交投诉', 'Send')}
                </Button>
              </Form>
            )}
          </Space>
        </Card>
      )}
    </PublicFrame>
  );
}
