/**
 * Data-entry forms as pure functions: the form definition shape, the default form of a leaf,
 * checking a definition, and validating/normalising entered values (hard errors name the field).
 * Formula evaluation (cross-field rules, score formulas) is injected, so this stays pure.
 */
import { z } from 'zod';
import { FIELD_TYPES, type FieldType } from '../../../../common/reporting.js';
import { FORMULA_RESERVED } from '../../engine/formula.js';

/** Field types and their names live in common/ (the web app uses them too). */
export { FIELD_TYPE_NAMES, FIELD_TYPES, type FieldType } from '../../../../common/reporting.js';

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set(['integer', 'decimal', 'percent', 'money']);
export const isNumericType = (t: FieldType): boolean => NUMERIC_TYPES.has(t);

/** Names the formula language (and the scoring methods) give a meaning of their own; a field key cannot take them. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['target', 'points', 'challenge', ...FORMULA_RESERVED]);

/** Largest magnitude a numeric value may have (fits numeric(20,6) with room to spare). */
export const MAX_ABS = 1e12;
export const MAX_TEXT = 2000;

export const ZFieldOption = z.object({
  value: z.string().trim().min(1).max(40),
  label: z.string().trim().min(1).max(60),
});

export const ZFormField = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a lower-case letter, then lower-case letters, digits or _ (max 40)'),
  label: z.string().trim().min(1).max(60),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(false),
  min: z.number().min(-MAX_ABS).max(MAX_ABS).nullable().default(null),
  max: z.number().min(-MAX_ABS).max(MAX_ABS).nullable().default(null),
  unit: z.string().trim().max(20).default(''),
  help: z.string().trim().max(500).default(''),
  /** The value is a running total within the year and must not go down from one month to the next. */
  cumulative: z.boolean().default(false),
  options: z.array(ZFieldOption).max(50).default([]),
});
export type TFormField = z.infer<typeof ZFormField>;

/** A cross-field rule: an expression over the fields that must be true, and what to tell the reporter. */
export const ZFormRule = z.object({
  expression: z.string().trim().min(1).max(500),
  message: z.string().trim().min(1).max(200),
});
export type TFormRule = z.infer<typeof ZFormRule>;

export const ZFormDefinition = z.object({
  fields: z.array(ZFormField).min(1).max(30),
  rules: z.array(ZFormRule).max(20).default([]),
  /** The numeric field whose value feeds the score … */
  scoreField: z.string().trim().max(40).nullable().default(null),
  /** … or a formula over the fields giving the value (takes precedence). */
  scoreFormula: z.string().trim().max(1000).nullable().default(null),
});
export type TFormDefinition = z.infer<typeof ZFormDefinition>;

/** The form a leaf gets when the office has not designed one: one decimal `value`. */
export function defaultForm(unitOfMeasure: string): TFormDefinition {
  return {
    fields: [
      {
        key: 'value',
        label: unitOfMeasure ? `完成值（${unitOfMeasure}）` : '完成值',
        type: 'decimal',
        required: true,
        min: null,
        max: null,
        unit: unitOfMeasure,
        help: '',
        cumulative: false,
        options: [],
      },
    ],
    rules: [],
    scoreField: 'value',
    scoreFormula: null,
  };
}

/** One entered value after normalisation. Files are evidence ids of the submission. */
export type FieldValue = number | string | string[] | number[] | null;
export type FormValues = Record<string, FieldValue>;

/** A hard error at a field (`values.<key>`), a rule (`rules.<i>`) or the score formula. */
export type FormError = { field: string; zh: string; en: string };

/** Evaluates an expression of the formula language with the given variables. */
export type FormulaEval = (
  expression: string,
  vars: Record<string, number | null>,
) => { ok: true; value: unknown } | { ok: false; zh: string; en: string };
/** Checks an expression compiles and uses only known names. */
export type FormulaCheck = (
  expression: string,
  names: readonly string[],
) => { ok: true } | { ok: false; zh: string; en: string };

