import { DownloadOutlined, EyeOutlined, FileWordOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Divider, Drawer, Form, Input, Radio, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TDocContent, TDocRow } from '@server/modules/supervision/supervision.docs.schema';
import { FilterSelect, optionsOf } from '../../components/FilterSelect';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import {
  DOCUMENTS_KEY,
  supervisionApi,
  useDocument,
  useDocuments,
  useLedger,
  type DocKind,
  type LedgerFilters,
} from './api';
import { TaskLight } from './LightDot';
import { LIGHTS, SOURCES, STATUSES, useUnits } from './supervisionData';

const KIND = {
  report: { label: () => t('督查专报', 'Report to leaders'), color: 'red' },
  bulletin: { label: () => t('督查通报', 'Bulletin to units'), color: 'blue' },
} as const;

/** 督查专报 / 督查通报: the issued documents the user may read; the office composes, previews and issues new ones. */
export function DocumentsPage() {
  const { can } = useAuth();
  const [kind, setKind] = useState<DocKind | undefined>();
  const [open, setOpen] = useState<number | null>(null);
  const [compose, setCompose] = useState(false);
  const list = useDocuments(kind);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('督查专报与通报', 'Supervision reports and bulletins')}
        </Typography.Title>
        <Space wrap>
          <Radio.Group
            value={kind ?? 'all'}
            onChange={(e) => setKind(e.target.value === 'all' ? undefined : e.target.value)}
            options={[
              { value: 'all', label: t('全部', 'All') },
              { value: 'report', label: KIND.report.label() },
              { value: 'bulletin', label: KIND.bulletin.label() },
            ]}
            optionType="button"
          />
          {can('supervision.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCompose(true)} data-testid="doc-new">
              {t('编发专报/通报', 'Compose a document')}
            </Button>
          )}
        </Space>
      </Space>
      {list.error && <Alert type="error" title={errorText(list.error)} />}
      <Table<TDocRow>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('暂无已签发的专报或通报', 'No document issued yet') }}
        onRow={() => ({ 'data-testid': 'doc-list-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('文号', 'Number'), dataIndex: 'number', width: 170 },
          {
            title: t('类别', 'Kind'),
            dataIndex: 'kind',
            width: 100,
            render: (k: TDocRow['kind']) => <Tag color={KIND[k].color}>{KIND[k].label()}</Tag>,
          },
          {
            title: t('标题', 'Title'),
            dataIndex: 'title',
            render: (v: string, r) => (
              <a onClick={() => setOpen(r.id)} data-testid="doc-row">
                {v}
              </a>
            ),
          },
          {
            title: t('涉及单位', 'Units'),
            dataIndex: 'unitNames',
            ellipsis: true,
            render: (v: string[]) => v.join('、'),
          },
          { title: t('事项数', 'Tasks'), dataIndex: 'taskCount', width: 80 },
          { title: t('签发人', 'Issued by'), dataIndex: 'issuedByName', width: 120 },
          { title: t('签发时间', 'Issued at'), dataIndex: 'issuedAt', width: 150, render: (v: string) => fmtTime(v) },
          {
            title: '',
            width: 60,
            render: (_, r) => (
              <Button size="small" icon={<FileWordOutlined />} href={supervisionApi.documentDocxUrl(r.id)} />
            ),
          },
        ]}
      />
      <DocumentDrawer id={open} onClose={() => setOpen(null)} />
      {compose && <ComposeDrawer onClose={() => setCompose(false)} onIssued={(id) => setOpen(id)} />}
    </Space>
  );
}

