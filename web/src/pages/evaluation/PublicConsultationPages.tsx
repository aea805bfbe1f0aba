import { CommentOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PublicFrame, PublicPanel, publicLinks } from '../../components/PublicFrame';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtDate } from '../../lib/time';
import { usePublicConsultation, usePublicConsultations } from './api';
import { ConsultationTallies } from './ConsultationTallies';

const links = () => [
  { to: '/public/consultations', icon: <CommentOutlined />, label: t('协商公开', 'Consultations') },
  publicLinks.submit(),
];

function Frame({ children }: { children: ReactNode }) {
  return (
    <PublicFrame
      title={t('汉江区社会事务协商中心', 'Hanjiang Consultation Centre')}
      links={links()}
      footer={t(
        '重大决策出台前公开征求意见 · 意见汇总与采纳情况由协商中心发布',
        'Public consultation before decisions · summaries published by the consultation centre',
      )}
    >
      {children}
    </PublicFrame>
  );
}

const muted = { color: 'rgba(0,0,0,.55)', fontSize: 14 } as const;
const Loading = () => <p style={{ ...muted, textAlign: 'center', padding: 32 }}>{t('加载中…', 'Loading…')}</p>;

/** 协商公开: the published consultations, newest first. */
export function PublicConsultationsPage() {
  const list = usePublicConsultations();
  return (
    <Frame>
      <div style={{ display: 'grid', gap: 12 }} data-testid="consultations">
        {list.isLoading && <Loading />}
        {list.error && <PublicPanel>{errorText(list.error)}</PublicPanel>}
        {list.data?.length === 0 && (
          <PublicPanel>{t('暂无已公开的征求意见结果', 'No consultation results published yet')}</PublicPanel>
        )}
        {list.data?.map((c) => (
          <Link key={c.id} to={`/public/consultations/${c.id}`} style={{ color: 'inherit' }}>
            <PublicPanel>
              <div style={{ fontSize: 17, fontWeight: 600, color: '#8e1414' }}>{c.title}</div>
              <div style={{ ...muted, marginTop: 6 }}>
                {c.units.join('、')} · {t('征求意见期', 'Period')} {c.periodFrom} ~ {c.periodTo}
              </div>
              <div style={{ ...muted, marginTop: 2 }}>
                {t(`${c.participants} 人参与`, `${c.participants} participants`)} · {t('发布于', 'Published')}{' '}
                {fmtDate(c.publishedAt)}
              </div>
            </PublicPanel>
          </Link>
        ))}
      </div>
    </Frame>
  );
}

/** Paragraphs of a summary as written (line breaks kept). */
const Text = ({ children, testId }: { children: string; testId: string }) => (
  <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.7 }} data-testid={testId}>
    {children || '—'}
  </div>
);

/** One published consultation: topic, period, participants, the answers of the closed questions and the summary. */
export function PublicConsultationPage() {
  const { id = '' } = useParams();
  const c = usePublicConsultation(id);
  if (c.isLoading)
    return (
      <Frame>
        <Loading />
      </Frame>
    );
  if (!c.data)
    return (
      <Frame>
        <PublicPanel data-testid="consultation-missing">
          {c.error ? errorText(c.error) : t('没有这项公开的征求意见', 'No such published consultation')}
        </PublicPanel>
      </Frame>
    );
  const d = c.data;
  return (
    <Frame>
      <div style={{ display: 'grid', gap: 12 }} data-testid="consultation">
        <PublicPanel>
          <h2 style={{ fontSize: 19, margin: 0 }}>{d.title}</h2>
          <div style={{ ...muted, marginTop: 6 }}>
            {d.units.join('、')} · {t('征求意见期', 'Period')} {d.periodFrom} ~ {d.periodTo}
          </div>
          <div style={{ display: 'flex', gap: 24, marginTop: 12 }}>
            <div>
              <div style={{ fontSize: 26, fontWeight: 600, color: '#8e1414' }} data-testid="participants">
                {d.participants}
              </div>
              <div style={muted}>{t('参与人数', 'Participants')}</div>
            </div>
            <div>
              <div style={{ fontSize: 16, fontWeight: 600, marginTop: 8 }}>{fmtDate(d.publishedAt)}</div>
              <div style={muted}>{t('发布日期', 'Published')}</div>
            </div>
          </div>
          {d.background && (
            <p style={{ marginTop: 12, marginBottom: 0, lineHeight: 1.7, whiteSpace: 'pre-wrap' }}>{d.background}</p>
          )}
        </PublicPanel>
        <PublicPanel title={t('意见汇总与采纳情况', 'What we heard and what we did')}>
          <h3 style={{ fontSize: 15, margin: '0 0 4px' }}>{t('意见汇总', 'What we heard')}</h3>
          <Text testId="heard">{d.summary.heard}</Text>
          <h3 style={{ fontSize: 15, margin: '16px 0 4px', color: '#237804' }}>{t('采纳情况', 'Adopted')}</h3>
          <Text testId="adopted">{d.summary.adopted}</Text>
          <h3 style={{ fontSize: 15, margin: '16px 0 4px', color: '#ad4e00' }}>
            {t('未采纳意见及理由', 'Not adopted, and why')}
          </h3>
          <Text testId="not-adopted">{d.summary.notAdopted}</Text>
        </PublicPanel>
        <PublicPanel title={t('问卷结果', 'Answers')}>
          <ConsultationTallies tallies={d.tallies} />
        </PublicPanel>
        <Link to="/public/consultations">{t('← 全部征求意见', '← All consultations')}</Link>
      </div>
    </Frame>
  );
}
