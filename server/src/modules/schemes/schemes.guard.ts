/** Guard-test cases of the schemes module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';

const check = {
  schemeId: 1,
  indicatorId: 1,
  unitId: 1,
  checkedOn: '2026-05-12',
  location: '中关村大街',
  findings: '垃圾满溢',
  score: 80,
};

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/spot-checks': {
        who: 'office',
        url: () => '/api/spot-checks',
        bad: [
          { body: { ...check, score: 101 }, field: 'score' },
          { body: { ...check, score: 'good' }, field: 'score' },
          { body: { ...check, checkedOn: '2026-02-30' }, field: 'checkedOn' },
          { body: { ...check, findings: '' }, field: 'findings' },
          { body: { ...check, location: undefined }, field: 'location' },
          { body: { ...check, schemeId: 999999 }, field: 'schemeId', ownMessage: true },
        ],
      },
    },
    unknownIds: {
      'GET /api/schemes/:id/spot-check-setup': { who: 'office' },
      'GET /api/spot-checks/:id': { who: 'office' },
      'POST /api/schemes/:id/urban-sync': { who: 'office' },
      'GET /api/schemes/:id/self-checks/export': { who: 'office', query: '?indicatorId=1' },
      'GET /api/schemes/:id/results/export': { who: 'office', query: '?period=2026-H1' },
    },
    notCovered: { 'POST /api/schemes/:id/urban-sync': 'takes no body (its unknown id is checked below)' },
  }),
  scope: {
    moduleData: {
      // A special scheme beside the world's year, with a spot-check leaf; the office checks B.
      setup: async ({ env, mw, rec, q }) => {
        const office = await env.userClient({ roles: ['office'] });
        const [y] = (await q('SELECT year FROM assessment_years WHERE id = $1', [mw.yearId])) as { year: number }[];
        const s = await office.post('/api/schemes', { year: y.year, code: 'guard', name: '专项考核（守卫）' });
        expect(s.statusCode, s.body).toBe(201);
        rec.scheme = s.json().id;
        const leaf = await office.post(`/api/years/${rec.scheme}/indicators`, {
          code: 'SC',
          name: '不定期抽查',
          points: 100,
          dataSource: 'third_party',
          aggregate: 'avg',
          method: { kind: 'benchmark', baseline: 0, benchmark: 100 },
        });
        expect(leaf.statusCode, leaf.body).toBe(201);
        rec.spotLeaf = leaf.json().id;
        expect((await office.post(`/api/years/${rec.scheme}/activate`)).statusCode).toBe(200);
        const c = await office.post('/api/spot-checks', {
          ...check,
          schemeId: rec.scheme,
          indicatorId: rec.spotLeaf,
          unitId: mw.unitB,
          checkedOn: `${y.year}-03-10`,
        });
        expect(c.statusCode, c.body).toBe(201);
        rec.spotCheck = c.json().id;
      },
      writes: (k) => {
        const ofB = async () => ({
          checks: await k.q('SELECT * FROM spot_checks WHERE unit_id = $1 ORDER BY id', [k.mw.unitB]),
          inputs: await k.q('SELECT * FROM score_inputs WHERE indicator_id = $1 ORDER BY unit_id, period', [
            k.rec.spotLeaf,
          ]),
        });
        return [
          {
            name: 'record a spot check on B',
            who: 'leader',
            send: (c) =>
              c.post('/api/spot-checks', {
                ...check,
                schemeId: k.rec.scheme,
                indicatorId: k.rec.spotLeaf,
                unitId: k.mw.unitB,
                score: 0,
              }),
            snapshot: ofB,
          },
        ];
      },
      reads: (k) => [
        { name: "read B's spot check", who: 'reporter', send: (c) => c.get(`/api/spot-checks/${k.rec.spotCheck}`) },
      ],
    },
  },
};
