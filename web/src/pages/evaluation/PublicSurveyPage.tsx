import { Alert, Result, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { evaluationApi, usePublicForm } from './api';
import { SurveyForm } from './SurveyForm';

/** A device id kept on the phone (quality check: many responses from one device). */
function deviceId(): string {
  let d = localStorage.getItem('xn.device');
  if (!d) {
    d = crypto.randomUUID();
    localStorage.setItem('xn.device', d);
  }
  return d;
}

/** The respondent's page opened from the SMS link or a QR code: the questionnaire, one response. */
export function PublicSurveyPage() {
  const { token = '' } = useParams();
  const [done, setDone] = useState(false);
  const form = usePublicForm(token);
  let body;
  if (form.isLoading) body = <Spin style={{ display: 'block', margin: 48 }} />;
  else if (form.error)
    body = (
      <Result
        status="warning"
        title={t('链接无效或已过期', 'This link is not valid')}
        subTitle={errorText(form.error)}
      />
    );
  else if (done || form.data?.answered)
    body = (
      <Result
        status="success"
        title={t('提交成功，感谢您的参与！', 'Thank you for your response!')}
        subTitle={done ? undefined : t('本问卷已提交过，每个链接只能作答一次。', 'This link has already been used.')}
        data-testid="survey-done"
      />
    );
  else if (form.data && !form.data.open)
    body = (
      <Result
        status="info"
        title={
          form.data.kind === 'consultation'
            ? t('本次征求意见已结束', 'This consultation is closed')
            : t('本次评议已结束', 'This survey is closed')
        }
      />
    );
  else if (form.data)
    body = (
      <>
        {form.data.kind === 'consultation' ? (
          <div
            style={{ background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, padding: 16, marginBottom: 12 }}
            data-testid="survey-background"
          >
            <Typography.Text strong>{t('议题背景', 'Background')}</Typography.Text>
            {form.data.unitName && (
              <Typography.Text type="secondary">
                {' '}
                · {t('承办单位', 'Department')}：{form.data.unitName}
              </Typography.Text>
            )}
            <p style={{ whiteSpace: 'pre-wrap', lineHeight: 1.7, margin: '8px 0 0' }}>{form.data.background}</p>
          </div>
        ) : (
          form.data.unitName && (
            <Alert
              type="success"
              message={t(`评价对象：${form.data.unitName}`, `About: ${form.data.unitName}`)}
              style={{ marginBottom: 12 }}
            />
          )
        )}
        {form.data.anonymous && (
          <Typography.Paragraph type="secondary">
            {t('本问卷匿名，答卷与您的身份不做关联。', 'Anonymous: your answers are not linked to you.')}
          </Typography.Paragraph>
        )}
        <SurveyForm
          form={form.data}
          onSubmit={async (answers) => {
            await evaluationApi.publicRespond(token, { answers, device: deviceId() });
            setDone(true);
          }}
        />
      </>
    );
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#8e1414', color: '#fff', padding: '14px 16px' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {form.data?.title ?? t('满意度调查', 'Survey')}
        </Typography.Title>
      </div>
      <div style={{ maxWidth: 560, margin: '0 auto', padding: 12 }}>{body}</div>
    </div>
  );
}

/**
 * The page an on-site QR code opens: asks the server for a fresh one-time invitation (each scan its own)
 * and goes on to the survey page with it, replacing this page in the history (back does not scan again).
 */
export function QrScanPage() {
  const { code = '' } = useParams();
  const nav = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return; // one invitation per page load (React runs effects twice in development)
    asked.current = true;
    evaluationApi
      .scanQr(code)
      .then((r) => nav(`/public/survey/${r.token}`, { replace: true }))
      .catch(setError);
  }, [code, nav]);
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#8e1414', color: '#fff', padding: '14px 16px' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {t('现场扫码评价', 'On-site survey')}
        </Typography.Title>
      </div>
      <div style={{ maxWidth: 560, margin: '0 auto', padding: 12 }} data-testid="qr-scan">
        {error ? (
          <Result
            status="warning"
            title={t('暂时不能评价', 'The survey cannot be answered now')}
            subTitle={errorText(error)}
            data-testid="qr-error"
          />
        ) : (
          <Spin style={{ display: 'block', margin: 48 }} tip={t('正在打开问卷…', 'Opening the survey…')}>
            <div style={{ height: 40 }} />
          </Spin>
        )}
      </div>
    </div>
  );
}
