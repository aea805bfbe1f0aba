import { DownloadOutlined, EditOutlined, PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type {
  CampaignKind,
  TCampaign,
  TResults,
  TSampleInput,
  TSampleResult,
} from '@server/modules/evaluation/evaluation.schema';
import { EChart } from '../../components/EChart';
import { FormModal } from '../../components/FormModal';
import { CampaignWizard } from './CampaignWizard';
import { ConsultationTab } from './ConsultationTab';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import {
  EV_KEY,
  evaluationApi,
  useCampaign,
  useCampaignQr,
  useDashboard,
  useResponses,
  useResults,
  useSample,
  type ResponseFilters,
  type SampleFilters,
} from './api';
import { FLAGS, KINDS, LEVELS, SAMPLED, STATUSES } from './evaluationData';

/** Kinds the office can show an on-site QR code for (the server's QR_KINDS). */
const QR_KINDS: readonly CampaignKind[] = ['public_survey', 'service_recipients', 'consultation'];

/**
 * 现场扫码: the QR code of one target unit. Each scan opens a fresh one-time invitation on the phone; the
 * code works while the campaign is open. Print puts the code, the unit and the title on a page.
 */
function QrModal({ c, onClose }: { c: TCampaign; onClose(): void }) {
  const [unitId, setUnitId] = useState<number | undefined>(c.targetUnits[0]?.id);
  const qr = useCampaignQr(c.id, unitId);
  const src = qr.data ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.data.svg)}` : undefined;
  const print = () => {
    if (!qr.data || !src) return;
    const w = window.open('', '_blank');
    if (!w) return;
    const esc = (x: string) => x.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    w.document.write(
      `<html><head><title>${esc(c.title)}</title></head><body style="text-align:center;font-family:sans-serif">` +
        `<h2>${esc(c.title)}</h2><h3>${esc(qr.data.unitName)}</h3><img src="${src}" style="width:360px"/>` +
        `<p>${c.kind === 'consultation' ? '请用手机扫码，参与本议题的意见征集（匿名，每次扫码作答一次）' : '请用手机扫码，对本单位的服务进行评价（匿名，每次扫码作答一次）'}</p></body></html>`,
    );
    w.document.close();
    w.print();
  };
  return (
    <Modal
      open
      title={
        c.kind === 'consultation'
          ? t('扫码参与征求意见二维码', 'Consultation QR code / open link')
          : t('现场扫码评价二维码', 'On-site survey QR code')
      }
      onCancel={onClose}
      footer={
        <Space>
          <Button icon={<PrinterOutlined />} onClick={print} disabled={!qr.data} data-testid="ev-qr-print">
            {t('打印', 'Print')}
          </Button>
          <Button onClick={onClose}>{t('关闭', 'Close')}</Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          style={{ width: '100%' }}
          value={unitId}
          onChange={setUnitId}
          showSearch
          optionFilterProp="label"
          options={c.targetUnits.map((u) => ({ value: u.id, label: u.name }))}
          data-testid="ev-qr-unit"
        />
        {qr.data && !qr.data.open && (
          <Alert
            type="warning"
            showIcon
            message={t('活动开始后扫码才能作答。', 'Scans work once the campaign is open.')}
          />
        )}
        {qr.error && <Alert type="error" message={errorText(qr.error)} />}
        {src && (
          <div style={{ textAlign: 'center' }}>
            <img src={src} alt={qr.data?.url} style={{ width: 260, height: 260 }} data-testid="ev-qr-img" />
            <Typography.Paragraph copyable={{ text: qr.data?.url }} type="secondary" style={{ fontSize: 12 }}>
              {t(
                '每次扫码生成一个一次性答卷链接，不记录扫码人信息。',
                'Each scan makes its own one-time link; nothing about the person is kept.',
              )}
            </Typography.Paragraph>
          </div>
        )}
      </Space>
    </Modal>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

function useAction(id: number) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (name: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(name);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: EV_KEY });
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return { busy, run, id };
}

type SampleValues = { source: TSampleInput['source']; total: number; seed?: number | null };

function SampleDialog({ c, onClose }: { c: TCampaign; onClose(): void }) {
  return (
    <FormModal<SampleValues, TSampleResult>
      title={t('分层随机抽样', 'Stratified random sample')}
      onClose={onClose}
      initialValues={{ source: 'cases', total: 100 }}
      submit={(v) => evaluationApi.drawSample(c.id, { source: v.source, total: v.total, seed: v.seed ?? undefined })}
      invalidate={[EV_KEY]}
      success={t('已抽样', 'Sample drawn')}
      modalProps={{ okButtonProps: { id: 'ev-sample-ok' } }}
    >
      <Form.Item name="source" label={t('抽样框', 'Frame')}>
        <Select
          options={[
            {
              value: 'cases',
              label: t('统计期内已办结诉求的来电人（按承办单位分层）', 'Requesters of cases closed in the period'),
            },
            { value: 'import', label: t(`导入的名单（${c.frameSize} 人）`, `Imported list (${c.frameSize})`) },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="total"
        label={t('样本总量（按各层抽样框规模等比例分配）', 'Total (allocated in proportion to the strata)')}
        rules={[{ required: true }]}
      >
        <InputNumber min={1} max={200000} data-testid="ev-sample-total" />
      </Form.Item>
      <Form.Item
        name="seed"
        label={t('随机种子（留空则随机生成并记录，可据此复现样本）', 'Seed (blank: drawn and recorded)')}
      >
        <InputNumber min={0} max={2147483647} style={{ width: 200 }} />
      </Form.Item>
    </FormModal>
  );
}

function Overview({ c }: { c: TCampaign }) {
  const act = useAction(c.id);
  const [sampling, setSampling] = useState(false);
  const [editing, setEditing] = useState(false);
  const [showQr, setShowQr] = useState(false);
  const sampled = SAMPLED.includes(c.kind);
  const consultation = c.kind === 'consultation';
  return (
    <>
      {editing && <CampaignWizard campaign={c} onClose={() => setEditing(false)} />}
      {showQr && <QrModal c={c} onClose={() => setShowQr(false)} />}
      <Space wrap style={{ marginBottom: 12 }}>
        {c.status === 'draft' && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="ev-edit">
            {t('编辑', 'Edit')}
          </Button>
        )}
        {QR_KINDS.includes(c.kind) && (c.status === 'draft' || c.status === 'open') && (
          <Button icon={<QrcodeOutlined />} onClick={() => setShowQr(true)} data-testid="ev-qr">
            {consultation ? t('扫码参与二维码', 'QR code / open link') : t('现场扫码二维码', 'On-site QR code')}
          </Button>
        )}
        {c.status === 'draft' && sampled && (
          <>
            <Button onClick={() => setSampling(true)} data-testid="ev-sample">
              {t('抽取样本', 'Draw sample')}
            </Button>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              customRequest={async ({ file }) => {
                const fd = new FormData();
                fd.append('file', file as Blob);
                await act.run('frame', () => evaluationApi.importFrame(c.id, fd), t('名单已导入', 'List imported'));
              }}
            >
              <Button>{t('导入抽样名单', 'Import a frame')}</Button>
            </Upload>
            <Button href={evaluationApi.frameTemplateUrl(c.id)} icon={<DownloadOutlined />}>
              {t('名单模板', 'Template')}
            </Button>
          </>
        )}
        {(c.status === 'draft' || c.status === 'open') && (
          <Popconfirm
            title={
              c.status === 'draft'
                ? t('开始评议并发送邀请？', 'Open and send invitations?')
                : t('发送尚未发送的邀请？', 'Send the invitations not sent yet?')
            }
            onConfirm={() => act.run('send', () => evaluationApi.send(c.id), t('邀请已发送', 'Invitations sent'))}
            okButtonProps={{ id: 'ev-send-ok' }}
          >
            <Button type="primary" loading={act.busy === 'send'} data-testid="ev-send">
              {c.status === 'draft' ? t('开始评议并发送邀请', 'Open and send') : t('发送邀请', 'Send')}
            </Button>
          </Popconfirm>
        )}
        {c.status === 'open' && sampled && (
          <Button
            loading={act.busy === 'remind'}
            onClick={() =>
              act.run('remind', () => evaluationApi.remind(c.id), t('已向未作答者发送提醒', 'Reminders sent'))
            }
            data-testid="ev-remind"
          >
            {t('提醒未作答者', 'Remind')}
          </Button>
        )}
        {(c.status === 'open' || c.status === 'closed') && (
          <Popconfirm
            title={
              consultation
                ? t(
                    '结束征求意见？结束后填写意见汇总并发布。',
                    'Close the consultation? Then write and publish the summary.',
                  )
                : t('结束评议并计算结果、写入考核指标？', 'Close, compute the results and write the indicator inputs?')
            }
            onConfirm={() =>
              act.run(
                'close',
                () => evaluationApi.close(c.id),
                consultation
                  ? t('征求意见已结束', 'Consultation closed')
                  : t('已结束并写入考核指标', 'Closed; inputs written'),
              )
            }
            okButtonProps={{ id: 'ev-close-ok' }}
          >
            <Button danger loading={act.busy === 'close'} data-testid="ev-close">
              {c.status === 'closed' ? t('重新计算', 'Recompute') : t('结束评议', 'Close')}
            </Button>
          </Popconfirm>
        )}
        {c.status === 'closed' && !consultation && (
          <Popconfirm
            title={t(
              '发布后结果冻结，各单位可查看本单位结果。',
              'Publishing freezes the results; units see their own.',
            )}
            onConfirm={() => act.run('publish', () => evaluationApi.publish(c.id), t('已发布', 'Published'))}
          >
            <Button type="primary" loading={act.busy === 'publish'} data-testid="ev-publish">
              {t('发布结果', 'Publish')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('类型', 'Kind')}>{KINDS[c.kind]()}</Descriptions.Item>
        <Descriptions.Item label={t('状态', 'Status')}>
          <Tag color={STATUSES[c.status].color} data-testid="ev-status">
            {STATUSES[c.status].label()}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('统计期', 'Period')}>
          {c.periodFrom} ~ {c.periodTo}
        </Descriptions.Item>
        <Descriptions.Item label={t('匿名', 'Anonymous')}>
          {c.anonymous ? t('是（答卷与身份不关联）', 'Yes') : t('否（记名）', 'No')}
        </Descriptions.Item>
        <Descriptions.Item label={t('问卷', 'Questionnaire')}>
          {c.questionnaireTitle}（v{c.questionnaireVersion}，{c.questions.length} {t('题', 'questions')}）
        </Descriptions.Item>
        <Descriptions.Item label={t('邀请 / 已发送 / 回收', 'Invited / sent / answered')}>
          {c.invited} / {c.sent} / {c.responded}
        </Descriptions.Item>
        <Descriptions.Item label={consultation ? t('承办单位', 'Department') : t('被评价单位', 'Targets')} span={2}>
          {c.targetUnits.map((u) => u.name).join('、')}
        </Descriptions.Item>
        {!sampled && (
          <Descriptions.Item label={consultation ? t('邀请参与人', 'Invited') : t('评价人', 'Panel')} span={2}>
            {c.panel.map((p) => p.name).join('、') || '—'}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('对应指标', 'Leaves fed')} span={2}>
          {consultation
            ? t('不写入考核指标（协商征求意见，结束后发布意见汇总）', 'None (a consultation publishes its summary)')
            : c.indicators.length
              ? `${c.scheme?.kind === 'special' ? `${c.scheme.name}：` : ''}${c.indicators.map((i) => `${i.code} ${i.name}`).join('、')}`
              : t('不写入考核指标', 'None')}
          {c.indicators.length > 0 &&
            ` · ${c.mapping.mode === 'mean' ? t('百分制平均分', 'mean') : c.mapping.mode === 'satisfaction' ? `${t('满意率，权重', 'rate, weights')} ${c.mapping.levelWeights.join('/')}` : `${t('公式', 'formula')} ${c.mapping.formula}`}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('质量规则', 'Quality rules')} span={2}>
          {t(
            `最短 ${c.quality.minSeconds} 秒；同一地址超过 ${c.quality.maxPerIp} 份、同一设备超过 ${c.quality.maxPerDevice} 份标记；${c.quality.straightLineMin} 题以上答案完全相同标记`,
            `min ${c.quality.minSeconds}s; > ${c.quality.maxPerIp} per address; > ${c.quality.maxPerDevice} per device; straight-lining over ${c.quality.straightLineMin} answers`,
          )}
        </Descriptions.Item>
      </Descriptions>
      {sampling && <SampleDialog c={c} onClose={() => setSampling(false)} />}
    </>
  );
}