/** Problems in a form definition (before saving it), each naming its place. */
export function checkDefinition(def: TFormDefinition, check: FormulaCheck): FormError[] {
  const errors: FormError[] = [];
  const seen = new Set<string>();
  def.fields.forEach((f, i) => {
    const at = `fields.${i}`;
    if (seen.has(f.key))
      errors.push({ field: `${at}.key`, zh: `字段编码「${f.key}」重复`, en: `Duplicate field key ${f.key}` });
    seen.add(f.key);
    if (RESERVED_KEYS.has(f.key)) {
      errors.push({
        field: `${at}.key`,
        zh: `「${f.key}」是公式保留字，请换一个编码`,
        en: `${f.key} is reserved in formulas`,
      });
    }
    if (f.min !== null && f.max !== null && f.min > f.max)
      errors.push({ field: `${at}.min`, zh: '最小值不能大于最大值', en: 'min must not exceed max' });
    const choice = f.type === 'single_choice' || f.type === 'multi_choice';
    if (choice && f.options.length < 1)
      errors.push({ field: `${at}.options`, zh: '选择题至少需要一个选项', en: 'A choice field needs options' });
    if (choice && new Set(f.options.map((o) => o.value)).size !== f.options.length) {
      errors.push({ field: `${at}.options`, zh: '选项值重复', en: 'Duplicate option values' });
    }
    if (f.cumulative && !isNumericType(f.type))
      errors.push({
        field: `${at}.cumulative`,
        zh: '只有数值字段可以设为累计值',
        en: 'Only numeric fields can be cumulative',
      });
    if ((f.min !== null || f.max !== null) && !isNumericType(f.type)) {
      errors.push({ field: `${at}.min`, zh: '只有数值字段可以设置取值范围', en: 'Only numeric fields have a range' });
    }
  });
  const numericKeys = def.fields.filter((f) => isNumericType(f.type)).map((f) => f.key);
  if (def.scoreFormula) {
    const r = check(def.scoreFormula, numericKeys);
    if (!r.ok) errors.push({ field: 'scoreFormula', zh: `计分公式有误：${r.zh}`, en: `Score formula: ${r.en}` });
  } else if (def.scoreField !== null) {
    const f = def.fields.find((x) => x.key === def.scoreField);
    if (!f)
      errors.push({
        field: 'scoreField',
        zh: `计分字段「${def.scoreField}」不在表单中`,
        en: `Score field ${def.scoreField} is not on the form`,
      });
    else if (!isNumericType(f.type))
      errors.push({ field: 'scoreField', zh: '计分字段必须是数值字段', en: 'The score field must be numeric' });
  }
  def.rules.forEach((r, i) => {
    const res = check(r.expression, numericKeys);
    if (!res.ok) errors.push({ field: `rules.${i}.expression`, zh: `校验规则有误：${res.zh}`, en: `Rule: ${res.en}` });
  });
  return errors;
}

/** The field that feeds the score when there is no formula: the declared one, else the first numeric field. */
export function scoreFieldOf(def: TFormDefinition): string | null {
  if (def.scoreField) return def.scoreField;
  return def.fields.find((f) => isNumericType(f.type))?.key ?? null;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function decimals(n: number): number {
  const s = String(n);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** A number from a JSON number or a numeric string (Excel cells, form inputs); null when empty; NaN when not a number. */
export function toNumber(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const s = raw.trim().replace(/,/g, '');
    if (s === '') return null;
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number.NaN;
    return Number(s);
  }
  return Number.NaN;
}

function isEmpty(v: unknown): boolean {
  return (
    v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
  );
}

/** Validates one field's raw value; returns the normalised value or an error. */
export function validateField(f: TFormField, raw: unknown): { value: FieldValue } | { error: FormError } {
  const field = `values.${f.key}`;
  const err = (zh: string, en: string) => ({ error: { field, zh: `${f.label}：${zh}`, en: `${f.label}: ${en}` } });
  if (isEmpty(raw)) {
    if (f.required) return err('为必填项', 'is required');
    return { value: null };
  }
  switch (f.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'money': {
      const n = toNumber(raw);
      if (n === null) return f.required ? err('为必填项', 'is required') : { value: null };
      if (!Number.isFinite(n)) return err('应为数字', 'must be a number');
      if (Math.abs(n) > MAX_ABS) return err('数值超出允许范围', 'is out of the allowed range');
      if (f.type === 'integer' && !Number.isInteger(n)) return err('应为整数', 'must be a whole number');
      if (f.type === 'money' && decimals(n) > 2) return err('金额最多保留两位小数', 'money has at most 2 decimals');
      if (f.type !== 'integer' && decimals(n) > 6) return err('最多保留六位小数', 'has at most 6 decimals');
      if (f.min !== null && n < f.min) return err(`不能小于 ${f.min}`, `must be at least ${f.min}`);
      if (f.max !== null && n > f.max) return err(`不能大于 ${f.max}`, `must be at most ${f.max}`);
      return { value: n };
    }
    case 'date': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      if (!validDate(s)) return err('应为日期（YYYY-MM-DD）', 'must be a date (YYYY-MM-DD)');
      return { value: s };
    }
    case 'text': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return err('应为文本', 'must be text');
      const s = String(raw).trim();
      if (s.length > MAX_TEXT) return err(`不能超过 ${MAX_TEXT} 字`, `must have at most ${MAX_TEXT} characters`);
      return { value: s };
    }
    case 'single_choice': {
      const s = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : null;
      const opt = s === null ? undefined : f.options.find((o) => o.value === s || o.label === s);
      if (!opt)
        return err(
          `取值无效，可选：${f.options.map((o) => o.label).join('、')}`,
          `must be one of ${f.options.map((o) => o.value).join(', ')}`,
        );
      return { value: opt.value };
    }
    case 'multi_choice': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,，、;；]/) : null;
      if (!list) return err('应为选项列表', 'must be a list of options');
      const out: string[] = [];
      for (const item of list) {
        const s = typeof item === 'string' ? item.trim() : String(item);
        if (!s) continue;
        const opt = f.options.find((o) => o.value === s || o.label === s);
        if (!opt) return err(`选项「${s}」无效`, `option ${s} is not allowed`);
        if (!out.includes(opt.value)) out.push(opt.value);
      }
      if (!out.length) return f.required ? err('为必填项', 'is required') : { value: null };
      return { value: out };
    }
    case 'file': {
      const list = Array.isArray(raw) ? raw : [raw];
      const ids: number[] = [];
      for (const item of list) {
        const n = toNumber(item);
        if (n === null || !Number.isInteger(n) || n <= 0 || n > 2147483647)
          return err('应为已上传附件的编号', 'must reference uploaded evidence');
        if (!ids.includes(n)) ids.push(n);
      }
      return { value: ids };
    }
  }
}

