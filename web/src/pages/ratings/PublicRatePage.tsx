import { CheckCircleFilled } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Card, Result, Skeleton, Typography } from 'antd';
import { useParams } from 'react-router';
import { PublicFrame, publicLinks } from '../../components/PublicFrame';
import { RatingForm, type RatingInput } from '../../components/RatingForm';
import { ApiError } from '../../lib/api';
import { t } from '../../lib/i18n';
import { LEVEL_LABEL, ratingsApi } from './api';

/** 好差评 from the SMS link (phone size): the five national levels, the standard aspects, a comment; once. */
export function PublicRatePage() {
  const { token = '' } = useParams();
  const q = useQuery({ queryKey: ['public-rating', token], queryFn: () => ratingsApi.publicGet(token), retry: false });
  const rate = useMutation({ mutationFn: (v: RatingInput) => ratingsApi.publicRate(token, v) });
  const done = rate.data ?? (q.data?.status === 'rated' ? q.data : null);
  return (
    <PublicFrame
      title={
        q.data?.subjectKind === 'case'
          ? t('12345 诉求办理评价', 'Rate how your request was handled')
          : t('政务服务好差评', 'Rate our service')
      }
      links={[publicLinks.track()]}
    >
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
            <RatingForm rate={(v) => rate.mutateAsync(v)} pending={rate.isPending} />
          )}
        </Card>
      )}
    </PublicFrame>
  );
}
