import { PaperClipOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TTaskDetail } from '@server/modules/supervision/supervision.schema';
import { FileUploadButton } from '../../components/FileUploadButton';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { SUP_KEY, supervisionApi, useTask, type TaskAction as Action, type TaskActionBody } from './api';
import { FieldChecksPanel } from './FieldChecksPanel';
import { TaskLight } from './LightDot';
import { CADENCES, COMPLETIONS, EVENT_KINDS, QUALITIES, SOURCES, STATUSES, useUnits } from './supervisionData';

const ACTION_LABEL: Record<Action, () => string> = {
  accept: () => t('立项交办', 'Accept'),
  merge: () => t('合并办理', 'Merge'),
  decline: () => t('不予立项', 'Decline'),
  sign: () => t('签收', 'Sign for'),
  submitPlan: () => t('报送方案', 'Submit plan'),
  approvePlan: () => t('审定方案', 'Approve plan'),
  returnPlan: () => t('退回方案', 'Return plan'),
  report: () => t('报送进展', 'Report progress'),
  applyCompletion: () => t('申请办结', 'Apply for completion'),
  rejectCompletion: () => t('退回办结', 'Reject completion'),
  review: () => t('办结评定', 'Rate'),
};
const DANGER: Action[] = ['decline', 'returnPlan', 'rejectCompletion'];

type FormValues = Record<string, unknown> & { deadline?: Dayjs };

