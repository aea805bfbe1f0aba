import { describe, expect, it } from 'vitest';
import { ahp, AhpError, SAATY_RI, validateAhpMatrix } from './ahp.js';

function ahpError(m: unknown): AhpError {
  try {
    validateAhpMatrix(m);
  } catch (e) {
    if (e instanceof AhpError) return e;
    throw e;
  }
  throw new Error('expected an AhpError');
}

describe('ahp', () => {
  it('matches the textbook 3×3 example', () => {
    const r = ahp([
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ]);
    expect(r.weights[0]).toBeCloseTo(0.637, 3);
    expect(r.weights[1]).toBeCloseTo(0.258, 3);
    expect(r.weights[2]).toBeCloseTo(0.105, 3);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.lambdaMax).toBeCloseTo(3.0385, 4);
    expect(r.ci).toBeCloseTo(0.0193, 4);
    expect(r.ri).toBe(0.58);
    expect(r.cr).toBeCloseTo(0.033, 3);
    expect(r.consistent).toBe(true);
    expect(r.message).toBeNull();
  });

  it('gives exact weights for a perfectly consistent matrix', () => {
    const w = [0.5, 0.3, 0.2];
    const m = w.map((wi) => w.map((wj) => wi / wj));
    const r = ahp(m);
    r.weights.forEach((x, i) => expect(x).toBeCloseTo(w[i], 10));
    expect(r.lambdaMax).toBeCloseTo(3, 10);
    expect(r.cr).toBeCloseTo(0, 10);
  });

  it('handles n = 1 and n = 2 with CR 0', () => {
    expect(ahp([[1]])).toMatchObject({ weights: [1], ci: 0, cr: 0, ri: 0, consistent: true });
    const r = ahp([
      [1, 4],
      [0.25, 1],
    ]);
    expect(r.weights[0]).toBeCloseTo(0.8, 10);
    expect(r.cr).toBe(0);
    expect(r.consistent).toBe(true);
  });

  it('flags an inconsistent matrix (CR ≥ 0.1) with a message', () => {
    const r = ahp([
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ]);
    expect(r.cr).toBeGreaterThanOrEqual(0.1);
    expect(r.consistent).toBe(false);
    expect(r.message?.zh).toMatch(/一致性比例 CR = [\d.]+ ≥ 0.1/);
  });

  it('uses Saaty’s RI table for n = 1..15 and supports n = 15', () => {
    expect(SAATY_RI).toEqual([0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]);
    const n = 15;
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i + 1) / (j + 1)));
    const r = ahp(m);
    expect(r.ri).toBe(1.59);
    expect(r.weights[14]).toBeCloseTo(15 / 120, 10);
    expect(r.consistent).toBe(true);
  });

  it('names the problem of a malformed matrix', () => {
    expect(ahpError([]).field).toBe('matrix');
    expect(ahpError('x').field).toBe('matrix');
    expect(ahpError(Array.from({ length: 16 }, () => Array(16).fill(1))).zh).toContain('最多 15 阶');
    expect(ahpError([[1, 2], [0.5]]).field).toBe('matrix.1');
    expect(ahpError([[1, 2], [0.5]]).zh).toContain('方阵');
    expect(ahpError([[1, 2], 'x']).field).toBe('matrix.1');
    expect(
      ahpError([
        [1, -2],
        [0.5, 1],
      ]).field,
    ).toBe('matrix.0.1');
    expect(
      ahpError([
        [1, 0],
        [0.5, 1],
      ]).zh,
    ).toContain('应为正数');
    expect(
      ahpError([
        [1, Infinity],
        [0, 1],
      ]).field,
    ).toBe('matrix.0.1');
    expect(
      ahpError([
        [1, NaN],
        [1, 1],
      ]).field,
    ).toBe('matrix.0.1');
    expect(
      ahpError([
        [1, '2'],
        [0.5, 1],
      ]).field,
    ).toBe('matrix.0.1');
    expect(
      ahpError([
        [2, 1],
        [1, 1],
      ]).field,
    ).toBe('matrix.0.0');
    expect(
      ahpError([
        [1, 1],
        [1, 3],
      ]).field,
    ).toBe('matrix.1.1');
    const rec = ahpError([
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 2, 1],
    ]);
    expect(rec.field).toBe('matrix.1.2');
    expect(rec.zh).toContain('互反');
    expect(rec.en).toContain('a[1][2]');
    // 0.333 is not 1/3 within 1e-6.
    expect(
      ahpError([
        [1, 3],
        [0.333, 1],
      ]).field,
    ).toBe('matrix.0.1');
  });
});