function DocumentText({ c }: { c: TDocContent }) {
  const section = (title: string, ps: string[]) => (
    <>
      <Typography.Title level={5}>{title}</Typography.Title>
      {ps.map((p, i) => (
        <Typography.Paragraph key={i} style={{ textIndent: '2em' }}>
          {p}
        </Typography.Paragraph>
      ))}
    </>
  );
  return (
    <div data-testid="doc-text">
      <Typography.Title level={4} style={{ textAlign: 'center', color: '#e60000' }}>
        {c.kind === 'report' ? '督 查 专 报' : '督 查 通 报'}
      </Typography.Title>
      <div style={{ textAlign: 'center' }}>{c.number ?? t('（文号签发时编定）', '(numbered at issue)')}</div>
      <Typography.Title level={4} style={{ textAlign: 'center' }}>
        {c.title}
      </Typography.Title>
      <Typography.Paragraph>{c.recipients}：</Typography.Paragraph>
      {section(t('一、督查工作开展情况', '1. What was done'), c.done)}
      {section(t('二、取得的成效', '2. Results'), c.results)}
      {section(t('三、存在的问题', '3. Problems'), c.problems)}
      {section(t('四、意见建议', '4. Suggestions'), c.suggestions)}
      <Typography.Title level={5}>{t('五、各单位办理情况', '5. Per unit')}</Typography.Title>
      {c.units.map((u) => (
        <div key={u.unitId} style={{ marginBottom: 12 }}>
          <b>{u.unitName}</b>
          <Typography.Text type="secondary">
            {' '}
            {t(
              `${u.tasks.length} 项，办结 ${u.completed} 项，平均进度 ${u.averageProgress}%，红灯 ${u.red}，逾期节点 ${u.overdueMilestones}`,
              `${u.tasks.length} tasks, ${u.completed} completed, ${u.averageProgress}% on average, ${u.red} red, ${u.overdueMilestones} overdue milestones`,
            )}
          </Typography.Text>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={u.tasks}
            columns={[
              { title: t('督办事项', 'Task'), dataIndex: 'title' },
              {
                title: t('状态', 'Status'),
                dataIndex: 'status',
                width: 90,
                render: (s: keyof typeof STATUSES) => STATUSES[s].label(),
              },
              { title: t('进度', 'Progress'), dataIndex: 'progress', width: 70, render: (v: number) => `${v}%` },
              {
                title: t('灯', 'Light'),
                dataIndex: 'light',
                width: 50,
                render: (l: 'green' | 'yellow' | 'red' | null) => <TaskLight light={l} reasons={[]} />,
              },
              {
                title: t('最新进展', 'Latest report'),
                dataIndex: 'latestReport',
                render: (r: { on: string; note: string } | null) => (r ? `${r.on} ${r.note}` : t('未报送', 'None')),
              },
              {
                title: t('逾期节点', 'Overdue milestones'),
                dataIndex: 'overdueMilestones',
                render: (m: { title: string; dueOn: string }[]) =>
                  m.map((x) => `${x.title}（${x.dueOn}）`).join('；') || '—',
              },
            ]}
          />
        </div>
      ))}
      <div style={{ textAlign: 'right' }}>
        {c.issuer}
        <br />
        {c.issuedOn}
      </div>
    </div>
  );
}

function DocumentDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const q = useDocument(id);
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={q.data?.number ?? t('专报/通报', 'Document')}
      extra={
        id !== null && (
          <Button icon={<DownloadOutlined />} href={supervisionApi.documentDocxUrl(id)}>
            {t('下载 Word', 'Download .docx')}
          </Button>
        )
      }
      destroyOnHidden
    >
      {q.isLoading && <Spin />}
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {q.data && <DocumentText c={q.data.content} />}
    </Drawer>
  );
}

