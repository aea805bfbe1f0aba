import { DownloadOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type {
  TProposalCreate,
  TProposalDetail,
  TProposalRate,
  TProposalRow,
  TProposalStats,
} from '@server/modules/supervision/supervision.docs.schema';
import { FileUploadButton } from '../../components/FileUploadButton';
import { FilterSelect, optionsOf } from '../../components/FilterSelect';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import {
  PROPOSALS_KEY,
  proposalKey,
  supervisionApi,
  useDeputies,
  useProposal,
  useProposals,
  useProposalStats,
  type ProposalFilters,
} from './api';
import { useUnits } from './supervisionData';

const KINDS = {
  npc_motion: () => t('人大议案', 'NPC motion'),
  cppcc_proposal: () => t('政协提案', 'CPPCC proposal'),
} as const;
const STATUS = {
  assigned: { label: () => t('办理中', 'Being handled'), color: 'blue' },
  replied: { label: () => t('已答复待评价', 'Replied, to rate'), color: 'gold' },
  closed: { label: () => t('已办结', 'Closed'), color: 'green' },
} as const;
const SATISFACTION = {
  satisfied: { label: () => t('满意', 'Satisfied'), color: 'green' },
  basically: { label: () => t('基本满意', 'Basically satisfied'), color: 'cyan' },
  unsatisfied: { label: () => t('不满意', 'Unsatisfied'), color: 'red' },
} as const;

/**
 * 议案提案办理: `office` — every proposal, filters, per-unit rates, assignment, Excel export; `unit` — the
 * proposals the user's unit handles (to reply); `deputy` — the deputy's own proposals (to rate).
 */
export function ProposalsPage({ mode }: { mode: 'office' | 'unit' | 'deputy' }) {
  const [filters, setFilters] = useState<ProposalFilters>({
    page: 1,
    pageSize: 20,
    mine: mode === 'office' ? undefined : '1',
  });
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const units = useUnits();
  const list = useProposals(filters);
  const set = (patch: Partial<ProposalFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const title =
    mode === 'office'
      ? t('议案提案办理', 'NPC motions and CPPCC proposals')
      : mode === 'unit'
        ? t('本单位承办的议案提案', 'Proposals my unit handles')
        : t('我的议案提案', 'My proposals');
  const unitOptions = (units.data ?? [])
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <Space wrap>
          {mode === 'office' && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="proposal-new">
              {t('交办议案/提案', 'Assign a proposal')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={supervisionApi.proposalsExportUrl(filters)}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
        </Space>
      </Space>
      <Space wrap>
        <InputNumber
          placeholder={t('年度', 'Year')}
          min={2000}
          max={2100}
          value={filters.year}
          onChange={(v) => set({ year: v ?? undefined })}
        />
        <FilterSelect
          label={t('类别', 'Kind')}
          width={120}
          options={optionsOf(KINDS)}
          value={filters.kind}
          onChange={(v) => set({ kind: v })}
        />
        <FilterSelect
          label={t('状态', 'Status')}
          width={140}
          options={optionsOf(STATUS)}
          value={filters.status}
          onChange={(v) => set({ status: v })}
        />
        <FilterSelect
          label={t('满意度', 'Satisfaction')}
          width={120}
          options={optionsOf(SATISFACTION)}
          value={filters.satisfaction}
          onChange={(v) => set({ satisfaction: v })}
        />
        {mode === 'office' && (
          <FilterSelect
            label={t('承办单位', 'Unit')}
            width={180}
            search
            options={unitOptions}
            value={filters.unitId}
            onChange={(v) => set({ unitId: v })}
          />
        )}
        <FilterSelect
          label={t('逾期', 'Overdue')}
          width={120}
          options={[{ value: '1' as const, label: t('逾期未答复', 'Overdue') }]}
          value={filters.overdue}
          onChange={(v) => set({ overdue: v })}
        />
        <Input.Search
          allowClear
          placeholder={t('编号或标题', 'Number or title')}
          style={{ width: 200 }}
          onSearch={(v) => set({ q: v || undefined })}
        />
      </Space>
      {list.error && <Alert type="error" title={errorText(list.error)} />}
      <Table<TProposalRow>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        locale={{ emptyText: t('暂无议案提案', 'No proposals') }}
        onRow={() => ({ 'data-testid': 'proposal-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t(`共 ${n} 件`, `${n} in all`),
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: t('类别', 'Kind'), dataIndex: 'kind', width: 90, render: (k: TProposalRow['kind']) => KINDS[k]() },
          { title: t('编号', 'Number'), dataIndex: 'number', width: 100 },
          {
            title: t('标题', 'Title'),
            dataIndex: 'title',
            render: (v: string, r) => <a onClick={() => setOpen(r.id)}>{v}</a>,
          },
          { title: t('代表/委员', 'Deputy'), dataIndex: 'deputyName', width: 170, ellipsis: true },
          { title: t('主办单位', 'Lead unit'), dataIndex: 'leadUnitName', width: 140 },
          {
            title: t('答复期限', 'Deadline'),
            dataIndex: 'deadline',
            width: 110,
            render: (v: string, r) => (r.overdue ? <Typography.Text type="danger">{v}</Typography.Text> : v),
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 150,
            render: (s: TProposalRow['status'], r) => (
              <>
                <Tag color={STATUS[s].color}>{STATUS[s].label()}</Tag>
                {r.round > 1 && <Tag>{t(`第${r.round}轮`, `round ${r.round}`)}</Tag>}
              </>
            ),
          },
          {
            title: t('满意度', 'Satisfaction'),
            dataIndex: 'satisfaction',
            width: 100,
            render: (s: TProposalRow['satisfaction']) =>
              s ? <Tag color={SATISFACTION[s].color}>{SATISFACTION[s].label()}</Tag> : '—',
          },
        ]}
      />
      {mode === 'office' && <UnitRates />}
      <ProposalDrawer id={open} onClose={() => setOpen(null)} />
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </Space>
  );
}

/** Per unit figures of a month: on-time reply rate and satisfaction rate (the score inputs' figures). */
function UnitRates() {
  const now = new Date();
  const [ym, setYm] = useState({ year: now.getFullYear(), month: now.getMonth() + 1 });
  const q = useProposalStats(ym);
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  return (
    <>
      <Divider titlePlacement="start">
        {t('各单位按时答复率与满意率', 'On-time reply and satisfaction rates per unit')}{' '}
        <InputNumber
          size="small"
          value={ym.year}
          min={2000}
          max={2100}
          onChange={(v) => v && setYm((x) => ({ ...x, year: v }))}
        />
        <InputNumber
          size="small"
          value={ym.month}
          min={1}
          max={12}
          onChange={(v) => v && setYm((x) => ({ ...x, month: v }))}
        />
      </Divider>
      <div data-testid="proposal-rates">
        <Table<TProposalStats>
          rowKey="unitId"
          size="small"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          pagination={false}
          locale={{ emptyText: t('本月无到期或已评价的议案提案', 'Nothing due or rated by this month') }}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName' },
            { title: t('应答复', 'Due'), dataIndex: 'repliesDue', width: 90 },
            { title: t('按时答复', 'On time'), dataIndex: 'repliesOnTime', width: 90 },
            { title: t('按时答复率', 'On-time rate'), dataIndex: 'replyRate', width: 110, render: pct },
            { title: t('已评价', 'Rated'), dataIndex: 'rated', width: 90 },
            { title: t('满意/基本满意', 'Satisfied'), dataIndex: 'satisfied', width: 120 },
            { title: t('满意率', 'Satisfaction'), dataIndex: 'satisfactionRate', width: 100, render: pct },
          ]}
        />
      </div>
    </>
  );
}

function ProposalDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useProposal(id);
  const [files, setFiles] = useState<{ id: number; name: string }[]>([]);
  const [replyForm] = Form.useForm<{ reply: string }>();
  const [rateForm] = Form.useForm<{ satisfaction: 'satisfied' | 'basically' | 'unsatisfied'; note?: string }>();
  const done = (p: TProposalDetail) => {
    qc.setQueryData(proposalKey(id), p);
    void qc.invalidateQueries({ queryKey: PROPOSALS_KEY });
    message.success(t('已提交', 'Saved'));
  };
  const reply = useMutation({
    mutationFn: (v: { reply: string }) => supervisionApi.replyProposal(id!, { ...v, fileIds: files.map((f) => f.id) }),
    onSuccess: (p) => {
      setFiles([]);
      replyForm.resetFields();
      done(p);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const rate = useMutation({
    mutationFn: (v: { satisfaction: TProposalRate['satisfaction']; note?: string }) =>
      supervisionApi.rateProposal(id!, { ...v, note: v.note ?? '' }),
    onSuccess: (p) => {
      rateForm.resetFields();
      done(p);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const p = q.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={p ? `${KINDS[p.kind]()} ${p.number}` : ''}
      destroyOnHidden
    >
      {q.isLoading && <Spin />}
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {p && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {p.title}
          </Typography.Title>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('代表/委员', 'Deputy')}>{p.deputyName}</Descriptions.Item>
            <Descriptions.Item label={t('状态', 'Status')}>
              <Tag color={STATUS[p.status].color}>{STATUS[p.status].label()}</Tag>
              {p.round > 1 && <Tag>{t(`第${p.round}轮办理`, `round ${p.round}`)}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('主办单位', 'Lead unit')}>{p.leadUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('协办单位', 'Co-units')}>{p.coUnitNames.join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('答复期限', 'Reply deadline')}>
              {p.overdue ? <Typography.Text type="danger">{p.deadline}</Typography.Text> : p.deadline}
            </Descriptions.Item>
            <Descriptions.Item label={t('满意度', 'Satisfaction')}>
              {p.satisfaction ? SATISFACTION[p.satisfaction].label() : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('内容', 'Content')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{p.content || '—'}</span>
            </Descriptions.Item>
          </Descriptions>
          <Divider titlePlacement="start">{t('办理与答复', 'Handling and replies')}</Divider>
          <Timeline
            items={p.rounds.map((r) => ({
              color: r.satisfaction === 'unsatisfied' ? 'red' : r.satisfaction ? 'green' : 'blue',
              content: (
                <div data-testid="proposal-round">
                  <b>{t(`第${r.round}轮`, `Round ${r.round}`)}</b> · {r.unitName} · {t('期限', 'due')} {r.deadline}
                  {r.repliedOn ? (
                    <>
                      {' '}
                      · {t('答复于', 'replied')} {r.repliedOn}{' '}
                      <Tag color={r.onTime ? 'green' : 'orange'}>
                        {r.onTime ? t('按时', 'on time') : t('逾期', 'late')}
                      </Tag>
                      <div style={{ whiteSpace: 'pre-wrap' }}>{r.reply}</div>
                      {r.fileIds.map((f) => (
                        <div key={f}>
                          <a href={supervisionApi.proposalFileUrl(f)} target="_blank" rel="noreferrer">
                            <PaperClipOutlined /> {p.files.find((x) => x.id === f)?.name ?? f}
                          </a>
                        </div>
                      ))}
                    </>
                  ) : (
                    <Typography.Text type="secondary"> · {t('待答复', 'awaiting reply')}</Typography.Text>
                  )}
                  {r.satisfaction && (
                    <div>
                      {t('代表评价', 'Rating')}：
                      <Tag color={SATISFACTION[r.satisfaction].color}>{SATISFACTION[r.satisfaction].label()}</Tag>
                      {r.ratedOn} {r.ratingNote}
                    </div>
                  )}
                </div>
              ),
            }))}
          />
          {p.actions.includes('reply') && (
            <Form form={replyForm} layout="vertical" onFinish={(v) => reply.mutate(v)}>
              <Form.Item
                name="reply"
                label={t('正式答复', 'Formal reply')}
                rules={[{ required: true, whitespace: true, message: t('请填写答复内容', 'Write the reply') }]}
              >
                <Input.TextArea rows={6} maxLength={20000} data-testid="proposal-reply" />
              </Form.Item>
              <Space>
                <FileUploadButton
                  action={supervisionApi.proposalFilesUrl(p.id)}
                  accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.zip"
                  label={t('上传答复函', 'Upload the reply letter')}
                  onUploaded={(f, name) => setFiles((l) => [...l, { id: f.id, name }])}
                />
                <Button type="primary" htmlType="submit" loading={reply.isPending} data-testid="proposal-reply-submit">
                  {t('提交答复', 'Submit the reply')}
                </Button>
              </Space>
              {files.map((f) => (
                <div key={f.id}>
                  <PaperClipOutlined /> {f.name}
                </div>
              ))}
            </Form>
          )}
          {p.actions.includes('rate') && (
            <Form form={rateForm} layout="vertical" onFinish={(v) => rate.mutate(v)}>
              <Form.Item
                name="satisfaction"
                label={t('对答复的评价', 'Your rating of the reply')}
                rules={[{ required: true, message: t('请选择', 'Choose one') }]}
              >
                <Radio.Group options={optionsOf(SATISFACTION)} data-testid="proposal-rate" />
              </Form.Item>
              <Form.Item
                name="note"
                label={t(
                  '意见（不满意时必填，将退回重新办理）',
                  'Comment (required when unsatisfied: it is handled again)',
                )}
                dependencies={['satisfaction']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: (_, v?: string) =>
                      getFieldValue('satisfaction') === 'unsatisfied' && !v?.trim()
                        ? Promise.reject(new Error(t('不满意时请说明理由', 'Say why the reply is unsatisfactory')))
                        : Promise.resolve(),
                  }),
                ]}
              >
                <Input.TextArea rows={3} maxLength={2000} data-testid="proposal-rate-note" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={rate.isPending} data-testid="proposal-rate-submit">
                {t('提交评价', 'Submit')}
              </Button>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}

type CreateValues = Omit<TProposalCreate, 'deadline' | 'content'> & { content?: string; deadline: Dayjs };

function CreateModal({ onClose }: { onClose: () => void }) {
  const units = useUnits();
  const deputies = useDeputies();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form);
  const unitOptions = (units.data ?? [])
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  const want = kind === 'cppcc_proposal' ? 'cppcc_member' : 'npc_deputy';
  return (
    <FormModal<CreateValues, TProposalDetail>
      form={form}
      onClose={onClose}
      title={t('交办议案/提案', 'Assign a proposal')}
      submit={(v) =>
        supervisionApi.createProposal({
          ...v,
          content: v.content ?? '',
          deadline: v.deadline.format('YYYY-MM-DD'),
        })
      }
      invalidate={[PROPOSALS_KEY]}
      success={t('已交办', 'Assigned')}
      width={640}
      initialValues={{ kind: 'npc_motion', year: new Date().getFullYear(), coUnitIds: [] }}
    >
      <Space>
        <Form.Item name="kind" label={t('类别', 'Kind')} rules={[{ required: true }]}>
          <Radio.Group options={optionsOf(KINDS)} />
        </Form.Item>
        <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="number" label={t('编号', 'Number')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={40} placeholder="第001号" />
        </Form.Item>
      </Space>
      <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="content" label={t('内容', 'Content')}>
        <Input.TextArea rows={3} maxLength={10000} />
      </Form.Item>
      <Form.Item name="deputyId" label={t('代表/委员', 'Deputy or member')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          loading={deputies.isLoading}
          data-testid="proposal-deputy"
          options={(deputies.data ?? [])
            .filter((d) => d.kind === want)
            .map((d) => ({
              value: d.userId,
              label: d.displayName.includes(d.title) ? d.displayName : `${d.displayName}（${d.title}）`,
            }))}
        />
      </Form.Item>
      <Form.Item name="leadUnitId" label={t('主办单位', 'Lead unit')} rules={[{ required: true }]}>
        <Select showSearch optionFilterProp="label" options={unitOptions} data-testid="proposal-lead" />
      </Form.Item>
      <Form.Item name="coUnitIds" label={t('协办单位', 'Co-units')}>
        <Select mode="multiple" showSearch optionFilterProp="label" options={unitOptions} />
      </Form.Item>
      <Form.Item name="deadline" label={t('答复期限', 'Reply deadline')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}
