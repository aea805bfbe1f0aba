import type { z } from 'zod';
import { EMPTY_PATCH } from './zod-patch.js';

/** Turns a zod issue into a Chinese and an English sentence naming the field. */
export function describeIssue(issue: z.core.$ZodIssue): { field: string; zh: string; en: string } {
  const field = issue.path.map(String).join('.') || '(body)';
  const name = `「${field}」`;
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 does not report the input by default; its message says what was received.
      if (/received undefined$/.test(issue.message))
        return { field, zh: `${name}为必填项`, en: `${field} is required` };
      return { field, zh: `${name}类型应为 ${issue.expected}`, en: `${field} must be of type ${issue.expected}` };
    case 'too_small':
      return issue.origin === 'string'
        ? {
            field,
            zh: `${name}长度至少为 ${issue.minimum}`,
            en: `${field} must have at least ${issue.minimum} characters`,
          }
        : { field, zh: `${name}不能小于 ${issue.minimum}`, en: `${field} must be at least ${issue.minimum}` };
    case 'too_big':
      return issue.origin === 'string'
        ? {
            field,
            zh: `${name}长度不能超过 ${issue.maximum}`,
            en: `${field} must have at most ${issue.maximum} characters`,
          }
        : { field, zh: `${name}不能大于 ${issue.maximum}`, en: `${field} must be at most ${issue.maximum}` };
    case 'invalid_value':
      return {
        field,
        zh: `${name}取值无效，可选：${issue.values.join('、')}`,
        en: `${field} must be one of ${issue.values.join(', ')}`,
      };
    case 'invalid_format':
      return { field, zh: `${name}格式不正确`, en: `${field} has an invalid format (${issue.format})` };
    case 'unrecognized_keys':
      return {
        field: issue.keys[0] ?? field,
        zh: `不支持的字段：${issue.keys.join('、')}`,
        en: `Unknown field(s): ${issue.keys.join(', ')}`,
      };
    case 'custom':
      if (issue.params?.code === EMPTY_PATCH)
        return { field, zh: '请至少提供一个要修改的字段', en: `${field}: ${issue.message}` };
      return { field, zh: `${name}无效：${issue.message}`, en: `${field} is invalid: ${issue.message}` };
    default:
      return { field, zh: `${name}无效：${issue.message}`, en: `${field} is invalid: ${issue.message}` };
  }
}
