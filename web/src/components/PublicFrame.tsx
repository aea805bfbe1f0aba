import { FileSearchOutlined, FormOutlined, TrophyOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { t } from '../lib/i18n';

export type PublicLink = { to: string; icon: ReactNode; label: string };

/** The public pages' links, one definition each (labels in the current language, so made when rendered). */
export const publicLinks = {
  submit: (): PublicLink => ({ to: '/public/submit', icon: <FormOutlined />, label: t('我要反映', 'Report') }),
  track: (): PublicLink => ({ to: '/public/track', icon: <FileSearchOutlined />, label: t('办件查询', 'Track') }),
  results: (): PublicLink => ({ to: '/public/results', icon: <TrophyOutlined />, label: t('考评结果', 'Results') }),
};

/** The citizen pages' frame (no login): a plain header with the page family's links, a narrow column, readable on a phone. */
export function PublicFrame({
  title,
  links,
  footer,
  children,
}: {
  title: string;
  links: PublicLink[];
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#8e1414', color: '#fff', padding: '14px 16px' }}>
        <div
          style={{ maxWidth: 720, margin: '0 auto', display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}
        >
          <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
            {title}
          </Typography.Title>
          <div style={{ flex: 1 }} />
          {links.map((l) => (
            <Link key={l.to} to={l.to} style={{ color: '#fff' }}>
              {l.icon} {l.label}
            </Link>
          ))}
        </div>
      </div>
      <div style={{ maxWidth: 720, margin: '0 auto', padding: 12 }}>{children}</div>
      {footer && (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', padding: 16 }}>
          {footer}
        </Typography.Paragraph>
      )}
    </div>
  );
}