/** The office's composer: kind and title, tasks by filter or checklist, a preview whose problems and suggestions it may rewrite, then issue. */
function ComposeDrawer({ onClose, onIssued }: { onClose: () => void; onIssued: (id: number) => void }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const units = useUnits();
  const [filters, setFilters] = useState<LedgerFilters>({ page: 1, pageSize: 10 });
  const [selected, setSelected] = useState<number[]>([]);
  const [kind, setKind] = useState<DocKind>('report');
  const [title, setTitle] = useState('');
  const [preview, setPreview] = useState<TDocContent | null>(null);
  const [problems, setProblems] = useState('');
  const [suggestions, setSuggestions] = useState('');
  const ledger = useLedger(filters);
  const set = (patch: Partial<LedgerFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const { page: _p, pageSize: _s, mine: _m, ...filter } = filters;
  const draft = () => ({
    kind,
    title: title.trim() || undefined,
    ...(selected.length ? { taskIds: selected } : { filter }),
  });
  const lines = (s: string) =>
    s
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
  const previewM = useMutation({
    mutationFn: () => supervisionApi.previewDocument(draft()),
    onSuccess: (c) => {
      setPreview(c);
      setProblems(c.problems.join('\n'));
      setSuggestions(c.suggestions.join('\n'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  const issueM = useMutation({
    mutationFn: () =>
      supervisionApi.issueDocument({
        ...draft(),
        problems: lines(problems),
        suggestions: lines(suggestions),
      }),
    onSuccess: (d) => {
      message.success(t(`已签发 ${d.number}`, `Issued ${d.number}`));
      void qc.invalidateQueries({ queryKey: DOCUMENTS_KEY });
      onClose();
      onIssued(d.id);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const unitOptions = (units.data ?? [])
    .filter((u) => u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <Drawer open onClose={onClose} size="large" title={t('编发专报/通报', 'Compose a document')} destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label={t('类别', 'Kind')}>
          <Radio.Group
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setPreview(null);
            }}
            options={[
              { value: 'report', label: t('督查专报（报送领导）', 'Report (to leaders)') },
              { value: 'bulletin', label: t('督查通报（发至所涉单位）', 'Bulletin (to the units named)') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('标题（留空自动生成）', 'Title (blank: generated)')}>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} data-testid="doc-title" />
        </Form.Item>
      </Form>
      <Divider titlePlacement="start">
        {t(
          '选择督办事项（勾选；不勾选则按筛选条件取前 500 项）',
          'Tasks (tick them, or none for the filter’s first 500)',
        )}
      </Divider>
      <Space wrap style={{ marginBottom: 8 }}>
        <FilterSelect
          label={t('来源', 'Source')}
          width={140}
          options={optionsOf(SOURCES)}
          value={filters.source}
          onChange={(v) => set({ source: v })}
        />
        <FilterSelect
          label={t('单位', 'Unit')}
          width={180}
          search
          options={unitOptions}
          value={filters.unitId}
          onChange={(v) => set({ unitId: v })}
          testId="doc-filter-unit"
        />
        <FilterSelect
          label={t('灯色', 'Light')}
          width={100}
          options={optionsOf(LIGHTS)}
          value={filters.light}
          onChange={(v) => set({ light: v })}
        />
        <FilterSelect
          label={t('状态', 'Status')}
          width={120}
          options={optionsOf(STATUSES)}
          value={filters.status}
          onChange={(v) => set({ status: v })}
        />
        <Typography.Text type="secondary">
          {selected.length
            ? t(`已勾选 ${selected.length} 项`, `${selected.length} ticked`)
            : t(`按筛选：${ledger.data?.total ?? 0} 项`, `By filter: ${ledger.data?.total ?? 0}`)}
        </Typography.Text>
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={ledger.isLoading}
        dataSource={ledger.data?.rows ?? []}
        rowSelection={{
          selectedRowKeys: selected,
          preserveSelectedRowKeys: true,
          onChange: (k) => setSelected(k as number[]),
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: ledger.data?.total ?? 0,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: t('事项', 'Task'), dataIndex: 'title', ellipsis: true },
          { title: t('牵头单位', 'Lead unit'), dataIndex: 'leadUnitName', width: 140 },
          {
            title: t('灯', 'Light'),
            dataIndex: 'light',
            width: 50,
            render: (l: 'green' | 'yellow' | 'red' | null) => <TaskLight light={l} reasons={[]} />,
          },
          { title: t('进度', 'Progress'), dataIndex: 'progress', width: 70, render: (v: number) => `${v}%` },
        ]}
      />
      <Space style={{ margin: '12px 0' }}>
        <Button
          icon={<EyeOutlined />}
          loading={previewM.isPending}
          onClick={() => previewM.mutate()}
          data-testid="doc-preview"
        >
          {t('生成预览', 'Preview')}
        </Button>
        <Button
          type="primary"
          disabled={!preview}
          loading={issueM.isPending}
          onClick={() => issueM.mutate()}
          data-testid="doc-issue"
        >
          {t('签发并编号', 'Issue and number')}
        </Button>
      </Space>
      {preview && (
        <>
          <Alert
            type="info"
            title={t(
              '可修改“存在的问题”“意见建议”两段（每行一段），签发时按当时数据生成正文并编定文号。',
              'You may rewrite the problems and suggestions (one paragraph a line); the text is composed from the data at issue and numbered then.',
            )}
            style={{ marginBottom: 8 }}
          />
          <Form layout="vertical">
            <Form.Item label={t('存在的问题', 'Problems')}>
              <Input.TextArea
                rows={4}
                value={problems}
                onChange={(e) => setProblems(e.target.value)}
                data-testid="doc-problems"
              />
            </Form.Item>
            <Form.Item label={t('意见建议', 'Suggestions')}>
              <Input.TextArea rows={4} value={suggestions} onChange={(e) => setSuggestions(e.target.value)} />
            </Form.Item>
          </Form>
          <DocumentText c={{ ...preview, problems: lines(problems), suggestions: lines(suggestions) }} />
        </>
      )}
    </Drawer>
  );
}
