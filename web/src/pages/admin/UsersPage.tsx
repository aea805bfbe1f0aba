import { EditOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ROLES, type Role } from '@common/roles';
import type { TUser } from '@server/modules/users/users.schema';
import { ApiError, errorText } from '../../lib/api';
import { FormModal } from '../../components/FormModal';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { passwordRules, policyText, useSetupStatus } from '../../lib/security';
import { ExcelListButtons } from '../../components/ExcelListButtons';
import { ReviewersCard } from '../ratings/ReviewersCard';
import { RequirePermission } from './NoAccess';
import { roleName, unitTreeSelectData } from './adminData';
import { adminApi, USERS_KEY, useUnits, useUsers } from './api';

type Filters = { unitId?: number; role?: Role; q?: string };

const ROLE_COLOR: Partial<Record<Role, string>> = {
  admin: 'red',
  office: 'volcano',
  main_leader: 'gold',
  district_leader: 'orange',
  unit_leader: 'blue',
  reporter: 'geekblue',
  assessor: 'purple',
  agent: 'cyan',
  handler: 'green',
  supervisor: 'magenta',
  evaluator: 'lime',
  security_admin: 'red',
  audit_admin: 'red',
};

/** 用户管理: accounts, their unit, roles and (for district leaders) the units in their charge. */
export function UsersPage() {
  const { can } = useAuth();
  // The system admin keeps accounts (users.manage); the security admin grants roles (roles.grant).
  return (
    <RequirePermission permission={can('roles.grant') ? 'roles.grant' : 'users.manage'}>
      <UsersPageBody />
    </RequirePermission>
  );
}