function SampleTab({ c }: { c: TCampaign }) {
  const [f, setF] = useState<SampleFilters>({
    page: 1,
    pageSize: 20,
  });
  const s = useSample(c.id, f);
  return (
    <>
      {c.sampling ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            `抽样框：${c.sampling.source === 'cases' ? '已办结诉求来电人' : '导入名单'}；随机种子 ${c.sampling.seed}（${new Date(c.sampling.at).toLocaleString()}），同一抽样框和种子可复现样本`,
            `Frame: ${c.sampling.source}; seed ${c.sampling.seed}`,
          )}
          data-testid="ev-seed"
        />
      ) : SAMPLED.includes(c.kind) ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('尚未抽样', 'No sample yet')} />
      ) : null}
      {c.sampling && (
        <Table
          size="small"
          rowKey="unitId"
          style={{ marginBottom: 12 }}
          pagination={false}
          dataSource={c.sampling.strata}
          scroll={{ y: 240 }}
          columns={[
            { title: t('层（单位）', 'Stratum'), dataIndex: 'unitName' },
            { title: t('抽样框', 'Frame'), dataIndex: 'frame', width: 100 },
            { title: t('样本量', 'Sample'), dataIndex: 'size', width: 100 },
          ]}
        />
      )}
      <Space style={{ marginBottom: 8 }}>
        <Select
          allowClear
          placeholder={t('单位', 'Unit')}
          style={{ width: 200 }}
          onChange={(v) => setF({ ...f, unitId: v, page: 1 })}
          options={c.targetUnits.map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select
          allowClear
          placeholder={t('作答情况', 'Answered')}
          style={{ width: 140 }}
          onChange={(v) => setF({ ...f, responded: v, page: 1 })}
          options={[
            { value: '1', label: t('已作答', 'Answered') },
            { value: '0', label: t('未作答', 'Not yet') },
          ]}
        />
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={s.isLoading}
        dataSource={s.data?.rows ?? []}
        pagination={{
          current: f.page,
          pageSize: f.pageSize,
          total: s.data?.total ?? 0,
          onChange: (page, pageSize) => setF({ ...f, page, pageSize }),
        }}
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName', render: (v) => v ?? '—' },
          { title: t('对象', 'Respondent'), dataIndex: 'name' },
          { title: t('电话', 'Phone'), dataIndex: 'phone', render: (v) => v ?? '—' },
          {
            title: t('渠道', 'Channel'),
            dataIndex: 'channel',
            width: 80,
            render: (v: string) =>
              v === 'sms' ? t('短信', 'SMS') : v === 'app' ? t('系统内', 'In app') : t('扫码', 'QR'),
          },
          {
            title: t('已发送', 'Sent'),
            dataIndex: 'sentAt',
            width: 170,
            render: (v) => (v ? new Date(v).toLocaleString() : '—'),
          },
          { title: t('提醒', 'Reminders'), dataIndex: 'reminders', width: 70 },
          { title: t('作答', 'Answered'), dataIndex: 'respondedOn', width: 110, render: (v) => v ?? '—' },
        ]}
      />
    </>
  );
}

