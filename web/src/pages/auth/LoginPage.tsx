import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { setCsrfToken } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useSetupStatus } from '../../lib/security';
import { authApi } from './api';

export function LoginPage() {
  const { me } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const status = useSetupStatus().data;
  const next = params.get('next') || '/';
  if (me) return <Navigate to={next} replace />;
  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await authApi.login(v);
      setCsrfToken(res.csrfToken);
      qc.setQueryData(['me'], res);
      void navigate(next, { replace: true });
    } catch (e) {
      setError((e as Error).message);
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
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          {t('效能', 'Xiaoneng')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('汉江区政府绩效管理与公共服务平台', 'Hanjiang District performance & public service platform')}
        </Typography.Paragraph>
        {status?.demo && (
          <Alert
            type="warning"
            showIcon
            data-testid="demo-banner"
            style={{ marginBottom: 16 }}
            title={t('演示系统', 'Demo system')}
            description={t(
              '这是演示环境，演示账号的密码是公开的（见 README），请勿录入真实数据。正式使用请以 SEED_DEMO=false 部署。',
              'This is a demo: the demo accounts’ passwords are public (see the README). Do not enter real data; deploy with SEED_DEMO=false for real use.',
            )}
          />
        )}
        {status?.setupRequired && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('系统尚未安装', 'Not set up yet')}
            description={
              <>
                {t(
                  '请打开服务启动日志中打印的一次性安装链接，或前往',
                  'Open the one-time setup link printed in the start-up log, or go to ',
                )}{' '}
                <a href="/setup">{t('安装页面', 'the setup page')}</a>
                {t('并输入安装令牌。', ' and enter the setup token.')}
              </>
            }
          />
        )}
        {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} showIcon />}
        <Form layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码', 'Password')}
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12, textAlign: 'center' }}>
          <a href="/public/submit">{t('群众诉求提交', 'Submit a request')}</a> ·{' '}
          <a href="/public/track">{t('办件查询', 'Track a request')}</a> ·{' '}
          <a href="/public/results">{t('绩效结果公开', 'Published results')}</a>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
