import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Form,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo, useState, type ReactNode } from 'react';
import type { TAuditEntry, TAuditVerify } from '@server/modules/audit/audit.schema';
import { currentLang, errorText } from '../../lib/api';
import { totalLabel } from '../../lib/lists';
import { AUDIT_ACTION_NAMES, AUDIT_ENTITY_NAMES, auditActionName } from '@common/audit';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { RequirePermission } from './NoAccess';
import { ExportButton } from '../../components/TableTools';
import { unitTreeSelectData } from './adminData';
import { adminApi, useAuditPage, useUnits, useUsers } from './api';

/** Names of the entity types and actions: common/audit (the export uses the same). */
const ENTITY_LABEL: Record<string, [string, string]> = Object.fromEntries(
  Object.entries(AUDIT_ENTITY_NAMES).map(([k, n]) => [k, [n.zh, n.en]]),
);
const ACTION_LABEL: Record<string, [string, string]> = Object.fromEntries(
  Object.entries(AUDIT_ACTION_NAMES).map(([k, n]) => [k, [n.zh, n.en]]),
);
const BROKEN_REASON: Record<string, [string, string]> = {
  'hash does not match the entry contents': [
    '记录内容与其哈希不符（记录被改动）',
    'the entry does not match its hash (it was altered)',
  ],
  'prev_hash does not match the previous entry': [
    '与前一条记录的链接不符（有记录被删除、插入或调换）',
    'the link to the previous entry does not match (an entry was removed, inserted or moved)',
  ],
};
const label = (map: Record<string, [string, string]>, key: string) => (map[key] ? t(...map[key]) : key);
const actionLabel = (action: string) => auditActionName(action, currentLang());

type FilterValues = {
  actor?: string;
  unitId?: number;
  entityType?: string;
  action?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
};
type Query = { actorName?: string; unitId?: number; entityType?: string; action?: string; from?: string; to?: string };

/** 审计日志: who changed what and when, before → after, and a check of the tamper-evident hash chain. */
export function AuditPage() {
  return (
    <RequirePermission permission="audit.read">
      <AuditPageBody />
    </RequirePermission>
  );
}

