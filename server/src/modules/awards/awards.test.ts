import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { awardCandidates, type RankedUnit } from './awards.rules.js';

const unit = (
  unitId: number,
  categoryName: string,
  total: number,
  change: number | null = null,
  node = 0,
): RankedUnit => ({
  unitId,
  categoryName,
  total,
  vetoed: false,
  change,
  nodes: new Map([[7, node]]),
});

describe('award candidates against hand-computed ranks', () => {
  // 经济发展类: 5 units → top 30% = ceil(1.5) = 2 places; 社会管理类: 4 units → ceil(1.2) = 2 places.
  const units: RankedUnit[] = [
    unit(1, '经济发展类', 92.5, 3.1, 18),
    unit(2, '经济发展类', 95.0, -1.0, 17),
    unit(3, '经济发展类', 88.0, 6.4, 19.5),
    unit(4, '经济发展类', 90.1, 0.5, 16),
    unit(5, '经济发展类', 85.0, null, 12),
    unit(6, '社会管理类', 91.0, 2.0, 19.5),
    unit(7, '社会管理类', 91.0, 4.0, 11),
    unit(8, '社会管理类', 89.0, 9.9, 10),
    { ...unit(9, '社会管理类', 99.0, 12, 20), vetoed: true },
  ];
  const rules = { sharePercent: 30, threshold: null, indicatorId: 7, improvementCount: 3 };
  const c = awardCandidates(units, rules, '经济发展');

  it('先进: the top 30% of each category, ties sharing a rank, a vetoed unit left out', () => {
    const adv = c.filter((x) => x.kind === 'advanced').map((x) => [x.category, x.unitId, x.rank]);
    // 经济发展类 by total: 2 (95.0) 1, 1 (92.5) 2 | 社会管理类 (9 vetoed; 3 units → ceil(0.9) = 1 place): 6 and 7 tie at 91.0.
    // Categories in pinyin order (经 before 社).
    expect(adv).toEqual([
      ['经济发展类', 2, 1],
      ['经济发展类', 1, 2],
      ['社会管理类', 6, 1],
      ['社会管理类', 7, 1],
    ]);
  });

  it('绩效改进奖: the three largest improvements against last year', () => {
    const imp = c.filter((x) => x.kind === 'improvement').map((x) => [x.unitId, x.rank, x.score]);
    expect(imp).toEqual([
      [8, 1, 9.9],
      [3, 2, 6.4],
      [7, 3, 4],
    ]);
  });

  it('单项绩效奖: the best on the chosen indicator, ties all awarded', () => {
    const single = c.filter((x) => x.kind === 'single').map((x) => x.unitId);
    expect(single).toEqual([3, 6]); // 19.5 each (9's 20 is vetoed)
  });

  it('by threshold instead of share', () => {
    const t = awardCandidates(units, { ...rules, threshold: 90, indicatorId: null, improvementCount: 0 });
    expect(t.map((x) => x.unitId)).toEqual([2, 1, 4, 6, 7]);
  });
});

describe('award rounds over HTTP', () => {
  let env: TestEnv;
  let office: Client;
  let reporter: Client;
  beforeAll(async () => {
    env = await createTestEnv();
    office = await env.userClient({ roles: ['office'] });
    reporter = await env.userClient({ roles: ['reporter'] });
  });
  afterAll(async () => env?.close());

  it('is the office’s: others are refused; a year without an assessment is a 400 naming the year', async () => {
    expect((await reporter.get('/api/awards/rounds')).statusCode).toBe(403);
    expect((await reporter.post('/api/awards/rounds', { year: 2026 })).statusCode).toBe(403);
    const r = await office.post('/api/awards/rounds', { year: 2031 });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe('year');
    expect(((await office.get('/api/awards/rounds')).json() as unknown[]).length).toBe(0);
  });
});
