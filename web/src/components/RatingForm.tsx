import { Alert, Button, Form, Input, Radio } from 'antd';
import { useState } from 'react';
import { RATING_ASPECTS, RATING_LEVELS, type RatingLevel } from '@common/ratings';
import { ApiError, errorText } from '../lib/api';
import { applyFieldError } from '../lib/forms';
import { t } from '../lib/i18n';

/** 好差评's five national levels, best first, and the standard aspects. */
export type { RatingLevel };
export const LEVELS = RATING_LEVELS;
export const LEVEL_LABEL: Record<RatingLevel, () => string> = {
  very_satisfied: () => t('非常满意', 'Very satisfied'),
  satisfied: () => t('满意', 'Satisfied'),
  basic: () => t('基本满意', 'Fairly satisfied'),
  unsatisfied: () => t('不满意', 'Unsatisfied'),
  very_unsatisfied: () => t('非常不满意', 'Very unsatisfied'),
};
export const ASPECTS = RATING_ASPECTS;
export const ASPECT_LABEL: Record<(typeof ASPECTS)[number], () => string> = {
  attitude: () => t('服务态度', 'Attitude'),
  efficiency: () => t('办事效率', 'Efficiency'),
  result: () => t('办理结果', 'Result'),
  convenience: () => t('便捷程度', 'Convenience'),
};

type Values = { level: RatingLevel; comment?: string } & Partial<Record<(typeof ASPECTS)[number], RatingLevel>>;
export type RatingInput = {
  level: RatingLevel;
  comment: string;
  aspects: Partial<Record<(typeof ASPECTS)[number], RatingLevel>>;
};

/**
 * The 好差评 form (phone size): the overall level, the aspects, a comment that a 差评 requires. Used by the
 * SMS link page and by the tracking pages; `rate` sends it and a field error lands on its field.
 */
export function RatingForm({ rate, pending }: { rate: (v: RatingInput) => Promise<unknown>; pending: boolean }) {
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form);
  const bad = level === 'unsatisfied' || level === 'very_unsatisfied';
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: Values) => {
    setError(null);
    try {
      await rate({
        level: v.level,
        comment: v.comment ?? '',
        aspects: Object.fromEntries(ASPECTS.filter((a) => v[a]).map((a) => [a, v[a]!])),
      });
    } catch (e) {
      applyFieldError(form, e);
      if (!(e instanceof ApiError && e.field)) setError(errorText(e));
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="rating-form">
      <Form.Item
        name="level"
        label={t('总体评价', 'Overall')}
        rules={[{ required: true, message: t('请选择评价等级', 'Choose a level') }]}
      >
        <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
          {LEVELS.map((l) => (
            <Radio key={l} value={l} data-testid={`rate-level-${l}`} style={{ fontSize: 16 }}>
              {LEVEL_LABEL[l]()}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {ASPECTS.map((a) => (
        <Form.Item key={a} name={a} label={ASPECT_LABEL[a]()} style={{ marginBottom: 10 }}>
          <Radio.Group size="small" optionType="button">
            {LEVELS.map((l) => (
              <Radio.Button key={l} value={l} style={{ padding: '0 6px' }}>
                {LEVEL_LABEL[l]().replace('非常', '很')}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
      ))}
      <Form.Item
        name="comment"
        label={bad ? t('请说明不满意的原因', 'Tell us what went wrong') : t('意见建议（选填）', 'Comment (optional)')}
        rules={bad ? [{ required: true, min: 2, message: t('请简要说明原因', 'Please say why') }] : []}
      >
        <Input.TextArea rows={3} maxLength={1000} showCount data-testid="rate-comment" />
      </Form.Item>
      {bad && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '差评将转承办单位整改，单位将在15个工作日内回访并整改。',
            'The department will call you back and put things right within 15 working days.',
          )}
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} />}
      <Button type="primary" htmlType="submit" block size="large" loading={pending} data-testid="rate-submit">
        {t('提交评价', 'Submit')}
      </Button>
    </Form>
  );
}
