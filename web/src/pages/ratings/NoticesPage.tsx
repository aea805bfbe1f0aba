import {
  DownloadOutlined,
  FileWordOutlined,
  PaperClipOutlined,
  PlusOutlined,
  PrinterOutlined,
} from '@ant-design/icons';
import {
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TNotice } from '@server/modules/notices/notices.schema';
import { FormModal } from '../../components/FormModal';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useUnits } from '../admin/api';
import { fmt, NOTICE_KIND, NOTICE_STATUS, NOTICES_KEY, noticesApi, useNotices, type NoticeFilters } from './api';
import { FileUploadButton } from '../../components/FileUploadButton';

type Box = 'all' | 'received' | 'overdue';

/** 问责通知: issued (issuers), received (units), overdue; issue, reply, accept or return; the Word document. */
export function NoticesPage() {
  const { can } = useAuth();
  const issuer = can('notices.issue');
  const [box, setBox] = useState<Box>(issuer ? 'all' : 'received');
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('问责通知（整改建议书 / 监察建议书 / 监察决定书）', 'Accountability notices')}
        </Typography.Title>
        <Space className="no-print">
          {issuer && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="notice-new">
              {t('下发通知', 'Issue a notice')}
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      <Tabs
        activeKey={box}
        onChange={(k) => setBox(k as Box)}
        items={[
          ...(issuer ? [{ key: 'all', label: t('已下发', 'Issued') }] : []),
          { key: 'received', label: t('本单位收到', 'Received') },
          { key: 'overdue', label: t('逾期未答复', 'Overdue') },
        ]}
      />
      <NoticeList key={box} box={box} />
      {creating && <NewNotice onClose={() => setCreating(false)} />}
    </Space>
  );
}

