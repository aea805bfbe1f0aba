import { FileSearchOutlined, FormOutlined, TrophyOutlined } from '@ant-design/icons';
import type { CSSProperties, ReactNode } from 'react';
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
          <h1 style={{ color: '#fff', margin: 0, fontSize: 20, fontWeight: 600 }}>{title}</h1>
          <div style={{ flex: 1 }} />
          {links.map((l) => (
            <Link key={l.to} to={l.to} style={{ color: '#fff' }}>
              {l.icon} {l.label}
            </Link>
          ))}
        </div>
      </div>
      <div style={{ maxWidth: 720, margin: '0 auto', padding: 12 }}>{children}</div>
      {footer && <p style={{ textAlign: 'center', padding: 16, margin: 0, color: 'rgba(0,0,0,.45)' }}>{footer}</p>}
    </div>
  );
}

/**
 * A white panel with an optional title: the citizen pages' card. Not antd's Card, which brings Tabs and
 * the dropdown menu with it — code a phone would download for nothing.
 */
export function PublicPanel({
  title,
  children,
  style,
  ...rest
}: {
  title?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  'data-testid'?: string;
}) {
  return (
    <section
      style={{ background: '#fff', borderRadius: 8, border: '1px solid #f0f0f0', overflow: 'hidden', ...style }}
      {...rest}
    >
      {title && (
        <div style={{ padding: '12px 16px', borderBottom: '1px solid #f0f0f0', fontWeight: 600, fontSize: 16 }}>
          {title}
        </div>
      )}
      <div style={{ padding: 16 }}>{children}</div>
    </section>
  );
}

/** An address under /public/ that is no page: a plain note with the way back. */
export function PublicNotFound() {
  return (
    <PublicFrame
      title={t('汉江区公共服务', 'Hanjiang public services')}
      links={[publicLinks.submit(), publicLinks.track()]}
    >
      <PublicPanel data-testid="not-found">
        <p>
          {t(
            '没有这个页面，可能是链接有误或页面已移动。',
            'There is no such page; the link may be wrong or the page moved.',
          )}
        </p>
      </PublicPanel>
    </PublicFrame>
  );
}
