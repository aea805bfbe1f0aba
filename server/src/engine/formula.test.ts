import { describe, expect, it } from 'vitest';
import {
  compileFormula,
  evaluateFormula,
  FORMULA_LIMITS,
  FormulaError,
  parseFormula,
  programDepth,
  roundHalfAway,
  runProgram,
  runProgramBatch,
  substitute,
  traceFormula,
} from './formula.js';

const ev = (src: string, vars: Record<string, number> = {}) => evaluateFormula(src, new Map(Object.entries(vars)));

function errorOf(fn: () => unknown): FormulaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw new Error(`expected a FormulaError, got ${String(e)}`);
  }
  throw new Error('expected a FormulaError, got none');
}

describe('formula: arithmetic and precedence', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['10 % 4', 2],
    ['7 / 2', 3.5],
    ['1.5e2 + .5', 150.5],
    ['--3', 3],
    ['+4', 4],
    ['1 < 2', 1],
    ['2 <= 1', 0],
    ['3 == 3', 1],
    ['3 = 3', 1],
    ['3 != 3', 0],
    ['3 <> 4', 1],
    ['1 < 2 and 2 < 3', 1],
    ['1 > 2 or 2 > 3', 0],
    ['not 0', 1],
    ['!1', 0],
    ['1 && 0 || 1', 1],
    ['true + true', 2],
    ['0.1 + 0.2 == 0.3', 1],
    ['（1 + 2）* 3', 9],
  ])('%s = %s', (src, want) => {
    expect(ev(src)).toBeCloseTo(want as number, 12);
  });

  it('has the functions of the language', () => {
    expect(ev('if(x > 5, 10, 20)', { x: 6 })).toBe(10);
    expect(ev('if(x > 5, 10, 20)', { x: 5 })).toBe(20);
    expect(ev('min(3, 1, 2)')).toBe(1);
    expect(ev('max(3, 1, 2)')).toBe(3);
    expect(ev('min(4, 9)')).toBe(4);
    expect(ev('max(4, 9)')).toBe(9);
    expect(ev('sum(1, 2, 3)')).toBe(6);
    expect(ev('avg(1, 2, 3, 4)')).toBe(2.5);
    expect(ev('abs(-3)')).toBe(3);
    expect(ev('round(2.345, 2)')).toBe(2.35);
    expect(ev('round(1.005, 2)')).toBe(1.01);
    expect(ev('round(-2.5)')).toBe(-3);
    expect(ev('round(2.5)')).toBe(3);
    expect(ev('ifnull(x, 7)', { x: NaN })).toBe(7);
    expect(ev('ifnull(x, 7)', { x: 2 })).toBe(2);
    expect(roundHalfAway(0.125, 2)).toBe(0.13);
  });

  it('evaluates only the chosen branch of if', () => {
    expect(ev('if(b == 0, 0, a / b)', { a: 1, b: 0 })).toBe(0);
  });

  it('propagates missing values (NaN) and lets ifnull replace them', () => {
    expect(ev('x + 1', { x: NaN })).toBeNaN();
    expect(ev('x > 1', { x: NaN })).toBeNaN();
    expect(ev('if(x > 1, 1, 2)', { x: NaN })).toBeNaN();
    expect(ev('ifnull(x / y, 0)', { x: 1, y: 0 })).toBe(0);
  });

  it('lists the referenced variables in order of first use', () => {
    const f = compileFormula('min(value / target * points, points * 1.2) + A1_02 - value');
    expect(f.variables).toEqual(['value', 'target', 'points', 'A1_02']);
  });

  it('compiled closures and strict evaluation agree', () => {
    const src =
      'if(value >= target, points, points * value / target) + max(f1, f2) - min(f1, f2, 1) + avg(f1, f2) + sum(f1) + round(f1 / 3, 2) + abs(f2 - 9) + 2 ^ 0.5 % 1';
    const f = compileFormula(src);
    const names = f.variables;
    const slots = new Map(names.map((n, i) => [n, i]));
    const fn = f.bind(slots);
    for (const [value, target, f1, f2] of [
      [86, 100, 3, 4],
      [120, 100, -1, 2.5],
      [0, 0, 0, 0],
      [NaN, 100, 1, 1],
    ]) {
      const vars = new Map<string, number>([
        ['value', value],
        ['target', target],
        ['points', 8],
        ['f1', f1],
        ['f2', f2],
      ]);
      const strict = f.evaluate(vars);
      const fast = fn(Float64Array.from(names, (n) => vars.get(n)!));
      expect(Object.is(strict, fast) || (Number.isNaN(strict) && Number.isNaN(fast))).toBe(true);
    }
  });

  it('runs programs lane by lane exactly like one value at a time', () => {
    const sources = [
      'if(a >= b, c, c * a / b) + (not (a < 0)) - (a == b) + (a != c) + (a <= 1 or b > 2) * 0.5',
      'min(a / b * c, c * 1.2) - max(a, b, c) + sum(a, b) / avg(a, b, c) % 3',
      'round((a + b) / 2 / c * 4, 2) + abs(-a) ^ 0.5 + ifnull(a / (b - 1), 7) - -c',
      'if(a, b, c) and 1 || 0',
    ];
    const lanes = 9;
    const cols = [
      [1, 2, 0, -1, NaN, 3.5, 1, 100, 2],
      [1, 1, 2, 0, 4, NaN, 3, 0.5, 2],
      [5, 0, 2, 8, 1, 2, NaN, -3, 2],
    ];
    for (const src of sources) {
      const f = compileFormula(src);
      const slots = new Map(['a', 'b', 'c'].map((n, i) => [n, i]));
      const p = f.program(slots);
      const batchSlots = new Float64Array(3 * lanes);
      cols.forEach((col, k) => col.forEach((v, j) => (batchSlots[k * lanes + j] = v)));
      const stack = new Float64Array(programDepth(p) * lanes);
      runProgramBatch(p, batchSlots, lanes, stack);
      for (let j = 0; j < lanes; j++) {
        runProgram(p, Float64Array.of(cols[0][j], cols[1][j], cols[2][j]));
        const one = p.stack[0];
        expect(Object.is(one, stack[j]) || (Number.isNaN(one) && Number.isNaN(stack[j]))).toBe(true);
      }
    }
  });

  it('substitutes values into a readable trace', () => {
    const f = compileFormula('min(value / target * points, points)');
    const vars = new Map([
      ['value', 86],
      ['target', 100],
      ['points', 8],
    ]);
    const t = traceFormula(f, vars);
    expect(t.substituted).toBe('min(86 / 100 * 8, 8)');
    expect(t.value).toBeCloseTo(6.88, 12);
    expect(
      substitute(
        parseFormula('a - (b - c)'),
        new Map([
          ['a', 1],
          ['b', -2],
          ['c', 3],
        ]),
      ),
    ).toBe('1 - ((-2) - 3)');
  });
});

