import {
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { TRequestDetail } from '@server/modules/assistance/assistance.schema';
import { FormModal } from '../../components/FormModal';
import { t } from '../../lib/i18n';
import { StatusTag, UnitSelect } from '../../components/ListFilters';
import { money } from '../../lib/format';
import { assistanceApi, AST_KEY, useRequest, type AstAction } from './api';
import { AST_STATUS, EVENT_KINDS, KINDS, SATISFACTION } from './assistanceData';

const ACTION_LABEL: Record<AstAction, () => string> = {
  refer: () => t('转办', 'Refer'),
  sign: () => t('签收', 'Sign for'),
  answer: () => t('答复', 'Answer'),
  urge: () => t('督办', 'Urge'),
  feedback: () => t('回访反馈', 'Call back'),
};

/** One request: who asked what, where it was referred, the timeline, and the steps open to the user. */
export function RequestDrawer({ id, onClose }: { id: number | null; onClose(): void }) {
  const q = useRequest(id);
  const [action, setAction] = useState<AstAction | null>(null);
  const r = q.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={680}
      title={r ? `${r.number} ${KINDS[r.kind]()}` : t('求助', 'Request')}
    >
      {q.isLoading || !r ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <Space wrap>
            <StatusTag status={AST_STATUS[r.status]} testId="ast-status" />
            {r.overdue && <Tag color="red">{t('超期', 'Overdue')}</Tag>}
            {r.actions.map((a) => (
              <Button
                key={a}
                type={a === 'answer' || a === 'feedback' ? 'primary' : 'default'}
                onClick={() => setAction(a)}
                data-testid={`ast-action-${a}`}
              >
                {ACTION_LABEL[a]()}
              </Button>
            ))}
          </Space>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('求助人', 'Requester')}>{r.requesterName}</Descriptions.Item>
            <Descriptions.Item label={t('联系电话', 'Phone')}>{r.requesterPhone || '—'}</Descriptions.Item>
            <Descriptions.Item span={2} label={t('住址', 'Address')}>
              {r.requesterAddress || '—'}
            </Descriptions.Item>
            <Descriptions.Item span={2} label={t('求助事项', 'Request')}>
              {r.description}
            </Descriptions.Item>
            <Descriptions.Item label={t('涉及人数', 'People')}>{r.people}</Descriptions.Item>
            <Descriptions.Item label={t('诉求/追回金额', 'Claimed / recovered')}>
              {money(r.amountClaimed)} / {money(r.amountRecovered)} 元
            </Descriptions.Item>
            <Descriptions.Item label={t('承办单位', 'Unit')}>{r.unitName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('答复时限', 'Due')}>{r.dueOn ?? '—'}</Descriptions.Item>
            {r.answer && (
              <Descriptions.Item span={2} label={t('答复', 'Answer')}>
                <span data-testid="ast-answer">{r.answer}</span>
              </Descriptions.Item>
            )}
            {r.satisfaction && (
              <Descriptions.Item span={2} label={t('回访评价', 'Satisfaction')}>
                {SATISFACTION[r.satisfaction]()} {r.feedbackNote}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('办理过程', 'Timeline')}</Typography.Title>
          <Timeline
            items={r.events.map((e) => ({
              key: e.id,
              children: (
                <>
                  <Typography.Text strong>{EVENT_KINDS[e.kind]?.() ?? e.kind}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                    {new Date(e.at).toLocaleString('zh-CN', { hour12: false })} {e.actorName}
                    {e.unitName ? ` → ${e.unitName}` : ''}
                  </Typography.Text>
                  {e.note && <div>{e.note}</div>}
                </>
              ),
            }))}
          />
        </Space>
      )}
      {r && action && <StepForm r={r} action={action} onClose={() => setAction(null)} />}
    </Drawer>
  );
}

function StepForm({ r, action, onClose }: { r: TRequestDetail; action: AstAction; onClose(): void }) {
  return (
    <FormModal<Record<string, unknown>, TRequestDetail>
      title={ACTION_LABEL[action]()}
      onClose={onClose}
      okTestId="ast-step-ok"
      initialValues={
        action === 'refer'
          ? { dueDays: 5, unitId: r.unitId ?? undefined }
          : action === 'feedback'
            ? { satisfaction: 'satisfied' }
            : {}
      }
      submit={(v) =>
        assistanceApi.act(r.id, action, Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)))
      }
      invalidate={[AST_KEY]}
      success={t('已提交', 'Done')}
    >
      {action === 'refer' && (
        <>
          <Form.Item name="unitId" label={t('承办单位', 'Responsible unit')} rules={[{ required: true }]}>
            <UnitSelect data-testid="ast-refer-unit" />
          </Form.Item>
          <Form.Item name="dueDays" label={t('答复时限（工作日）', 'Answer within (working days)')}>
            <InputNumber min={1} max={60} />
          </Form.Item>
          <Form.Item name="note" label={t('转办意见', 'Note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </>
      )}
      {action === 'sign' && (
        <Form.Item name="note" label={t('签收说明', 'Note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      {action === 'urge' && (
        <Form.Item name="note" label={t('督办意见', 'What to do')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="ast-urge-note" />
        </Form.Item>
      )}
      {action === 'answer' && (
        <>
          <Form.Item name="answer" label={t('办理结果', 'What was done')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={4} maxLength={4000} data-testid="ast-answer-text" />
          </Form.Item>
          <Form.Item name="amountRecovered" label={t('追回金额（元）', 'Amount recovered (¥)')}>
            <InputNumber min={0} style={{ width: 160 }} data-testid="ast-recovered" />
          </Form.Item>
        </>
      )}
      {action === 'feedback' && (
        <>
          <Form.Item name="satisfaction" label={t('求助人评价', "Requester's rating")} rules={[{ required: true }]}>
            <Radio.Group
              data-testid="ast-satisfaction"
              options={(['satisfied', 'basic', 'unsatisfied'] as const).map((s) => ({
                value: s,
                label: SATISFACTION[s](),
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('回访记录', 'Call-back note')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="ast-feedback-note" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
