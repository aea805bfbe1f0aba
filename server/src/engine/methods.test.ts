import { describe, expect, it } from 'vitest';
import {
  bandsParams,
  competitionRanks,
  completion,
  explainBands,
  explainBenchmark,
  explainBonus,
  explainDeduction,
  explainIncrements,
  explainQualitative,
  explainRank,
  explainRatio,
  explainVeto,
  findBand,
  rankPoints,
  scoreBands,
  scoreBenchmark,
  scoreBonus,
  scoreDeduction,
  scoreIncrements,
  scoreQualitative,
  scoreRatio,
  vetoTriggered,
  type IncrementsParams,
} from './methods.js';

describe('completion', () => {
  it('is actual ÷ target, or target ÷ actual for a negative indicator', () => {
    expect(completion(86, 100, false)).toBe(0.86);
    expect(completion(8, 10, true)).toBe(1.25);
  });
  it('has defined edge cases', () => {
    expect(completion(NaN, 100, false)).toBeNaN();
    expect(completion(5, NaN, false)).toBeNaN();
    expect(completion(5, -1, false)).toBeNaN();
    expect(completion(0, 0, false)).toBe(1);
    expect(completion(3, 0, false)).toBe(1);
    expect(completion(-3, 0, false)).toBe(0);
    expect(completion(0, 0, true)).toBe(1);
    expect(completion(2, 0, true)).toBe(0);
    expect(completion(0, 5, true)).toBe(Infinity);
    expect(completion(-1, 5, true)).toBe(Infinity);
  });
});

describe('ratio (完成比例)', () => {
  const p = { cap: 1, floor: 0 };
  it('scores points × actual ÷ target', () => {
    expect(scoreRatio(86, 100, 8, false, p)).toBeCloseTo(6.88, 12);
    expect(explainRatio(86, 100, 8, false, p).text).toBe('完成比例：实际 86 ÷ 目标 100 × 分值 8 = 6.88');
  });
  it('scores points × target ÷ actual for a negative indicator', () => {
    expect(scoreRatio(10, 8, 5, true, p)).toBe(4);
    expect(explainRatio(10, 8, 5, true, p).text).toBe('完成比例（逆向指标）：目标 8 ÷ 实际 10 × 分值 5 = 4');
  });
  it('caps and floors', () => {
    expect(scoreRatio(130, 100, 8, false, { cap: 1.2, floor: 0 })).toBeCloseTo(9.6, 12);
    expect(explainRatio(130, 100, 8, false, { cap: 1.2, floor: 0 }).text).toContain('超过封顶 1.2，按 1.2 计');
    expect(scoreRatio(20, 100, 8, false, { cap: 1, floor: 0.5 })).toBe(4);
    expect(explainRatio(20, 100, 8, false, { cap: 1, floor: 0.5 }).text).toContain('低于保底 0.5');
    expect(scoreRatio(-5, 100, 8, false, { cap: 1, floor: 0.5 })).toBe(4);
    expect(scoreRatio(0, 5, 8, true, { cap: 1.2, floor: 0 })).toBeCloseTo(9.6, 12);
  });
  it('has no score without a value or a usable target', () => {
    expect(scoreRatio(NaN, 100, 8, false, p)).toBeNaN();
    expect(explainRatio(NaN, 100, 8, false, p)).toMatchObject({ status: 'missing_value' });
    expect(scoreRatio(5, NaN, 8, false, p)).toBeNaN();
    expect(explainRatio(5, NaN, 8, false, p)).toMatchObject({
      status: 'missing_target',
      text: '完成比例：缺少目标值，不计分',
    });
    expect(explainRatio(5, -2, 8, false, p).status).toBe('invalid');
  });
  it('treats a zero target as met when the value is not worse', () => {
    expect(scoreRatio(0, 0, 8, false, p)).toBe(8);
    expect(scoreRatio(4, 0, 8, false, p)).toBe(8);
    expect(scoreRatio(0, 0, 8, true, p)).toBe(8);
    expect(scoreRatio(1, 0, 8, true, p)).toBe(0);
    expect(explainRatio(4, 0, 8, false, p).text).toContain('目标为 0');
  });
  it('interpolates towards a challenge target', () => {
    const q = { cap: 1.2, floor: 0 };
    expect(scoreRatio(100, 100, 10, false, q, 120)).toBe(10);
    expect(scoreRatio(110, 100, 10, false, q, 120)).toBeCloseTo(11, 12);
    expect(scoreRatio(130, 100, 10, false, q, 120)).toBeCloseTo(12, 12);
    expect(scoreRatio(90, 100, 10, false, q, 120)).toBe(9);
    expect(scoreRatio(9, 10, 10, true, q, 8)).toBeCloseTo(11, 12);
    expect(explainRatio(110, 100, 10, false, q, 120).value).toBeCloseTo(11, 12);
    expect(explainRatio(110, 100, 10, false, q, 120).text).toContain('挑战目标 120');
  });
});

