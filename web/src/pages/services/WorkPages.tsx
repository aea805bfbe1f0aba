import { PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { TFiled, TInboxRow } from '@server/modules/services/services.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import {
  applicationKey,
  servicesApi,
  SVC_KEY,
  useApplication,
  useApplications,
  useInbox,
  useItems,
  type ListFilters,
  type TAppDetail,
  type TAppList,
} from './api';
import {
  ANOMALIES,
  APP_STATUSES,
  COMPLAINT_KINDS,
  COMPLAINT_STATUSES,
  EVENT_KINDS,
  LIGHT_REASONS,
  LIGHTS,
  PHASES,
  RESULTS,
  STEP_STATUSES,
} from './servicesData';

export function LightDot({ light, reasons = [] }: { light: 'green' | 'yellow' | 'red' | null; reasons?: string[] }) {
  if (!light) return <span style={{ color: '#bbb' }}>—</span>;
  return (
    <span
      title={[LIGHTS[light].label(), ...reasons.map((r) => LIGHT_REASONS[r]?.() ?? r)].join('：')}
      data-testid={`svc-light-${light}`}
      style={{
        display: 'inline-block',
        width: 12,
        height: 12,
        borderRadius: '50%',
        background: LIGHTS[light].color,
        boxShadow: `0 0 4px ${LIGHTS[light].color}`,
      }}
    />
  );
}

/** The applications table shared by the desk, the department list and the monitor. */
export function ApplicationsTable({
  data,
  loading,
  filters,
  setFilters,
}: {
  data: TAppList | undefined;
  loading: boolean;
  filters: ListFilters;
  setFilters: (f: ListFilters) => void;
}) {
  return (
    <Table
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data?.rows ?? []}
      locale={{ emptyText: <Empty description={t('没有办件', 'No applications')} /> }}
      pagination={{
        current: filters.page,
        pageSize: filters.pageSize,
        total: data?.total ?? 0,
        showTotal: () =>
          data ? t(`共 ${data.total}${data.totalCapped ? '+' : ''} 件`, `${data.total} applications`) : '',
        onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
      }}
      columns={[
        {
          title: '',
          dataIndex: 'light',
          width: 30,
          render: (_, r) => <LightDot light={r.light} reasons={r.lightReasons} />,
        },
        {
          title: t('办件编号', 'Number'),
          dataIndex: 'number',
          width: 170,
          render: (v: string, r) => <Link to={`/services/applications/${r.id}`}>{v}</Link>,
        },
        {
          title: t('事项', 'Item'),
          dataIndex: 'itemName',
          // The item's name must not shrink to a character per line beside the fixed-width columns.
          minWidth: 220,
          render: (v: string, r) => (
            <Space size={4} wrap>
              {v}
              {r.parallel && <Tag color="magenta">{t('并联', 'Parallel')}</Tag>}
              {r.anomalies.map((a) => (
                <Tag key={a} color="red">
                  {ANOMALIES[a]?.() ?? a}
                </Tag>
              ))}
            </Space>
          ),
        },
        { title: t('部门', 'Department'), dataIndex: 'departmentName', width: 150 },
        { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', width: 90 },
        {
          title: t('状态', 'Status'),
          width: 130,
          render: (_, r) => (
            <Space size={2} wrap>
              <Tag color={APP_STATUSES[r.status].color}>{APP_STATUSES[r.status].label()}</Tag>
              {r.paused && <Tag color="orange">{t('补正', 'Materials')}</Tag>}
              {r.result && <Tag color={RESULTS[r.result].color}>{RESULTS[r.result].label()}</Tag>}
            </Space>
          ),
        },
        {
          title: t('当前环节', 'Open steps'),
          width: 200,
          render: (_, r) =>
            r.openSteps.map((s, i) => (
              <div key={i}>
                <LightDot light={s.light} /> {s.name}·{s.departmentName}
              </div>
            )),
        },
        { title: t('承诺', 'Limit'), dataIndex: 'committedDays', width: 60 },
        { title: t('应办结', 'Due'), dataIndex: 'dueOn', width: 100 },
        { title: t('申报时间', 'Filed'), dataIndex: 'filedAt', width: 140, render: (v: string) => fmtTime(v) },
      ]}
    />
  );
}

type FileValues = {
  itemId: number;
  applicantName: string;
  applicantPhone: string;
  applicantOrg?: string;
  note?: string;
};

