import { UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
  type FormInstance,
  type UploadFile,
} from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import type { CaseUiAction, TCaseDetail, TRoutingSuggestion } from '@server/modules/cases/cases.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { beijingToday } from '../../lib/time';
import { RATING_LABEL, STATUS_LABEL, type Rating } from './casesData';
import {
  CASES_KEY,
  casesApi,
  ESCALATIONS_KEY,
  NOTICES_KEY,
  useCaseDuplicates,
  useCaseList,
  useRefreshCases,
} from './api';
import { FormModal } from '../../components/FormModal';
import { useAddWorkingDays, useUnits } from '../admin/api';

/** Button labels of the case actions. */
export const ACTION_LABEL: Record<CaseUiAction, () => string> = {
  dispatch: () => t('派单', 'Dispatch'),
  reject: () => t('不予受理', 'Reject'),
  merge: () => t('合并重复件', 'Merge'),
  sign: () => t('签收', 'Sign for'),
  start: () => t('开始办理', 'Start'),
  extension: () => t('申请延期', 'Request extension'),
  return: () => t('退单', 'Return'),
  report: () => t('办结上报', 'Report result'),
  upload: () => t('上传附件', 'Upload'),
  verify: () => t('核查', 'Verify'),
  close: () => t('办结（无法回访）', 'Close without feedback'),
  feedback: () => t('录入回访评价', 'Record feedback'),
  review: () => t('专业评价', 'Professional review'),
  escalate: () => t('申请督办', 'Request escalation'),
  remind: () => t('催办', 'Remind'),
  decide_extension: () => t('审批延期', 'Decide extension'),
  decide_escalation: () => t('审批督办', 'Decide escalation'),
  follow_escalation: () => t('督办意见', 'Escalation note'),
  confidential: () => t('保密设置', 'Confidentiality'),
};

/** Actions done with one click, without a form. */
const DIRECT: CaseUiAction[] = ['sign', 'start'];
/** Primary actions (shown first, highlighted). */
const PRIMARY: CaseUiAction[] = [
  'dispatch',
  'sign',
  'start',
  'report',
  'verify',
  'feedback',
  'review',
  'decide_extension',
  'decide_escalation',
];

type Values = Record<string, unknown>;

/** Uploads files to a case; returns their attachment ids. */
async function uploadFiles(caseId: number, files: UploadFile[]): Promise<number[]> {
  if (!files.length) return [];
  const fd = new FormData();
  for (const f of files) if (f.originFileObj) fd.append('file', f.originFileObj, f.name);
  const res = await casesApi.uploadAttachments(caseId, fd);
  return res.ids;
}

function DeadlinePreview({ days }: { days: number | null | undefined }) {
  const today = beijingToday();
  const q = useAddWorkingDays(today, days, !!days && days > 0);
  if (!days) return null;
  return (
    <Typography.Text type="secondary" data-testid="deadline-preview">
      {t('办理时限至', 'Due by')} {q.data?.date ?? '…'}（
      {t('按工作日计算，已扣除节假日', 'working days, holidays excluded')}）
    </Typography.Text>
  );
}