function AuditPageBody() {
  const { can } = useAuth();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<Query>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const units = useUnits();
  // The user list needs users.manage; without it the actor filter takes a typed username.
  const users = useUsers({}, can('users.manage'));
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const unitTree = useMemo(() => unitTreeSelectData(units.data ?? []), [units.data]);

  const entries = useAuditPage(query, page);
  const verify = useMutation({ mutationFn: adminApi.verifyAudit });

  const apply = (v: FilterValues) => {
    const [from, to] = v.dates ?? [];
    setQuery({
      actorName: v.actor?.trim() || undefined,
      unitId: v.unitId,
      entityType: v.entityType?.trim() || undefined,
      action: v.action?.trim() || undefined,
      from: from ? from.format('YYYY-MM-DD') : undefined,
      to: to ? to.format('YYYY-MM-DD') : undefined,
    });
    setPage((p) => ({ ...p, current: 1 }));
  };

  const actorOptions = (users.data ?? []).map((u) => ({
    value: u.username,
    label: `${u.displayName}（${u.username}）`,
  }));
  const filterOption = (input: string, option?: { value: string; label: string }) =>
    !!option &&
    (option.value.toLowerCase().includes(input.toLowerCase()) ||
      option.label.toLowerCase().includes(input.toLowerCase()));

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('审计日志', 'Audit log')}
        </Typography.Title>
        <Space>
          <ExportButton path={adminApi.auditExportUrl()} query={query} testId="audit-export" />
          <Button
            icon={<SafetyCertificateOutlined />}
            loading={verify.isPending}
            onClick={() => verify.mutate()}
            data-testid="audit-verify"
          >
            {t('校验哈希链', 'Verify hash chain')}
          </Button>
        </Space>
      </Space>
      {verify.data && <VerifyResult result={verify.data} />}
      {verify.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('校验失败', 'Verification failed')}
          description={errorText(verify.error)}
        />
      )}
      <Card size="small">
        <Form form={form} layout="inline" onFinish={apply} style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item name="actor" label={t('操作人', 'User')}>
            <AutoComplete
              data-testid="audit-filter-actor"
              style={{ width: 200 }}
              allowClear
              options={actorOptions}
              showSearch={{ filterOption }}
              placeholder={t('用户名', 'Username')}
            />
          </Form.Item>
          <Form.Item name="unitId" label={t('单位', 'Unit')}>
            <TreeSelect
              data-testid="audit-filter-unit"
              style={{ width: 220 }}
              allowClear
              treeData={unitTree}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandedKeys={unitTree.map((n) => n.value)}
              placeholder={t('全部单位', 'All units')}
            />
          </Form.Item>
          <Form.Item name="entityType" label={t('对象类型', 'Entity')}>
            <AutoComplete
              data-testid="audit-filter-entity"
              style={{ width: 160 }}
              allowClear
              options={Object.entries(ENTITY_LABEL).map(([value, [zh, en]]) => ({
                value,
                label: `${t(zh, en)}（${value}）`,
              }))}
              showSearch={{ filterOption }}
              placeholder="unit / user …"
            />
          </Form.Item>
          <Form.Item name="action" label={t('操作', 'Action')}>
            <AutoComplete
              data-testid="audit-filter-action"
              style={{ width: 200 }}
              allowClear
              options={Object.entries(ACTION_LABEL).map(([value, [zh, en]]) => ({
                value,
                label: `${t(zh, en)}（${value}）`,
              }))}
              showSearch={{ filterOption }}
              placeholder="unit.update …"
            />
          </Form.Item>
          <Form.Item name="dates" label={t('日期', 'Dates')}>
            <DatePicker.RangePicker data-testid="audit-filter-dates" allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                {t('查询', 'Search')}
              </Button>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                {t('重置', 'Reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {entries.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('无法读取审计日志', 'Cannot load the audit log')}
            description={errorText(entries.error)}
          />
        )}
        <Table<TAuditEntry>
          data-testid="audit-table"
          rowKey="id"
          size="middle"
          loading={entries.isFetching}
          dataSource={entries.data?.items ?? []}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: entries.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            // Counted up to 10,000 (platform/lists): "共 10,000+ 条" beyond.
            showTotal: () => (entries.data ? totalLabel(entries.data, '条', 'entries') : ''),
            onChange: (current, pageSize) => setPage({ current: pageSize === page.pageSize ? current : 1, pageSize }),
          }}
          expandable={{
            expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />,
            rowExpandable: (e) => e.before != null || e.after != null,
          }}
          columns={[
            { title: 'ID', dataIndex: 'id', width: 80 },
            {
              title: t('时间', 'Time'),
              dataIndex: 'at',
              width: 170,
              render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss'),
            },
            {
              title: t('操作人', 'User'),
              key: 'actor',
              width: 170,
              render: (_, e) => (
                <span>
                  {e.actorName}
                  {e.ip && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                      {e.ip}
                    </Typography.Text>
                  )}
                </span>
              ),
            },
            {
              title: t('操作', 'Action'),
              dataIndex: 'action',
              width: 200,
              render: (a: string) => (
                <span>
                  {actionLabel(a)}
                  {actionLabel(a) !== a && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                      {a}
                    </Typography.Text>
                  )}
                </span>
              ),
            },
            {
              title: t('对象', 'Entity'),
              key: 'entity',
              width: 160,
              render: (_, e) => (
                <span>
                  <Tag>{label(ENTITY_LABEL, e.entityType)}</Tag>
                  {e.entityId && `#${e.entityId}`}
                </span>
              ),
            },
            {
              title: t('单位', 'Unit'),
              dataIndex: 'unitId',
              render: (id: number | null) => (id === null ? '—' : (unitName.get(id) ?? `#${id}`)),
            },
          ]}
        />
      </Card>
    </div>
  );
}