function UsersPageBody() {
  const { can } = useAuth();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<TUser | 'new' | null>(null);
  const units = useUnits();
  const users = useUsers(filters);
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const unitTree = useMemo(() => unitTreeSelectData(units.data ?? []), [units.data]);
  const roleOptions = ROLES.map((r) => ({ value: r, label: roleName(r) }));

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('用户管理', 'Users')}
      </Typography.Title>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <TreeSelect
              data-testid="users-filter-unit"
              style={{ width: 260 }}
              allowClear
              placeholder={t('全部单位', 'All units')}
              treeData={unitTree}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandedKeys={unitTree.map((n) => n.value)}
              value={filters.unitId}
              onChange={(v?: number) => setFilters((f) => ({ ...f, unitId: v ?? undefined }))}
            />
            <Select
              data-testid="users-filter-role"
              style={{ width: 180 }}
              allowClear
              placeholder={t('全部角色', 'All roles')}
              options={roleOptions}
              value={filters.role}
              onChange={(v?: Role) => setFilters((f) => ({ ...f, role: v ?? undefined }))}
            />
            <Input.Search
              data-testid="users-search"
              style={{ width: 240 }}
              allowClear
              placeholder={t('用户名或姓名', 'Username or name')}
              onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))}
            />
          </Space>
          {can('users.manage') && (
            <Space wrap>
              <ExcelListButtons
                base={adminApi.usersExcelBase()}
                testId="users-excel"
                canImport
                onImported={() => qc.invalidateQueries({ queryKey: [USERS_KEY] })}
              />
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="users-create"
              >
                {t('新增用户', 'Add user')}
              </Button>
            </Space>
          )}
        </Space>
        {users.error && (
          <Alert
            type="error"
            showIcon
            title={t('无法读取用户', 'Cannot load users')}
            description={errorText(users.error)}
            style={{ marginBottom: 12 }}
          />
        )}
        <Table<TUser>
          rowKey="id"
          size="middle"
          loading={users.isLoading}
          dataSource={users.data ?? []}
          pagination={{
            defaultPageSize: 20,
            showSizeChanger: true,
            showTotal: (n) => t(`共 ${n} 个用户`, `${n} users`),
          }}
          columns={[
            { title: t('用户名', 'Username'), dataIndex: 'username', width: 150 },
            { title: t('姓名', 'Name'), dataIndex: 'displayName', width: 200 },
            {
              title: t('所属单位', 'Unit'),
              key: 'unit',
              width: 200,
              render: (_, u) => unitName.get(u.unitId) ?? `#${u.unitId}`,
            },
            {
              title: t('角色', 'Roles'),
              key: 'roles',
              render: (_, u) => (
                <Space size={[0, 4]} wrap>
                  {u.roles.length === 0 && (
                    <Typography.Text type="secondary">{t('未授予角色', 'No roles yet')}</Typography.Text>
                  )}
                  {u.roles.map((r) => (
                    <Tag key={r} color={ROLE_COLOR[r]}>
                      {roleName(r)}
                    </Tag>
                  ))}
                  {u.roles.includes('district_leader') && u.leaderUnitIds.length > 0 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('分管：', 'In charge: ')}
                      {u.leaderUnitIds.map((id) => unitName.get(id) ?? `#${id}`).join('、')}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('状态', 'Status'),
              key: 'active',
              width: 90,
              render: (_, u) =>
                u.active ? <Tag color="green">{t('启用', 'Active')}</Tag> : <Tag>{t('停用', 'Inactive')}</Tag>,
            },
            {
              title: t('锁定', 'Locked'),
              key: 'locked',
              width: 130,
              render: (_, u) =>
                u.locked ? (
                  <Tag color="red" icon={<LockOutlined />}>
                    {t('已锁定', 'Locked')}
                  </Tag>
                ) : u.mustChangePassword ? (
                  <Tag color="orange">{t('待改初始密码', 'Must change password')}</Tag>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: t('操作', 'Actions'),
              key: 'actions',
              width: 100,
              render: (_, u) => (
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setEditing(u)}
                  data-testid={`user-edit-${u.username}`}
                >
                  {t('编辑', 'Edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {can('reviewers.manage') && (
        <div style={{ marginTop: 16 }}>
          <ReviewersCard />
        </div>
      )}
      {editing && (
        <UserModal
          user={editing === 'new' ? null : editing}
          unitTree={unitTree}
          roleOptions={roleOptions}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

type UserValues = {
  username: string;
  displayName: string;
  unitId?: number;
  phone?: string;
  roles: Role[];
  leaderUnitIds: number[];
  active: boolean;
  password?: string;
};
const USER_FIELDS = [
  'username',
  'displayName',
  'unitId',
  'phone',
  'roles',
  'leaderUnitIds',
  'active',
  'password',
] as const;

function UserModal(props: {
  user: TUser | null;
  unitTree: ReturnType<typeof unitTreeSelectData>;
  roleOptions: { value: string; label: string }[];
  onClose(): void;
}) {
  const { user, unitTree } = props;
  const { me, can } = useAuth();
  const policy = useSetupStatus().data?.passwordPolicy;
  // 三员分立: account fields are the system admin's, roles and units in charge the security admin's; nobody edits their own roles.
  const manage = can('users.manage');
  const grant = can('roles.grant') && !!user && user.id !== me?.id;
  const [form] = Form.useForm<UserValues>();
  const roles = Form.useWatch('roles', form) ?? user?.roles ?? [];
  const isDistrictLeader = roles.includes('district_leader');
  const self = !!user && user.id === me?.id;

  const submit = (v: UserValues) => {
    const account = { displayName: v.displayName, unitId: v.unitId!, phone: v.phone?.trim() ? v.phone.trim() : null };
    const roles = { roles: v.roles, leaderUnitIds: v.roles.includes('district_leader') ? (v.leaderUnitIds ?? []) : [] };
    if (!user)
      return adminApi.createUser({
        ...account,
        username: v.username,
        password: v.password!,
        roles: [],
        leaderUnitIds: [],
      });
    return adminApi.updateUser(user.id, {
      ...(manage ? { ...account, active: v.active, ...(v.password ? { password: v.password } : {}) } : {}),
      ...(grant ? roles : {}),
    });
  };

  const initial: Partial<UserValues> = user
    ? {
        username: user.username,
        displayName: user.displayName,
        unitId: user.unitId,
        phone: user.phone ?? '',
        roles: user.roles,
        leaderUnitIds: user.leaderUnitIds,
        active: user.active,
      }
    : { roles: [], leaderUnitIds: [], active: true };
  const roleHint = !user
    ? t(
        '新账号没有角色：保存后由安全管理员授予角色。',
        'A new account has no roles: the security admin grants them after saving.',
      )
    : self
      ? t('不能修改自己的角色。', 'You cannot change your own roles.')
      : !can('roles.grant')
        ? t(
            '角色和分管单位只能由安全管理员修改（三员分立）。',
            'Only the security admin changes roles and units in charge.',
          )
        : undefined;

  return (
    <FormModal<UserValues, TUser>
      form={form}
      width={620}
      title={user ? t(`编辑用户：${user.displayName}`, `Edit user: ${user.displayName}`) : t('新增用户', 'New user')}
      onClose={props.onClose}
      submit={submit}
      invalidate={[USERS_KEY]}
      success={user ? t('已保存', 'Saved') : t('用户已创建', 'User created')}
      errorFields={USER_FIELDS}
      onError={(e) => {
        if (!(e instanceof ApiError && e.code === 'DUPLICATE')) return false;
        form.setFields([{ name: 'username', errors: [t('该用户名已存在', 'This username is taken')] }]);
        return true;
      }}
      okText={t('保存', 'Save')}
      okTestId="user-form-save"
      initialValues={initial}
      header={
        user?.locked && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              '该账号因多次登录失败已被临时锁定；重置密码即可解锁。',
              'The account is locked after failed sign-ins; resetting the password unlocks it.',
            )}
          />
        )
      }
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[
              { required: true, message: t('请输入用户名', 'Enter a username') },
              { min: 2, max: 64, message: t('用户名长度为 2–64 位', '2–64 characters') },
              { pattern: /^[A-Za-z0-9_.-]+$/, message: t('只能包含字母、数字和 _ . -', 'Letters, digits, _ . - only') },
            ]}
          >
            <Input data-testid="user-form-username" disabled={!!user} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="displayName"
            label={t('姓名', 'Name')}
            rules={[{ required: true, message: t('请输入姓名', 'Enter a name') }, { max: 50 }]}
          >
            <Input data-testid="user-form-displayName" disabled={!manage} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="unitId"
        label={t('所属单位', 'Unit')}
        rules={[{ required: true, message: t('请选择所属单位', 'Choose a unit') }]}
      >
        <TreeSelect
          data-testid="user-form-unit"
          disabled={!manage}
          treeData={unitTree}
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeDefaultExpandedKeys={unitTree.map((n) => n.value)}
          placeholder={t('选择单位', 'Choose a unit')}
        />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('手机号', 'Mobile')}
        rules={[{ pattern: /^1\d{10}$/, message: t('请输入 11 位手机号', 'Enter an 11-digit mobile number') }]}
      >
        <Input data-testid="user-form-phone" maxLength={11} disabled={!manage} />
      </Form.Item>
      <Form.Item name="roles" label={t('角色', 'Roles')} extra={roleHint}>
        <Select
          data-testid="user-form-roles"
          mode="multiple"
          disabled={!grant}
          options={props.roleOptions}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={grant ? t('选择角色', 'Choose roles') : t('未授予角色', 'No roles yet')}
        />
      </Form.Item>
      {isDistrictLeader && (
        <Form.Item
          name="leaderUnitIds"
          label={t('分管单位', 'Units in charge')}
          extra={t(
            '区分管领导可查看所分管单位及其下级单位的数据。',
            'A district leader sees the data of these units and the units below them.',
          )}
        >
          <TreeSelect
            data-testid="user-form-leaderUnits"
            disabled={!grant}
            multiple
            treeData={unitTree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandedKeys={unitTree.map((n) => n.value)}
            placeholder={t('选择分管单位', 'Choose the units in charge')}
          />
        </Form.Item>
      )}
      {user && (
        <Form.Item
          name="active"
          label={t('启用', 'Active')}
          valuePropName="checked"
          extra={self ? t('不能停用自己的账号。', 'You cannot deactivate your own account.') : undefined}
        >
          <Switch data-testid="user-form-active" disabled={self || !manage} />
        </Form.Item>
      )}
      {manage && !self && (
        <Form.Item
          name="password"
          label={user ? t('重置密码', 'Reset password') : t('初始密码', 'Initial password')}
          extra={
            (user
              ? t(
                  '留空则不修改；重置后账号自动解锁，用户的登录会话全部结束。',
                  'Leave empty to keep the password; a reset unlocks the account and ends the user’s sessions.',
                )
              : '') +
            t('用户首次登录时须修改此密码。', ' The user must change it at the first sign-in. ') +
            policyText(policy)
          }
          rules={passwordRules(policy, !user)}
        >
          <Input.Password data-testid="user-form-password" autoComplete="new-password" />
        </Form.Item>
      )}
    </FormModal>
  );
}