describe('bands (区间计分)', () => {
  const p = bandsParams({
    on: 'completion',
    bands: [
      { min: 1, max: null, points: 10 },
      { min: 0.9, max: 1, points: 8 },
      { min: 0.8, max: 0.9, points: 6 },
      { min: null, max: 0.6, points: 1 },
    ],
  });
  it('finds the band of the completion, with open ends and a gap', () => {
    expect(scoreBands(120, 100, false, p)).toBe(10);
    expect(scoreBands(100, 100, false, p)).toBe(10);
    expect(scoreBands(95, 100, false, p)).toBe(8);
    expect(scoreBands(80, 100, false, p)).toBe(6);
    expect(scoreBands(70, 100, false, p)).toBe(0);
    expect(explainBands(70, 100, false, p).text).toContain('不在任何区间，得 0 分');
    expect(scoreBands(10, 100, false, p)).toBe(1);
    expect(scoreBands(-10, 100, false, p)).toBe(1);
    expect(explainBands(95, 100, false, p).text).toBe(
      '区间计分（按完成率）：实际 95 ÷ 目标 100 = 0.95，即 95%，落在区间 [90%, 100%)，得 8 分',
    );
  });
  it('puts an infinite completion into the open top band', () => {
    expect(scoreBands(0, 5, true, p)).toBe(10);
    expect(findBand(Infinity, p)).toBe(0);
  });
  it('has no score without a value or target', () => {
    expect(scoreBands(NaN, 100, false, p)).toBeNaN();
    expect(scoreBands(50, NaN, false, p)).toBeNaN();
    expect(explainBands(50, NaN, false, p).status).toBe('missing_target');
  });
  it('bands on the raw value take the first matching band on overlap', () => {
    const v = bandsParams({
      on: 'value',
      bands: [
        { min: 0, max: 10, points: 3 },
        { min: 5, max: 20, points: 2 },
      ],
    });
    expect(scoreBands(7, NaN, false, v)).toBe(3);
    expect(scoreBands(15, NaN, false, v)).toBe(2);
    expect(scoreBands(20, NaN, false, v)).toBe(0);
    expect(explainBands(15, NaN, false, v).text).toBe('区间计分（按数值）：实际 15，落在区间 [5, 20)，得 2 分');
  });
  it('flattens bands into an equivalent step function', () => {
    const v = bandsParams({
      on: 'value',
      bands: [
        { min: 0, max: 10, points: 3 },
        { min: 5, max: 20, points: 2 },
        { min: 30, max: null, points: 7 },
        { min: null, max: -5, points: 1 },
      ],
    });
    expect(v.stepOk).toBe(true);
    for (const x of [-Infinity, -100, -5, -4.9, 0, 4.99, 5, 9.999, 10, 19.9, 20, 25, 30, 1e9, Infinity]) {
      let k = 0;
      for (const b of v.breakpoints) k += +(x >= b);
      const i = findBand(x, v);
      expect(v.segments[k]).toBe(i < 0 ? 0 : v.points[i]);
    }
    const many = bandsParams({
      on: 'value',
      bands: Array.from({ length: 10 }, (_, i) => ({ min: i, max: i + 0.5, points: i })),
    });
    expect(many.stepOk).toBe(false);
  });
});

