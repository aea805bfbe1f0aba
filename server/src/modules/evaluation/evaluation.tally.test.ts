import { describe, expect, it } from 'vitest';
import type { Question } from './evaluation.table.js';
import { tallyAnswers } from './evaluation.tally.js';

const QS: Question[] = [
  { key: 'a', type: 'single', title: '态度', required: true, options: ['支持', '反对'] },
  { key: 'b', type: 'multi', title: '关切', required: false, options: ['甲', '乙', '丙'] },
  { key: 's', type: 'satisfaction5', title: '满意度', required: true },
  { key: 'n', type: 'scale10', title: '打分', required: true },
  { key: 'm', type: 'matrix', title: '各项', required: true, rows: ['质量', '速度'], scale: 'satisfaction5' },
  { key: 'u', type: 'matrix', title: '各单位', required: true, rowsAreTargets: true },
  { key: 't', type: 'text', title: '意见', required: false },
];

describe('tallyAnswers', () => {
  it('counts each closed question over the answers; free text and unit matrices are left out', () => {
    const out = tallyAnswers(QS, [
      { a: 0, b: [0, 2], s: 0, n: 10, m: { 0: 1, 1: 4 }, t: '私人意见' },
      { a: 1, b: [], s: 3, n: 5, m: { 0: 1 } },
      { a: 0, s: 2, n: 0 },
    ]);
    expect(out.map((x) => x.key)).toEqual(['a', 'b', 's', 'n', 'm']);
    expect(out[0]).toMatchObject({ labels: ['支持', '反对'], counts: [2, 1], answered: 3 });
    expect(out[1]).toMatchObject({ counts: [1, 0, 1], answered: 2 });
    expect(out[2]).toMatchObject({ counts: [1, 0, 1, 1, 0], answered: 3, satisfiedPct: 66.7 });
    expect(out[3]).toMatchObject({ answered: 3, mean: 5 });
    expect(out[3].counts[10]).toBe(1);
    expect(out[4].rows).toEqual([
      { label: '质量', counts: [0, 2, 0, 0, 0] },
      { label: '速度', counts: [0, 0, 0, 0, 1] },
    ]);
    expect(JSON.stringify(out)).not.toContain('私人意见');
  });

  it('no answers: zero counts and no mean', () => {
    const out = tallyAnswers(QS, []);
    expect(out[2]).toMatchObject({ answered: 0, satisfiedPct: null });
    expect(out[3]).toMatchObject({ answered: 0, mean: null });
  });

  it('ignores values out of range (never seen after the answer check, but the tally must not break)', () => {
    const [a] = tallyAnswers(QS.slice(0, 1), [{ a: 5 }, { a: '0' }, { a: 1 }]);
    expect(a).toMatchObject({ counts: [0, 1], answered: 1 });
  });
});
