import { Alert, Button, Checkbox, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { TForm, TQuestion } from '@server/modules/evaluation/evaluation.schema';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { LEVELS } from './evaluationData';

type Answers = Record<string, unknown>;

function Scale({
  scale,
  value,
  onChange,
  testId,
  compact,
}: {
  scale?: 'satisfaction5' | 'scale10';
  value: unknown;
  onChange(v: number): void;
  testId: string;
  /** Matrix rows: the levels as a row of buttons (wrapping on a phone). */
  compact?: boolean;
}) {
  if (scale === 'scale10' || compact) {
    const labels = scale === 'scale10' ? Array.from({ length: 11 }, (_, i) => String(i)) : LEVELS();
    return (
      <Radio.Group value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <Space wrap size={4}>
          {labels.map((l, i) => (
            <Radio.Button key={i} value={i} style={{ minWidth: 36, textAlign: 'center' }}>
              {l}
            </Radio.Button>
          ))}
        </Space>
      </Radio.Group>
    );
  }
  return (
    <Radio.Group value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <Space direction="vertical" size={6}>
        {LEVELS().map((l, i) => (
          <Radio key={i} value={i}>
            {l}
          </Radio>
        ))}
      </Space>
    </Radio.Group>
  );
}

function QuestionBlock({
  q,
  index,
  form,
  value,
  onChange,
  error,
}: {
  q: TQuestion;
  index: number;
  form: Pick<TForm, 'targets'>;
  value: unknown;
  onChange(v: unknown): void;
  error?: string;
}) {
  const testId = `q-${q.key}`;
  let body;
  switch (q.type) {
    case 'single':
      body = (
        <Radio.Group value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          <Space direction="vertical">
            {(q.options ?? []).map((o, i) => (
              <Radio key={i} value={i}>
                {o}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      );
      break;
    case 'multi':
      body = (
        <Checkbox.Group value={(value as number[]) ?? []} onChange={(v) => onChange(v)} data-testid={testId}>
          <Space direction="vertical">
            {(q.options ?? []).map((o, i) => (
              <Checkbox key={i} value={i}>
                {o}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      );
      break;
    case 'satisfaction5':
    case 'scale10':
      body = <Scale scale={q.type} value={value} onChange={onChange} testId={testId} />;
      break;
    case 'text':
      body = (
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      );
      break;
    case 'matrix': {
      const rows = q.rowsAreTargets
        ? form.targets.map((u) => ({ key: String(u.id), label: u.name }))
        : (q.rows ?? []).map((r, i) => ({ key: String(i), label: r }));
      const cells = (value as Record<string, number>) ?? {};
      body = (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {rows.map((r) => (
            <div key={r.key} style={{ borderLeft: '3px solid #f0f0f0', paddingLeft: 10 }}>
              <Typography.Text strong>{r.label}</Typography.Text>
              <div style={{ marginTop: 4 }}>
                <Scale
                  scale={q.scale}
                  value={cells[r.key]}
                  onChange={(v) => onChange({ ...cells, [r.key]: v })}
                  testId={`${testId}-${r.key}`}
                  compact
                />
              </div>
            </div>
          ))}
        </Space>
      );
      break;
    }
  }
  return (
    <div
      style={{
        background: '#fff',
        padding: 14,
        borderRadius: 8,
        marginBottom: 12,
        border: error ? '1px solid #ff4d4f' : '1px solid #f0f0f0',
      }}
    >
      <Typography.Paragraph strong style={{ marginBottom: 8 }}>
        {index + 1}. {q.title}
        {q.required && <span style={{ color: '#ff4d4f' }}> *</span>}
      </Typography.Paragraph>
      {body}
      {error && <div style={{ color: '#ff4d4f', marginTop: 6 }}>{error}</div>}
    </div>
  );
}

/** The questionnaire as the respondent sees it (phone page, evaluator inbox, builder preview). */
export function SurveyForm({
  form,
  onSubmit,
  preview,
}: {
  form: Pick<TForm, 'questions' | 'targets' | 'intro'>;
  onSubmit?(answers: Answers): Promise<unknown>;
  preview?: boolean;
}) {
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const missing: Record<string, string> = {};
    for (const q of form.questions) {
      const v = answers[q.key];
      const empty = v === undefined || v === '' || (Array.isArray(v) && !v.length);
      if (q.required && empty) missing[q.key] = t('此题为必答题', 'This question is required');
    }
    setErrors(missing);
    if (Object.keys(missing).length || !onSubmit) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(answers);
    } catch (e) {
      if (e instanceof ApiError && e.field?.startsWith('answers.')) setErrors({ [e.field.split('.')[1]]: e.message });
      else setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      {form.intro && <Alert type="info" showIcon message={form.intro} style={{ marginBottom: 12 }} />}
      {form.questions.map((q, i) => (
        <QuestionBlock
          key={q.key}
          q={q}
          index={i}
          form={form}
          value={answers[q.key]}
          error={errors[q.key]}
          onChange={(v) => setAnswers((a) => ({ ...a, [q.key]: v }))}
        />
      ))}
      {failure && (
        <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="survey-error" />
      )}
      <Button
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={preview}
        onClick={submit}
        data-testid="survey-submit"
      >
        {t('提交', 'Submit')}
      </Button>
    </div>
  );
}