/** 事项详情: the task, its milestones, files and timeline, and the steps the user may take now. */
export function TaskDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const q = useTask(id);
  const task = q.data;
  const [action, setAction] = useState<Action | null>(null);
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={task ? `${t('督办事项', 'Task')} #${task.id}` : t('督办事项', 'Task')}
      destroyOnHidden
    >
      {q.isLoading && <Spin />}
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {task && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            <Space>
              <TaskLight light={task.light} reasons={task.lightReasons} />
              {task.title}
            </Space>
          </Typography.Title>
          <Space wrap style={{ marginBottom: 12 }}>
            {task.actions.map((a) => (
              <Button
                key={a}
                type={DANGER.includes(a) ? 'default' : 'primary'}
                danger={DANGER.includes(a)}
                onClick={() => setAction(a)}
                data-testid={`sup-action-${a}`}
              >
                {ACTION_LABEL[a]()}
              </Button>
            ))}
          </Space>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('来源', 'Source')}>{SOURCES[task.source]()}</Descriptions.Item>
            <Descriptions.Item label={t('状态', 'Status')}>
              <Tag color={STATUSES[task.status].color}>{STATUSES[task.status].label()}</Tag>
              {task.completion && <Tag>{COMPLETIONS[task.completion]()}</Tag>}
              {task.quality && <Tag>{QUALITIES[task.quality]()}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('牵头单位', 'Lead unit')}>
              {task.leadUnitName ?? '—'}{' '}
              {task.leadContact && <Typography.Text type="secondary">（{task.leadContact}）</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('配合单位', 'Co-units')}>
              {task.coUnits.map((c) => (c.contact ? `${c.name}（${c.contact}）` : c.name)).join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('责任领导', 'Leader in charge')}>{task.leaderName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('完成时限', 'Deadline')}>{task.deadline}</Descriptions.Item>
            <Descriptions.Item label={t('报送频次', 'Report cadence')}>{CADENCES[task.cadence]()}</Descriptions.Item>
            <Descriptions.Item label={t('进度', 'Progress')}>
              <Progress percent={task.progress} size="small" style={{ width: 160 }} />
            </Descriptions.Item>
            <Descriptions.Item label={t('事项内容', 'Content')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{task.content || '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('完成标准', 'Standard')} span={2}>
              {task.standard || '—'}
            </Descriptions.Item>
            {task.instruction && (
              <Descriptions.Item label={t('领导批示', 'Instruction')} span={2}>
                {task.instruction.authorName}：{task.instruction.content}
              </Descriptions.Item>
            )}
            {task.plan && (
              <Descriptions.Item label={t('工作方案', 'Plan')} span={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{task.plan}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
          {task.milestones.length > 0 && (
            <>
              <Divider titlePlacement="start">{t('节点', 'Milestones')}</Divider>
              {task.milestones.map((m) => (
                <div key={m.id}>
                  <Tag color={m.doneOn ? (m.doneOn <= m.dueOn ? 'green' : 'orange') : 'default'}>{m.dueOn}</Tag>
                  {m.title}{' '}
                  {m.doneOn && (
                    <Typography.Text type="secondary">
                      （{t('完成于', 'done')} {m.doneOn}）
                    </Typography.Text>
                  )}
                </div>
              ))}
            </>
          )}
          {task.subTasks.length > 0 && (
            <>
              <Divider titlePlacement="start">{t('分解任务', 'Sub-tasks')}</Divider>
              {task.subTasks.map((s) => (
                <div key={s.id}>
                  #{s.id} {s.title}（{s.leadUnitName}）
                  <Tag color={STATUSES[s.status].color}>{STATUSES[s.status].label()}</Tag>
                </div>
              ))}
            </>
          )}
          <Divider titlePlacement="start">{t('实地督查', 'Field checks')}</Divider>
          <FieldChecksPanel taskId={task.id} />
          <Divider titlePlacement="start">{t('办理过程', 'Timeline')}</Divider>
          <Timeline
            items={task.events.map((e) => ({
              color: ['returnPlan', 'rejectCompletion', 'decline'].includes(e.kind)
                ? 'red'
                : e.kind === 'review'
                  ? 'green'
                  : 'blue',
              content: (
                <div data-testid="sup-event">
                  <b>{EVENT_KINDS[e.kind]?.() ?? e.kind}</b> · {e.actorName}
                  {e.unitName && `（${e.unitName}）`} ·{' '}
                  <Typography.Text type="secondary">{fmtTime(e.at)}</Typography.Text>
                  {e.progress !== null && <Tag style={{ marginLeft: 8 }}>{e.progress}%</Tag>}
                  {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                  {e.fileIds.map((f) => {
                    const file = task.files.find((x) => x.id === f);
                    return (
                      <div key={f}>
                        <a href={supervisionApi.fileUrl(f)} target="_blank" rel="noreferrer">
                          <PaperClipOutlined /> {file?.name ?? f}
                        </a>
                      </div>
                    );
                  })}
                </div>
              ),
            }))}
          />
          {action && <ActionModal task={task} action={action} onClose={() => setAction(null)} />}
        </>
      )}
    </Drawer>
  );
}

function ActionModal({ task, action, onClose }: { task: TTaskDetail; action: Action; onClose: () => void }) {
  const units = useUnits();
  const [fileIds, setFileIds] = useState<{ id: number; name: string }[]>([]);
  const unitOptions = (units.data ?? [])
    .filter((u) => u.active && u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  const submit = (v: FormValues) => {
    const body: Record<string, unknown> = { ...v };
    if (v.deadline) body.deadline = v.deadline.format('YYYY-MM-DD');
    if (action === 'accept')
      body.coUnits = ((v.coUnitIds as number[] | undefined) ?? []).map((unitId) => ({ unitId, contact: '' }));
    delete body.coUnitIds;
    if (action === 'report' || action === 'applyCompletion') body.fileIds = fileIds.map((f) => f.id);
    if (action === 'report') body.milestoneIdsDone = (v.milestoneIdsDone as number[] | undefined) ?? [];
    // The form shows only the fields of this action; the server checks the body against the action's schema.
    return supervisionApi.act(task.id, action, body as TaskActionBody[Action]);
  };
  const reason = (label: string) => (
    <Form.Item
      name="reason"
      label={label}
      rules={[{ required: true, whitespace: true, message: t('请填写理由', 'A reason is required') }]}
    >
      <Input.TextArea rows={3} maxLength={2000} />
    </Form.Item>
  );
  return (
    <FormModal<FormValues, TTaskDetail>
      title={ACTION_LABEL[action]()}
      onClose={onClose}
      submit={submit}
      invalidate={[SUP_KEY]}
      success={t('已提交', 'Done')}
      initialValues={{ progress: task.progress, cadence: task.cadence, priority: 'normal' }}
      modalProps={{ okButtonProps: { id: 'sup-action-ok' } }}
    >
      {action === 'accept' && (
        <>
          <Form.Item name="leadUnitId" label={t('牵头单位', 'Lead unit')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={unitOptions} data-testid="sup-lead-unit" />
          </Form.Item>
          <Form.Item name="coUnitIds" label={t('配合单位', 'Co-units')}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={unitOptions} />
          </Form.Item>
          <Form.Item name="leadContact" label={t('联系人', 'Contact')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="deadline" label={t('完成时限', 'Deadline')} rules={[{ required: true }]}>
            <DatePicker data-testid="sup-deadline" />
          </Form.Item>
          <Form.Item name="cadence" label={t('报送频次', 'Report cadence')}>
            <Select options={Object.entries(CADENCES).map(([value, l]) => ({ value, label: l() }))} />
          </Form.Item>
        </>
      )}
      {action === 'merge' && (
        <>
          <Form.Item name="intoTaskId" label={t('并入事项编号', 'Merge into task #')} rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
          {reason(t('合并理由', 'Reason'))}
        </>
      )}
      {(action === 'decline' || action === 'returnPlan' || action === 'rejectCompletion') &&
        reason(t('理由', 'Reason'))}
      {(action === 'sign' || action === 'approvePlan') && (
        <Form.Item name="note" label={t('意见（可选）', 'Note (optional)')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      {action === 'submitPlan' && (
        <Form.Item
          name="plan"
          label={t('工作方案（措施、节点、责任人）', 'Plan (measures, milestones, people)')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={6} maxLength={5000} data-testid="sup-plan" />
        </Form.Item>
      )}
      {(action === 'report' || action === 'applyCompletion') && (
        <>
          {action === 'report' && (
            <Form.Item name="progress" label={t('完成进度（%）', 'Progress (%)')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} data-testid="sup-progress" />
            </Form.Item>
          )}
          {action === 'report' && task.milestones.some((x) => !x.doneOn) && (
            <Form.Item name="milestoneIdsDone" label={t('本次完成的节点', 'Milestones done')}>
              <Select
                mode="multiple"
                options={task.milestones
                  .filter((x) => !x.doneOn)
                  .map((x) => ({ value: x.id, label: `${x.dueOn} ${x.title}` }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={action === 'report' ? t('进展情况', 'Progress') : t('办结情况', 'Completion')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={4} maxLength={5000} data-testid="sup-note" />
          </Form.Item>
          <FileUploadButton
            action={supervisionApi.taskFilesUrl(task.id)}
            label={t('上传佐证材料', 'Upload evidence')}
            buttonTestId="sup-upload"
            onUploaded={(f, name) => setFileIds((l) => [...l, { id: f.id, name }])}
          />
          {fileIds.map((f) => (
            <div key={f.id}>
              <PaperClipOutlined /> {f.name}
            </div>
          ))}
        </>
      )}
      {action === 'review' && (
        <>
          <Form.Item name="completion" label={t('办结评定', 'Completion')} rules={[{ required: true }]}>
            <Select
              options={Object.entries(COMPLETIONS).map(([value, l]) => ({ value, label: l() }))}
              data-testid="sup-completion"
            />
          </Form.Item>
          <Form.Item name="quality" label={t('质量等次', 'Quality')} rules={[{ required: true }]}>
            <Select
              options={Object.entries(QUALITIES).map(([value, l]) => ({ value, label: l() }))}
              data-testid="sup-quality"
            />
          </Form.Item>
          {reason(t('评定理由', 'Reason'))}
        </>
      )}
    </FormModal>
  );
}