describe('increments (基准加减分)', () => {
  const p: IncrementsParams = {
    base: 6,
    stepPercent: 5,
    stepPoints: 0.5,
    stepPointsUnder: 1,
    min: 0,
    max: 8,
    relative: true,
  };
  it('adds per full step over target and subtracts per full step under', () => {
    expect(scoreIncrements(100, 100, false, p)).toBe(6);
    expect(scoreIncrements(104.9, 100, false, p)).toBe(6);
    expect(scoreIncrements(105, 100, false, p)).toBe(6.5);
    expect(scoreIncrements(112, 100, false, p)).toBe(7);
    expect(scoreIncrements(90, 100, false, p)).toBe(4);
    expect(scoreIncrements(96, 100, false, p)).toBe(6);
    expect(explainIncrements(112, 100, false, p).text).toContain('计 2 档');
  });
  it('clamps to [min, max]', () => {
    expect(scoreIncrements(200, 100, false, p)).toBe(8);
    expect(scoreIncrements(10, 100, false, p)).toBe(0);
  });
  it('inverts for a negative indicator', () => {
    expect(scoreIncrements(90, 100, true, p)).toBe(7);
    expect(scoreIncrements(110, 100, true, p)).toBe(4);
  });
  it('measures absolute deviations (percentage points) when asked', () => {
    const a = { ...p, relative: false, stepPercent: 1 };
    expect(scoreIncrements(92.5, 90, false, a)).toBe(7);
    expect(scoreIncrements(88, 90, false, a)).toBe(4);
  });
  it('handles a zero target and missing data', () => {
    expect(scoreIncrements(0, 0, false, p)).toBe(6);
    expect(scoreIncrements(1, 0, false, p)).toBe(8);
    expect(scoreIncrements(-1, 0, false, p)).toBe(0);
    expect(scoreIncrements(1, 0, true, p)).toBe(0);
    expect(scoreIncrements(1, 0, false, { ...p, stepPoints: 0 })).toBe(6);
    expect(scoreIncrements(NaN, 100, false, p)).toBeNaN();
    expect(scoreIncrements(5, NaN, false, p)).toBeNaN();
    expect(explainIncrements(5, NaN, false, p).status).toBe('missing_target');
  });
});

describe('rank (排名计分)', () => {
  it('gives competition places: ties share the better place, missing values are unranked', () => {
    expect(Array.from(competitionRanks([10, 30, 20, 30, NaN], true))).toEqual([4, 1, 3, 1, 0]);
    expect(Array.from(competitionRanks([10, 30, 20, 10], false))).toEqual([1, 4, 3, 1]);
  });
  it('loses stepPoints per place down to minPoints', () => {
    const p = { stepPoints: 0.5, minPoints: 1 };
    expect(rankPoints(1, 3, p)).toBe(3);
    expect(rankPoints(2, 3, p)).toBe(2.5);
    expect(rankPoints(9, 3, p)).toBe(1);
    expect(rankPoints(0, 3, p)).toBeNaN();
    expect(explainRank(2, 5, 30, 3, false, p).text).toBe(
      '排名计分（越大越好）：实际 30，在同类 5 个单位中排第 2 名；分值 3 − (2 − 1) × 0.5 = 2.5，得 2.5 分',
    );
    expect(explainRank(0, 5, NaN, 3, false, p).status).toBe('missing_value');
  });
});

describe('benchmark (标杆值计分)', () => {
  const p = { baseline: 60, benchmark: 100 };
  it('interpolates between baseline and benchmark, clamped', () => {
    expect(scoreBenchmark(80, 10, false, p)).toBe(5);
    expect(scoreBenchmark(120, 10, false, p)).toBe(10);
    expect(scoreBenchmark(40, 10, false, p)).toBe(0);
    expect(scoreBenchmark(NaN, 10, false, p)).toBeNaN();
    expect(explainBenchmark(80, 10, false, p).text).toBe(
      '标杆值计分：(实际 80 − 基准 60) ÷ (标杆 100 − 基准 60) = 0.5；× 分值 10 = 5',
    );
  });
  it('works downwards when the benchmark is below the baseline', () => {
    expect(scoreBenchmark(30, 10, true, { baseline: 50, benchmark: 10 })).toBe(5);
  });
  it('is all-or-nothing when benchmark = baseline', () => {
    expect(scoreBenchmark(5, 10, false, { baseline: 5, benchmark: 5 })).toBe(10);
    expect(scoreBenchmark(4, 10, false, { baseline: 5, benchmark: 5 })).toBe(0);
    expect(scoreBenchmark(4, 10, true, { baseline: 5, benchmark: 5 })).toBe(10);
  });
});

