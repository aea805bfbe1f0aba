import { Card, Col, Row, Tag, Typography } from 'antd';
import type { Role } from '@server/platform/access';
import { useContext } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { AppRoutesContext } from '../../lib/routes';
import { HOME_WIDGETS } from './widgets';
import { roleName } from '../admin/adminData';

/** The roles whose home is the leader cockpit. */
const COCKPIT_HOME: readonly Role[] = ['main_leader', 'district_leader', 'office'];

/** The landing page: who you are, the work waiting for your roles, and shortcuts to your pages. */
export function HomePage() {
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const appRoutes = useContext(AppRoutesContext);
  const [params] = useSearchParams();
  if (!me) return null;
  // Leaders and the office land on the cockpit; ?workbench=1 shows this page (to-do widgets, shortcuts).
  if (can('cockpit.read') && COCKPIT_HOME.some((r) => me.roles.includes(r)) && params.get('workbench') !== '1')
    return <Navigate to="/cockpit" replace />;
  const shortcuts = appRoutes.filter(
    (r) => !r.hidden && r.group !== 'home' && (!r.permissions || r.permissions.some((p) => can(p))),
  );
  const widgets = HOME_WIDGETS.filter((w) => w.roles.some((r) => me.roles.includes(r)));
  return (
    <div>
      <Typography.Title level={3} data-testid="home-title">
        {t(`您好，${me.displayName}`, `Hello, ${me.displayName}`)}
      </Typography.Title>
      <Typography.Paragraph>
        {me.unitName}{' '}
        {me.roles.map((r) => (
          <Tag key={r} color="red">
            {roleName(r)}
          </Tag>
        ))}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {widgets.map((w) => (
          <Col key={w.key} xs={24} lg={w.wide ? 24 : 12}>
            {w.render()}
          </Col>
        ))}
      </Row>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('常用功能', 'Shortcuts')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {shortcuts.map((r) => (
          <Col key={r.path} xs={12} md={8} lg={6} xl={4}>
            <Card hoverable size="small" onClick={() => navigate(r.path)}>
              {r.icon} {t(r.label.zh, r.label.en)}
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