/** 窗口受理台: the clerk files an application (materials scanned in), then accepts, refuses or asks for 补正; their window's list. */
export function DeskPage() {
  const [form] = Form.useForm<FileValues>();
  const items = useItems(false);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [filed, setFiled] = useState<TFiled | null>(null);
  const [filters, setFilters] = useState<ListFilters>({ page: 1, pageSize: 20 });
  const list = useApplications(filters);
  const file = useMutation({
    mutationFn: (v: FileValues) => {
      const fd = new FormData();
      for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== '') fd.append(k, String(val));
      for (const f of files) if (f.originFileObj) fd.append('file', f.originFileObj, f.name);
      return servicesApi.file(fd);
    },
    onSuccess: (r) => {
      setFiled(r);
      form.resetFields();
      setFiles([]);
      void qc.invalidateQueries({ queryKey: SVC_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('窗口收件登记', 'File an application')}>
        <Form form={form} layout="inline" onFinish={(v) => file.mutate(v)} data-testid="desk-form">
          <Form.Item name="itemId" rules={[{ required: true, message: t('请选择事项', 'Pick an item') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={t('事项', 'Item')}
              style={{ width: 320 }}
              options={(items.data ?? [])
                .filter((i) => i.active)
                .map((i) => ({ value: i.id, label: `${i.name}（${i.departmentName}）` }))}
            />
          </Form.Item>
          <Form.Item name="applicantName" rules={[{ required: true, message: t('申请人', 'Applicant') }]}>
            <Input placeholder={t('申请人', 'Applicant')} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="applicantPhone" rules={[{ required: true, message: t('手机', 'Mobile') }]}>
            <Input placeholder={t('手机号码', 'Mobile')} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="applicantOrg">
            <Input placeholder={t('单位名称', 'Organisation')} style={{ width: 180 }} />
          </Form.Item>
          <Upload
            beforeUpload={() => false}
            multiple
            fileList={files}
            onChange={(i) => setFiles(i.fileList.slice(0, 10))}
          >
            <Button icon={<UploadOutlined />}>{t('材料', 'Materials')}</Button>
          </Upload>
          <Button type="primary" htmlType="submit" loading={file.isPending} style={{ marginLeft: 8 }}>
            {t('收件', 'File')}
          </Button>
        </Form>
        {filed && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            closable
            onClose={() => setFiled(null)}
            title={t(
              `已收件：编号 ${filed.number}，查询密码 ${filed.password}（请告知申请人；只显示这一次）`,
              `Filed: ${filed.number}, password ${filed.password} (shown once)`,
            )}
            action={<Link to={`/services/applications/${filed.id}`}>{t('去受理', 'Open')}</Link>}
          />
        )}
      </Card>
      <Card size="small" title={t('本窗口办件', 'This window’s applications')}>
        <Space wrap style={{ marginBottom: 8 }}>
          <Radio.Group
            value={filters.status ?? ''}
            onChange={(e) => setFilters({ ...filters, status: e.target.value || undefined, page: 1 })}
            options={[
              { value: '', label: t('全部', 'All') },
              { value: 'submitted', label: t('待受理', 'To accept') },
              { value: 'delivering', label: t('待送达', 'To deliver') },
              { value: 'in_progress', label: t('审批中', 'Under review') },
              { value: 'completed', label: t('已办结', 'Completed') },
            ]}
            optionType="button"
            size="small"
          />
          <Input.Search
            placeholder={t('编号或申请人', 'Number or applicant')}
            allowClear
            onSearch={(v) => setFilters({ ...filters, q: v || undefined, page: 1 })}
            style={{ width: 220 }}
          />
        </Space>
        <ApplicationsTable data={list.data} loading={list.isLoading} filters={filters} setFilters={setFilters} />
      </Card>
    </Space>
  );
}

/** 部门审批待办: the department's open steps, most urgent first. */
export function InboxPage() {
  const [status, setStatus] = useState<string>('');
  const [page, setPage] = useState(1);
  const inbox = useInbox(status, page);
  return (
    <Card size="small" title={t('审批待办', 'Approval inbox')}>
      <Radio.Group
        value={status}
        onChange={(e) => {
          setStatus(e.target.value);
          setPage(1);
        }}
        optionType="button"
        size="small"
        style={{ marginBottom: 8 }}
        options={[
          { value: '', label: t('全部', 'All') },
          { value: 'pending', label: t('待签收', 'To sign for') },
          { value: 'signed', label: t('办理中', 'Handling') },
          { value: 'correction', label: t('待补正', 'Awaiting materials') },
        ]}
      />
      <Table<TInboxRow>
        rowKey="stepId"
        size="small"
        loading={inbox.isLoading}
        dataSource={inbox.data?.rows ?? []}
        locale={{ emptyText: <Empty description={t('没有待办环节', 'Nothing to do')} /> }}
        pagination={{ current: page, pageSize: 20, total: inbox.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '', width: 30, render: (_, r) => <LightDot light={r.light} /> },
          {
            title: t('办件编号', 'Number'),
            dataIndex: 'number',
            width: 180,
            render: (v: string, r) => <Link to={`/services/applications/${r.applicationId}`}>{v}</Link>,
          },
          { title: t('事项', 'Item'), dataIndex: 'itemName' },
          { title: t('环节', 'Step'), dataIndex: 'stepName', width: 110 },
          { title: t('部门', 'Department'), dataIndex: 'departmentName', width: 150 },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 90,
            render: (s: TInboxRow['status']) => <Tag color={STEP_STATUSES[s].color}>{STEP_STATUSES[s].label()}</Tag>,
          },
          { title: t('开始', 'Started'), dataIndex: 'startedAt', width: 140, render: (v: string | null) => fmtTime(v) },
          { title: t('环节时限', 'Due'), dataIndex: 'dueOn', width: 100 },
        ]}
      />
    </Card>
  );
}

type Dialog = { kind: 'refuse' | 'correction' | 'decide' | 'notice'; stepId?: number };
type DialogValues = {
  reason?: string;
  materials?: string;
  decision?: 'approve' | 'refuse';
  findings?: string;
  actions?: string;
  deadline?: string;
};

/** The write behind one of the detail page's dialogs (the form has validated the fields it shows). */
function submitDialog(appId: number, dialog: Dialog, v: DialogValues): Promise<TAppDetail> {
  switch (dialog.kind) {
    case 'notice':
      return servicesApi.act(appId, {
        action: 'notice',
        body: { findings: v.findings!, actions: v.actions!, deadline: v.deadline! },
      });
    case 'refuse':
      return servicesApi.act(appId, { action: 'refuse', body: { reason: v.reason! } });
    case 'correction':
      return servicesApi.act(appId, { action: 'correction', body: { materials: v.materials!, stepId: dialog.stepId } });
    case 'decide':
      return servicesApi.decideStep(dialog.stepId!, { decision: v.decision!, reason: v.reason });
  }
}

/** 办件详情: the application with its steps, timeline, materials, warnings, complaints, and the actions the user may take. */
export function ApplicationPage() {
  const { id } = useParams();
  const appId = Number(id);
  const q = useApplication(Number.isFinite(appId) ? appId : null);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  /** A one-click step (accept, supplement, deliver, sign): the call to make. */
  const act = useMutation({
    mutationFn: (call: () => Promise<TAppDetail>) => call(),
    onSuccess: (d) => {
      qc.setQueryData(applicationKey(appId), d);
      void qc.invalidateQueries({ queryKey: SVC_KEY });
      message.success(t('已办理', 'Done'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (q.isLoading) return <Spin />;
  if (!q.data) return <Empty description={t('办件不存在或无权查看', 'Not found')} />;
  const a = q.data;
  const has = (x: string) => a.actions.includes(x);
  const stepActions = (stepId: number) => a.actions.filter((x) => x.endsWith(`:${stepId}`)).map((x) => x.split(':')[0]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="svc-detail">
      <Card
        size="small"
        title={
          <Space wrap>
            <LightDot light={a.light} reasons={a.lightReasons} />
            <span data-testid="svc-number">{a.number}</span>
            <span>{a.itemName}</span>
            <Tag color={APP_STATUSES[a.status].color} data-testid="svc-status">
              {APP_STATUSES[a.status].label()}
            </Tag>
            {a.paused && <Tag color="orange">{t('补正中·暂停计时', 'Clock stopped')}</Tag>}
            {a.result && <Tag color={RESULTS[a.result].color}>{RESULTS[a.result].label()}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {has('accept') && (
              <Button
                type="primary"
                data-testid="svc-accept"
                loading={act.isPending}
                onClick={() => act.mutate(() => servicesApi.act(a.id, { action: 'accept', body: {} }))}
              >
                {t('受理', 'Accept')}
              </Button>
            )}
            {has('correction') && (
              <Button onClick={() => setDialog({ kind: 'correction' })}>
                {t('一次性告知补正', 'Ask for materials')}
              </Button>
            )}
            {has('refuse') && (
              <Button danger onClick={() => setDialog({ kind: 'refuse' })}>
                {t('不予受理', 'Refuse')}
              </Button>
            )}
            {has('supplement') && (
              <Button
                data-testid="svc-supplement"
                onClick={() =>
                  act.mutate(() => servicesApi.act(a.id, { action: 'supplement', body: { note: '窗口收到补正材料' } }))
                }
              >
                {t('补正材料已收到', 'Materials received')}
              </Button>
            )}
            {has('deliver') && (
              <Button
                type="primary"
                data-testid="svc-deliver"
                onClick={() => act.mutate(() => servicesApi.act(a.id, { action: 'deliver', body: {} }))}
              >
                {t('送达办结', 'Deliver')}
              </Button>
            )}
            {has('notice') && (
              <Button danger data-testid="svc-notice" onClick={() => setDialog({ kind: 'notice' })}>
                {t('下发监察建议书', 'Issue a supervision notice')}
              </Button>
            )}
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {t('打印', 'Print')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('返回', 'Back')}</Button>
          </Space>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('事项编码', 'Code')}>{a.itemCode}</Descriptions.Item>
          <Descriptions.Item label={t('责任部门', 'Department')}>{a.departmentName}</Descriptions.Item>
          <Descriptions.Item label={t('渠道', 'Channel')}>
            {a.channel === 'online' ? t('网上申报', 'Online') : t('窗口', 'Window')}
          </Descriptions.Item>
          <Descriptions.Item label={t('申请人', 'Applicant')}>
            {a.applicantName} {a.applicantOrg && `（${a.applicantOrg}）`}
          </Descriptions.Item>
          <Descriptions.Item label={t('电话', 'Phone')}>{a.applicantPhone}</Descriptions.Item>
          <Descriptions.Item label={t('申报时间', 'Filed')}>{fmtTime(a.filedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('受理日期', 'Accepted')}>{a.acceptedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('承诺时限', 'Committed')}>
            {a.committedDays} {t('个工作日', 'working days')}
          </Descriptions.Item>
          <Descriptions.Item label={t('应办结日期', 'Due')}>{a.dueOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('已用工作日', 'Used')}>{a.daysUsed ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('补正暂停', 'Paused')}>
            {a.pausedDays} {t('个工作日', 'working days')}
          </Descriptions.Item>
          {a.reason && <Descriptions.Item label={t('理由', 'Reason')}>{a.reason}</Descriptions.Item>}
        </Descriptions>
        {a.anomalies.length > 0 && (
          <Alert type="error" showIcon title={a.anomalies.map((x) => ANOMALIES[x]?.() ?? x).join('；')} />
        )}
      </Card>
      <Card size="small" title={t('审批环节', 'Steps')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={a.steps}
          data-testid="svc-steps"
          columns={[
            { title: t('阶段', 'Stage'), dataIndex: 'seq', width: 50 },
            { title: '', width: 30, render: (_, s) => <LightDot light={s.light} /> },
            { title: t('环节', 'Step'), render: (_, s) => `${PHASES[s.phase]()} · ${s.name}` },
            { title: t('部门', 'Department'), dataIndex: 'departmentName' },
            {
              title: t('状态', 'Status'),
              width: 90,
              render: (_, s) => <Tag color={STEP_STATUSES[s.status].color}>{STEP_STATUSES[s.status].label()}</Tag>,
            },
            { title: t('经办人', 'Official'), dataIndex: 'officialName', width: 120 },
            { title: t('开始', 'Start'), dataIndex: 'startedAt', width: 130, render: (v: string | null) => fmtTime(v) },
            { title: t('完成', 'End'), dataIndex: 'endedAt', width: 130, render: (v: string | null) => fmtTime(v) },
            {
              title: t('用时/时限', 'Used / limit'),
              width: 90,
              render: (_, s) => (s.daysUsed === null ? '—' : `${s.daysUsed} / ${s.days}`),
            },
            {
              title: t('意见', 'Decision'),
              render: (_, s) =>
                s.decision
                  ? `${s.decision === 'approve' ? t('同意', 'Approve') : t('不同意', 'Refuse')}${s.reason ? `：${s.reason}` : ''}`
                  : '',
            },
            {
              title: '',
              width: 210,
              render: (_, s) => (
                <Space size={4}>
                  {stepActions(s.id).includes('sign') && (
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`svc-sign-${s.id}`}
                      onClick={() => act.mutate(() => servicesApi.signStep(s.id))}
                    >
                      {t('签收', 'Sign for')}
                    </Button>
                  )}
                  {stepActions(s.id).includes('decide') && (
                    <Button
                      size="small"
                      type="primary"
                      data-testid={`svc-decide-${s.id}`}
                      onClick={() => setDialog({ kind: 'decide', stepId: s.id })}
                    >
                      {t('审批', 'Decide')}
                    </Button>
                  )}
                  {stepActions(s.id).includes('correction') && (
                    <Button
                      size="small"
                      data-testid={`svc-correction-${s.id}`}
                      onClick={() => setDialog({ kind: 'correction', stepId: s.id })}
                    >
                      {t('补正', 'Materials')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Tabs
        items={[
          {
            key: 'timeline',
            label: t('办理过程', 'Timeline'),
            children: (
              <Timeline
                items={a.events.map((e) => ({
                  content: (
                    <span>
                      {fmtTime(e.at)} · <b>{EVENT_KINDS[e.kind]?.() ?? e.kind}</b> · {e.actorName}
                      {e.note && <Typography.Text type="secondary"> — {e.note}</Typography.Text>}
                    </span>
                  ),
                }))}
              />
            ),
          },
          {
            key: 'files',
            label: `${t('材料', 'Materials')} (${a.files.length})`,
            children: (
              <Space orientation="vertical">
                {a.files.map((f) => (
                  <a key={f.id} href={servicesApi.fileUrl(f.id)}>
                    {f.name}（{Math.ceil(f.size / 1024)} KB，{fmtTime(f.uploadedAt)}）
                  </a>
                ))}
                {a.corrections.map((c) => (
                  <div key={c.id}>
                    <Tag color={c.resolvedAt ? 'green' : 'orange'}>{t('补正', 'Materials')}</Tag>
                    {c.departmentName}：{c.materials}（{fmtTime(c.requestedAt)}
                    {c.resolvedAt &&
                      ` → ${fmtTime(c.resolvedAt)}，${t('暂停', 'paused')} ${c.pausedDays} ${t('个工作日', 'working days')}`}
                    ）
                  </div>
                ))}
              </Space>
            ),
          },
          {
            key: 'warnings',
            label: `${t('预警', 'Warnings')} (${a.warnings.length})`,
            children: a.warnings.map((w) => (
              <div key={w.id}>
                <LightDot light={w.level} /> {fmtTime(w.at)} {w.stepName ?? ''} {t('短信通知', 'SMS')} {w.notified}{' '}
                {t('人', '')}
              </div>
            )),
          },
          {
            key: 'complaints',
            label: `${t('投诉', 'Complaints')} (${a.complaints.length})`,
            children: a.complaints.map((c) => (
              <div key={c.id}>
                <Tag color={COMPLAINT_STATUSES[c.status].color}>{COMPLAINT_STATUSES[c.status].label()}</Tag>
                {COMPLAINT_KINDS[c.kind]()}：{c.content}（{fmtTime(c.filedAt)}，{t('应于', 'decide by')} {c.decideBy}{' '}
                {t('前决定是否受理', '')}）
              </div>
            )),
          },
        ]}
      />
      {dialog && (
        <FormModal<DialogValues, TAppDetail>
          title={
            dialog.kind === 'notice'
              ? t('下发监察建议书', 'Supervision notice')
              : dialog.kind === 'refuse'
                ? t('不予受理', 'Refuse')
                : dialog.kind === 'correction'
                  ? t('一次性告知补正材料', 'Ask for materials')
                  : t('审批意见', 'Decision')
          }
          onClose={() => setDialog(null)}
          initialValues={{ decision: 'approve' }}
          okTestId="svc-dialog-ok"
          submit={(v) => submitDialog(a.id, dialog, v)}
          invalidate={[SVC_KEY]}
          success={t('已办理', 'Done')}
        >
          {dialog.kind === 'decide' && (
            <Form.Item name="decision" label={t('意见', 'Decision')}>
              <Radio.Group
                options={[
                  { value: 'approve', label: t('同意', 'Approve') },
                  { value: 'refuse', label: t('不同意（须说明理由）', 'Refuse (with reason)') },
                ]}
              />
            </Form.Item>
          )}
          {dialog.kind === 'notice' ? (
            <>
              <Form.Item name="findings" label={t('发现的问题', 'Findings')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item name="actions" label={t('监察建议', 'Required actions')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item
                name="deadline"
                label={t('整改期限（YYYY-MM-DD）', 'Deadline (YYYY-MM-DD)')}
                rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
              >
                <Input />
              </Form.Item>
            </>
          ) : dialog.kind === 'correction' ? (
            <Form.Item name="materials" label={t('需补正的材料', 'Missing materials')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} data-testid="svc-materials" />
            </Form.Item>
          ) : (
            <Form.Item
              name="reason"
              label={t('理由', 'Reason')}
              rules={[{ required: dialog.kind === 'refuse', message: t('必须说明理由', 'A reason is required') }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </FormModal>
      )}
    </Space>
  );
}