describe('qualitative (定性评价)', () => {
  const p = { labels: ['优秀', '良好', '一般'], shares: Float64Array.of(1, 0.85, 0.7) };
  it('maps the grade index to its share of points', () => {
    expect(scoreQualitative(1, 10, p)).toBe(8.5);
    expect(explainQualitative(1, 10, p).text).toBe('定性评价：等次「良好」得分比例 0.85 × 分值 10 = 8.5');
  });
  it('has no score for a missing or invalid grade', () => {
    expect(scoreQualitative(NaN, 10, p)).toBeNaN();
    expect(scoreQualitative(3, 10, p)).toBeNaN();
    expect(scoreQualitative(-1, 10, p)).toBeNaN();
    expect(scoreQualitative(0.5, 10, p)).toBeNaN();
    expect(explainQualitative(3, 10, p).status).toBe('invalid');
  });
});

describe('deduction, bonus, veto', () => {
  const p = { perOccurrence: 0.5, maxTotal: 2 };
  it('deducts per occurrence from the points, capped, never below zero', () => {
    expect(scoreDeduction(0, 5, p)).toBe(5);
    expect(scoreDeduction(NaN, 5, p)).toBe(5);
    expect(scoreDeduction(3, 5, p)).toBe(3.5);
    expect(scoreDeduction(10, 5, p)).toBe(3);
    expect(scoreDeduction(10, 1, p)).toBe(0);
    expect(explainDeduction(10, 5, p).text).toBe('扣分：10 次 × 0.5 分 = 5，超过扣分上限 2，按 2 扣；分值 5 − 2 = 3');
  });
  it('is a negative amount outside the base when the leaf has no points', () => {
    expect(scoreDeduction(3, 0, p)).toBe(-1.5);
    expect(scoreDeduction(0, 0, p)).toBe(0);
    expect(explainDeduction(3, 0, p).text).toContain('基础分外');
  });
  it('adds bonus per occurrence up to its cap', () => {
    expect(scoreBonus(3, p)).toBe(1.5);
    expect(scoreBonus(9, p)).toBe(2);
    expect(scoreBonus(NaN, p)).toBe(0);
    expect(scoreBonus(-2, p)).toBe(0);
    expect(explainBonus(9, p).text).toBe('加分：9 次 × 0.5 分 = 4.5，超过加分上限，按 2 计；加 2 分');
  });
  it('vetoes from the first occurrence', () => {
    expect(vetoTriggered(0)).toBe(false);
    expect(vetoTriggered(NaN)).toBe(false);
    expect(vetoTriggered(1)).toBe(true);
    expect(explainVeto(1, 'cap_grade', '良好').text).toBe('一票否决：本期 1 次，已触发，等次最高为「良好」');
    expect(explainVeto(0, 'zero_score', undefined).text).toContain('未触发');
  });
});