function VerifyResult({ result }: { result: TAuditVerify }) {
  if (result.ok) {
    return (
      <Alert
        data-testid="audit-verify-result"
        type="success"
        showIcon
        closable
        style={{ marginBottom: 12 }}
        title={t(
          `哈希链完整：已校验 ${result.checked} 条记录，未发现篡改。`,
          `Hash chain intact: ${result.checked} entries checked, no tampering found.`,
        )}
      />
    );
  }
  const b = result.broken!;
  return (
    <Alert
      data-testid="audit-verify-result"
      type="error"
      showIcon
      closable
      style={{ marginBottom: 12 }}
      title={t(`哈希链在第 ${b.id} 号记录处断开`, `Hash chain broken at entry ${b.id}`)}
      description={t(
        `原因：${label(BROKEN_REASON, b.reason)}。此前 ${result.checked} 条记录校验通过。`,
        `Reason: ${label(BROKEN_REASON, b.reason)}. The ${result.checked} entries before it are intact.`,
      )}
    />
  );
}

type DiffRow = { key: string; before: unknown; after: unknown; changed: boolean };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function show(v: unknown): ReactNode {
  if (v === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (v === null) return <Typography.Text type="secondary">null</Typography.Text>;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? t('是', 'yes') : t('否', 'no');
  return <code style={{ wordBreak: 'break-all' }}>{JSON.stringify(v)}</code>;
}

/** Before → after of one entry, field by field, with the changed fields highlighted. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = useMemo<DiffRow[]>(() => {
    if (!isRecord(before) && !isRecord(after))
      return [
        {
          key: t('值', 'value'),
          before: before ?? undefined,
          after: after ?? undefined,
          changed: !same(before, after),
        },
      ];
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    // jsonb keeps keys by length; show them alphabetically with the id first.
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) =>
      x === 'id' ? -1 : y === 'id' ? 1 : x.localeCompare(y),
    );
    return keys.map((key) => ({ key, before: b[key], after: a[key], changed: !same(b[key], a[key]) }));
  }, [before, after]);
  const changes = rows.filter((r) => r.changed).length;
  const isUpdate = before != null && after != null;
  const [onlyChanged, setOnlyChanged] = useState(isUpdate && changes > 0);
  const kind =
    before == null
      ? t('新增', 'Created')
      : after == null
        ? t('删除', 'Deleted')
        : t(`修改了 ${changes} 个字段`, `${changes} field(s) changed`);
  return (
    <div data-testid="audit-diff" style={{ maxWidth: 960 }}>
      <Space style={{ marginBottom: 8 }}>
        <Tag color={before == null ? 'green' : after == null ? 'red' : 'orange'}>{kind}</Tag>
        {isUpdate && (
          <Space size={4}>
            <Switch size="small" checked={onlyChanged} onChange={setOnlyChanged} />
            <Typography.Text type="secondary">{t('只看变更字段', 'Changed fields only')}</Typography.Text>
          </Space>
        )}
      </Space>
      <Table<DiffRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={onlyChanged ? rows.filter((r) => r.changed) : rows}
        onRow={(r) => ({ style: r.changed && isUpdate ? { background: '#fff7e6' } : undefined })}
        columns={[
          {
            title: t('字段', 'Field'),
            dataIndex: 'key',
            width: 180,
            render: (k: string, r) => (r.changed && isUpdate ? <Typography.Text strong>{k}</Typography.Text> : k),
          },
          ...(before != null
            ? [
                {
                  title: t('修改前', 'Before'),
                  key: 'before',
                  render: (_: unknown, r: DiffRow) => (
                    <span
                      style={r.changed && isUpdate ? { color: '#a8071a', textDecoration: 'line-through' } : undefined}
                    >
                      {show(r.before)}
                    </span>
                  ),
                },
              ]
            : []),
          ...(after != null
            ? [
                {
                  title: t('修改后', 'After'),
                  key: 'after',
                  render: (_: unknown, r: DiffRow) => (
                    <span style={r.changed && isUpdate ? { color: '#135200', fontWeight: 600 } : undefined}>
                      {show(r.after)}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
