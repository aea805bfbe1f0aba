import { CheckCircleFilled } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Result, Skeleton, Space, Typography } from 'antd';
import { useParams } from 'react-router';
import { PublicFrame, publicLinks } from '../../components/PublicFrame';
import { ApiError, errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { ASPECT_LABEL, ASPECTS, LEVEL_LABEL, LEVELS, ratingsApi, type RatingLevel } from './api';

type Values = { level: RatingLevel; comment?: string } & Partial<Record<(typeof ASPECTS)[number], RatingLevel>>;

/** 好差评 from the SMS link (phone size): the five national levels, the standard aspects, a comment; once. */
export function PublicRatePage() {
  const { token = '' } = useParams();
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form);
  const q = useQuery({ queryKey: ['public-rating', token], queryFn: () => ratingsApi.publicGet(token), retry: false });
  const rate = useMutation({
    mutationFn: (v: Values) =>
      ratingsApi.publicRate(token, {
        level: v.level,
        comment: v.comment ?? '',
        aspects: Object.fromEntries(ASPECTS.filter((a) => v[a]).map((a) => [a, v[a]!])),
      }),
    onError: (e) => applyFieldError(form, e),
  });
  const bad = level === 'unsatisfied' || level === 'very_unsatisfied';
  const done = rate.data ?? (q.data?.status === 'rated' ? q.data : null);
  return (
    <PublicFrame title={t('政务服务好差评', 'Rate our service')} links={[publicLinks.track()]}>
      {q.isLoading && <Skeleton active />}
      {q.error && (
        <Result
          status="warning"
          title={
            q.error instanceof ApiError && q.error.status === 429
              ? t('请求过于频繁，请稍后再试', 'Too many requests; try again later')
              : t('评价链接无效或已过期', 'This rating link is invalid or has expired')
          }
          subTitle={t('如需评价，请拨打 12345 热线', 'Call 12345 to rate by phone')}
        />
      )}
      {q.data && (
        <Card size="small" data-testid="rate-card">
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            {q.data.subjectKind === 'case' ? t('诉求编号', 'Case') : t('办件编号', 'Application')}{' '}
            <b>{q.data.subjectRef}</b>
            {q.data.subjectTitle && ` · ${q.data.subjectTitle}`}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            {t('承办单位', 'Handled by')}：{q.data.unitName}
            {q.data.round > 1 && ` · ${t('重办后再次评价', 'Rating again after the redo')}`}
          </Typography.Paragraph>
          {done ? (
            <Result
              icon={<CheckCircleFilled style={{ color: '#52c41a' }} />}
              title={t('感谢您的评价', 'Thank you for your rating')}
              subTitle={`${t('您的评价', 'Your rating')}：${done.level ? LEVEL_LABEL[done.level]() : ''}`}
              data-testid="rate-done"
            />
          ) : (
            <Form form={form} layout="vertical" onFinish={(v) => rate.mutate(v)} requiredMark={false}>
              <Form.Item
                name="level"
                label={t('总体评价', 'Overall')}
                rules={[{ required: true, message: t('请选择评价等级', 'Choose a level') }]}
              >
                <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
                  {LEVELS.map((l) => (
                    <Radio key={l} value={l} data-testid={`rate-level-${l}`} style={{ fontSize: 16 }}>
                      {LEVEL_LABEL[l]()}
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              {ASPECTS.map((a) => (
                <Form.Item key={a} name={a} label={ASPECT_LABEL[a]()} style={{ marginBottom: 10 }}>
                  <Radio.Group size="small" optionType="button">
                    {LEVELS.map((l) => (
                      <Radio.Button key={l} value={l} style={{ padding: '0 6px' }}>
                        {LEVEL_LABEL[l]().replace('非常', '很')}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
              ))}
              <Form.Item
                name="comment"
                label={
                  bad ? t('请说明不满意的原因', 'Tell us what went wrong') : t('意见建议（选填）', 'Comment (optional)')
                }
                rules={bad ? [{ required: true, min: 2, message: t('请简要说明原因', 'Please say why') }] : []}
              >
                <Input.TextArea rows={3} maxLength={1000} showCount data-testid="rate-comment" />
              </Form.Item>
              {bad && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  message={t(
                    '差评将转承办单位整改，单位将在15个工作日内回访并整改。',
                    'The department will call you back and put things right within 15 working days.',
                  )}
                />
              )}
              {rate.error && !(rate.error instanceof ApiError && rate.error.field) && (
                <Alert type="error" showIcon style={{ marginBottom: 12 }} message={errorText(rate.error)} />
              )}
              <Space style={{ width: '100%' }} orientation="vertical">
                <Button
                  type="primary"
                  htmlType="submit"
                  block
                  size="large"
                  loading={rate.isPending}
                  data-testid="rate-submit"
                >
                  {t('提交评价', 'Submit')}
                </Button>
              </Space>
            </Form>
          )}
        </Card>
      )}
    </PublicFrame>
  );
}