function NoticeList({ box }: { box: Box }) {
  const { can } = useAuth();
  const [filters, setFilters] = useState<NoticeFilters>({ page: 1, pageSize: 20, box });
  const [open, setOpen] = useState<TNotice | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'reply' | 'review'; row: TNotice } | null>(null);
  const q = useNotices(filters);
  const set = (p: Partial<NoticeFilters>) => setFilters((f) => ({ ...f, ...p, page: 1 }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap className="no-print">
        <Input.Search
          allowClear
          placeholder={t('搜索文号或标题', 'Search number or title')}
          style={{ width: 220 }}
          onSearch={(v) => set({ q: v || undefined })}
        />
        <Select
          allowClear
          placeholder={t('文书类型', 'Kind')}
          style={{ width: 150 }}
          onChange={(v) => set({ kind: v })}
          options={Object.entries(NOTICE_KIND).map(([value, l]) => ({ value: value as TNotice['kind'], label: l() }))}
        />
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 140 }}
          onChange={(v) => set({ status: v })}
          options={Object.entries(NOTICE_STATUS).map(([value, s]) => ({
            value: value as TNotice['status'],
            label: s.label(),
          }))}
        />
        <Button icon={<DownloadOutlined />} href={noticesApi.exportUrl(filters)}>
          {t('导出 Excel', 'Export .xlsx')}
        </Button>
      </Space>
      <Table<TNotice>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        data-testid="notice-table"
        locale={{ emptyText: t('暂无通知', 'No notices') }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total ?? 0,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: t('文号', 'Number'), dataIndex: 'number', width: 160 },
          { title: t('类型', 'Kind'), width: 110, render: (_, r) => NOTICE_KIND[r.kind]() },
          { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 170 },
          { title: t('事由', 'Subject'), dataIndex: 'title', ellipsis: true },
          {
            title: t('答复期限', 'Deadline'),
            width: 150,
            render: (_, r) => (
              <Space size={4}>
                {r.deadline}
                {r.overdue && <Tag color="red">{t('逾期', 'Overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('状态', 'Status'),
            width: 110,
            render: (_, r) => <Tag color={NOTICE_STATUS[r.status].color}>{NOTICE_STATUS[r.status].label()}</Tag>,
          },
          {
            title: t('操作', 'Actions'),
            width: 170,
            className: 'no-print',
            render: (_, r) => (
              <Space size={4} onClick={(e) => e.stopPropagation()}>
                <Button size="small" icon={<FileWordOutlined />} href={noticesApi.docxUrl(r.id)}>
                  Word
                </Button>
                {can('notices.reply') && (r.status === 'issued' || r.status === 'returned') && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'reply', row: r })}
                    data-testid="notice-reply"
                  >
                    {t('答复', 'Reply')}
                  </Button>
                )}
                {can('notices.issue') && r.status === 'replied' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'review', row: r })}
                    data-testid="notice-review"
                  >
                    {t('审核', 'Review')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {open && (
        <FormModal<Record<string, never>, null>
          title={`${NOTICE_KIND[open.kind]()} ${open.number}`}
          onClose={() => setOpen(null)}
          submit={async () => null}
          okText={t('关闭', 'Close')}
          width={720}
        >
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('单位', 'Unit')}>{open.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('事由', 'Subject')}>{open.title}</Descriptions.Item>
            <Descriptions.Item label={t('发现的问题', 'Findings')}>
              <div style={{ whiteSpace: 'pre-wrap' }}>{open.findings}</div>
            </Descriptions.Item>
            <Descriptions.Item label={t('整改要求', 'Required actions')}>
              <div style={{ whiteSpace: 'pre-wrap' }}>{open.actions}</div>
            </Descriptions.Item>
            <Descriptions.Item label={t('下发', 'Issued')}>
              {open.issuerName} · {fmt(open.issuedAt)} · {t('期限', 'deadline')} {open.deadline}
            </Descriptions.Item>
            {open.deduction && (
              <Descriptions.Item label={t('问责扣分', 'Deduction')}>
                {open.deduction.documentNo} · −{open.deduction.points} · {open.deduction.reason}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('整改措施', 'Measures')}>{open.replyMeasures || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('佐证材料', 'Evidence')}>
              {open.replyEvidence || (open.files.length ? '' : '—')}
              <NoticeFiles files={open.files} />
            </Descriptions.Item>
            <Descriptions.Item label={t('审核意见', 'Review')}>
              {open.reviewedAt ? `${fmt(open.reviewedAt)} ${open.reviewNote}` : '—'}
            </Descriptions.Item>
          </Descriptions>
        </FormModal>
      )}
      {dialog?.kind === 'reply' && (
        <FormModal<{ measures: string; evidence?: string }, TNotice>
          title={t(`答复 ${dialog.row.number}`, `Reply to ${dialog.row.number}`)}
          onClose={() => setDialog(null)}
          submit={(v) => noticesApi.reply(dialog.row.id, { measures: v.measures, evidence: v.evidence ?? '' })}
          invalidate={[NOTICES_KEY]}
          success={t('已答复', 'Replied')}
          okTestId="notice-reply-ok"
          width={640}
        >
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
            {dialog.row.actions}
          </Typography.Paragraph>
          <Form.Item
            name="measures"
            label={t('整改措施及落实情况', 'Measures taken')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input.TextArea rows={4} data-testid="notice-reply-measures" />
          </Form.Item>
          <Form.Item name="evidence" label={t('佐证材料', 'Evidence')}>
            <Input.TextArea rows={2} placeholder={t('材料名称、页数或链接', 'Documents, pages or links')} />
          </Form.Item>
          <EvidenceUpload notice={dialog.row} />
        </FormModal>
      )}
      {dialog?.kind === 'review' && (
        <FormModal<{ accept: boolean; note?: string }, TNotice>
          title={t(`审核答复 ${dialog.row.number}`, `Review the reply to ${dialog.row.number}`)}
          onClose={() => setDialog(null)}
          initialValues={{ accept: true }}
          submit={(v) => noticesApi.review(dialog.row.id, v.accept, v.note ?? '')}
          invalidate={[NOTICES_KEY]}
          success={t('已审核', 'Reviewed')}
          okTestId="notice-review-ok"
        >
          <Typography.Paragraph>{dialog.row.replyMeasures}</Typography.Paragraph>
          {dialog.row.replyEvidence && <Typography.Paragraph>{dialog.row.replyEvidence}</Typography.Paragraph>}
          <NoticeFiles files={dialog.row.files} />
          <Form.Item name="accept" label={t('审核结论', 'Decision')}>
            <Radio.Group
              options={[
                { value: true, label: t('通过（销号）', 'Accept') },
                { value: false, label: t('退回', 'Return') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('审核意见', 'Note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </FormModal>
      )}
    </Space>
  );
}

type NewValues = {
  kind: TNotice['kind'];
  unitId: number;
  title: string;
  findings: string;
  actions: string;
  deadline: Dayjs;
  issuerName?: string;
};

function NewNotice({ onClose }: { onClose(): void }) {
  const units = useUnits();
  return (
    <FormModal<NewValues, TNotice>
      title={t('下发问责通知', 'Issue a notice')}
      onClose={onClose}
      width={680}
      initialValues={{ kind: 'rectification_advice' }}
      submit={(v) =>
        noticesApi.create({ ...v, deadline: v.deadline.format('YYYY-MM-DD'), issuerName: v.issuerName ?? '' })
      }
      invalidate={[NOTICES_KEY]}
      success={(n) => t(`已下发 ${n.number}`, `Issued ${n.number}`)}
      okTestId="notice-new-ok"
    >
      <Form.Item name="kind" label={t('文书类型', 'Kind')} rules={[{ required: true }]}>
        <Radio.Group
          options={Object.entries(NOTICE_KIND).map(([value, l]) => ({ value, label: l() }))}
          optionType="button"
        />
      </Form.Item>
      <Form.Item name="unitId" label={t('被通知单位', 'Unit')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          data-testid="notice-unit"
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Form.Item name="title" label={t('事由', 'Subject')} rules={[{ required: true, min: 2 }]}>
        <Input maxLength={200} data-testid="notice-title" />
      </Form.Item>
      <Form.Item name="findings" label={t('发现的问题', 'Findings')} rules={[{ required: true, min: 2 }]}>
        <Input.TextArea rows={3} data-testid="notice-findings" />
      </Form.Item>
      <Form.Item name="actions" label={t('整改要求', 'Required actions')} rules={[{ required: true, min: 2 }]}>
        <Input.TextArea rows={3} data-testid="notice-actions" />
      </Form.Item>
      <Space size={16}>
        <Form.Item name="deadline" label={t('答复期限', 'Deadline')} rules={[{ required: true }]}>
          <DatePicker data-testid="notice-deadline" />
        </Form.Item>
        <Form.Item name="issuerName" label={t('下发机关', 'Issuer')}>
          <Input placeholder="区绩效管理办公室" style={{ width: 240 }} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

/** The reply's evidence files as download links (the issuer and the unit itself may open them). */
function NoticeFiles(props: { files: TNotice['files'] }) {
  if (!props.files.length) return null;
  return (
    <div data-testid="notice-files">
      {props.files.map((f) => (
        <div key={f.id}>
          <a href={noticesApi.fileUrl(f.id)} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> {f.name}
          </a>{' '}
          <Typography.Text type="secondary">{Math.max(1, Math.round(f.size / 1024))} KB</Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** Uploads evidence files to the notice while the unit writes its reply (stored at once, listed below). */
function EvidenceUpload(props: { notice: TNotice }) {
  const qc = useQueryClient();
  const [files, setFiles] = useState<TNotice['files']>(props.notice.files);
  return (
    <Form.Item
      label={t('上传佐证文件', 'Evidence files')}
      extra={t('PDF、图片、Office 文档或压缩包，单个不超过上传限制', 'PDF, images, Office documents or zip')}
    >
      <FileUploadButton<TNotice['files'][number]>
        action={noticesApi.fileUploadUrl(props.notice.id)}
        label={t('上传文件', 'Upload a file')}
        buttonTestId="notice-upload"
        onUploaded={(f) => {
          setFiles((l) => [...l, f]);
          void qc.invalidateQueries({ queryKey: NOTICES_KEY });
        }}
      />
      <NoticeFiles files={files} />
    </Form.Item>
  );
}