function DashboardTab({ c }: { c: TCampaign }) {
  const d = useDashboard(c.id);
  const option = useMemo(() => {
    const strata = d.data?.strata ?? [];
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 120, right: 24, top: 16, bottom: 24 },
      xAxis: { type: 'value', max: 100, name: '%' },
      yAxis: { type: 'category', data: strata.map((s) => s.unitName) },
      series: [
        {
          type: 'bar',
          data: strata.map((s) => s.responseRate ?? 0),
          itemStyle: { color: '#1677ff' },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    };
  }, [d.data]);
  const daily = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 24 },
      xAxis: { type: 'category', data: (d.data?.byDay ?? []).map((x) => x.day) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: (d.data?.byDay ?? []).map((x) => x.responses), smooth: true }],
    }),
    [d.data],
  );
  if (!d.data) return <Card loading />;
  return (
    <>
      <Space size={48} style={{ marginBottom: 16 }} data-testid="ev-dashboard">
        <Statistic title={t('邀请', 'Invited')} value={d.data.invited} />
        <Statistic title={t('已发送', 'Sent')} value={d.data.sent} />
        <Statistic title={t('回收', 'Answered')} value={d.data.responded} />
        <Statistic title={t('回收率', 'Response rate')} value={d.data.responseRate ?? 0} suffix="%" />
        <Statistic title={t('质量标记', 'Flagged')} value={d.data.flagged} />
        <Statistic title={t('已剔除', 'Excluded')} value={d.data.excluded} />
      </Space>
      <Typography.Title level={5}>
        {t('各层回收率（实时，每 15 秒刷新）', 'Response rate per stratum (live)')}
      </Typography.Title>
      <EChart option={option} height={Math.max(200, (d.data.strata.length || 1) * 22 + 60)} testId="ev-strata-chart" />
      <Typography.Title level={5}>{t('每日回收', 'Responses per day')}</Typography.Title>
      <EChart option={daily} height={220} />
    </>
  );
}

