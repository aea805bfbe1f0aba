import { KeyOutlined } from '@ant-design/icons';
import { Form, Input } from 'antd';
import { useState } from 'react';
import { t } from '../lib/i18n';
import { passwordRules, policyText, useSetupStatus } from '../lib/security';
import { authApi } from '../pages/auth/api';
import { FormModal } from './FormModal';

type Values = { currentPassword: string; newPassword: string };

export function ChangePasswordButton() {
  const [open, setOpen] = useState(false);
  const policy = useSetupStatus().data?.passwordPolicy;
  return (
    <>
      <span onClick={() => setOpen(true)}>
        <KeyOutlined /> {t('修改密码', 'Change password')}
      </span>
      {open && (
        <FormModal<Values>
          title={t('修改密码', 'Change password')}
          onClose={() => setOpen(false)}
          submit={(v) => authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword })}
          success={t('密码已修改', 'Password changed')}
        >
          <Form.Item name="currentPassword" label={t('当前密码', 'Current password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('新密码', 'New password')}
            extra={policyText(policy)}
            rules={passwordRules(policy)}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}
