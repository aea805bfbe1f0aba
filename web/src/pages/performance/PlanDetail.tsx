import {
  CheckOutlined,
  DownloadOutlined,
  EditOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TPlanItem } from '@server/modules/performance/performance.schema';
import type { MethodKind } from '@server/engine/methods.schema';
import { ApiError, errorText } from '../../lib/api';
import { fmtDate, fmtTime } from '../../lib/time';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import {
  ADJUSTMENT_STATUS,
  DATA_SOURCE_LABEL,
  fmt,
  METHOD_LABEL,
  PLAN_STATUS,
  type TAdjustment,
  type TPlan,
} from './perfData';
import { planKey, performanceApi, usePlan } from './api';
import { FormModal } from '../../components/FormModal';
import { useUnits } from '../admin/api';

const NO_TARGET = new Set(['veto', 'qualitative', 'rank']);

type Draft = Record<number, { target: number | null; challenge: number | null; note: string }>;

function draftOf(plan: TPlan): Draft {
  return Object.fromEntries(
    plan.items.map((i) => [i.indicatorId, { target: i.target, challenge: i.challenge, note: i.note }]),
  );
}

/** A unit's plan: targets per applicable leaf, the workflow buttons for the user's role, and adjustments. */
export function PlanDetail({ yearId, unitId }: { yearId: number; unitId: number }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const plan = usePlan(yearId, unitId);
  const units = useUnits();
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const [draft, setDraft] = useState<Draft>({});
  const [dirty, setDirty] = useState(false);
  const [fieldError, setFieldError] = useState<{ indicatorId: number; message: string } | null>(null);
  const [returning, setReturning] = useState(false);
  const [adjusting, setAdjusting] = useState<TPlanItem | null>(null);

  useEffect(() => {
    if (plan.data) {
      setDraft(draftOf(plan.data));
      setDirty(false);
    }
  }, [plan.data]);

  const p = plan.data;
  const yearOpen = p?.yearStatus !== 'closed';
  const editable = !!p && yearOpen && can('plans.edit') && (p.status === 'draft' || p.status === 'returned');
  const submittable = !!p && yearOpen && can('plans.submit') && (p.status === 'draft' || p.status === 'returned');
  const reviewable = !!p && yearOpen && can('plans.review') && p.status === 'submitted';
  const adjustable = !!p && yearOpen && can('plans.edit') && p.status === 'approved';

  const refresh = async (next?: TPlan) => {
    if (next) qc.setQueryData(planKey(yearId, unitId), next);
    await qc.invalidateQueries({ queryKey: ['performance', 'plans', yearId] });
    await qc.invalidateQueries({ queryKey: ['performance', 'adjustments', yearId] });
  };

  const showError = (e: unknown) => {
    if (e instanceof ApiError && e.field) {
      const m = /^targets\.(\d+)(?:\.(\w+))?$/.exec(e.field);
      if (m && p) {
        // targets.<index>.<field> from the body, or targets.<indicatorId> from submit.
        const n = Number(m[1]);
        const id = m[2] ? (payload()[n]?.indicatorId ?? null) : n;
        if (id !== null) setFieldError({ indicatorId: id, message: e.message });
      }
    }
    message.error(errorText(e));
  };

  const payload = () =>
    (p?.items ?? [])
      .map((i) => ({ indicatorId: i.indicatorId, ...draft[i.indicatorId] }))
      .filter(
        (r): r is { indicatorId: number; target: number; challenge: number | null; note: string } =>
          r.target !== null && r.target !== undefined,
      )
      .map((r) => ({
        indicatorId: r.indicatorId,
        target: r.target,
        challenge: r.challenge ?? null,
        note: r.note ?? '',
      }));

  const save = useMutation({
    mutationFn: () => performanceApi.savePlan(yearId, unitId, payload()),
    onSuccess: async (next) => {
      setFieldError(null);
      await refresh(next);
      message.success(t('已保存', 'Saved'));
    },
    onError: showError,
  });
  const submit = useMutation({
    mutationFn: async () => {
      if (dirty && editable) await performanceApi.savePlan(yearId, unitId, payload());
      return performanceApi.submitPlan(yearId, unitId);
    },
    onSuccess: async (next) => {
      setFieldError(null);
      await refresh(next);
      message.success(t('已提交区绩效办审核', 'Submitted for review'));
    },
    onError: showError,
  });
  const review = useMutation({
    mutationFn: ({ approve, comment }: { approve: boolean; comment?: string }) =>
      performanceApi.decidePlan(yearId, unitId, approve, comment),
    onSuccess: async (next, v) => {
      await refresh(next);
      setReturning(false);
      message.success(
        v.approve ? t('已批准，目标值锁定', 'Approved; targets locked') : t('已退回单位修改', 'Returned to the unit'),
      );
    },
    onError: showError,
  });

  if (plan.error) return <Alert type="error" showIcon title={errorText(plan.error)} />;
  if (!p) return <Card loading />;

  // Merge the parents cell over consecutive rows with the same path.
  const pathSpans = p.items.map((it, k) => {
    const key = it.path.join('/');
    if (k > 0 && p.items[k - 1].path.join('/') === key) return 0;
    let n = 1;
    while (k + n < p.items.length && p.items[k + n].path.join('/') === key) n++;
    return n;
  });
  const pendingFor = new Set(p.adjustments.filter((a) => a.status === 'requested').map((a) => a.indicatorId));

  const setCell = (id: number, patch: Partial<Draft[number]>) => {
    setDraft((d) => ({ ...d, [id]: { ...(d[id] ?? { target: null, challenge: null, note: '' }), ...patch } }));
    setDirty(true);
    if (fieldError?.indicatorId === id) setFieldError(null);
  };

  return (
    <Card
      title={
        <Space>
          <span data-testid="plan-title">{t(`${p.unitName} 年度绩效计划`, `${p.unitName} — performance plan`)}</span>
          <Tag color={PLAN_STATUS[p.status].color} data-testid="plan-status">
            {PLAN_STATUS[p.status].label()}
          </Tag>
        </Space>
      }
      extra={
        <Space wrap>
          {editable && (
            <Button
              icon={<SaveOutlined />}
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty}
              data-testid="plan-save"
            >
              {t('保存', 'Save')}
            </Button>
          )}
          {submittable && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={submit.isPending}
              data-testid="plan-submit"
              onClick={() =>
                modal.confirm({
                  title: t('提交绩效计划？', 'Submit the plan?'),
                  content: t(
                    '提交后由区绩效办审核，审核期间不能修改。',
                    'The office reviews it; it cannot change meanwhile.',
                  ),
                  onOk: () => submit.mutateAsync(),
                })
              }
            >
              {t('提交审核', 'Submit')}
            </Button>
          )}
          {reviewable && (
            <>
              <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="plan-return">
                {t('退回修改', 'Return')}
              </Button>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={review.isPending}
                data-testid="plan-approve"
                onClick={() =>
                  modal.confirm({
                    title: t('批准该绩效计划？', 'Approve this plan?'),
                    content: t(
                      '批准后目标值锁定，纳入年度绩效管理责任书；之后的变更须经调整申请。',
                      'Targets lock and go into the responsibility book; later changes need an adjustment.',
                    ),
                    onOk: () => review.mutateAsync({ approve: true }),
                  })
                }
              >
                {t('批准', 'Approve')}
              </Button>
            </>
          )}
          <Button icon={<DownloadOutlined />} href={performanceApi.bookUrl(yearId, unitId)} data-testid="book-unit">
            {t('下载责任书', 'Responsibility book')}
          </Button>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('适用指标', 'Leaves')}>{p.leafCount}</Descriptions.Item>
        <Descriptions.Item label={t('已填目标值', 'Targets entered')}>{p.targetCount}</Descriptions.Item>
        <Descriptions.Item label={t('提交时间', 'Submitted')}>{fmtTime(p.submittedAt)}</Descriptions.Item>
      </Descriptions>
      {p.status === 'returned' && p.reviewComment && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('区绩效办退回意见', 'Returned by the office')}
          description={p.reviewComment}
          data-testid="plan-review-comment"
        />
      )}
      {p.status === 'approved' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '计划已批准，目标值已锁定。确需调整的，请在对应指标上“申请调整”并说明理由，经区绩效办同意后生效。',
            'Approved and locked. To change a target, request an adjustment with a reason.',
          )}
          description={p.reviewComment ? t(`审核意见：${p.reviewComment}`, `Comment: ${p.reviewComment}`) : undefined}
        />
      )}
      {p.status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('计划已提交，等待区绩效办审核。', 'Submitted; waiting for the office.')}
        />
      )}
      <Table<TPlanItem>
        rowKey="indicatorId"
        size="small"
        pagination={false}
        dataSource={p.items}
        scroll={{ x: 1100 }}
        data-testid="plan-items"
        columns={[
          {
            title: t('一级/二级指标', 'Parents'),
            width: 120,
            onCell: (_, index) => ({ rowSpan: pathSpans[index ?? 0] }),
            render: (_, i) => <Typography.Text type="secondary">{i.path.join(' / ')}</Typography.Text>,
          },
          {
            title: t('考核指标', 'Indicator'),
            width: 240,
            render: (_, i) => (
              <span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {i.code}
                </Typography.Text>{' '}
                {i.name}
                {i.direction === 'negative' && (
                  <Tag style={{ marginLeft: 4 }} color="volcano">
                    {t('逆向', 'negative')}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t('分值', 'Points'), width: 60, align: 'right', render: (_, i) => fmt(i.points) },
          {
            title: t('计分方法', 'Method'),
            width: 120,
            render: (_, i) => (
              <Tooltip
                title={
                  DATA_SOURCE_LABEL[i.dataSource]() +
                  (i.assessingUnitId ? ` · ${unitName.get(i.assessingUnitId) ?? ''}` : '')
                }
              >
                <span>{i.methodKind ? METHOD_LABEL[i.methodKind as MethodKind]() : '—'}</span>
              </Tooltip>
            ),
          },
          {
            title: t('目标值', 'Target'),
            width: 170,
            render: (_, i) => {
              const d = draft[i.indicatorId];
              const err = fieldError?.indicatorId === i.indicatorId ? fieldError.message : null;
              // Grades, ranks and vetoes are not measured against a target.
              if (NO_TARGET.has(i.methodKind ?? '') && (d?.target ?? null) === null)
                return <Typography.Text type="secondary">{t('按细则', 'per rules')}</Typography.Text>;
              if (!editable)
                return (
                  <span data-testid={`plan-target-${i.code}`}>
                    {d?.target !== null && d?.target !== undefined
                      ? `${fmt(d.target)} ${i.unitOfMeasure}`
                      : i.needsTarget
                        ? '—'
                        : t('按细则', 'per rules')}
                  </span>
                );
              return (
                <Tooltip open={!!err} title={err} color="red">
                  <InputNumber
                    value={d?.target ?? null}
                    status={err || (i.needsTarget && (d?.target ?? null) === null) ? 'error' : undefined}
                    placeholder={i.needsTarget ? t('必填', 'required') : t('可选', 'optional')}
                    suffix={i.unitOfMeasure || undefined}
                    style={{ width: 150 }}
                    onChange={(v) => setCell(i.indicatorId, { target: v })}
                    data-testid={`plan-target-${i.code}`}
                  />
                </Tooltip>
              );
            },
          },
          {
            title: t('挑战值', 'Challenge'),
            width: 160,
            render: (_, i) => {
              const d = draft[i.indicatorId];
              if (!editable)
                return (
                  <span>
                    {d?.challenge !== null && d?.challenge !== undefined
                      ? `${fmt(d.challenge)} ${i.unitOfMeasure}`
                      : '—'}
                  </span>
                );
              return (
                <InputNumber
                  value={d?.challenge ?? null}
                  placeholder={t('可选', 'optional')}
                  suffix={i.unitOfMeasure || undefined}
                  style={{ width: 140 }}
                  disabled={d?.target === null || d?.target === undefined}
                  onChange={(v) => setCell(i.indicatorId, { challenge: v })}
                  data-testid={`plan-challenge-${i.code}`}
                />
              );
            },
          },
          {
            title: t('说明', 'Note'),
            width: 150,
            render: (_, i) =>
              editable ? (
                <Input
                  value={draft[i.indicatorId]?.note ?? ''}
                  maxLength={500}
                  disabled={draft[i.indicatorId]?.target == null}
                  onChange={(e) => setCell(i.indicatorId, { note: e.target.value })}
                />
              ) : (
                <Typography.Text type="secondary">{i.note}</Typography.Text>
              ),
          },
          ...(adjustable
            ? [
                {
                  title: t('操作', 'Actions'),
                  width: 110,
                  fixed: 'right' as const,
                  render: (_: unknown, i: TPlanItem) =>
                    pendingFor.has(i.indicatorId) ? (
                      <Tag color="gold">{t('调整审核中', 'Adjustment pending')}</Tag>
                    ) : i.target !== null || i.needsTarget ? (
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setAdjusting(i)}
                        data-testid={`plan-adjust-${i.code}`}
                      >
                        {t('申请调整', 'Adjust')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {p.adjustments.length > 0 && <AdjustmentHistory list={p.adjustments} />}
      <Modal
        open={returning}
        title={t('退回绩效计划', 'Return the plan')}
        onCancel={() => setReturning(false)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={(v: { comment: string }) => review.mutate({ approve: false, comment: v.comment })}
        >
          <Form.Item
            name="comment"
            label={t('退回意见（协商）', 'Comment')}
            rules={[{ required: true, whitespace: true, message: t('请填写退回意见', 'Enter a comment') }]}
          >
            <Input.TextArea rows={4} maxLength={1000} data-testid="plan-return-comment" />
          </Form.Item>
          <Button type="primary" danger htmlType="submit" loading={review.isPending} data-testid="plan-return-confirm">
            {t('退回', 'Return')}
          </Button>
        </Form>
      </Modal>
      {adjusting && (
        <AdjustmentModal
          yearId={yearId}
          unitId={unitId}
          item={adjusting}
          onClose={() => setAdjusting(null)}
          onDone={() => refresh()}
        />
      )}
    </Card>
  );
}

function AdjustmentHistory({ list }: { list: TAdjustment[] }) {
  return (
    <div style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('目标调整记录', 'Adjustments')}</Typography.Title>
      <Table<TAdjustment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list}
        data-testid="plan-adjustments"
        columns={[
          { title: t('指标', 'Indicator'), render: (_, a) => `${a.indicatorCode} ${a.indicatorName}` },
          {
            title: t('原目标/挑战值', 'Old'),
            width: 120,
            render: (_, a) => `${fmt(a.oldTarget)} / ${fmt(a.oldChallenge)}`,
          },
          {
            title: t('新目标/挑战值', 'New'),
            width: 120,
            render: (_, a) => `${fmt(a.newTarget)} / ${fmt(a.newChallenge)}`,
          },
          { title: t('理由', 'Reason'), dataIndex: 'reason' },
          { title: t('申请时间', 'Requested'), width: 110, render: (_, a) => fmtDate(a.requestedAt) },
          {
            title: t('状态', 'Status'),
            width: 90,
            render: (_, a) => (
              <Tag color={ADJUSTMENT_STATUS[a.status].color}>{ADJUSTMENT_STATUS[a.status].label()}</Tag>
            ),
          },
          { title: t('审核意见', 'Decision'), width: 160, render: (_, a) => a.decisionComment ?? '' },
        ]}
      />
    </div>
  );
}

type AdjustValues = { newTarget: number; newChallenge: number | null; reason: string };

function AdjustmentModal({
  yearId,
  unitId,
  item,
  onClose,
  onDone,
}: {
  yearId: number;
  unitId: number;
  item: TPlanItem;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  return (
    <FormModal<AdjustValues, TAdjustment>
      title={t(`申请调整：${item.name}`, `Adjust: ${item.name}`)}
      onClose={onClose}
      submit={(v) =>
        performanceApi.requestAdjustment(yearId, unitId, {
          indicatorId: item.indicatorId,
          newTarget: v.newTarget,
          newChallenge: v.newChallenge ?? null,
          reason: v.reason,
        })
      }
      invalidate={[planKey(yearId, unitId)]}
      onSaved={onDone}
      success={t('调整申请已提交，等待区绩效办审核', 'Request sent to the office')}
      errorFields={['newTarget', 'newChallenge', 'reason']}
      initialValues={{ newTarget: item.target ?? undefined, newChallenge: item.challenge }}
      header={
        <Typography.Paragraph type="secondary">
          {t(
            `现目标值 ${fmt(item.target)}${item.unitOfMeasure}，挑战值 ${fmt(item.challenge)}。`,
            `Current target ${fmt(item.target)}, challenge ${fmt(item.challenge)}.`,
          )}
        </Typography.Paragraph>
      }
    >
      <Space>
        <Form.Item name="newTarget" label={t('调整后目标值', 'New target')} rules={[{ required: true }]}>
          <InputNumber suffix={item.unitOfMeasure || undefined} data-testid="adjust-target" />
        </Form.Item>
        <Form.Item name="newChallenge" label={t('调整后挑战值', 'New challenge')}>
          <InputNumber suffix={item.unitOfMeasure || undefined} />
        </Form.Item>
      </Space>
      <Form.Item
        name="reason"
        label={t('调整理由', 'Reason')}
        rules={[{ required: true, whitespace: true, message: t('请说明调整理由', 'A reason is required') }]}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="adjust-reason" />
      </Form.Item>
    </FormModal>
  );
}