/** Dispatch form fields: lead (preselected from the routing suggestion), assisting departments, time limit. */
export function DispatchFields({
  suggestion,
  form,
}: {
  suggestion: TRoutingSuggestion | undefined;
  form: FormInstance;
}) {
  const units = useUnits();
  const days = Form.useWatch('timeLimitDays', form) as number | undefined;
  const options = (units.data ?? [])
    .filter((u) => u.active && u.kind !== 'district')
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <>
      {suggestion && suggestion.suggestions.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <Space wrap>
              {t('派单建议：', 'Suggested: ')}
              {suggestion.suggestions.slice(0, 3).map((s) => (
                <Tag
                  key={s.unitId}
                  color={s.source === 'rule' ? 'red' : 'blue'}
                  style={{ cursor: 'pointer' }}
                  onClick={() => form.setFieldValue('leadUnitId', s.unitId)}
                >
                  {s.unitName}
                  {s.source === 'rule'
                    ? t(`（规则：${s.matched}）`, ` (rule: ${s.matched})`)
                    : t('（分类默认）', ' (category default)')}
                </Tag>
              ))}
            </Space>
          }
        />
      )}
      <Form.Item
        name="leadUnitId"
        label={t('主办单位', 'Lead department')}
        rules={[{ required: true, message: t('请选择主办单位', 'Choose the lead department') }]}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={options}
          data-testid="dispatch-lead"
          placeholder={t('选择主办单位', 'Lead department')}
        />
      </Form.Item>
      <Form.Item name="assistUnitIds" label={t('协办单位', 'Assisting departments')}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={options}
          data-testid="dispatch-assist"
          placeholder={t('可选，联合办理', 'Optional, for joint handling')}
        />
      </Form.Item>
      <Form.Item label={t('办理时限（工作日）', 'Time limit (working days)')} required>
        <Space wrap>
          <Form.Item name="timeLimitDays" noStyle rules={[{ required: true }]}>
            <InputNumber min={1} max={365} data-testid="dispatch-days" />
          </Form.Item>
          <DeadlinePreview days={days} />
        </Space>
      </Form.Item>
      <Form.Item name="note" label={t('派单意见', 'Note to the department')}>
        <Input.TextArea rows={2} maxLength={1000} data-testid="dispatch-note" />
      </Form.Item>
    </>
  );
}

function MergePicker({ caseId, value, onChange }: { caseId: number; value?: number; onChange?: (v: number) => void }) {
  const dups = useCaseDuplicates(caseId);
  const [number, setNumber] = useState('');
  const search = useCaseList(['search', number], { q: number, pageSize: 5 }, { enabled: number.length >= 6 });
  const items = [
    ...(dups.data ?? []).map((d) => ({
      id: d.id,
      number: d.number,
      text: d.summary,
      extra: d.reason === 'nearby' ? `${t('相距', '')} ${d.distanceM} m` : t('地址相同/相近', 'same address'),
    })),
    ...(search.data?.items ?? [])
      .filter((i) => i.id !== caseId)
      .map((i) => ({ id: i.id, number: i.number, text: i.summary, extra: STATUS_LABEL[i.status]() })),
  ].filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.Search
        placeholder={t('按办件编号查找主办件', 'Find the main case by number')}
        onSearch={(v) => setNumber(v.trim())}
        data-testid="merge-search"
      />
      <Radio.Group value={value} onChange={(e) => onChange?.(e.target.value as number)} style={{ width: '100%' }}>
        <List
          size="small"
          locale={{ emptyText: t('没有发现重复诉求', 'No duplicates found') }}
          dataSource={items}
          renderItem={(d) => (
            <List.Item>
              <Radio value={d.id} data-testid={`merge-into-${d.id}`}>
                <Typography.Text strong>{d.number}</Typography.Text> {d.text}{' '}
                <Typography.Text type="secondary">{d.extra}</Typography.Text>
              </Radio>
            </List.Item>
          )}
        />
      </Radio.Group>
    </Space>
  );
}

const YesNo = ({ name, yes, no, testId }: { name: string; yes: string; no: string; testId: string }) => (
  <Form.Item name={name} rules={[{ required: true, message: t('请选择', 'Choose one') }]}>
    <Radio.Group>
      <Radio value={true} data-testid={`${testId}-yes`}>
        {yes}
      </Radio>
      <Radio value={false} data-testid={`${testId}-no`}>
        {no}
      </Radio>
    </Radio.Group>
  </Form.Item>
);

const textField = (name: string, label: string, required: boolean, rows = 3) => (
  <Form.Item
    name={name}
    label={label}
    rules={required ? [{ required: true, whitespace: true, message: t(`请填写${label}`, `${label} is required`) }] : []}
  >
    <Input.TextArea rows={rows} maxLength={name === 'result' ? 4000 : 1000} showCount data-testid={`action-${name}`} />
  </Form.Item>
);

