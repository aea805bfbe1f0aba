import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Result, Row, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../lib/api';
import { t } from '../../lib/i18n';
import { passwordRules, policyText, useSetupStatus } from '../../lib/security';
import { authApi } from './api';

type Account = { username: string; displayName: string; password: string; confirm?: string };
type Values = { token: string; districtName: string; admin: Account; securityAdmin: Account; auditAdmin: Account };

const ACCOUNTS = [
  {
    key: 'admin',
    zh: '系统管理员',
    en: 'System admin',
    hint: { zh: '用户、单位、系统设置', en: 'Users, units, settings' },
    username: 'sysadmin',
  },
  {
    key: 'securityAdmin',
    zh: '安全管理员',
    en: 'Security admin',
    hint: { zh: '角色与权限授予', en: 'Roles and permission grants' },
    username: 'secadmin',
  },
  {
    key: 'auditAdmin',
    zh: '审计管理员',
    en: 'Audit admin',
    hint: { zh: '只读审计日志', en: 'Audit log only' },
    username: 'auditadmin',
  },
] as const;

/** 首次安装: with the one-time token printed at start-up, creates the district and the three admins (三员). */
export function SetupPage() {
  const [params] = useSearchParams();
  const status = useSetupStatus();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const policy = status.data?.passwordPolicy;

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const strip = ({ confirm: _c, ...a }: Account) => a;
      await authApi.setup({
        ...v,
        admin: strip(v.admin),
        securityAdmin: strip(v.securityAdmin),
        auditAdmin: strip(v.auditAdmin),
      });
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError && e.field)
        form.setFields([{ name: e.field.split('.') as never, errors: [e.message] }]);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (status.isLoading) body = <Spin />;
  else if (done || status.data?.setupRequired === false) {
    body = (
      <Result
        status={done ? 'success' : 'info'}
        title={done ? t('安装完成', 'Setup complete') : t('系统已完成安装', 'Already set up')}
        subTitle={
          done
            ? t(
                '请用系统管理员账号登录，添加单位和用户；角色由安全管理员授予。',
                'Sign in as the system admin to add units and users; the security admin grants roles.',
              )
            : t('已有用户，安装步骤不再可用。', 'Users exist; the setup step is closed.')
        }
        extra={
          <Link to="/login">
            <Button type="primary">{t('去登录', 'Sign in')}</Button>
          </Link>
        }
      />
    );
  } else {
    body = (
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{
          token: params.get('token') ?? '',
          admin: { username: 'sysadmin', displayName: '系统管理员' },
          securityAdmin: { username: 'secadmin', displayName: '安全管理员' },
          auditAdmin: { username: 'auditadmin', displayName: '审计管理员' },
        }}
        onFinish={(v) => void submit(v)}
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t(
            '按等保“三员分立”要求，系统管理员、安全管理员、审计管理员须为三个不同的账号。',
            'As required for separation of duties (三员分立), the system, security and audit admins are three different accounts.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item
              name="token"
              label={t('安装令牌（见服务启动日志）', 'Setup token (from the start-up log)')}
              rules={[{ required: true, message: t('请输入安装令牌', 'Enter the setup token') }]}
            >
              <Input data-testid="setup-token" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="districtName"
              label={t('本区（顶级单位）名称', 'District (top unit) name')}
              rules={[{ required: true, message: t('请输入名称', 'Enter a name') }]}
            >
              <Input data-testid="setup-district" placeholder={t('例如：汉江区', 'e.g. Hanjiang District')} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          {ACCOUNTS.map((a) => (
            <Col span={8} key={a.key}>
              <Card
                size="small"
                title={t(a.zh, a.en)}
                extra={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(a.hint.zh, a.hint.en)}
                  </Typography.Text>
                }
              >
                <Form.Item
                  name={[a.key, 'username']}
                  label={t('用户名', 'Username')}
                  rules={[
                    { required: true, message: t('请输入用户名', 'Enter a username') },
                    {
                      pattern: /^[A-Za-z0-9_.-]{2,64}$/,
                      message: t('2–64 位字母、数字或 _ . -', '2–64 letters, digits, _ . -'),
                    },
                  ]}
                >
                  <Input data-testid={`setup-${a.key}-username`} autoComplete="off" />
                </Form.Item>
                <Form.Item
                  name={[a.key, 'displayName']}
                  label={t('姓名', 'Name')}
                  rules={[{ required: true, message: t('请输入姓名', 'Enter a name') }]}
                >
                  <Input />
                </Form.Item>
                <Form.Item name={[a.key, 'password']} label={t('密码', 'Password')} rules={passwordRules(policy)}>
                  <Input.Password data-testid={`setup-${a.key}-password`} autoComplete="new-password" />
                </Form.Item>
                <Form.Item
                  name={[a.key, 'confirm']}
                  label={t('确认密码', 'Confirm')}
                  dependencies={[[a.key, 'password']]}
                  rules={[
                    { required: true, message: t('请再次输入密码', 'Enter the password again') },
                    ({ getFieldValue }) => ({
                      validator: (_, v) =>
                        !v || v === getFieldValue([a.key, 'password'])
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('两次输入不一致', 'The passwords differ'))),
                    }),
                  ]}
                  style={{ marginBottom: 0 }}
                >
                  <Input.Password data-testid={`setup-${a.key}-confirm`} autoComplete="new-password" />
                </Form.Item>
              </Card>
            </Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0' }}>
          {t('密码要求：', 'Passwords: ')}
          {policyText(policy)}
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="setup-submit">
          {t('完成安装', 'Finish setup')}
        </Button>
      </Form>
    );
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg,#8e1414,#c62828 60%,#f3d9a4)',
        padding: 16,
      }}
    >
      <Card style={{ width: 1040, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          <SafetyCertificateOutlined /> {t('效能 · 首次安装', 'Xiaoneng · First-time setup')}
        </Typography.Title>
        {body}
      </Card>
    </div>
  );
}
