import type { FormInstance } from 'antd';
import { ApiError } from './api';

/**
 * Puts a server error on the form field it names (`ApiError.field`, e.g. `roles.0` → `roles`) and
 * returns true; returns false when the error names no field of the form, so the caller shows it.
 * `fields` limits the mapping to those names; without it, every field registered on the form counts.
 */
export function applyFieldError(form: FormInstance, err: unknown, fields?: readonly string[]): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const path = err.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const name = String(path[0]);
  const known = fields ?? Object.keys(form.getFieldsValue() ?? {});
  if (!known.includes(name)) return false;
  // A nested field of a list (gradeRule.grades.1.threshold) gets the error itself when the form holds it.
  let value: unknown = form.getFieldsValue(true);
  for (const p of path)
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[p] : undefined;
  form.setFields([{ name: path.length > 1 && value !== undefined ? path : name, errors: [err.message] }]);
  return true;
}
