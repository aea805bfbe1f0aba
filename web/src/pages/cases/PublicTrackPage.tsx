import { Alert, App, Button, Form, Input, Radio, Space, Steps, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { TTrackResult } from '@server/modules/cases/cases.schema';
import { PublicPanel } from '../../components/PublicFrame';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { CasesPublicFrame } from './CasesPublicFrame';
import { fmtTime, RATING_LABEL, STATUS_LABEL, TYPE_LABEL, type CaseStatus, type Rating } from './casesData';
import { casesApi } from './api';

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
    <CasesPublicFrame>
      <PublicPanel title={t('办件查询', 'Track a request')}>
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
      </PublicPanel>
      {result && p && (
        <PublicPanel style={{ marginTop: 12 }} data-testid="track-result">
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
              <PublicPanel title={t('请对办理结果进行评价', 'Please rate the result')} data-testid="track-rate">
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
              </PublicPanel>
            )}
          </Space>
        </PublicPanel>
      )}
    </CasesPublicFrame>
  );
}
