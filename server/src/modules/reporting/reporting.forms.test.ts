import { describe, expect, it } from 'vitest';
import {
  checkDefinition,
  defaultForm,
  validateValues,
  ZFormDefinition,
  type TFormDefinition,
} from './reporting.forms.js';
import { checkExpression, evaluateExpression } from './reporting.rules.js';

const form: TFormDefinition = ZFormDefinition.parse({
  fields: [
    { key: 'cases', label: '受理件数', type: 'integer', required: true, min: 0 },
    { key: 'closed', label: '办结件数', type: 'integer', required: true, min: 0 },
    { key: 'rate', label: '满意率', type: 'percent', min: 0, max: 100 },
    { key: 'fund', label: '到位资金', type: 'money' },
    { key: 'day', label: '完成日期', type: 'date' },
    {
      key: 'level',
      label: '完成情况',
      type: 'single_choice',
      options: [
        { value: 'done', label: '已完成' },
        { value: 'doing', label: '推进中' },
      ],
    },
    {
      key: 'tags',
      label: '涉及领域',
      type: 'multi_choice',
      options: [
        { value: 'a', label: '环境' },
        { value: 'b', label: '交通' },
      ],
    },
    { key: 'note', label: '说明', type: 'text' },
  ],
  rules: [{ expression: 'closed <= cases', message: '办结件数不能大于受理件数' }],
  scoreFormula: 'if(cases > 0, closed / cases * 100, 0)',
});

describe('form validation', () => {
  it('accepts good values, normalises them and computes the score value', () => {
    const r = validateValues(
      form,
      {
        cases: 40,
        closed: '30',
        rate: 96.5,
        fund: '1,200.50',
        day: '2026-10-31',
        level: '已完成',
        tags: '环境、交通',
        note: ' ok ',
      },
      evaluateExpression,
    );
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ closed: 30, fund: 1200.5, level: 'done', tags: ['a', 'b'], note: 'ok' });
    expect(r.scoreValue).toBe(75);
  });

  it('names the field of each hard error', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ closed: 1 }, 'values.cases'],
      [{ cases: 1.5, closed: 1 }, 'values.cases'],
      [{ cases: 'many', closed: 1 }, 'values.cases'],
      [{ cases: -1, closed: 0 }, 'values.cases'],
      [{ cases: 1, closed: 1, rate: 101 }, 'values.rate'],
      [{ cases: 1, closed: 1, fund: 1.234 }, 'values.fund'],
      [{ cases: 1, closed: 1, day: '2026-02-30' }, 'values.day'],
      [{ cases: 1, closed: 1, level: 'maybe' }, 'values.level'],
      [{ cases: 1, closed: 1, tags: ['环境', '教育'] }, 'values.tags'],
      [{ cases: 1, closed: 1, other: 3 }, 'values.other'],
      [{ cases: 1, closed: 2 }, 'rules.0'],
    ];
    for (const [raw, field] of cases) {
      const r = validateValues(form, raw, evaluateExpression);
      expect(r.errors[0]?.field, JSON.stringify(raw)).toBe(field);
    }
    expect(validateValues(form, { cases: 1, closed: 2 }, evaluateExpression).errors[0].zh).toBe(
      '办结件数不能大于受理件数',
    );
  });

  it('has a default single-value form named after the unit of measure', () => {
    const d = defaultForm('%');
    expect(d.fields).toHaveLength(1);
    expect(d.fields[0]).toMatchObject({ key: 'value', type: 'decimal', required: true, unit: '%' });
    expect(validateValues(d, { value: 3 }, evaluateExpression).scoreValue).toBe(3);
  });

  it('checks a definition: duplicate keys, reserved names, bad rules and score fields', () => {
    const bad = ZFormDefinition.parse({
      fields: [
        { key: 'a', label: 'A', type: 'decimal' },
        { key: 'a', label: 'A2', type: 'text' },
        { key: 'max', label: 'M', type: 'decimal' },
        { key: 'c', label: 'C', type: 'single_choice' },
      ],
      rules: [{ expression: 'a > zz', message: 'x' }],
      scoreField: 'c',
    });
    const fields = checkDefinition(bad, checkExpression).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['fields.1.key', 'fields.2.key', 'fields.3.options', 'scoreField', 'rules.0.expression']),
    );
    expect(checkDefinition(form, checkExpression)).toEqual([]);
  });
});
