import { Button, Result } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { t } from '../lib/i18n';

/** 404: an address that is no page of the app (instead of an empty frame). */
export function NotFoundPage() {
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <Result
      status="404"
      title={t('页面不存在', 'Page not found')}
      subTitle={t(
        `没有「${location.pathname}」这个页面，可能是链接有误或页面已移动。`,
        `There is no page at “${location.pathname}”; the link may be wrong or the page moved.`,
      )}
      extra={
        <Button type="primary" onClick={() => navigate('/')} data-testid="not-found-home">
          {t('返回工作台', 'Back to home')}
        </Button>
      }
      data-testid="not-found"
    />
  );
}

/** 403: a page the user's roles do not open (the server refuses its data anyway). */
export function NoAccessPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('没有访问权限', 'No access')}
      subTitle={t(
        '您的角色不能使用此页面。如需使用，请联系系统管理员分配相应角色。',
        'Your roles do not give access to this page. Ask an administrator for the role you need.',
      )}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('返回工作台', 'Back to home')}
        </Button>
      }
      data-testid="no-access"
    />
  );
}
