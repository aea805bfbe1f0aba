import { PlayCircleOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { TJob, TSmsMessage } from '@server/modules/jobs/jobs.schema';
import { errorText } from '../../lib/api';
import { adminApi, JOBS_KEY, SMS_OUTBOX_KEY as SMS_KEY } from './api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { RequirePermission } from './NoAccess';

/** 5000 → 每 5 秒; 900000 → 每 15 分钟. */
function everyText(ms: number | null): string {
  if (ms === null) return t('按需运行', 'On demand');
  if (ms % 3_600_000 === 0) return t(`每 ${ms / 3_600_000} 小时`, `Every ${ms / 3_600_000} h`);
  if (ms % 60_000 === 0) return t(`每 ${ms / 60_000} 分钟`, `Every ${ms / 60_000} min`);
  return t(`每 ${Math.round(ms / 1000)} 秒`, `Every ${Math.round(ms / 1000)} s`);
}

function durationText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return t(`${ms} 毫秒`, `${ms} ms`);
  if (ms < 60_000) return t(`${(ms / 1000).toFixed(1)} 秒`, `${(ms / 1000).toFixed(1)} s`);
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return t(`${m} 分 ${s} 秒`, `${m} min ${s} s`);
}

const STATUS_TAG: Record<NonNullable<TJob['lastStatus']>, { color: string; label: () => string }> = {
  ok: { color: 'green', label: () => t('成功', 'Succeeded') },
  failed: { color: 'red', label: () => t('失败', 'Failed') },
  aborted: { color: 'orange', label: () => t('已中止', 'Aborted') },
};

/** Names of the counts the jobs report; others are shown by their key. */
const RESULT_LABEL: Record<string, () => string> = {
  rows: () => t('统计行', 'rows'),
  inputs: () => t('考核数据', 'inputs'),
  reminders: () => t('提醒', 'reminders'),
  notifications: () => t('站内通知', 'notifications'),
  outbox: () => t('短信', 'SMS'),
  sent: () => t('已发送', 'sent'),
  retried: () => t('待重试', 'to retry'),
  failed: () => t('失败', 'failed'),
  unknown: () => t('结果未知', 'unknown'),
};

const TEMPLATE_LABEL: Record<TSmsMessage['template'], () => string> = {
  acceptance: () => t('受理通知', 'Acceptance'),
  completion: () => t('办结通知', 'Completion'),
  feedback_request: () => t('评价邀请', 'Feedback request'),
  reporting_reminder: () => t('填报提醒', 'Reporting reminder'),
  supervision_reminder: () => t('督办催办', 'Supervision reminder'),
  rating_invite: () => t('好差评邀请', 'Rating invitation'),
  rating_reminder: () => t('好差评提醒', 'Rating reminder'),
  evaluation_invitation: () => t('问卷邀请', 'Survey invitation'),
  evaluation_reminder: () => t('问卷提醒', 'Survey reminder'),
  services_warning: () => t('电子监察预警', 'Service warning'),
  assistance_staff: () => t('求助转办/督办', 'Assistance referral (staff)'),
  assistance_referred: () => t('求助转办告知', 'Assistance referral (requester)'),
};

/** 后台任务: every job of the runner — last run, duration, result, next run, errors, progress — with 立即运行, and the SMS that need a decision. */
export function JobsPage() {
  return (
    <RequirePermission permission="jobs.manage">
      <JobsPageBody />
    </RequirePermission>
  );
}

