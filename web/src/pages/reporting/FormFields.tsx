import { QuestionCircleOutlined } from '@ant-design/icons';
import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { t } from '../../lib/i18n';
import type { TFormDefinition, TFormField } from './reportingData';

export type Values = Record<string, unknown>;
/** An evidence file as the form shows it. */
export type TEvidenceLike = { id: number; name: string };

const NUMERIC = new Set(['integer', 'decimal', 'percent', 'money']);

/** Client-side checks mirroring the server's hard errors (the server stays the authority). */
export function fieldProblem(f: TFormField, v: unknown): string | null {
  const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  if (empty) return f.required ? t(`${f.label}为必填项`, `${f.label} is required`) : null;
  if (NUMERIC.has(f.type)) {
    const n = Number(v);
    if (!Number.isFinite(n)) return t(`${f.label}应为数字`, `${f.label} must be a number`);
    if (f.type === 'integer' && !Number.isInteger(n))
      return t(`${f.label}应为整数`, `${f.label} must be a whole number`);
    if (f.min !== null && n < f.min) return t(`${f.label}不能小于 ${f.min}`, `${f.label} must be at least ${f.min}`);
    if (f.max !== null && n > f.max) return t(`${f.label}不能大于 ${f.max}`, `${f.label} must be at most ${f.max}`);
  }
  return null;
}

function help(f: TFormField) {
  const bits = [
    f.help,
    f.cumulative ? t('累计值：本年内不应低于上月', 'Cumulative: must not go down within the year') : '',
  ].filter(Boolean);
  return bits.length ? (
    <Tooltip title={bits.join('；')}>
      <QuestionCircleOutlined style={{ color: '#8c8c8c', marginLeft: 4 }} />
    </Tooltip>
  ) : null;
}

/** The form of a leaf rendered from its definition: typed inputs with validation messages and help text. */
export function FormFields({
  def,
  values,
  onChange,
  disabled,
  errors,
  evidence,
}: {
  def: TFormDefinition;
  values: Values;
  onChange: (next: Values) => void;
  disabled?: boolean;
  errors?: Record<string, string>;
  evidence?: TEvidenceLike[];
}) {
  const set = (key: string, v: unknown) => onChange({ ...values, [key]: v });
  return (
    <Form layout="vertical" disabled={disabled} data-testid="submission-form">
      {def.fields.map((f) => {
        const v = values[f.key];
        const problem = errors?.[f.key] ?? null;
        const label = (
          <span>
            {f.label}
            {f.unit ? <Typography.Text type="secondary">（{f.unit}）</Typography.Text> : null}
            {help(f)}
          </span>
        );
        let input: React.ReactNode;
        switch (f.type) {
          case 'integer':
          case 'decimal':
          case 'percent':
          case 'money':
            input = (
              <InputNumber
                style={{ width: '100%' }}
                value={v === null || v === undefined || v === '' ? null : Number(v)}
                min={f.min ?? undefined}
                max={f.max ?? undefined}
                precision={f.type === 'integer' ? 0 : f.type === 'money' ? 2 : undefined}
                addonAfter={f.type === 'percent' ? '%' : f.unit || undefined}
                onChange={(x) => set(f.key, x)}
                data-testid={`field-${f.key}`}
              />
            );
            break;
          case 'date':
            input = (
              <DatePicker
                style={{ width: '100%' }}
                value={typeof v === 'string' && v ? dayjs(v) : null}
                onChange={(d) => set(f.key, d ? d.format('YYYY-MM-DD') : null)}
                data-testid={`field-${f.key}`}
              />
            );
            break;
          case 'text':
            input = (
              <Input.TextArea
                autoSize={{ minRows: 1, maxRows: 6 }}
                maxLength={2000}
                value={(v as string) ?? ''}
                onChange={(e) => set(f.key, e.target.value)}
                data-testid={`field-${f.key}`}
              />
            );
            break;
          case 'single_choice':
            input = (
              <Select
                allowClear
                value={(v as string) ?? undefined}
                onChange={(x) => set(f.key, x ?? null)}
                options={f.options.map((o) => ({ value: o.value, label: o.label }))}
                data-testid={`field-${f.key}`}
              />
            );
            break;
          case 'multi_choice':
            input = (
              <Checkbox.Group
                value={(v as string[]) ?? []}
                onChange={(x) => set(f.key, x.length ? x : null)}
                options={f.options.map((o) => ({ value: o.value, label: o.label }))}
                data-testid={`field-${f.key}`}
              />
            );
            break;
          case 'file':
            input = (
              <Select
                mode="multiple"
                allowClear
                placeholder={
                  evidence?.length
                    ? t('选择已上传的附件', 'Pick uploaded files')
                    : t('请先在下方上传附件', 'Upload files below first')
                }
                value={(v as number[]) ?? []}
                onChange={(x) => set(f.key, x.length ? x : null)}
                options={(evidence ?? []).map((e) => ({ value: e.id, label: e.name }))}
                data-testid={`field-${f.key}`}
              />
            );
            break;
        }
        return (
          <Form.Item
            key={f.key}
            label={label}
            required={f.required}
            validateStatus={problem ? 'error' : undefined}
            help={problem ?? undefined}
          >
            {input}
          </Form.Item>
        );
      })}
    </Form>
  );
}
