/**
 * AHP (层次分析法): weights from a pairwise comparison matrix.
 *
 * `a[i][j]` says how much more important criterion i is than criterion j on Saaty's 1–9 scale
 * (a[j][i] = 1 / a[i][j], a[i][i] = 1). The weights are the principal eigenvector, found by power
 * iteration (w ← A·w, normalised to sum 1, until no weight moves by more than the tolerance).
 *
 * λmax = mean over i of (A·w)_i / w_i; CI = (λmax − n) / (n − 1); CR = CI / RI(n), with Saaty's
 * random index table
 *
 *     n  : 1  2  3     4     5     6     7     8     9     10    11    12    13    14    15
 *     RI : 0  0  0.58  0.90  1.12  1.24  1.32  1.41  1.45  1.49  1.51  1.48  1.56  1.57  1.59
 *
 * A matrix of order n ≤ 2 is always consistent (CI = CR = 0). CR ≥ 0.1 → `consistent: false`, and
 * callers must refuse to use the weights (the message says so).
 */

/** Saaty's random consistency index RI for n = 1..15 (index n − 1). */
export const SAATY_RI = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59] as const;

export const AHP_MAX_N = 15;
export const AHP_CR_LIMIT = 0.1;
/** Tolerance of the reciprocity check a[i][j] × a[j][i] = 1. */
export const AHP_RECIPROCAL_TOLERANCE = 1e-6;

/** A malformed matrix: `field` is 'matrix', 'matrix.i' (a row) or 'matrix.i.j' (an entry, 0-based). */
export class AhpError extends Error {
  constructor(
    readonly field: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'AhpError';
  }
}

export type AhpResult = {
  n: number;
  weights: number[];
  lambdaMax: number;
  ci: number;
  cr: number;
  ri: number;
  consistent: boolean;
  iterations: number;
  /** Why the weights must not be used (CR ≥ 0.1), or null. */
  message: { zh: string; en: string } | null;
};

/** Checks shape and entries; throws AhpError naming the first problem (rows and columns 0-based in the field, 1-based in the text). */
export function validateAhpMatrix(matrix: unknown): number[][] {
  if (!Array.isArray(matrix))
    throw new AhpError('matrix', '判断矩阵应为二维数组', 'the matrix must be an array of rows');
  const n = matrix.length;
  if (n < 1) throw new AhpError('matrix', '判断矩阵至少为 1 阶', 'the matrix must have at least one row');
  if (n > AHP_MAX_N)
    throw new AhpError(
      'matrix',
      `判断矩阵最多 ${AHP_MAX_N} 阶，实际 ${n} 阶`,
      `the matrix may have at most ${AHP_MAX_N} rows, has ${n}`,
    );
  for (let i = 0; i < n; i++) {
    const row: unknown = matrix[i];
    if (!Array.isArray(row) || row.length !== n) {
      const len = Array.isArray(row) ? row.length : 0;
      throw new AhpError(
        `matrix.${i}`,
        `判断矩阵应为方阵：第 ${i + 1} 行有 ${len} 个元素，应为 ${n} 个`,
        `the matrix must be square: row ${i + 1} has ${len} entries, expected ${n}`,
      );
    }
    for (let j = 0; j < n; j++) {
      const x: unknown = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new AhpError(
          `matrix.${i}.${j}`,
          `第 ${i + 1} 行第 ${j + 1} 列不是有效数字`,
          `entry (${i + 1}, ${j + 1}) is not a finite number`,
        );
      }
      if (!(x > 0))
        throw new AhpError(
          `matrix.${i}.${j}`,
          `第 ${i + 1} 行第 ${j + 1} 列应为正数，实际 ${x}`,
          `entry (${i + 1}, ${j + 1}) must be positive, is ${x}`,
        );
    }
  }
  const m = matrix as number[][];
  for (let i = 0; i < n; i++) {
    if (Math.abs(m[i][i] - 1) > AHP_RECIPROCAL_TOLERANCE) {
      throw new AhpError(
        `matrix.${i}.${i}`,
        `对角线元素（第 ${i + 1} 行第 ${i + 1} 列）应为 1，实际 ${m[i][i]}`,
        `diagonal entry (${i + 1}, ${i + 1}) must be 1, is ${m[i][i]}`,
      );
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(m[i][j] * m[j][i] - 1) > AHP_RECIPROCAL_TOLERANCE) {
        throw new AhpError(
          `matrix.${i}.${j}`,
          `判断矩阵不满足互反性：第 ${i + 1} 行第 ${j + 1} 列 (${m[i][j]}) × 第 ${j + 1} 行第 ${i + 1} 列 (${m[j][i]}) 应等于 1`,
          `the matrix is not reciprocal: a[${i}][${j}] (${m[i][j]}) × a[${j}][${i}] (${m[j][i]}) must equal 1`,
        );
      }
    }
  }
  return m;
}

/** Weights and consistency of a pairwise comparison matrix. Throws AhpError for a malformed matrix. */
export function ahp(matrix: number[][], opts: { tolerance?: number; maxIterations?: number } = {}): AhpResult {
  const a = validateAhpMatrix(matrix);
  const n = a.length;
  const tol = opts.tolerance ?? 1e-12;
  const maxIt = opts.maxIterations ?? 10_000;
  let w = new Array<number>(n).fill(1 / n);
  let iterations = 0;
  for (; iterations < maxIt; iterations++) {
    const next = new Array<number>(n).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i][j] * w[j];
      next[i] = s;
      sum += s;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= sum;
      delta = Math.max(delta, Math.abs(next[i] - w[i]));
    }
    w = next;
    if (delta < tol) {
      iterations++;
      break;
    }
  }
  let lambda = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i][j] * w[j];
    lambda += s / w[i];
  }
  lambda /= n;
  const ri = SAATY_RI[n - 1];
  const ci = n <= 2 ? 0 : (lambda - n) / (n - 1);
  const cr = n <= 2 || ri === 0 ? 0 : ci / ri;
  const consistent = cr < AHP_CR_LIMIT;
  const crText = (Math.round(cr * 10000) / 10000).toString();
  return {
    n,
    weights: w,
    lambdaMax: lambda,
    ci,
    cr,
    ri,
    consistent,
    iterations,
    message: consistent
      ? null
      : {
          zh: `一致性比例 CR = ${crText} ≥ ${AHP_CR_LIMIT}，判断矩阵一致性不可接受，请调整两两比较的判断后重试`,
          en: `consistency ratio CR = ${crText} ≥ ${AHP_CR_LIMIT}: the judgements are inconsistent; revise the pairwise comparisons`,
        },
  };
}
