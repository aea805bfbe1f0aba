import { Result } from 'antd';
import type { ReactNode } from 'react';
import type { Permission } from '@server/platform/access';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';

/** Renders the page only for users holding the permission (the server refuses the others anyway). */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  if (can(permission)) return children;
  return (
    <Result
      status="403"
      title={t('没有访问权限', 'No access')}
      subTitle={t('您的角色不能使用此页面。', 'Your roles do not give access to this page.')}
    />
  );
}