function QualityTab({ c }: { c: TCampaign }) {
  const [f, setF] = useState<ResponseFilters>({
    flagged: '1',
    page: 1,
    pageSize: 20,
  });
  const r = useResponses(c.id, f);
  const [target, setTarget] = useState<{ id: number; excluded: boolean } | null>(null);
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Select
          value={f.flagged ?? ''}
          style={{ width: 160 }}
          onChange={(v) => setF({ ...f, flagged: (v || undefined) as '1' | undefined, page: 1 })}
          options={[
            { value: '1', label: t('有质量标记', 'Flagged') },
            { value: '', label: t('全部答卷', 'All') },
          ]}
        />
        <Select
          allowClear
          placeholder={t('剔除情况', 'Excluded')}
          style={{ width: 140 }}
          onChange={(v) => setF({ ...f, excluded: v, page: 1 })}
          options={[
            { value: '1', label: t('已剔除', 'Excluded') },
            { value: '0', label: t('有效', 'Valid') },
          ]}
        />
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={r.isLoading}
        dataSource={r.data?.rows ?? []}
        pagination={{
          current: f.page,
          pageSize: f.pageSize,
          total: r.data?.total ?? 0,
          onChange: (page, pageSize) => setF({ ...f, page, pageSize }),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 80 },
          { title: t('单位', 'Unit'), dataIndex: 'unitName', render: (v) => v ?? '—' },
          { title: t('日期', 'Day'), dataIndex: 'submittedOn', width: 110 },
          { title: t('用时（秒）', 'Seconds'), dataIndex: 'durationS', width: 90, render: (v) => v ?? '—' },
          {
            title: t('标记', 'Flags'),
            dataIndex: 'flags',
            render: (fl: string[]) =>
              fl.map((x) => (
                <Tag key={x} color="orange">
                  {FLAGS[x]?.() ?? x}
                </Tag>
              )),
          },
          {
            title: t('状态', 'State'),
            width: 200,
            render: (_, x) =>
              x.excluded ? (
                <Tag color="red">
                  {t('已剔除', 'Excluded')}：{x.excludeReason}
                </Tag>
              ) : (
                <Tag color="green">{t('有效', 'Valid')}</Tag>
              ),
          },
          {
            title: '',
            width: 90,
            render: (_, x) =>
              c.status !== 'published' && (
                <Button size="small" onClick={() => setTarget({ id: x.id, excluded: !x.excluded })}>
                  {x.excluded ? t('恢复', 'Restore') : t('剔除', 'Exclude')}
                </Button>
              ),
          },
        ]}
      />
      {target && <ExclusionDialog target={target} onClose={() => setTarget(null)} />}
    </>
  );
}

