import { KeyOutlined } from '@ant-design/icons';
import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, http } from '../lib/api';
import { t } from '../lib/i18n';
import { passwordRules, policyText, useSetupStatus } from '../lib/security';

export function ChangePasswordButton() {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const policy = useSetupStatus().data?.passwordPolicy;
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await http.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t('密码已修改', 'Password changed'));
      setOpen(false);
      form.resetFields();
    } catch (e) {
      if (e instanceof ApiError && e.field) form.setFields([{ name: e.field, errors: [e.message] }]);
      else message.error((e as Error).message);
    }
  };
  return (
    <>
      <span onClick={() => setOpen(true)}>
        <KeyOutlined /> {t('修改密码', 'Change password')}
      </span>
      <Modal open={open} title={t('修改密码', 'Change password')} onOk={() => void submit()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="currentPassword" label={t('当前密码', 'Current password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="newPassword" label={t('新密码', 'New password')} extra={policyText(policy)} rules={passwordRules(policy)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
