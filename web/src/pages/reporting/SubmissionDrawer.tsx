import {
  CheckOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Input,
  Modal,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { FormFields, fieldProblem, type Values } from './FormFields';
import {
  ACTION_LABEL,
  flagKeyOf,
  fmtNum,
  fmtTime,
  isConfirmationError,
  showValue,
  statusLabel,
  STATUS,
  type TFlag,
  type TFormDefinition,
  type TSubmissionDetail,
} from './reportingData';
import { submissionKey, reportingApi, useSubmission } from './api';
import { FileUploadButton } from '../../components/FileUploadButton';

/** What the drawer opens: an existing submission, or a new entry for a leaf, unit and month. */
export type DrawerTarget = { id: number } | { indicatorId: number; unitId: number; period: string; title?: string };

type Confirm = {
  flags: { key: string; message: string }[];
  run: (c: { key: string; comment: string }[]) => Promise<unknown>;
};

/**
 * One submission: its form (editable while a draft), soft flags and their confirmation, evidence,
 * the workflow buttons the user may use, revision requests and the full history.
 */
export function SubmissionDrawer({ target, onClose }: { target: DrawerTarget | null; onClose: () => void }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { me, can } = useAuth();
  const [id, setId] = useState<number | null>(null);
  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [returning, setReturning] = useState(false);
  const [revising, setRevising] = useState(false);
  const [reason, setReason] = useState('');
  const [rejectReason, setRejectReason] = useState('');

  useEffect(() => {
    setId(target && 'id' in target ? target.id : null);
    setErrors({});
    setGeneralError(null);
    setRevising(false);
    setReason('');
  }, [target]);

  const detail = useSubmission(id);
  const newEntry = target && !('id' in target) ? target : null;
  const form = useQuery({
    queryKey: ['reporting', 'form', newEntry?.indicatorId ?? 0],
    queryFn: () => reportingApi.form(newEntry!.indicatorId),
    enabled: !!newEntry && !id,
  });
  const d = id ? detail.data : undefined;
  const def: TFormDefinition | undefined = d?.form ?? form.data?.definition;

  useEffect(() => {
    if (d) setValues({ ...d.values });
    else if (form.data) setValues({});
  }, [d, form.data]);

  const refreshAll = async (next?: TSubmissionDetail) => {
    if (next) {
      qc.setQueryData(submissionKey(next.id), next);
      setId(next.id);
    }
    await qc.invalidateQueries({ queryKey: ['reporting'], refetchType: 'active' });
  };

  const showError = (e: unknown) => {
    if (e instanceof ApiError && e.field?.startsWith('values.')) {
      setErrors({ [e.field.slice(7)]: e.message });
      setGeneralError(null);
    } else {
      setGeneralError(errorText(e));
    }
  };

  const localCheck = (): boolean => {
    if (!def) return false;
    const errs: Record<string, string> = {};
    for (const f of def.fields) {
      const p = fieldProblem(f, values[f.key]);
      if (p) errs[f.key] = p;
    }
    setErrors(errs);
    return !Object.keys(errs).length;
  };

  /** Runs an action that may ask for flag confirmations: on a confirmation error, asks and retries. */
  const withConfirmations = async (
    run: (c: { key: string; comment: string }[]) => Promise<unknown>,
    pending: TFlag[],
  ) => {
    if (pending.length) {
      setConfirm({ flags: pending.map((f) => ({ key: f.key, message: f.message })), run });
      return;
    }
    try {
      await run([]);
    } catch (e) {
      if (isConfirmationError(e)) setConfirm({ flags: [{ key: flagKeyOf(e), message: e.message }], run });
      else throw e;
    }
  };

  const save = useMutation({
    mutationFn: async () => {
      if (!localCheck())
        throw new ApiError(400, 'VALIDATION', t('请先更正表单中的错误', 'Fix the errors in the form first'));
      const next = id
        ? await reportingApi.saveSubmission(id, values)
        : await reportingApi.createSubmission({
            indicatorId: newEntry!.indicatorId,
            unitId: newEntry!.unitId,
            period: newEntry!.period,
            values,
          });
      return next;
    },
    onSuccess: async (next) => {
      setErrors({});
      setGeneralError(null);
      await refreshAll(next);
      message.success(
        next.flags.some((f) => !f.comment)
          ? t('已保存；有异常提示需要在提交时说明', 'Saved; some values are flagged and need a comment when you submit')
          : t('已保存草稿', 'Draft saved'),
      );
    },
    onError: showError,
  });

  const submit = useMutation({
    mutationFn: async () => {
      // Save first when the values changed, so what is submitted is what is shown.
      let cur = d;
      if (!cur || JSON.stringify(cur.values) !== JSON.stringify(values) || !id) {
        if (!localCheck())
          throw new ApiError(400, 'VALIDATION', t('请先更正表单中的错误', 'Fix the errors in the form first'));
        cur = id
          ? await reportingApi.saveSubmission(id, values)
          : await reportingApi.createSubmission({
              indicatorId: newEntry!.indicatorId,
              unitId: newEntry!.unitId,
              period: newEntry!.period,
              values,
            });
        await refreshAll(cur);
      }
      const subId = cur.id;
      await withConfirmations(
        async (confirmations) => {
          const next = await reportingApi.act(subId, 'submit', { confirmations });
          await refreshAll(next);
          message.success(t('已提交，等待单位领导审核', 'Submitted for the unit leader'));
        },
        cur.flags.filter((f) => !f.comment),
      );
    },
    onError: showError,
  });

  const act = useMutation({
    mutationFn: async (a: { path: string; body?: unknown; ok: string }) => {
      const next = await reportingApi.act(id!, a.path, (a.body ?? {}) as object);
      await refreshAll(next);
      message.success(a.ok);
    },
    onError: showError,
  });

  const requestRevision = useMutation({
    mutationFn: async () => {
      if (!localCheck())
        throw new ApiError(400, 'VALIDATION', t('请先更正表单中的错误', 'Fix the errors in the form first'));
      if (!reason.trim()) throw new ApiError(400, 'VALIDATION', t('请填写修订理由', 'Give a reason'), 'reason');
      await withConfirmations(async (confirmations) => {
        const next = await reportingApi.act(id!, 'revisions', { reason, values, confirmations });
        await refreshAll(next);
        setRevising(false);
        message.success(t('修订申请已提交，等待绩效办审批', 'Revision requested; the office will decide'));
      }, []);
    },
    onError: showError,
  });

  const removeDraft = useMutation({
    mutationFn: () => reportingApi.deleteSubmission(id!),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['reporting'] });
      onClose();
    },
    onError: showError,
  });

  const removeEvidence = useMutation({
    mutationFn: (evId: number) => reportingApi.deleteEvidence(evId),
    onSuccess: async () => refreshAll(),
    onError: showError,
  });

  const decideRevision = useMutation({
    mutationFn: async (a: { id: number; approve: boolean; comment: string }) => {
      const next = await reportingApi.decideRevision(a.id, a.approve, a.comment);
      await refreshAll(next);
      setRejectReason('');
      message.success(
        a.approve ? t('已批准修订，新值已生效', 'Approved; the new value is current') : t('已驳回修订申请', 'Rejected'),
      );
    },
    onError: showError,
  });

  const ab = d?.abilities;
  const pendingRev = d?.revisions.find((r) => r.status === 'requested');
  const editable = !d ? !!newEntry : !!ab?.edit;
  const busy = save.isPending || submit.isPending || act.isPending || requestRevision.isPending;
  const title = d ? `${d.indicatorCode} ${d.indicatorName}` : (newEntry?.title ?? form.data?.name ?? '');

  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      size="large"
      title={
        <Space wrap>
          <span>{title}</span>
          {d && <Tag color={STATUS[d.status].color}>{statusLabel(d)}</Tag>}
          {d?.returned && <Tag color="red">{t('已退回', 'Returned')}</Tag>}
          {d?.late && <Tag color="volcano">{t('迟报', 'Late')}</Tag>}
          {d?.pendingRevision && <Tag color="purple">{t('修订待审批', 'Revision pending')}</Tag>}
        </Space>
      }
      footer={
        <Space wrap>
          {editable && !revising && (
            <Button
              icon={<SaveOutlined />}
              loading={save.isPending}
              disabled={busy}
              onClick={() => save.mutate()}
              data-testid="btn-save"
            >
              {t('保存草稿', 'Save draft')}
            </Button>
          )}
          {(!d ? !!newEntry : ab?.submit) && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={submit.isPending}
              disabled={busy}
              onClick={() => submit.mutate()}
              data-testid="btn-submit"
            >
              {t('提交', 'Submit')}
            </Button>
          )}
          {ab?.approve && (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={busy}
              onClick={() =>
                act.mutate({ path: 'approve', ok: t('已审核通过，报绩效办', 'Approved; sent to the office') })
              }
              data-testid="btn-approve"
            >
              {t('审核通过', 'Approve')}
            </Button>
          )}
          {ab?.accept && (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={busy}
              onClick={() => act.mutate({ path: 'accept', ok: t('已审核归档', 'Accepted') })}
              data-testid="btn-accept"
            >
              {t('审核归档', 'Accept')}
            </Button>
          )}
          {ab?.return && (
            <Button
              danger
              icon={<RollbackOutlined />}
              disabled={busy}
              onClick={() => setReturning(true)}
              data-testid="btn-return"
            >
              {t('退回', 'Return')}
            </Button>
          )}
          {ab?.requestRevision && !revising && (
            <Button
              icon={<EditOutlined />}
              disabled={busy}
              onClick={() => setRevising(true)}
              data-testid="btn-revision"
            >
              {t('申请修订', 'Request a revision')}
            </Button>
          )}
          {revising && (
            <>
              <Button
                type="primary"
                loading={requestRevision.isPending}
                onClick={() => requestRevision.mutate()}
                data-testid="btn-revision-submit"
              >
                {t('提交修订申请', 'Send the request')}
              </Button>
              <Button
                onClick={() => {
                  setRevising(false);
                  if (d) setValues({ ...d.values });
                }}
              >
                {t('取消', 'Cancel')}
              </Button>
            </>
          )}
          {ab?.delete && (
            <Button
              danger
              type="text"
              icon={<DeleteOutlined />}
              disabled={busy}
              onClick={() => removeDraft.mutate()}
              data-testid="btn-delete"
            >
              {t('删除草稿', 'Delete draft')}
            </Button>
          )}
        </Space>
      }
    >
      {(detail.isLoading || form.isLoading) && <Spin />}
      {(detail.error || form.error) && <Alert type="error" showIcon title={errorText(detail.error ?? form.error)} />}
      {def && (
        <Space orientation="vertical" style={{ width: '100%' }} size={12}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('单位', 'Unit')}>{d?.unitName ?? me?.unitName}</Descriptions.Item>
            <Descriptions.Item label={t('填报期', 'Period')}>{d?.period ?? newEntry?.period}</Descriptions.Item>
            {d && <Descriptions.Item label={t('截止日期', 'Deadline')}>{d.deadline}</Descriptions.Item>}
            {d && (
              <Descriptions.Item label={t('计分值', 'Score value')}>
                {fmtNum(d.value)} {d.unitOfMeasure}
              </Descriptions.Item>
            )}
            {d && (
              <Descriptions.Item
                label={t('最近录入', 'Last entered')}
              >{`${d.enteredByName} · ${fmtTime(d.enteredAt)}`}</Descriptions.Item>
            )}
            {d?.source === 'third_party' && (
              <Descriptions.Item label={t('数据来源', 'Source')}>
                {t('考评主体录入（第三方）', 'Entered by the assessing body')}
              </Descriptions.Item>
            )}
          </Descriptions>
          {d?.returned && (
            <Alert
              type="error"
              showIcon
              title={t(
                `被${d.returnedStage === 'office' ? '绩效办' : '单位领导'}退回`,
                `Returned by the ${d.returnedStage === 'office' ? 'office' : 'unit leader'}`,
              )}
              description={d.returnReason}
              data-testid="return-reason"
            />
          )}
          {d?.status === 'accepted' && !revising && (
            <Alert
              type="info"
              showIcon
              title={t(
                '该期数据已审核归档，受保护不能修改；如需更正请申请修订，经绩效办批准后生效，原值保留在修订记录中。',
                'Accepted data are protected; request a revision to correct them.',
              )}
            />
          )}
          {generalError && (
            <Alert type="error" showIcon title={generalError} closable onClose={() => setGeneralError(null)} />
          )}
          {!!d?.flags.length && (
            <Alert
              type="warning"
              showIcon
              icon={<WarningOutlined />}
              title={t('异常提示（数据甄别）', 'Flagged values')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {d.flags.map((f) => (
                    <li key={f.key}>
                      {f.message}
                      {f.comment ? (
                        <Typography.Text type="secondary">{` — ${t('说明', 'Comment')}：${f.comment}（${f.confirmedBy}）`}</Typography.Text>
                      ) : (
                        <Typography.Text type="danger">
                          {t(' — 提交时需填写说明', ' — needs a comment on submit')}
                        </Typography.Text>
                      )}
                    </li>
                  ))}
                </ul>
              }
              data-testid="flags"
            />
          )}
          {revising && (
            <Alert
              type="warning"
              showIcon
              title={t(
                '修订申请：修改下列数值并说明理由，经绩效办批准后成为当前值。',
                'Revision: change the values and give a reason; the office decides.',
              )}
            />
          )}
          {editable || revising ? (
            <FormFields def={def} values={values} onChange={setValues} errors={errors} evidence={d?.evidence} />
          ) : (
            <Descriptions size="small" column={1} bordered title={t('填报数据', 'Values')}>
              {def.fields.map((f) => (
                <Descriptions.Item key={f.key} label={f.label}>
                  {showValue(f, d?.values[f.key])}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
          {revising && (
            <Input.TextArea
              rows={3}
              maxLength={500}
              placeholder={t('修订理由（必填）', 'Reason (required)')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="revision-reason"
            />
          )}
          {d && (
            <>
              <Divider titlePlacement="start">{t('台账材料', 'Evidence')}</Divider>
              {d.evidence.length ? (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={d.evidence}
                  columns={[
                    {
                      title: t('文件', 'File'),
                      dataIndex: 'name',
                      render: (n: string, e) => <a href={reportingApi.evidenceUrl(e.id)}>{n}</a>,
                    },
                    {
                      title: t('大小', 'Size'),
                      dataIndex: 'size',
                      width: 90,
                      render: (s: number) => `${Math.max(1, Math.round(s / 1024))} KB`,
                    },
                    { title: t('上传人', 'By'), dataIndex: 'uploadedByName', width: 140 },
                    { title: t('时间', 'At'), dataIndex: 'uploadedAt', width: 170, render: fmtTime },
                    {
                      title: '',
                      width: 80,
                      render: (_: unknown, e) => (
                        <Space>
                          <Button
                            size="small"
                            type="text"
                            icon={<DownloadOutlined />}
                            href={reportingApi.evidenceUrl(e.id)}
                          />
                          {ab?.deleteEvidence && (
                            <Button
                              size="small"
                              type="text"
                              danger
                              icon={<DeleteOutlined />}
                              onClick={() => removeEvidence.mutate(e.id)}
                            />
                          )}
                        </Space>
                      ),
                    },
                  ]}
                />
              ) : (
                <Typography.Text type="secondary">{t('暂无附件', 'No evidence yet')}</Typography.Text>
              )}
              {ab?.uploadEvidence && (
                <FileUploadButton
                  action={reportingApi.evidenceUploadUrl(d.id)}
                  label={t('上传附件（PDF、图片、Office 文档、ZIP）', 'Upload (PDF, images, Office, ZIP)')}
                  testId="evidence-upload"
                  style={{ marginTop: 8 }}
                  onUploaded={(_, name) => {
                    message.success(t(`已上传 ${name}`, `Uploaded ${name}`));
                    void refreshAll();
                  }}
                />
              )}
              {d.revisions.length > 0 && (
                <>
                  <Divider titlePlacement="start">{t('修订记录', 'Revision history')}</Divider>
                  <RevisionTable revisions={d.revisions} def={def} current={d.revision} />
                  {pendingRev && can('submissions.accept') && (
                    <Space style={{ marginTop: 8 }}>
                      <Button
                        type="primary"
                        icon={<CheckOutlined />}
                        disabled={busy}
                        onClick={() => decideRevision.mutate({ id: pendingRev.id, approve: true, comment: '' })}
                        data-testid="btn-revision-approve"
                      >
                        {t('批准修订', 'Approve the revision')}
                      </Button>
                      <Input
                        placeholder={t('驳回理由', 'Reason to reject')}
                        value={rejectReason}
                        onChange={(e) => setRejectReason(e.target.value)}
                        style={{ width: 240 }}
                      />
                      <Button
                        danger
                        disabled={busy || !rejectReason.trim()}
                        onClick={() =>
                          decideRevision.mutate({ id: pendingRev.id, approve: false, comment: rejectReason.trim() })
                        }
                      >
                        {t('驳回', 'Reject')}
                      </Button>
                    </Space>
                  )}
                </>
              )}
              <Divider titlePlacement="start">{t('办理记录', 'History')}</Divider>
              {d.events.length ? (
                <Timeline
                  items={d.events.map((e) => ({
                    color:
                      e.action === 'return' || e.action === 'revision_reject'
                        ? 'red'
                        : e.action === 'accept' || e.action === 'revision_approve'
                          ? 'green'
                          : 'blue',
                    content: (
                      <span>
                        <b>{ACTION_LABEL[e.action]?.() ?? e.action}</b> · {e.actorName} · {fmtTime(e.at)}
                        {e.comment && <div style={{ color: '#595959' }}>{e.comment}</div>}
                      </span>
                    ),
                  }))}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </>
          )}
        </Space>
      )}
      <ReturnModal
        open={returning}
        onCancel={() => setReturning(false)}
        onOk={(r) => {
          setReturning(false);
          act.mutate({ path: 'return', body: { reason: r }, ok: t('已退回', 'Returned') });
        }}
      />
      <ConfirmFlagsModal confirm={confirm} onDone={() => setConfirm(null)} onError={showError} />
    </Drawer>
  );
}

/** Every revision: r0 as first accepted, later corrections with who/when/why and old → new values. */
function RevisionTable({
  revisions,
  def,
  current,
}: {
  revisions: TSubmissionDetail['revisions'];
  def: TFormDefinition;
  current: number;
}) {
  const keys = (v: Record<string, unknown>) => [
    ...def.fields.map((f) => f.key).filter((k) => k in v),
    ...Object.keys(v).filter((k) => !def.fields.some((f) => f.key === k)),
  ];
  const fieldOf = (k: string) => def.fields.find((f) => f.key === k);
  const rows = revisions.map((r, i) => ({
    ...r,
    prev:
      i > 0
        ? (revisions
            .slice(0, i)
            .filter((x) => x.status === 'approved')
            .pop() ?? null)
        : null,
  }));
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={rows}
      data-testid="revisions"
      columns={[
        {
          title: t('版本', 'Rev.'),
          dataIndex: 'revision',
          width: 70,
          render: (n: number) => (
            <Space size={2}>
              r{n}
              {n === current && <Tag color="green">{t('当前', 'current')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('数值（原值 → 新值）', 'Values (old → new)'),
          width: 240,
          render: (_: unknown, r) => (
            <div>
              {keys(r.values).map((k) => {
                const before = r.prev?.values[k];
                const changed = r.prev && JSON.stringify(before) !== JSON.stringify(r.values[k]);
                if (r.prev && !changed) return null;
                return (
                  <div key={k}>
                    {fieldOf(k)?.label ?? k}：
                    {changed ? (
                      <Typography.Text delete type="secondary">
                        {showValue(fieldOf(k), before)}
                      </Typography.Text>
                    ) : null}
                    {changed ? ' → ' : ''}
                    <b>{showValue(fieldOf(k), r.values[k])}</b>
                  </div>
                );
              })}
            </div>
          ),
        },
        {
          title: t('理由', 'Why'),
          dataIndex: 'reason',
          render: (s: string | null, r) => s ?? (r.revision === 0 ? t('首次归档', 'First accepted') : '—'),
        },
        { title: t('申请人', 'By'), render: (_: unknown, r) => `${r.requestedByName} · ${fmtTime(r.requestedAt)}` },
        {
          title: t('审批', 'Decision'),
          render: (_: unknown, r) => (
            <span>
              <Tag color={r.status === 'approved' ? 'green' : r.status === 'rejected' ? 'red' : 'gold'}>
                {r.status === 'approved'
                  ? t('已批准', 'Approved')
                  : r.status === 'rejected'
                    ? t('已驳回', 'Rejected')
                    : t('待审批', 'Pending')}
              </Tag>
              {r.decidedByName && `${r.decidedByName} · ${fmtTime(r.decidedAt)}`}
              {r.decisionComment && <div style={{ color: '#595959' }}>{r.decisionComment}</div>}
            </span>
          ),
        },
      ]}
    />
  );
}

export function ReturnModal({
  open,
  onCancel,
  onOk,
  count,
}: {
  open: boolean;
  onCancel: () => void;
  onOk: (reason: string) => void;
  count?: number;
}) {
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <Modal
      open={open}
      title={count && count > 1 ? t(`退回 ${count} 条填报`, `Return ${count} submissions`) : t('退回填报', 'Return')}
      onCancel={onCancel}
      okText={t('退回', 'Return')}
      okButtonProps={{ danger: true, disabled: !reason.trim(), 'data-testid': 'return-ok' } as ButtonProps}
      onOk={() => onOk(reason.trim())}
    >
      <Input.TextArea
        rows={4}
        maxLength={500}
        placeholder={t('退回原因（必填，将显示给填报人）', 'Reason (required; shown to the reporter)')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="return-reason-input"
      />
    </Modal>
  );
}

/** Asks the reporter to confirm each flagged value with a comment, then runs the action with the confirmations. */
function ConfirmFlagsModal({
  confirm,
  onDone,
  onError,
}: {
  confirm: Confirm | null;
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  const [comments, setComments] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => setComments({}), [confirm]);
  if (!confirm) return null;
  const ready = confirm.flags.every((f) => (comments[f.key] ?? '').trim());
  return (
    <Modal
      open
      title={t('请确认异常提示', 'Confirm the flagged values')}
      onCancel={onDone}
      okText={t('确认并提交', 'Confirm and continue')}
      okButtonProps={{ disabled: !ready, loading: busy, 'data-testid': 'confirm-flags-ok' } as ButtonProps}
      onOk={async () => {
        setBusy(true);
        try {
          await confirm.run(confirm.flags.map((f) => ({ key: f.key, comment: comments[f.key].trim() })));
          onDone();
        } catch (e) {
          if (isConfirmationError(e)) {
            onDone();
            onError(e);
          } else {
            onError(e);
            onDone();
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph type="secondary">
        {t(
          '系统对录入数据进行了甄别。数值不会被自动修改；请核实后逐条说明原因，绩效办审核时可见。',
          'The values are kept as entered; explain each flag. The office sees your comments.',
        )}
      </Typography.Paragraph>
      {confirm.flags.map((f) => (
        <div key={f.key} style={{ marginBottom: 12 }}>
          <Alert type="warning" showIcon title={f.message} style={{ marginBottom: 6 }} />
          <Input.TextArea
            rows={2}
            maxLength={500}
            placeholder={t('情况说明（必填）', 'Comment (required)')}
            value={comments[f.key] ?? ''}
            onChange={(e) => setComments({ ...comments, [f.key]: e.target.value })}
            data-testid={`confirm-${f.key}`}
          />
        </div>
      ))}
    </Modal>
  );
}
