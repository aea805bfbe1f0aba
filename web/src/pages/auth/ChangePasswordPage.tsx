import { KeyOutlined, LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { passwordRules, policyText, useSetupStatus } from '../../lib/security';
import { authApi } from './api';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/**
 * The forced password change: a user whose password the admin set (new account or reset) sees only
 * this page until they pick their own (the server answers everything else with 403 PASSWORD_CHANGE_REQUIRED).
 */
export function ChangePasswordPage() {
  const { me, logout } = useAuth();
  const qc = useQueryClient();
  const policy = useSetupStatus().data?.passwordPolicy;
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (e) {
      if (e instanceof ApiError && e.field) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg,#8e1414,#c62828 60%,#f3d9a4)',
      }}
    >
      <Card style={{ width: 440 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          <KeyOutlined /> {t('请修改初始密码', 'Change your initial password')}
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(
            `${me?.displayName ?? ''}，您的密码由管理员设置。为保护账号安全，请先设置只有您知道的新密码，然后才能继续使用系统。`,
            `${me?.displayName ?? ''}, your password was set by an administrator. Choose a new one only you know before you continue.`,
          )}
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          <Form.Item
            name="currentPassword"
            label={t('当前密码（管理员告知的密码）', 'Current password (the one you were given)')}
            rules={[{ required: true, message: t('请输入当前密码', 'Enter the current password') }]}
          >
            <Input.Password data-testid="pw-current" autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('新密码', 'New password')}
            extra={policyText(policy)}
            rules={passwordRules(policy)}
          >
            <Input.Password data-testid="pw-new" autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('确认新密码', 'Confirm the new password')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('请再次输入新密码', 'Enter the new password again') },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  !v || v === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('两次输入不一致', 'The passwords differ'))),
              }),
            ]}
          >
            <Input.Password data-testid="pw-confirm" autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="pw-submit">
            {t('修改密码并继续', 'Change password and continue')}
          </Button>
        </Form>
        <Button
          type="link"
          icon={<LogoutOutlined />}
          style={{ marginTop: 8, paddingLeft: 0 }}
          onClick={() => void logout()}
        >
          {t('退出登录', 'Sign out')}
        </Button>
      </Card>
    </div>
  );
}
