import { DownOutlined, LogoutOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { currentLang } from '../lib/api';
import { useAuth } from '../lib/auth';
import { PageSuspense } from '../lib/lazy';
import { setLang, t } from '../lib/i18n';
import type { AppRoute } from '../lib/routes';
import { APP_ROUTES } from '../pages/registry';
import { ChangePasswordButton } from './ChangePasswordButton';

const GROUPS: { key: AppRoute['group']; zh: string; en: string }[] = [
  { key: 'home', zh: '工作台', en: 'Home' },
  { key: 'performance', zh: '绩效管理', en: 'Performance' },
  { key: 'reporting', zh: '数据采集', en: 'Data collection' },
  { key: 'cases', zh: '公共服务平台', en: 'Public service' },
  { key: 'supervision', zh: '督查督办', en: 'Supervision' },
  { key: 'services', zh: '政务服务', en: 'Government services' },
  { key: 'desks', zh: '调解与求助', en: 'Mediation & assistance' },
  { key: 'evaluation', zh: '多元评价与问责', en: 'Evaluation and accountability' },
  { key: 'admin', zh: '系统管理', en: 'Administration' },
];

/** The signed-in frame: header, a menu of the pages the user may open, and the page. */
export function AppLayout() {
  const { me, can, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  // On a phone (below md) the header keeps to the screen's width: the short name, the language as an
  // icon, the user's name cut short and no unit name, so no page scrolls sideways.
  const narrow = Grid.useBreakpoint().md === false;
  const visible = APP_ROUTES.filter((r) => !r.hidden && (!r.permissions || r.permissions.some((p) => can(p))));
  const items = GROUPS.map((g) => {
    const children = visible
      .filter((r) => r.group === g.key)
      .map((r) => ({ key: r.path, icon: r.icon, label: t(r.label.zh, r.label.en) }));
    if (!children.length) return null;
    if (g.key === 'home') return children[0];
    return { key: `g:${g.key}`, label: t(g.zh, g.en), children };
  }).filter((x) => x !== null);
  const selected = visible
    .map((r) => r.path)
    .filter((p) => location.pathname === p || location.pathname.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        className="xn-no-print"
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: narrow ? 8 : 16,
          background: '#8e1414',
          paddingInline: narrow ? 12 : 20,
          overflow: 'hidden',
        }}
        data-testid="app-header"
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {narrow
            ? t('效能', 'Xiaoneng')
            : t('效能 · 汉江区绩效与公共服务平台', 'Xiaoneng · Performance & Public Service')}
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Button
          type="text"
          icon={<TranslationOutlined />}
          style={{ color: '#fff', flex: 'none' }}
          onClick={() => setLang(currentLang() === 'en' ? 'zh' : 'en')}
          aria-label={currentLang() === 'en' ? '中文' : 'English'}
        >
          {narrow ? null : currentLang() === 'en' ? '中文' : 'English'}
        </Button>
        <Dropdown
          menu={{
            items: [
              { key: 'pw', label: <ChangePasswordButton /> },
              {
                key: 'logout',
                icon: <LogoutOutlined />,
                label: t('退出登录', 'Sign out'),
                onClick: () => void logout().then(() => navigate('/login')),
              },
            ],
          }}
        >
          <Space style={{ color: '#fff', cursor: 'pointer', minWidth: 0 }} data-testid="user-menu">
            <UserOutlined />
            <span
              style={{
                display: 'inline-block',
                maxWidth: narrow ? 120 : undefined,
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                whiteSpace: 'nowrap',
                verticalAlign: 'bottom',
              }}
              title={me?.displayName}
            >
              {me?.displayName}
            </span>
            {!narrow && <Typography.Text style={{ color: '#f5c6c6' }}>{me?.unitName}</Typography.Text>}
            <DownOutlined />
          </Space>
        </Dropdown>
      </Layout.Header>
      <Layout>
        <Layout.Sider className="xn-no-print" width={220} theme="light" breakpoint="lg" collapsedWidth={0}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            defaultOpenKeys={GROUPS.map((g) => `g:${g.key}`)}
            items={items}
            onClick={(e) => navigate(e.key)}
            style={{ height: '100%' }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: narrow ? 12 : 20, background: '#f5f5f5', minWidth: 0 }}>
          <PageSuspense>
            <Outlet />
          </PageSuspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
