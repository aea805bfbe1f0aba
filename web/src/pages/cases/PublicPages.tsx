import { CameraOutlined, CheckCircleFilled } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Form,
  Input,
  Radio,
  Result,
  Space,
  Steps,
  Timeline,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TPublicCreated, TTrackResult } from '@server/modules/cases/cases.schema';
import { PublicFrame as Frame, publicLinks } from '../../components/PublicFrame';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import {
  CASE_TYPES,
  categoryOptions,
  fmtTime,
  RATING_LABEL,
  STATUS_LABEL,
  TYPE_LABEL,
  type CaseStatus,
  type CaseType,
  type Rating,
} from './casesData';
import { casesApi, usePublicCategories } from './api';

/** The citizen pages' frame: 12345 title, links to submit and track. */
function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <Frame
      title={t('汉江区 12345 市民服务', 'Hanjiang 12345 Citizen Service')}
      links={[publicLinks.submit(), publicLinks.track()]}
      footer={t('也可拨打热线 12345 反映诉求', 'You can also call 12345')}
    >
      {children}
    </Frame>
  );
}

type SubmitValues = {
  category: number[];
  type: CaseType;
  description: string;
  address: string;
  name?: string;
  phone?: string;
};

/** 网上受理: a citizen describes the problem; the number and query password are shown once. */
export function PublicSubmitPage() {
  const [form] = Form.useForm<SubmitValues>();
  const { message } = App.useApp();
  const cats = usePublicCategories();
  const options = useMemo(() => categoryOptions(cats.data ?? []), [cats.data]);
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<TPublicCreated | null>(null);

  const submit = async (v: SubmitValues) => {
    const fd = new FormData();
    fd.append('categoryId', String(v.category[v.category.length - 1]));
    fd.append('type', v.type);
    fd.append('description', v.description);
    fd.append('address', v.address);
    if (v.name) fd.append('name', v.name);
    if (v.phone) fd.append('phone', v.phone);
    for (const p of photos) if (p.originFileObj) fd.append('photo', p.originFileObj, p.name);
    setBusy(true);
    try {
      setCreated(await casesApi.publicCreate(fd));
      window.scrollTo(0, 0);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const name = e.field === 'categoryId' ? 'category' : e.field;
        if (form.getFieldInstance(name) !== undefined)
          form.setFields([{ name: name as keyof SubmitValues, errors: [e.message] }]);
      }
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <PublicFrame>
        <Card data-testid="public-created">
          <Result
            icon={<CheckCircleFilled style={{ color: '#389e0d' }} />}
            title={t('您的诉求已提交', 'Your request has been received')}
            subTitle={t(
              `我们将在 ${created.timeLimitDays} 个工作日内办理`,
              `We will handle it within ${created.timeLimitDays} working days`,
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
            <Typography.Text type="secondary">{t('办件编号', 'Case number')}</Typography.Text>
            <Typography.Title
              level={2}
              copyable
              // One line on a 390 px phone: the number shrinks with the screen instead of wrapping.
              style={{
                margin: '4px 0 12px',
                letterSpacing: 1,
                whiteSpace: 'nowrap',
                fontSize: 'clamp(18px, 5.6vw, 30px)',
              }}
              data-testid="public-number"
            >
              {created.number}
            </Typography.Title>
            <Typography.Text type="secondary">{t('查询密码', 'Query password')}</Typography.Text>
            <Typography.Title level={2} style={{ margin: '4px 0', letterSpacing: 8 }} data-testid="public-password">
              {created.password}
            </Typography.Title>
          </div>
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 16 }}
            title={t('请妥善保存办件编号和查询密码', 'Please keep the number and the password')}
            description={t(
              '查询密码只显示这一次，凭编号和密码可随时查询办理进度并对办理结果进行评价。',
              'The password is shown only this once. Use both to follow the progress and rate the result.',
            )}
          />
          <Space style={{ marginTop: 16 }} wrap>
            <Link to={`/public/track?number=${created.number}`}>
              <Button type="primary" data-testid="public-go-track">
                {t('查询办理进度', 'Track progress')}
              </Button>
            </Link>
            <Button
              onClick={() => {
                setCreated(null);
                setPhotos([]);
                form.resetFields();
              }}
            >
              {t('再反映一件', 'Report another')}
            </Button>
          </Space>
        </Card>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame>
      <Card title={t('我要反映', 'Report a problem')}>
        <Form<SubmitValues>
          form={form}
          layout="vertical"
          initialValues={{ type: 'complaint' }}
          onFinish={(v) => void submit(v)}
          data-testid="public-submit-form"
        >
          <Form.Item
            name="category"
            label={t('问题分类', 'Category')}
            rules={[{ required: true, message: t('请选择问题分类', 'Choose a category') }]}
          >
            <Cascader options={options} placeholder={t('请选择', 'Choose')} data-testid="public-category" />
          </Form.Item>
          <Form.Item name="type" label={t('诉求类型', 'Type')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="public-type">
              {CASE_TYPES.map((c) => (
                <Radio.Button key={c} value={c} data-testid={`public-type-${c}`}>
                  {TYPE_LABEL[c]()}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="description"
            label={t('问题描述', 'Description')}
            rules={[
              { required: true, whitespace: true, message: t('请描述您反映的问题', 'Describe the problem') },
              { min: 10, message: t('请至少写 10 个字，便于我们了解情况', 'At least 10 characters') },
            ]}
          >
            <Input.TextArea
              rows={5}
              maxLength={2000}
              showCount
              placeholder={t('时间、地点、具体情况……', 'When, where, what …')}
              data-testid="public-description"
            />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('事发地点', 'Place')}
            rules={[
              { required: true, whitespace: true, message: t('请填写事发地点', 'Where did it happen?') },
              { min: 2 },
            ]}
          >
            <Input
              maxLength={200}
              placeholder={t('如：宝丰一路 12 号小区门口', 'e.g. the gate of No. 12 Baofeng Road')}
              data-testid="public-address"
            />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="name" label={t('姓名（选填）', 'Name (optional)')} style={{ width: '40%' }}>
              <Input maxLength={50} data-testid="public-name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('手机号（选填，用于接收短信）', 'Mobile (optional, for SMS)')}
              style={{ width: '60%' }}
              rules={[
                {
                  pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                  message: t('请填写正确的电话号码', 'Invalid phone number'),
                },
              ]}
            >
              <Input inputMode="tel" maxLength={13} data-testid="public-phone" />
            </Form.Item>
          </Space.Compact>
          <Form.Item label={t('现场照片（选填，最多 3 张）', 'Photos (optional, up to 3)')}>
            <Upload
              listType="picture-card"
              accept="image/jpeg,image/png,image/gif,image/webp"
              fileList={photos}
              beforeUpload={() => false}
              onChange={(i) => setPhotos(i.fileList.slice(0, 3))}
              data-testid="public-photo"
            >
              {photos.length < 3 && (
                <div>
                  <CameraOutlined />
                  <div style={{ marginTop: 4 }}>{t('添加照片', 'Add')}</div>
                </div>
              )}
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="public-submit">
            {t('提交', 'Submit')}
          </Button>
        </Form>
      </Card>
    </PublicFrame>
  );
}

/** Progress steps for the citizen. */
function progressOf(status: CaseStatus): { current: number; error: boolean } {
  switch (status) {
    case 'accepted':
    case 'returned':
      return { current: 0, error: false };
    case 'rejected':
      return { current: 0, error: true };
    case 'dispatched':
      return { current: 1, error: false };
    case 'signed':
    case 'in_progress':
      return { current: 2, error: false };
    case 'reported':
      return { current: 3, error: false };
    case 'verified':
    case 'review':
      return { current: 4, error: false };
    case 'merged':
      return { current: 1, error: false };
    case 'closed':
      return { current: 5, error: false };
  }
}

/** 办件查询: number + password → status, public timeline, and the rating form when the result awaits feedback. */
export function PublicTrackPage() {
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ number: string; password: string }>();
  const [rateForm] = Form.useForm<{ rating: Rating; comment?: string }>();
  const { message } = App.useApp();
  const [result, setResult] = useState<TTrackResult | null>(null);
  const [creds, setCreds] = useState<{ number: string; password: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const track = async (v: { number: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const body = { number: v.number.trim().toUpperCase(), password: v.password.trim() };
      setResult(await casesApi.publicTrack(body));
      setCreds(body);
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const rate = async (v: { rating: Rating; comment?: string }) => {
    if (!creds) return;
    setBusy(true);
    try {
      setResult(await casesApi.publicRate({ ...creds, rating: v.rating, comment: v.comment ?? '' }));
      message.success(t('感谢您的评价', 'Thank you for your feedback'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const p = result ? progressOf(result.status) : null;

  return (
    <PublicFrame>
      <Card title={t('办件查询', 'Track a request')}>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ number: params.get('number') ?? '' }}
          onFinish={(v) => void track(v)}
          data-testid="track-form"
        >
          <Form.Item
            name="number"
            label={t('办件编号', 'Case number')}
            rules={[{ required: true, whitespace: true, message: t('请输入办件编号', 'Enter the number') }]}
          >
            <Input size="large" placeholder="HJ2026112300012" autoComplete="off" data-testid="track-number" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('查询密码', 'Query password')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('请输入 6 位数字密码', 'Six digits') }]}
          >
            <Input.Password
              size="large"
              inputMode="numeric"
              maxLength={6}
              autoComplete="off"
              data-testid="track-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="track-submit">
            {t('查询', 'Look up')}
          </Button>
        </Form>
        {error && <Alert type="error" showIcon style={{ marginTop: 16 }} title={error} data-testid="track-error" />}
      </Card>
      {result && p && (
        <Card style={{ marginTop: 12 }} data-testid="track-result">
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            <Space wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {result.number}
              </Typography.Title>
              <Typography.Text strong data-testid="track-status" data-status={result.status}>
                {STATUS_LABEL[result.status]()}
              </Typography.Text>
            </Space>
            <Steps
              size="small"
              orientation="horizontal"
              titlePlacement="vertical"
              responsive={false}
              current={p.current}
              status={p.error ? 'error' : result.status === 'closed' ? 'finish' : 'process'}
              items={[
                { title: t('受理', 'Accepted') },
                { title: t('派单', 'Dispatched') },
                { title: t('办理', 'Handling') },
                { title: t('核查', 'Verification') },
                { title: t('评价', 'Feedback') },
                { title: t('办结', 'Closed') },
              ]}
            />
            <Typography.Paragraph style={{ margin: 0 }}>
              <Typography.Text type="secondary">{t('问题分类：', 'Category: ')}</Typography.Text>
              {result.categoryName} · {TYPE_LABEL[result.type]()}
              <br />
              <Typography.Text type="secondary">{t('诉求内容：', 'Request: ')}</Typography.Text>
              {result.description}
              <br />
              <Typography.Text type="secondary">{t('事发地点：', 'Place: ')}</Typography.Text>
              {result.address}
              {result.leadUnitName && (
                <>
                  <br />
                  <Typography.Text type="secondary">{t('承办单位：', 'Department: ')}</Typography.Text>
                  {result.leadUnitName}
                  {result.deadlineDate && t(`（应于 ${result.deadlineDate} 前办结）`, ` (due ${result.deadlineDate})`)}
                </>
              )}
              {result.mainCase && (
                <>
                  <br />
                  <Typography.Text type="secondary">{t('合并办理：', 'Merged with: ')}</Typography.Text>
                  {result.mainCase.number}（{STATUS_LABEL[result.mainCase.status]()}）
                </>
              )}
            </Typography.Paragraph>
            {result.result && (
              <Alert
                type="success"
                showIcon
                title={t('办理结果', 'Result')}
                description={result.result}
                data-testid="track-outcome"
              />
            )}
            {result.rating && (
              <Typography.Text>{t('您的评价：', 'Your rating: ') + RATING_LABEL[result.rating]()}</Typography.Text>
            )}
            <Timeline
              data-testid="track-timeline"
              items={result.timeline.map((e, i) => ({
                key: i,
                color: i === result.timeline.length - 1 ? 'blue' : 'gray',
                content: (
                  <>
                    <Typography.Text type="secondary">{fmtTime(e.at)}</Typography.Text>
                    <div>{e.text}</div>
                  </>
                ),
              }))}
            />
            {result.canRate && (
              <Card size="small" title={t('请对办理结果进行评价', 'Please rate the result')} data-testid="track-rate">
                <Form form={rateForm} layout="vertical" onFinish={(v) => void rate(v)}>
                  <Form.Item name="rating" rules={[{ required: true, message: t('请选择评价', 'Choose a rating') }]}>
                    <Radio.Group>
                      {(['satisfied', 'basic', 'unsatisfied'] as Rating[]).map((r) => (
                        <Radio key={r} value={r} data-testid={`track-rating-${r}`}>
                          {RATING_LABEL[r]()}
                        </Radio>
                      ))}
                    </Radio.Group>
                  </Form.Item>
                  <Form.Item name="comment" label={t('意见（选填）', 'Comment (optional)')}>
                    <Input.TextArea rows={2} maxLength={500} data-testid="track-comment" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy} data-testid="track-rate-submit">
                    {t('提交评价', 'Submit')}
                  </Button>
                </Form>
              </Card>
            )}
          </Space>
        </Card>
      )}
    </PublicFrame>
  );
}