describe('formula: division by zero and invalid results', () => {
  it('reports the dividing operator in strict evaluation', () => {
    const e = errorOf(() => ev('10 / (x - 5)', { x: 5 }));
    expect(e.code).toBe('DIV_ZERO');
    expect(e.position).toBe(3);
    expect(e.zh).toBe('第 4 个字符处：除数为零');
    expect(errorOf(() => ev('5 % 0')).code).toBe('DIV_ZERO');
  });

  it('returns NaN from compiled closures', () => {
    const f = compileFormula('a / b');
    expect(
      f.bind(
        new Map([
          ['a', 0],
          ['b', 1],
        ]),
      )(Float64Array.of(1, 0)),
    ).toBeNaN();
  });

  it('rejects non-finite results', () => {
    expect(errorOf(() => ev('10 ^ 400')).code).toBe('NOT_FINITE');
    expect(errorOf(() => ev('(-8) ^ 0.5')).code).toBe('NOT_FINITE');
    expect(ev('min(10 ^ 400, 5)')).toBe(5);
  });
});

describe('formula: errors carry a position and both languages', () => {
  it('names unknown variables with their position', () => {
    const e = errorOf(() => compileFormula('value + abc', { knownVariables: ['value'] }));
    expect(e.code).toBe('UNKNOWN_VARIABLE');
    expect(e.position).toBe(8);
    expect(e.zh).toBe('第 9 个字符处：未知变量 abc');
    expect(e.en).toBe('At character 9: unknown variable abc');
    expect(errorOf(() => ev('x + 1')).code).toBe('UNKNOWN_VARIABLE');
  });

  it.each([
    ['1 +', 'UNEXPECTED_END', 3],
    ['', 'EMPTY', 0],
    ['   ', 'EMPTY', 0],
    ['(1 + 2', 'UNEXPECTED_END', 6],
    ['1 + 2)', 'UNEXPECTED', 5],
    ['1 2', 'UNEXPECTED', 2],
    ['foo(1)', 'UNKNOWN_FUNCTION', 0],
    ['min', 'UNEXPECTED', 0],
    ['if(1, 2)', 'ARITY', 0],
    ['abs(1, 2)', 'ARITY', 0],
    ['min()', 'ARITY', 0],
    ['2x', 'BAD_NUMBER', 0],
    ['1.2.3', 'BAD_NUMBER', 0],
    ['1e', 'BAD_NUMBER', 0],
    ['1 < 2 < 3', 'UNEXPECTED', 6],
    ['1 + not 0', 'UNEXPECTED', 4],
    ['a[0]', 'INDEX', 1],
    ['"str"', 'STRING', 0],
    ["'str'", 'STRING', 0],
    ['process.exit()', 'MEMBER', 7],
    ['constructor.constructor("return process")()', 'MEMBER', 11],
    ['x => 1', 'UNEXPECTED', 3],
    ['a; b', 'BAD_CHAR', 1],
    ['1 + 😀', 'BAD_CHAR', 4],
    ['价值 + 1', 'BAD_CHAR', 0],
    ['\u0000', 'BAD_CHAR', 0],
    ['`x`', 'STRING', 0],
    ['$x', 'BAD_CHAR', 0],
  ])('%j → %s at %d', (src, code, pos) => {
    const e = errorOf(() => compileFormula(src));
    expect(e.code).toBe(code);
    expect(e.position).toBe(pos);
    expect(e.zh).toMatch(/^第 \d+ 个字符处：/);
    expect(e.en).toMatch(/^At character \d+: /);
  });

  it('treats prototype names as unknown variables (Map lookup, never object properties)', () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'this',
      'globalThis',
      'process',
      'require',
      'eval',
      'Function',
    ]) {
      const e = errorOf(() => ev(`${name} + 1`));
      expect(e.code).toBe('UNKNOWN_VARIABLE');
      expect(errorOf(() => compileFormula(name, { knownVariables: ['value'] })).code).toBe('UNKNOWN_VARIABLE');
    }
    // Even a Map that has them only yields numbers.
    expect(
      evaluateFormula(
        'constructor + __proto__',
        new Map([
          ['constructor', 1],
          ['__proto__', 2],
        ]),
      ),
    ).toBe(3);
  });

  it('calling an identifier that is not a function fails cleanly', () => {
    expect(errorOf(() => compileFormula('process.exit()')).code).toBe('MEMBER');
    expect(errorOf(() => compileFormula('exit()')).code).toBe('UNKNOWN_FUNCTION');
    expect(errorOf(() => compileFormula('(1)(2)')).code).toBe('UNEXPECTED');
  });

  it('enforces the length, token and depth limits without overflowing the stack', () => {
    const long = errorOf(() => compileFormula('1+'.repeat(50_000) + '1'));
    expect(long.code).toBe('TOO_LONG');
    expect(long.zh).toContain('超过上限 2000');
    expect(errorOf(() => compileFormula('('.repeat(10_000) + '1' + ')'.repeat(10_000))).code).toBe('TOO_LONG');
    expect(errorOf(() => compileFormula('('.repeat(60) + '1' + ')'.repeat(60))).code).toBe('TOO_DEEP');
    expect(errorOf(() => compileFormula('-'.repeat(60) + '1')).code).toBe('TOO_DEEP');
    expect(errorOf(() => compileFormula('not '.repeat(60) + '1')).code).toBe('TOO_DEEP');
    expect(errorOf(() => compileFormula('2^'.repeat(60) + '2')).code).toBe('TOO_DEEP');
    expect(errorOf(() => compileFormula('abs('.repeat(60) + '1' + ')'.repeat(60))).code).toBe('TOO_DEEP');
    expect(errorOf(() => compileFormula('1+'.repeat(600) + '1')).code).toBe('TOO_MANY_TOKENS');
    expect(ev('('.repeat(40) + '1' + ')'.repeat(40))).toBe(1);
    expect(ev('1+'.repeat(400) + '1')).toBe(401);
    expect(FORMULA_LIMITS).toEqual({ maxLength: 2000, maxTokens: 1000, maxDepth: 50 });
  });

  it('survives random junk without anything but FormulaError', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = [
      '(',
      ')',
      '+',
      '-',
      '*',
      '/',
      '^',
      '%',
      ',',
      '.',
      'a',
      'x',
      'if',
      'min',
      '1',
      '2.5',
      ' ',
      '<',
      '=',
      '!',
      '[',
      '"',
      '😀',
      '价',
      '\u200b',
      'and',
      'not',
      'e',
    ];
    for (let k = 0; k < 3000; k++) {
      const len = Math.floor(next() * 20);
      let src = '';
      for (let i = 0; i < len; i++) src += alphabet[Math.floor(next() * alphabet.length)];
      try {
        const f = compileFormula(src);
        f.evaluate(new Map(f.variables.map((v) => [v, 1])));
      } catch (e) {
        expect(e).toBeInstanceOf(FormulaError);
      }
    }
  });
});
