import { CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Form, Image, Input, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TPoint, TTaskChecks } from '@server/modules/supervision/supervision.fieldwork.schema';
import { FileUploadButton } from '../../components/FileUploadButton';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { SUP_KEY, supervisionApi, useTaskChecks } from './api';
import { METHODS, MODES, POINT_STATUS } from './fieldworkData';

type Step = { point: TPoint; action: 'answer' | 'accept' | 'return' };

/** 实地督查 in the task drawer: every check of the task (第N次督查), its photos and rectification points with their answers. */
export function FieldChecksPanel({ taskId }: { taskId: number }) {
  const q = useTaskChecks(taskId);
  const [step, setStep] = useState<Step | null>(null);
  const data = q.data;
  return (
    <div data-testid="sup-checks">
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
        <Typography.Text strong>
          {t('实地督查', 'Field checks')}
          {data && data.checks.length > 1 && (
            <Tag style={{ marginLeft: 8 }} color="volcano">
              {t('反复督查', 'Repeated')}
            </Tag>
          )}
        </Typography.Text>
        {data?.canCheck && (
          <Link to={`/supervision/checks/new?task=${taskId}`} data-testid="sup-check-new">
            <Button size="small" icon={<CameraOutlined />}>
              {t('录入实地督查', 'Record a check')}
            </Button>
          </Link>
        )}
      </Space>
      {q.isLoading && <Spin />}
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {data && !data.checks.length && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('尚无实地督查', 'No field check yet')} />
      )}
      {data?.checks.map((c) => (
        <Card
          key={c.id}
          size="small"
          style={{ marginBottom: 8 }}
          title={
            <Space wrap>
              <b>{c.label}</b>
              <span>{c.checkedOn}</span>
              <Tag>{MODES[c.mode]()}</Tag>
              <span>{c.methods.map((m) => METHODS[m]()).join(' / ')}</span>
            </Space>
          }
        >
          <div>
            <Typography.Text type="secondary">{t('督查人员', 'People')}：</Typography.Text>
            {c.people}
          </div>
          <div style={{ whiteSpace: 'pre-wrap' }}>
            <Typography.Text type="secondary">{t('发现问题', 'Findings')}：</Typography.Text>
            {c.findings}
          </div>
          {c.photos.length > 0 && (
            <Image.PreviewGroup>
              <Space wrap style={{ marginTop: 6 }}>
                {c.photos.map((p) => (
                  <Image
                    key={p.id}
                    width={72}
                    height={72}
                    style={{ objectFit: 'cover' }}
                    src={supervisionApi.fileUrl(p.id)}
                    alt={p.name}
                  />
                ))}
              </Space>
            </Image.PreviewGroup>
          )}
          {c.points.map((p) => (
            <div
              key={p.id}
              style={{ borderTop: '1px dashed #eee', marginTop: 8, paddingTop: 6 }}
              data-testid="sup-point"
            >
              <Space wrap>
                <b>
                  {t('整改要求', 'Point')} {p.seq}
                </b>
                <Tag color={POINT_STATUS[p.status].color}>{POINT_STATUS[p.status].label()}</Tag>
                {p.dueOn && (
                  <Typography.Text type="secondary">
                    {t('期限', 'Due')} {p.dueOn}
                  </Typography.Text>
                )}
              </Space>
              <div>{p.requirement}</div>
              {p.history.map((h, i) => (
                <div key={i} style={{ fontSize: 12, color: h.kind === 'return' ? '#cf1322' : '#555' }}>
                  {h.kind === 'answer'
                    ? t('单位答复', 'Answer')
                    : h.kind === 'accept'
                      ? t('审核通过', 'Accepted')
                      : t('退回', 'Returned')}{' '}
                  · {h.actorName} · {fmtTime(h.at)}
                  {h.note && <>：{h.note}</>}
                  {h.fileId && (
                    <>
                      {' '}
                      <a href={supervisionApi.fileUrl(h.fileId)} target="_blank" rel="noreferrer">
                        <PaperClipOutlined /> {t('附件', 'File')}
                      </a>
                    </>
                  )}
                </div>
              ))}
              {p.actions.length > 0 && (
                <Space style={{ marginTop: 4 }}>
                  {p.actions.includes('answer') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setStep({ point: p, action: 'answer' })}
                      data-testid="sup-point-answer"
                    >
                      {t('答复整改', 'Answer')}
                    </Button>
                  )}
                  {p.actions.includes('accept') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => setStep({ point: p, action: 'accept' })}
                      data-testid="sup-point-accept"
                    >
                      {t('通过', 'Accept')}
                    </Button>
                  )}
                  {p.actions.includes('return') && (
                    <Button
                      size="small"
                      danger
                      onClick={() => setStep({ point: p, action: 'return' })}
                      data-testid="sup-point-return"
                    >
                      {t('退回', 'Return')}
                    </Button>
                  )}
                </Space>
              )}
            </div>
          ))}
        </Card>
      ))}
      {step && <PointModal taskId={taskId} step={step} onClose={() => setStep(null)} />}
    </div>
  );
}

type PointValues = { answer?: string; note?: string; reason?: string };

function PointModal({ taskId, step, onClose }: { taskId: number; step: Step; onClose: () => void }) {
  const [file, setFile] = useState<{ id: number; name: string } | null>(null);
  const submit = (v: PointValues) => {
    const id = step.point.id;
    switch (step.action) {
      case 'answer':
        return supervisionApi.pointStep(id, 'answer', { answer: v.answer ?? '', fileId: file?.id ?? null });
      case 'accept':
        return supervisionApi.pointStep(id, 'accept', { note: v.note ?? '' });
      case 'return':
        return supervisionApi.pointStep(id, 'return', { reason: v.reason ?? '' });
    }
  };
  const title =
    step.action === 'answer'
      ? t('答复整改要求', 'Answer the point')
      : step.action === 'accept'
        ? t('审核通过', 'Accept the answer')
        : t('退回重新整改', 'Return the answer');
  return (
    <FormModal<PointValues, TTaskChecks>
      title={title}
      onClose={onClose}
      submit={submit}
      // The task's checks and the inboxes' point lists (both under SUP_KEY).
      invalidate={[SUP_KEY]}
      success={t('已提交', 'Done')}
      header={<Typography.Paragraph type="secondary">{step.point.requirement}</Typography.Paragraph>}
      modalProps={{ okButtonProps: { id: 'sup-point-ok' } }}
    >
      {step.action === 'answer' && (
        <>
          <Form.Item
            name="answer"
            label={t('整改情况', 'What was done')}
            rules={[{ required: true, whitespace: true, message: t('请填写整改情况', 'Describe what was done') }]}
          >
            <Input.TextArea rows={4} maxLength={5000} data-testid="sup-point-text" />
          </Form.Item>
          <FileUploadButton
            action={supervisionApi.taskFilesUrl(taskId)}
            accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx"
            label={t('上传佐证（可选）', 'Upload evidence (optional)')}
            onUploaded={(f, name) => setFile({ id: f.id, name })}
          />
          {file && (
            <div>
              <PaperClipOutlined /> {file.name}
            </div>
          )}
        </>
      )}
      {step.action === 'accept' && (
        <Form.Item name="note" label={t('审核意见（可选）', 'Note (optional)')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      {step.action === 'return' && (
        <Form.Item
          name="reason"
          label={t('退回理由', 'Reason')}
          rules={[{ required: true, whitespace: true, message: t('请填写理由', 'A reason is required') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="sup-point-reason" />
        </Form.Item>
      )}
    </FormModal>
  );
}