/** The form of one action on a case, in a modal. */
export function ActionModal({
  caseId,
  action,
  detail,
  onClose,
}: {
  caseId: number;
  action: CaseUiAction | null;
  detail?: TCaseDetail;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const suggestion = useQuery({
    queryKey: ['cases', 'routing', caseId],
    queryFn: () => casesApi.routingSuggestionOf(caseId),
    enabled: action === 'dispatch',
  });
  useEffect(() => {
    if (!action) return;
    form.resetFields();
    setFiles([]);
  }, [action, form]);
  useEffect(() => {
    if (action === 'dispatch' && suggestion.data && !form.getFieldValue('leadUnitId')) {
      form.setFieldsValue({
        leadUnitId: suggestion.data.suggestions[0]?.unitId,
        timeLimitDays: suggestion.data.timeLimitDays,
        assistUnitIds: [],
      });
    }
  }, [action, suggestion.data, form]);
  if (!action) return null;

  const pendingExt = detail?.dispatches.filter((d) => d.extensionRequest) ?? [];
  const openEscalation = detail?.escalations.find((e) => e.status === 'pending' || e.status === 'approved');

  const submit = async (v: Values): Promise<void> => {
    const post = (path: string, body: object) => casesApi.act(caseId, path, body);
    switch (action) {
      case 'dispatch':
        await post('dispatch', {
          leadUnitId: v.leadUnitId,
          assistUnitIds: v.assistUnitIds ?? [],
          timeLimitDays: v.timeLimitDays,
          note: v.note ?? '',
        });
        return;
      case 'reject':
        await post('reject', { reason: v.reason });
        return;
      case 'merge':
        await post('merge', { mainCaseId: v.mainCaseId });
        return;
      case 'sign':
      case 'start':
        await post(action, {});
        return;
      case 'extension':
        await post('extension', { days: v.days, reason: v.reason });
        return;
      case 'return':
        await post('return', { reason: v.reason });
        return;
      case 'report': {
        const ids = await uploadFiles(caseId, files);
        await post('report', { result: v.result, attachmentIds: ids });
        return;
      }
      case 'upload':
        if (!files.length) throw new Error(t('请选择文件', 'Choose a file'));
        await uploadFiles(caseId, files);
        return;
      case 'verify':
        await post('verify', { ok: v.ok, note: v.note ?? '' });
        return;
      case 'close':
        await post('close', { note: v.note });
        return;
      case 'feedback':
        await post('feedback', { rating: v.rating, comment: v.comment ?? '' });
        return;
      case 'review':
        await post('review', { qualified: v.qualified, note: v.note });
        return;
      case 'escalate':
        await post('escalate', { reason: v.reason });
        return;
      case 'remind':
        await post('remind', { note: v.note });
        return;
      case 'confidential':
        await casesApi.setConfidential(caseId, { confidential: v.confidential as boolean, reason: v.reason as string });
        return;
      case 'decide_extension':
        await post('extension/decide', {
          approve: v.approve,
          days: v.approve ? v.days : undefined,
          note: v.note ?? '',
          dispatchId: v.dispatchId,
        });
        return;
      case 'decide_escalation':
        if (!openEscalation) throw new Error(t('没有待审批的督办申请', 'No pending escalation'));
        await casesApi.decideEscalation(openEscalation.id, {
          approve: v.approve as boolean,
          note: (v.note as string | undefined) ?? '',
        });
        return;
      case 'follow_escalation':
        if (!openEscalation) throw new Error(t('没有督办中的记录', 'No approved escalation'));
        await casesApi.followEscalation(openEscalation.id, { note: v.note as string });
        return;
    }
  };

  const uploader = (
    <Form.Item label={t('附件（照片、PDF、Word、Excel）', 'Attachments')}>
      <Upload
        multiple
        fileList={files}
        beforeUpload={() => false}
        onChange={(i) => setFiles(i.fileList)}
        data-testid="action-files"
      >
        <Button icon={<UploadOutlined />}>{t('选择文件', 'Choose files')}</Button>
      </Upload>
    </Form.Item>
  );

  let body: ReactNode = null;
  switch (action) {
    case 'dispatch':
      body = <DispatchFields suggestion={suggestion.data} form={form} />;
      break;
    case 'reject':
      body = textField('reason', t('不予受理理由（将告知诉求人）', 'Reason (shown to the requester)'), true);
      break;
    case 'merge':
      body = (
        <Form.Item
          name="mainCaseId"
          label={t('合并到主办件', 'Merge into')}
          rules={[{ required: true, message: t('请选择主办件', 'Choose the main case') }]}
        >
          <MergePicker caseId={caseId} />
        </Form.Item>
      );
      break;
    case 'sign':
    case 'start':
      body = (
        <Typography.Paragraph>
          {t(`确认${ACTION_LABEL[action]()}？`, `${ACTION_LABEL[action]()}?`)}
        </Typography.Paragraph>
      );
      break;
    case 'extension':
      body = (
        <>
          <Form.Item name="days" label={t('延期天数（工作日）', 'Extra working days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} data-testid="action-days" />
          </Form.Item>
          {textField('reason', t('延期理由', 'Reason'), true)}
        </>
      );
      break;
    case 'return':
      body = textField('reason', t('退单理由', 'Why this is not for your unit'), true);
      break;
    case 'report':
      body = (
        <>
          {textField('result', t('办理结果', 'Result'), true, 5)}
          {uploader}
        </>
      );
      break;
    case 'upload':
      body = uploader;
      break;
    case 'verify':
      body = (
        <>
          <YesNo
            name="ok"
            yes={t('核查通过，通知诉求人', 'Accept the result')}
            no={t('不通过，退回承办单位', 'Send back to the department')}
            testId="action-ok"
          />
          {textField('note', t('核查意见', 'Note'), false)}
        </>
      );
      break;
    case 'close':
      body = textField('note', t('办结说明（如：无联系方式，无法回访）', 'Why (e.g. no contact)'), true);
      break;
    case 'feedback':
      body = (
        <>
          <Form.Item
            name="rating"
            label={t('诉求人评价', 'Rating')}
            rules={[{ required: true, message: t('请选择评价', 'Choose a rating') }]}
          >
            <Radio.Group>
              {(['satisfied', 'basic', 'unsatisfied'] as Rating[]).map((r) => (
                <Radio key={r} value={r} data-testid={`action-rating-${r}`}>
                  {RATING_LABEL[r]()}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          {textField('comment', t('回访记录', 'Callback notes'), false)}
        </>
      );
      break;
    case 'review':
      body = (
        <>
          <YesNo
            name="qualified"
            yes={t('合格，办结', 'Qualified: close')}
            no={t('不合格，退回重办', 'Unqualified: redo')}
            testId="action-qualified"
          />
          {textField('note', t('评价意见', 'Opinion'), true)}
        </>
      );
      break;
    case 'escalate':
      body = textField('reason', t('督办理由', 'Why level 1 should escalate'), true);
      break;
    case 'remind':
      body = textField('note', t('催办内容', 'Reminder'), true);
      break;
    case 'confidential':
      body = (
        <>
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            title={t(
              '标记保密的诉求不会出现在开放接口（Open311）的公开查询中；内部办理不受影响。',
              'A confidential case never appears on the public API (Open311); handling inside is unchanged.',
            )}
          />
          <YesNo
            name="confidential"
            yes={t('标记为保密', 'Mark confidential')}
            no={t('取消保密', 'Not confidential')}
            testId="action-confidential"
          />
          {textField('reason', t('理由', 'Reason'), true)}
        </>
      );
      break;
    case 'decide_extension':
      body = (
        <>
          {pendingExt.length > 1 && (
            <Form.Item name="dispatchId" label={t('工单', 'Work order')} rules={[{ required: true }]}>
              <Select
                options={pendingExt.map((d) => ({
                  value: d.id,
                  label: `${d.unitName}：${d.extensionRequest?.days}${t('天', ' days')}`,
                }))}
              />
            </Form.Item>
          )}
          {pendingExt.map((d) => (
            <Alert
              key={d.id}
              type="warning"
              style={{ marginBottom: 8 }}
              title={`${d.unitName}${t(`申请延期 ${d.extensionRequest?.days} 个工作日`, ` asks ${d.extensionRequest?.days} more days`)}`}
              description={d.extensionRequest?.reason}
            />
          ))}
          <YesNo name="approve" yes={t('同意', 'Approve')} no={t('不同意', 'Refuse')} testId="action-approve" />
          <Form.Item name="days" label={t('批准天数（默认按申请）', 'Days granted (default: as asked)')}>
            <InputNumber min={1} max={60} data-testid="action-days" />
          </Form.Item>
          {textField('note', t('审批意见', 'Note'), false)}
        </>
      );
      break;
    case 'decide_escalation':
      body = (
        <>
          {openEscalation && (
            <Alert
              type="warning"
              style={{ marginBottom: 8 }}
              title={t('督办理由：', 'Reason: ') + openEscalation.reason}
            />
          )}
          <YesNo
            name="approve"
            yes={t('批准，列为督办件', 'Approve')}
            no={t('不批准', 'Reject')}
            testId="action-approve"
          />
          {textField('note', t('审批意见', 'Note'), false)}
        </>
      );
      break;
    case 'follow_escalation':
      body = textField('note', t('督办意见（将通知承办单位）', 'Note to the departments'), true);
      break;
  }

  return (
    <FormModal<Values, void>
      form={form}
      title={ACTION_LABEL[action]()}
      onClose={onClose}
      submit={submit}
      invalidate={[CASES_KEY, ESCALATIONS_KEY, NOTICES_KEY]}
      success={t(`${ACTION_LABEL[action]()}成功`, `${ACTION_LABEL[action]()}: done`)}
      okText={t('确定', 'OK')}
      okTestId="case-action-submit"
      modalProps={{ cancelText: t('取消', 'Cancel') }}
      width={action === 'dispatch' || action === 'merge' ? 720 : 560}
      formProps={{ 'data-testid': `action-form-${action}` }}
      initialValues={action === 'confidential' ? { confidential: !detail?.confidential } : undefined}
    >
      {body}
    </FormModal>
  );
}

/** The buttons of the actions the user may take on the case now. */
export function CaseActionBar({ detail, only }: { detail: TCaseDetail; only?: CaseUiAction[] }) {
  const [open, setOpen] = useState<CaseUiAction | null>(null);
  const { message } = App.useApp();
  const refresh = useRefreshCases();
  const [busy, setBusy] = useState<CaseUiAction | null>(null);
  const actions = detail.actions
    .filter((a) => !only || only.includes(a))
    .sort((a, b) => Number(PRIMARY.includes(b)) - Number(PRIMARY.includes(a)));
  const direct = async (a: CaseUiAction) => {
    setBusy(a);
    try {
      await casesApi.act(detail.id, a);
      message.success(t(`${ACTION_LABEL[a]()}成功`, `${ACTION_LABEL[a]()}: done`));
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  if (!actions.length) return null;
  return (
    <>
      <Space wrap data-testid="case-actions">
        {actions.map((a) => (
          <Button
            key={a}
            type={PRIMARY.includes(a) ? 'primary' : 'default'}
            danger={a === 'reject' || a === 'return'}
            loading={busy === a}
            data-testid={`case-action-${a}`}
            onClick={() => (DIRECT.includes(a) ? void direct(a) : setOpen(a))}
          >
            {ACTION_LABEL[a]()}
          </Button>
        ))}
      </Space>
      <ActionModal caseId={detail.id} action={open} detail={detail} onClose={() => setOpen(null)} />
    </>
  );
}