/** Excludes a response from the results or restores it; the reason is required and audited. */
function ExclusionDialog({ target, onClose }: { target: { id: number; excluded: boolean }; onClose(): void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const reason = Form.useWatch('reason', form) ?? '';
  return (
    <FormModal<{ reason: string }>
      form={form}
      title={target.excluded ? t('剔除答卷', 'Exclude the response') : t('恢复答卷', 'Restore the response')}
      onClose={onClose}
      initialValues={{ reason: '' }}
      submit={(v) => evaluationApi.setExcluded(target.id, { excluded: target.excluded, reason: v.reason })}
      invalidate={[EV_KEY]}
      success={t('已记录（留痕）', 'Recorded (audited)')}
      modalProps={{ okButtonProps: { disabled: !reason.trim() } }}
    >
      <Form.Item name="reason" noStyle>
        <Input.TextArea rows={3} placeholder={t('原因（必填，记入审计日志）', 'Reason (required, audited)')} />
      </Form.Item>
    </FormModal>
  );
}

/** Results per unit: table, chart of the mapped values, the level distribution, comments, .xlsx export. */
export function ResultsView({ id, results }: { id: number; results: TResults | undefined }) {
  const option = useMemo(() => {
    const rows = (results?.rows ?? []).slice(0, 40);
    const lv = LEVELS();
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 120, right: 24, top: 28, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((r) => r.unitName).reverse() },
      series: lv.map((name, i) => ({
        name,
        type: 'bar',
        stack: 'd',
        data: rows.map((r) => r.distribution[i] ?? 0).reverse(),
      })),
    };
  }, [results]);
  if (!results) return <Card loading />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {results.frozen && <Tag color="green">{t('已发布（冻结）', 'Published (frozen)')}</Tag>}
        {results.status === 'open' && (
          <Tag color="blue">{t('进行中：实时结果，结束后写入考核指标', 'Open: live figures')}</Tag>
        )}
        <Button icon={<DownloadOutlined />} href={evaluationApi.resultsXlsxUrl(id)} data-testid="ev-results-xlsx">
          {t('导出 Excel', 'Export .xlsx')}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="unitId"
        dataSource={results.rows}
        pagination={{ pageSize: 20 }}
        data-testid="ev-results"
        expandable={{ expandedRowRender: (r) => <Typography.Text type="secondary">{r.explanation}</Typography.Text> }}
        columns={[
          { title: t('单位', 'Unit'), dataIndex: 'unitName' },
          {
            title: t('有效/回收/邀请', 'Valid / answered / invited'),
            width: 150,
            render: (_, r) => `${r.valid} / ${r.responses} / ${r.invited}`,
          },
          { title: t('回收率', 'Response rate'), dataIndex: 'responseRate', width: 90, render: pct },
          { title: t('平均分', 'Mean'), dataIndex: 'mean', width: 80, render: (v) => v ?? '—' },
          { title: t('满意率', 'Satisfaction'), dataIndex: 'satisfactionRate', width: 90, render: pct },
          {
            title: t('折算值', 'Mapped'),
            dataIndex: 'mapped',
            width: 80,
            render: (v) => (v === null ? '—' : <b>{v}</b>),
          },
        ]}
      />
      {results.rows.some((r) => r.distribution.some((n) => n > 0)) && (
        <>
          <Typography.Title level={5}>{t('满意度分布', 'Distribution of levels')}</Typography.Title>
          <EChart
            option={option}
            height={Math.max(220, Math.min(results.rows.length, 40) * 22 + 60)}
            testId="ev-results-chart"
          />
        </>
      )}
      <Typography.Title level={5}>{t('意见建议（匿名）', 'Comments (anonymised)')}</Typography.Title>
      {results.comments.length ? (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          dataSource={results.comments}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 180, render: (v) => v ?? '—' },
            { title: t('内容', 'Text'), dataIndex: 'text' },
          ]}
        />
      ) : (
        <Empty description={t('没有意见建议', 'No comments')} />
      )}
    </>
  );
}