function JobsPageBody() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const jobs = useQuery({ queryKey: JOBS_KEY, queryFn: adminApi.jobs, refetchInterval: 5000 });
  const run = useMutation({
    mutationFn: adminApi.runJob,
    onSuccess: async (j) => {
      message.success(t(`已请求运行「${j.title.zh}」`, `Run of "${j.title.en}" requested`));
      await qc.invalidateQueries({ queryKey: JOBS_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('后台任务', 'Background jobs')}
        </Typography.Title>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void qc.invalidateQueries({ queryKey: JOBS_KEY })}
          loading={jobs.isFetching}
          data-testid="jobs-refresh"
        >
          {t('刷新', 'Refresh')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">
        {t(
          '每个任务同一时刻只在一个服务实例上运行。时间为北京时间，页面每 5 秒刷新。',
          'Each job runs on one server instance at a time. Times are Beijing time; the page refreshes every 5 s.',
        )}
      </Typography.Paragraph>
      {jobs.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('无法读取任务', 'Cannot load the jobs')}
          description={errorText(jobs.error)}
        />
      )}
      <Table<TJob>
        data-testid="jobs-table"
        rowKey="name"
        size="middle"
        pagination={false}
        dataSource={jobs.data ?? []}
        loading={jobs.isLoading}
        scroll={{ x: 1050 }}
        columns={[
          {
            title: t('任务', 'Job'),
            key: 'title',
            width: 190,
            render: (_, j) => (
              <span data-testid={`job-${j.name}`}>
                {t(j.title.zh, j.title.en)}
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {j.name} · {everyText(j.everyMs)}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('状态', 'Status'),
            key: 'status',
            width: 110,
            render: (_, j) =>
              j.running ? (
                <div>
                  <Tag color="processing">{t('运行中', 'Running')}</Tag>
                  {j.progress !== null && <Progress percent={Math.round(j.progress * 100)} size="small" />}
                  {j.progressMessage && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {j.progressMessage}
                    </Typography.Text>
                  )}
                </div>
              ) : j.lastStatus ? (
                <Tag color={STATUS_TAG[j.lastStatus].color}>{STATUS_TAG[j.lastStatus].label()}</Tag>
              ) : (
                <Tag>{t('尚未运行', 'Not run yet')}</Tag>
              ),
          },
          {
            title: t('上次运行', 'Last run'),
            key: 'last',
            width: 170,
            render: (_, j) => (
              <span>
                {fmtTime(j.lastStartedAt)}
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {j.lastDurationMs !== null &&
                    t(`耗时 ${durationText(j.lastDurationMs)} · `, `took ${durationText(j.lastDurationMs)} · `)}
                  {t(`共 ${j.runCount} 次`, `${j.runCount} runs`)}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('下次运行', 'Next run'),
            key: 'next',
            width: 140,
            render: (_, j) =>
              j.runRequestedAt ? (
                <Tag color="blue">{t('已请求立即运行', 'Run requested')}</Tag>
              ) : j.nextRunAt ? (
                fmtTime(j.nextRunAt)
              ) : (
                t('按需', 'On demand')
              ),
          },
          {
            title: t('错误', 'Errors'),
            key: 'errors',
            width: 170,
            render: (_, j) =>
              j.failureCount ? (
                <Tooltip title={j.lastError}>
                  <Typography.Text type="danger" data-testid={`job-error-${j.name}`}>
                    {t(`失败 ${j.failureCount} 次`, `${j.failureCount} failures`)}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis>
                    {fmtTime(j.lastErrorAt)} {j.lastError}
                  </Typography.Text>
                </Tooltip>
              ) : (
                <Typography.Text type="secondary">{t('无', 'None')}</Typography.Text>
              ),
          },
          {
            title: t('结果', 'Result'),
            key: 'result',
            render: (_, j) =>
              j.lastResult && Object.keys(j.lastResult).length ? (
                <Space size={[4, 4]} wrap>
                  {Object.entries(j.lastResult).map(([k, v]) => (
                    <Tag key={k}>
                      {RESULT_LABEL[k]?.() ?? k}: {typeof v === 'object' ? JSON.stringify(v) : String(v)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: t('操作', 'Actions'),
            key: 'actions',
            width: 110,
            fixed: 'right',
            render: (_, j) => (
              <Button
                size="small"
                icon={<PlayCircleOutlined />}
                disabled={j.running || !!j.runRequestedAt}
                loading={run.isPending && run.variables === j.name}
                onClick={() => run.mutate(j.name)}
                data-testid={`job-run-${j.name}`}
              >
                {t('立即运行', 'Run now')}
              </Button>
            ),
          },
        ]}
      />
      <SmsCard />
    </div>
  );
}

/** SMS whose delivery needs the admin: outcome unknown (not resent by itself), or failed for good. */
function SmsCard() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'unknown' | 'failed'>('unknown');
  const sms = useQuery({
    queryKey: [...SMS_KEY, status],
    queryFn: () => adminApi.smsOutbox(status),
    refetchInterval: 15_000,
  });
  const resend = useMutation({
    mutationFn: adminApi.resendSms,
    onSuccess: async (m) => {
      message.success(t(`短信 #${m.id} 已重新排队`, `SMS #${m.id} queued again`));
      await qc.invalidateQueries({ queryKey: SMS_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const counts = sms.data?.counts ?? {};
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t('需要处理的短信', 'SMS needing a decision')}
      extra={
        <Segmented<'unknown' | 'failed'>
          value={status}
          onChange={setStatus}
          options={[
            {
              value: 'unknown',
              label: t(`结果未知 (${counts.unknown ?? 0})`, `Outcome unknown (${counts.unknown ?? 0})`),
            },
            { value: 'failed', label: t(`发送失败 (${counts.failed ?? 0})`, `Failed (${counts.failed ?? 0})`) },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t(
          '“结果未知”的短信可能已送达（网关超时或连接中断），系统不会自动重发。确认未收到后可重发；网关凭同一幂等键去重。',
          'An SMS of unknown outcome may have been delivered (gateway timeout or lost connection) and is not resent automatically. Resend it once you know it did not arrive; the gateway deduplicates on the same idempotency key.',
        )}
      </Typography.Paragraph>
      {sms.error && <Alert type="error" showIcon title={errorText(sms.error)} />}
      <Table<TSmsMessage>
        data-testid="sms-table"
        rowKey="id"
        size="small"
        loading={sms.isLoading}
        dataSource={sms.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 80 },
          { title: t('手机号', 'Phone'), dataIndex: 'phone', width: 130 },
          {
            title: t('类型', 'Kind'),
            dataIndex: 'template',
            width: 120,
            render: (v: TSmsMessage['template']) => TEMPLATE_LABEL[v](),
          },
          { title: t('尝试次数', 'Attempts'), dataIndex: 'attempts', width: 90 },
          { title: t('原因', 'Reason'), dataIndex: 'lastError', ellipsis: true },
          { title: t('创建时间', 'Created'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmtTime(v) },
          {
            title: t('操作', 'Actions'),
            key: 'actions',
            width: 100,
            render: (_, m) => (
              <Button
                size="small"
                icon={<SendOutlined />}
                disabled={!m.resendable}
                loading={resend.isPending && resend.variables === m.id}
                onClick={() => resend.mutate(m.id)}
                data-testid={`sms-resend-${m.id}`}
              >
                {t('重发', 'Resend')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