/** Numeric field values as formula variables (missing → null). */
export function numericVars(def: TFormDefinition, values: FormValues): Record<string, number | null> {
  const vars: Record<string, number | null> = {};
  for (const f of def.fields)
    if (isNumericType(f.type)) vars[f.key] = typeof values[f.key] === 'number' ? (values[f.key] as number) : null;
  return vars;
}

export type ValidationResult = { values: FormValues; scoreValue: number | null; errors: FormError[] };

/**
 * Validates entered values against a form: unknown keys, types, ranges and required fields
 * (hard errors naming `values.<key>`), then the cross-field rules (`rules.<i>`), then computes the
 * value that feeds the score. Never changes a value beyond normalising its representation.
 */
export function validateValues(
  def: TFormDefinition,
  raw: Record<string, unknown>,
  evaluate: FormulaEval,
): ValidationResult {
  const errors: FormError[] = [];
  const values: FormValues = {};
  const known = new Set(def.fields.map((f) => f.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key))
      errors.push({ field: `values.${key}`, zh: `表单中没有字段「${key}」`, en: `The form has no field ${key}` });
  }
  for (const f of def.fields) {
    const r = validateField(f, raw[f.key]);
    if ('error' in r) errors.push(r.error);
    else values[f.key] = r.value;
  }
  if (errors.length) return { values, scoreValue: null, errors };
  const vars = numericVars(def, values);
  def.rules.forEach((rule, i) => {
    // A rule over empty optional fields is not applied: there is nothing to check yet.
    const r = evaluate(rule.expression, vars);
    if (!r.ok) {
      if (Object.values(vars).some((v) => v === null)) return;
      errors.push({ field: `rules.${i}`, zh: `${rule.message}（${r.zh}）`, en: `${rule.message} (${r.en})` });
    } else if (r.value === false || r.value === 0) {
      errors.push({ field: `rules.${i}`, zh: rule.message, en: rule.message });
    }
  });
  if (errors.length) return { values, scoreValue: null, errors };
  let scoreValue: number | null = null;
  if (def.scoreFormula) {
    const r = evaluate(def.scoreFormula, vars);
    if (r.ok && typeof r.value === 'number' && Number.isFinite(r.value)) scoreValue = r.value;
    else if (r.ok && typeof r.value === 'boolean') scoreValue = r.value ? 1 : 0;
    else if (!r.ok && !Object.values(vars).some((v) => v === null)) {
      errors.push({ field: 'scoreFormula', zh: `计分公式无法计算：${r.zh}`, en: `The score formula failed: ${r.en}` });
    }
  } else {
    const key = scoreFieldOf(def);
    const v = key ? values[key] : null;
    scoreValue = typeof v === 'number' ? v : null;
  }
  return { values, scoreValue, errors };
}

/** True when two normalised value sets are the same. */
export function sameValues(a: FormValues, b: FormValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) return false;
  return true;
}
