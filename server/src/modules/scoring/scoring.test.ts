import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let office: Client;
let reporter: Client;

beforeAll(async () => {
  env = await createTestEnv();
  office = await env.userClient({ roles: ['office'] });
  const unit = await env.buildUnit();
  reporter = await env.userClient({ roles: ['reporter'], unitId: unit });
});
afterAll(async () => env?.close());

describe('POST /api/formulas/evaluate', () => {
  const url = '/api/formulas/evaluate';

  it('rejects anonymous callers', async () => {
    const res = await env.anon.post(url, { expression: '1 + 1', variables: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('evaluates a formula for any signed-in user, with the arithmetic', async () => {
    const res = await reporter.post(url, {
      expression: 'min(value / target * points, points)',
      variables: { value: 86, target: 100, points: 8 },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.value).toBeCloseTo(6.88, 12);
    expect(body.variables).toEqual(['value', 'target', 'points']);
    expect(body.arithmetic).toBe('min(86 / 100 * 8, 8)');
    expect((await office.post(url, { expression: 'if(a > 1, 2, 3)', variables: { a: 5 } })).json().value).toBe(2);
    expect((await office.post(url, { expression: '2 ^ 10' })).json().value).toBe(1024);
  });

  it('names the position of an unknown variable in Chinese, or English when asked', async () => {
    const res = await office.post(url, { expression: 'value + abc', variables: { value: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'VALIDATION',
      field: 'expression',
      message: '第 9 个字符处：未知变量 abc',
    });
    const en = await office.post(
      url,
      { expression: 'value + abc', variables: { value: 1 } },
      { 'accept-language': 'en' },
    );
    expect(en.json().error.message).toBe('At character 9: unknown variable abc');
  });

  it.each([
    ['function constructor', 'constructor.constructor("return process")()', '成员访问'],
    ['__proto__', '__proto__', '未知变量 __proto__'],
    ['constructor', 'constructor', '未知变量 constructor'],
    ['toString', 'toString', '未知变量 toString'],
    ['this', 'this', '未知变量 this'],
    ['process.exit()', 'process.exit()', '成员访问'],
    ['indexing', 'a[0]', '下标访问'],
    ['a string', '"str"', '字符串'],
    ['1+', '1+', '公式不完整'],
    ['1 / 0', '1 / 0', '除数为零'],
    ['a zero divisor from variables', 'x / (x - 2)', '除数为零'],
    ['control and emoji junk', '\u202e\u0000😀', '无法识别的字符'],
    ['Chinese identifiers', '价值 * 2', '无法识别的字符'],
    ['an unknown function', 'foo(1)', '未知函数 foo'],
    ['an empty formula', '', '公式为空'],
    ['10,000 nested parentheses', '('.repeat(10_000) + '1' + ')'.repeat(10_000), '超过上限 2000'],
    ['100k characters', '1+'.repeat(50_000) + '1', '超过上限 2000'],
    ['60 nested parentheses', '('.repeat(60) + '1' + ')'.repeat(60), '嵌套层数超过上限 50'],
  ])('refuses %s cleanly with a 400 on expression', async (_label, expression, text) => {
    const res = await office.post(url, { expression, variables: { x: 2 } });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION');
    expect(err.field).toBe('expression');
    expect(err.message).toMatch(/^第 \d+ 个字符处：/);
    expect(err.message).toContain(text);
  });

  it('validates the request body', async () => {
    const notNumber = await office.post(url, { expression: 'a', variables: { a: 'x' } });
    expect(notNumber.statusCode).toBe(400);
    expect(notNumber.json().error.field).toBe('variables.a');
    const badName = await office.post(url, { expression: 'a', variables: { 'a.b': 1 } });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.code).toBe('VALIDATION');
    const missing = await office.post(url, { variables: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('expression');
    const proto = await office.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{"expression":"__proto__ + 1","variables":{"__proto__":{"x":1}}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('POST /api/ahp', () => {
  const url = '/api/ahp';

  it('rejects anonymous callers', async () => {
    expect((await env.anon.post(url, { matrix: [[1]] })).statusCode).toBe(401);
  });

  it('returns weights, λmax, CI, CR, RI and consistency', async () => {
    const res = await reporter.post(url, {
      matrix: [
        [1, 3, 5],
        [1 / 3, 1, 3],
        [1 / 5, 1 / 3, 1],
      ],
    });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.weights.map((w: number) => Number(w.toFixed(3)))).toEqual([0.637, 0.258, 0.105]);
    expect(r.cr).toBeCloseTo(0.033, 3);
    expect(r).toMatchObject({ n: 3, ri: 0.58, consistent: true, message: null });
  });

  it('says why an inconsistent matrix must not be used', async () => {
    const res = await office.post(url, {
      matrix: [
        [1, 9, 1 / 9],
        [1 / 9, 1, 9],
        [9, 1 / 9, 1],
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().consistent).toBe(false);
    expect(res.json().message).toContain('一致性比例 CR');
  });

  it.each([
    [[], 'matrix', '至少为 1 阶'],
    [[[1, 2], [0.5]], 'matrix.1', '方阵'],
    [
      [
        [1, -2],
        [-0.5, 1],
      ],
      'matrix.0.1',
      '正数',
    ],
    [
      [
        [1, 0],
        [0, 1],
      ],
      'matrix.0.1',
      '正数',
    ],
    [
      [
        [2, 1],
        [1, 1],
      ],
      'matrix.0.0',
      '对角线',
    ],
    [
      [
        [1, 3, 5],
        [1 / 3, 1, 3],
        [1 / 5, 1 / 2, 1],
      ],
      'matrix.1.2',
      '互反',
    ],
    [Array.from({ length: 16 }, () => Array(16).fill(1)), 'matrix', '最多 15 阶'],
  ])('names the problem of a malformed matrix (%#)', async (matrix, field, text) => {
    const res = await office.post(url, { matrix });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION');
    expect(res.json().error.field).toBe(field);
    expect(res.json().error.message).toContain(text);
  });

  it('rejects non-numbers before they reach the computation', async () => {
    const res = await office.post(url, {
      matrix: [
        [1, 'x'],
        [1, 1],
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('matrix.0.1');
    const noMatrix = await office.post(url, {});
    expect(noMatrix.statusCode).toBe(400);
    expect(noMatrix.json().error.field).toBe('matrix');
    const huge = await office.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{"matrix":[[1,1e400],[0,1]]}',
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.field).toBe('matrix.0.1');
  });
});
