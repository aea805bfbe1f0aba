import type { FormInstance } from 'antd';
import { ApiError } from './api';

/**
 * Puts a server error on the form field it names (`ApiError.field`, e.g. `roles.0` → `roles`) and
 * returns true; returns false when the error names no field of the form, so the caller shows it.
 * `fields` limits the mapping to those names; without it, every field registered on the form counts.
 */
export function applyFieldError(form: FormInstance, err: unknown, fields?: readonly string[]): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const name = err.field.split('.')[0];
  const known = fields ?? Object.keys(form.getFieldsValue() ?? {});
  if (!known.includes(name)) return false;
  form.setFields([{ name, errors: [err.message] }]);
  return true;
}
