import { describe, expect, it } from 'vitest';
import { allocate, drawSample, levelScore, ownFlags, scoreAnswers, unitResult } from './evaluation.logic.js';
import type { Mapping, Question } from './evaluation.table.js';

const Q: Question[] = [
  { key: 'overall', type: 'satisfaction5', title: '总体满意度', required: true },
  { key: 'score', type: 'scale10', title: '打分', required: false },
  { key: 'why', type: 'single', title: '渠道', required: false, options: ['电话', '网站'] },
  { key: 'tags', type: 'multi', title: '方面', required: false, options: ['效率', '态度', '结果'] },
  { key: 'aspects', type: 'matrix', title: '分项', required: false, rows: ['效率', '态度'], scale: 'satisfaction5' },
  { key: 'memo', type: 'text', title: '意见', required: false },
];

describe('scoreAnswers', () => {
  const c = { unitId: 7, targetUnitIds: [7], ownUnitId: null };
  it('scores the scale answers about the unit on 100 points and keeps the level', () => {
    const r = scoreAnswers(Q, { overall: 1, score: 8, tags: [2, 0], aspects: { '0': 0, '1': 4 }, memo: ' 好 ' }, c);
    if ('problem' in r) throw new Error(r.problem.en);
    expect(r.scores).toEqual([
      { unitId: 7, key: 'overall', score: 75, level: 1 },
      { unitId: 7, key: 'score', score: 80, level: null },
      { unitId: 7, key: 'aspects.0', score: 100, level: 0 },
      { unitId: 7, key: 'aspects.1', score: 0, level: 4 },
    ]);
    expect(r.clean.tags).toEqual([0, 2]);
    expect(r.clean.memo).toBe('好');
  });
  it('names the field of a missing required answer, an out-of-range value and an unknown question', () => {
    const p = (a: Record<string, unknown>) => {
      const r = scoreAnswers(Q, a, c);
      return 'problem' in r ? r.problem.field : null;
    };
    expect(p({})).toBe('answers.overall');
    expect(p({ overall: 5 })).toBe('answers.overall');
    expect(p({ overall: 1.5 })).toBe('answers.overall');
    expect(p({ overall: 0, score: 11 })).toBe('answers.score');
    expect(p({ overall: 0, why: 2 })).toBe('answers.why');
    expect(p({ overall: 0, tags: [1, 1] })).toBe('answers.tags');
    expect(p({ overall: 0, aspects: { '5': 1 } })).toBe('answers.aspects.5');
    expect(p({ overall: 0, nope: 1 })).toBe('answers.nope');
  });
  it('a matrix over the targets scores each unit, and a unit may not rate itself', () => {
    const m: Question[] = [{ key: 'm', type: 'matrix', title: '各部门', required: true, rowsAreTargets: true }];
    const ctx = { unitId: null, targetUnitIds: [1, 2, 3], ownUnitId: 2 };
    const ok = scoreAnswers(m, { m: { '1': 0, '3': 2 } }, ctx);
    if ('problem' in ok) throw new Error(ok.problem.en);
    expect(ok.scores.map((s) => [s.unitId, s.score])).toEqual([
      [1, 100],
      [3, 50],
    ]);
    const self = scoreAnswers(m, { m: { '1': 0, '2': 0, '3': 0 } }, ctx);
    expect('problem' in self && self.problem).toMatchObject({ field: 'answers.m.2', en: 'A unit may not rate itself' });
  });
});