describe('method texts in English (lang en)', () => {
  // One case per method kind: the exact English sentence, the same number as the Chinese twin.
  const same = (en: { value: number; status: string }, zh: { value: number; status: string }) => {
    expect(Object.is(en.value, zh.value) || (Number.isNaN(en.value) && Number.isNaN(zh.value))).toBe(true);
    expect(en.status).toBe(zh.status);
  };
  it('ratio (完成比例)', () => {
    const p = { cap: 1.2, floor: 0 };
    const en = explainRatio(95, 100, 10, false, p, NaN, 'en');
    expect(en.text).toBe('Completion: actual 95 ÷ target 100 = 0.95; 0.95 × 10 points = 9.5');
    same(en, explainRatio(95, 100, 10, false, p));
    expect(explainRatio(10, 8, 5, true, p, NaN, 'en').text).toBe(
      'Completion (negative indicator: lower is better): target 8 ÷ actual 10 = 0.8; 0.8 × 5 points = 4',
    );
    expect(explainRatio(130, 100, 8, false, p, NaN, 'en').text).toBe(
      'Completion: actual 130 ÷ target 100 = 1.3; above the cap 1.2, counted as 1.2; 1.2 × 8 points = 9.6',
    );
    expect(explainRatio(5, NaN, 8, false, p, NaN, 'en')).toMatchObject({
      status: 'missing_target',
      text: 'Completion: no target, not scored',
    });
  });
  it('bands (区间计分)', () => {
    const p = bandsParams({
      on: 'completion',
      bands: [
        { min: 1, max: null, points: 10 },
        { min: 0.9, max: 1, points: 8 },
      ],
    });
    const en = explainBands(95, 100, false, p, 'en');
    expect(en.text).toBe(
      'Bands (on completion): actual 95 ÷ target 100 = 0.95, i.e. 95%, in the band [90%, 100%): 8 points',
    );
    same(en, explainBands(95, 100, false, p));
    expect(explainBands(70, 100, false, p, 'en').text).toBe(
      'Bands (on completion): actual 70 ÷ target 100 = 0.7, i.e. 70%, in no band: 0 points',
    );
  });
  it('increments (基准加减分)', () => {
    const p: IncrementsParams = {
      base: 6,
      stepPercent: 5,
      stepPoints: 0.5,
      stepPointsUnder: 1,
      min: 0,
      max: 8,
      relative: true,
    };
    const en = explainIncrements(112, 100, false, p, 'en');
    expect(en.text).toBe(
      'Baseline plus increments: deviation = (112 − 100) ÷ 100 × 100 = 12%; better than the target, +0.5 points per full step of 5%, 2 full steps: 6 + 2 × 0.5; kept within [0, 8] = 7',
    );
    same(en, explainIncrements(112, 100, false, p));
  });
  it('rank (排名计分)', () => {
    const p = { stepPoints: 0.5, minPoints: 1 };
    const en = explainRank(2, 5, 30, 3, false, p, 'en');
    expect(en.text).toBe(
      'Rank within category (higher is better): actual 30, place 2 of 5 units in the category; 3 points − (2 − 1) × 0.5 = 2.5: 2.5 points',
    );
    same(en, explainRank(2, 5, 30, 3, false, p));
  });
  it('benchmark (标杆值计分)', () => {
    const p = { baseline: 60, benchmark: 100 };
    const en = explainBenchmark(80, 10, false, p, 'en');
    expect(en.text).toBe(
      'Benchmark: (actual 80 − baseline 60) ÷ (benchmark 100 − baseline 60) = 0.5; 0.5 × 10 points = 5',
    );
    same(en, explainBenchmark(80, 10, false, p));
  });
  it('qualitative (定性评价)', () => {
    const p = { labels: ['优秀', '良好', '一般'], shares: Float64Array.of(1, 0.85, 0.7) };
    const en = explainQualitative(1, 10, p, 'en');
    expect(en.text).toBe('Qualitative grade: grade "良好" earns 0.85 × 10 points = 8.5');
    same(en, explainQualitative(1, 10, p));
    expect(explainQualitative(NaN, 10, p, 'en').text).toBe('Qualitative grade: not graded yet, not scored');
  });
  it('deduction (扣分), bonus (加分) and veto (一票否决)', () => {
    const p = { perOccurrence: 0.5, maxTotal: 2 };
    const d = explainDeduction(10, 5, p, 'en');
    expect(d.text).toBe(
      'Deduction: 10 occurrences × 0.5 points = 5, above the deduction limit 2, so 2 deducted; 5 points − 2 = 3',
    );
    same(d, explainDeduction(10, 5, p));
    expect(explainDeduction(3, 0, p, 'en').text).toBe(
      'Deduction (outside the base): 3 occurrences × 0.5 points = 1.5; 1.5 points deducted',
    );
    const b = explainBonus(9, p, 'en');
    expect(b.text).toBe('Bonus: 9 occurrences × 0.5 points = 4.5, above the bonus limit, counted as 2; 2 points added');
    same(b, explainBonus(9, p));
    expect(explainVeto(1, 'cap_grade', '良好', 'en').text).toBe(
      'Veto: 1 occurrence this period, triggered: the grade can be no better than "良好"',
    );
    expect(explainVeto(0, 'zero_score', undefined, 'en').text).toBe('Veto: 0 occurrences this period, not triggered');
  });
});