export function CampaignPage() {
  const id = Number(useParams().id);
  const c = useCampaign(id);
  const results = useResults(id, c.data?.status !== 'draft');
  if (c.error) return <Alert type="error" message={errorText(c.error)} />;
  if (!c.data) return <Card loading />;
  return (
    <Card title={c.data.title}>
      <Tabs
        items={[
          { key: 'overview', label: t('概况', 'Overview'), children: <Overview c={c.data} /> },
          ...(c.data.kind === 'consultation'
            ? [{ key: 'summary', label: t('意见汇总', 'Summary'), children: <ConsultationTab c={c.data} /> }]
            : [{ key: 'sample', label: t('样本', 'Sample'), children: <SampleTab c={c.data} /> }]),
          { key: 'live', label: t('回收进度', 'Live responses'), children: <DashboardTab c={c.data} /> },
          { key: 'quality', label: t('答卷质量', 'Quality'), children: <QualityTab c={c.data} /> },
          {
            key: 'results',
            label: t('结果', 'Results'),
            children: c.data.status === 'draft' ? <Empty /> : <ResultsView id={id} results={results.data} />,
          },
        ]}
      />
    </Card>
  );
}

/** A unit's view of a published campaign's results (its own units only). */
export function UnitResultsPage() {
  const id = Number(useParams().id);
  const r = useResults(id);
  if (r.error) return <Alert type="error" message={errorText(r.error)} />;
  return (
    <Card title={r.data?.title ?? t('评议结果', 'Results')}>
      <ResultsView id={id} results={r.data} />
    </Card>
  );
}