describe('sampling', () => {
  const frame = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, unitId: i < 600 ? 1 : i < 900 ? 2 : 3 }));
  it('allocates in proportion to the strata (largest remainder), within each stratum', () => {
    const a = allocate(
      new Map([
        [1, 600],
        [2, 300],
        [3, 100],
      ]),
      101,
    );
    expect([a.get(1), a.get(2), a.get(3)]).toEqual([61, 30, 10]);
    expect([...allocate(new Map([[1, 3]]), 10).values()]).toEqual([3]);
  });
  it('draws the same sample from the same seed, another from another seed, proportional per stratum', () => {
    const sizes = allocate(
      new Map([
        [1, 600],
        [2, 300],
        [3, 100],
      ]),
      200,
    );
    const s1 = drawSample(frame, sizes, 42).map((r) => r.id);
    const s2 = drawSample([...frame].reverse(), sizes, 42).map((r) => r.id);
    const s3 = drawSample(frame, sizes, 43).map((r) => r.id);
    expect(s1).toEqual(s2);
    expect(s1).not.toEqual(s3);
    expect(new Set(s1).size).toBe(200);
    const per = (ids: number[], u: number) => ids.filter((id) => frame[id - 1].unitId === u).length;
    expect([per(s1, 1), per(s1, 2), per(s1, 3)]).toEqual([120, 60, 20]);
  });
  it('spreads the draws over the whole stratum (not the first rows)', () => {
    const ids = drawSample(frame, new Map([[1, 300]]), 7).map((r) => r.id);
    expect(ids.filter((id) => id > 300).length).toBeGreaterThan(100);
  });
});

describe('quality flags', () => {
  const rules = { maxPerIp: 5, maxPerDevice: 1, minSeconds: 20, straightLineMin: 4 };
  const s = (scores: number[]) => scores.map((score, i) => ({ unitId: 1, key: `q${i}`, score, level: null }));
  it('flags a response faster than the minimum and one with the same answer everywhere', () => {
    expect(ownFlags(s([100, 100, 100, 100]), 5, rules)).toEqual(['too_fast', 'straight_lining']);
    expect(ownFlags(s([100, 75, 100, 100]), 60, rules)).toEqual([]);
    expect(ownFlags(s([100, 100, 100]), null, rules)).toEqual([]);
  });
});

describe('unitResult and the mappings', () => {
  // 10 valid answers: 4 非常满意, 3 满意, 1 基本满意, 1 不满意, 1 非常不满意 (one answer each).
  const t = {
    unitId: 1,
    invited: 20,
    responses: 11,
    valid: 10,
    scoreSum: 4 * 100 + 3 * 75 + 50 + 25 + 0,
    scoreCount: 10,
    levels: [4, 3, 1, 1, 1],
  };
  const m = (x: Partial<Mapping>): Mapping => ({
    indicatorIds: [],
    mode: 'mean',
    levelWeights: [1, 1, 1, 0, 0],
    formula: null,
    ...x,
  });
  it('mean on 100 points', () => {
    const r = unitResult(t, m({}), '公众满意度');
    expect(levelScore(2)).toBe(50);
    expect(r.mean).toBe(70); // (400 + 225 + 50 + 25) / 10
    expect(r.mapped).toBe(70);
    expect(r.responseRate).toBe(55);
    expect(r.distribution).toEqual([4, 3, 1, 1, 1]);
    expect(r.explanation).toBe(
      '公众满意度 70：有效问卷 10 份，非常满意 4、满意 3、基本满意 1、不满意 1、非常不满意 1，平均分 70，满意率 80%，回收率 55%',
    );
  });
  it('satisfaction rate with the level weights', () => {
    expect(unitResult(t, m({ mode: 'satisfaction' }), 'x').mapped).toBe(80); // (4+3+1)/10
    expect(unitResult(t, m({ mode: 'satisfaction', levelWeights: [1, 0.8, 0.6, 0, 0] }), 'x').mapped).toBe(70); // (4 + 2.4 + 0.6)/10
  });
  it('a formula over mean, rate, n and the response rate', () => {
    expect(unitResult(t, m({ mode: 'formula', formula: 'mean * 0.6 + rate * 0.4' }), 'x').mapped).toBe(74);
    expect(
      unitResult(t, m({ mode: 'formula', formula: 'if(mean >= 90, 0, if(mean >= 80, 1, if(mean >= 60, 2, 3)))' }), 'x')
        .mapped,
    ).toBe(2);
    expect(unitResult(t, m({ mode: 'formula', formula: 'mean / (n - 10)' }), 'x').mapped).toBeNull();
  });
  it('no valid response: no value', () => {
    const r = unitResult({ ...t, valid: 0, scoreSum: 0, scoreCount: 0, levels: [0, 0, 0, 0, 0] }, m({}), '企业满意度');
    expect(r.mapped).toBeNull();
    expect(r.explanation).toMatch(/^企业满意度：无有效问卷，不计分/);
  });
});
