/** Guard-test cases of the performance module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: ({ ids }) => ({
    writes: {
      'POST /api/years': {
        who: 'office',
        url: () => '/api/years',
        bad: [
          { body: {}, field: 'year' },
          { body: { year: '2026' }, field: 'year' },
          { body: { year: 2026, deadlineDay: 29 }, field: 'deadlineDay' },
        ],
      },
      'POST /api/schemes': {
        who: 'office',
        url: () => '/api/schemes',
        bad: [
          { body: { year: 2026, name: '专项' }, field: 'code' },
          { body: { year: 2026, code: 'annual', name: '专项' }, field: 'code' },
          { body: { year: 2026, code: 'Urban Mgmt', name: '专项' }, field: 'code' },
          { body: { year: 2026, code: 'urban', name: '专项', periods: 'month' }, field: 'periods' },
          {
            body: { year: 2026, code: 'urban', name: '专项', assessingUnitId: 999999 },
            field: 'assessingUnitId',
            ownMessage: true,
          },
        ],
      },
      'PATCH /api/schemes/:id': {
        who: 'office',
        url: () => '/api/schemes/1',
        bad: [{ body: { unitsAssessed: { categoryIds: ['x'], unitIds: [] } }, field: 'unitsAssessed.categoryIds.0' }],
      },
      'PATCH /api/years/:id': {
        who: 'office',
        url: () => '/api/years/1',
        bad: [
          { body: { name: 5 }, field: 'name' },
          { body: { deadlineDay: 'x' }, field: 'deadlineDay' },
        ],
      },
      'POST /api/years/:id/copy': {
        who: 'office',
        url: () => '/api/years/1/copy',
        bad: [
          { body: {}, field: 'year' },
          { body: { year: 1999 }, field: 'year' },
        ],
      },
      'POST /api/years/:id/indicators': {
        who: 'office',
        url: () => '/api/years/1/indicators',
        bad: [
          { body: { code: 'A1', points: 10 }, field: 'name' },
          { body: { code: 'A1', name: '指标', points: -1 }, field: 'points' },
          { body: { code: 'A1', name: '指标', points: 10, direction: 'sideways' }, field: 'direction' },
        ],
      },
      'PATCH /api/indicators/:id': {
        who: 'office',
        url: () => '/api/indicators/1',
        bad: [
          { body: { name: '' }, field: 'name' },
          { body: { points: 'ten' }, field: 'points' },
        ],
      },
      'PUT /api/indicators/:id/weights': {
        who: 'office',
        url: () => '/api/indicators/1/weights',
        bad: [
          { body: {}, field: 'weights' },
          { body: { weights: [] }, field: 'weights' },
          { body: { weights: [{ id: 1, weight: -1 }] }, field: 'weights.0.weight' },
        ],
      },
      'PUT /api/years/:id/plans/:unitId': {
        who: 'reporter',
        url: () => `/api/years/1/plans/${ids.unit}`,
        bad: [
          { body: {}, field: 'targets' },
          { body: { targets: [{ indicatorId: 1, target: 'x' }] }, field: 'targets.0.target' },
        ],
      },
      'POST /api/years/:id/plans/:unitId/return': {
        who: 'office',
        url: () => `/api/years/1/plans/${ids.unit}/return`,
        bad: [
          { body: {}, field: 'comment' },
          { body: { comment: '   ' }, field: 'comment' },
        ],
      },
      'POST /api/years/:id/plans/:unitId/approve': {
        who: 'office',
        url: () => `/api/years/1/plans/${ids.unit}/approve`,
        bad: [
          { body: { comment: 5 }, field: 'comment' },
          { body: { comment: 'x'.repeat(1001) }, field: 'comment' },
        ],
      },
      'POST /api/years/:id/plans/:unitId/adjustments': {
        who: 'reporter',
        url: () => `/api/years/1/plans/${ids.unit}/adjustments`,
        bad: [
          { body: { indicatorId: 1, newTarget: 5 }, field: 'reason' },
          { body: { indicatorId: 1, newTarget: 'x', reason: '调整' }, field: 'newTarget' },
        ],
      },
      'POST /api/adjustments/:id/approve': {
        who: 'office',
        url: () => '/api/adjustments/1/approve',
        bad: [
          { body: { comment: 5 }, field: 'comment' },
          { body: { comment: 'x'.repeat(1001) }, field: 'comment' },
        ],
      },
      'POST /api/adjustments/:id/reject': {
        who: 'office',
        url: () => '/api/adjustments/1/reject',
        bad: [
          { body: {}, field: 'comment' },
          { body: { comment: '' }, field: 'comment' },
        ],
      },
    },
    unknownIds: {
      'GET /api/years/:id': { who: 'office' },
      'PATCH /api/schemes/:id': { who: 'office', body: { name: '不存在' } },
      'PATCH /api/years/:id': { who: 'office', body: { name: '不存在' } },
      'DELETE /api/years/:id': { who: 'office' },
      'GET /api/years/:id/check': { who: 'office' },
      'POST /api/years/:id/activate': { who: 'office' },
      'POST /api/years/:id/close': { who: 'office' },
      'POST /api/years/:id/copy': { who: 'office', body: { year: 2099 } },
      'GET /api/years/:id/indicators': { who: 'office' },
      'GET /api/years/:id/indicators/excel/template': { who: 'office' },
      'GET /api/years/:id/indicators/excel/export': { who: 'office' },
      'POST /api/years/:id/indicators/excel/import': { who: 'office', body: {} },
      'POST /api/years/:id/indicators': { who: 'office', body: { code: 'X1', name: '指标', points: 10 } },
      'PATCH /api/indicators/:id': { who: 'office', body: { name: '不存在' } },
      'DELETE /api/indicators/:id': { who: 'office' },
      'PUT /api/indicators/:id/weights': { who: 'office', body: { weights: [{ id: 1, weight: 1 }] } },
      'GET /api/years/:id/plans': { who: 'office' },
      'GET /api/years/:id/plans/:unitId': { who: 'office' },
      'PUT /api/years/:id/plans/:unitId': { who: 'reporter', body: { targets: [] } },
      'POST /api/years/:id/plans/:unitId/submit': { who: 'leader' },
      'POST /api/years/:id/plans/:unitId/return': { who: 'office', body: { comment: '退回' } },
      'POST /api/years/:id/plans/:unitId/approve': { who: 'office', body: {} },
      'POST /api/years/:id/plans/:unitId/adjustments': {
        who: 'reporter',
        body: { indicatorId: 1, newTarget: 5, reason: '调整' },
      },
      'GET /api/years/:id/adjustments': { who: 'office' },
      'POST /api/adjustments/:id/approve': { who: 'office', body: {} },
      'POST /api/adjustments/:id/reject': { who: 'office', body: { comment: '不同意' } },
      'GET /api/years/:id/plans/:unitId/book.docx': { who: 'office' },
      'GET /api/years/:id/book.docx': { who: 'office' },
    },
    notCovered: {
      'POST /api/years/:id/indicators/excel/import':
        'needs an existing draft scheme (the guard world has none): no file, a file that is not Excel and bad rows are tested in performance.excel.test.ts',
      'POST /api/years/:id/activate': 'takes no body (its unknown id is checked below)',
      'POST /api/years/:id/close': 'takes no body (its unknown id is checked below)',
      'POST /api/years/:id/plans/:unitId/submit': 'takes no body (its unknown id is checked below)',
    },
  }),
  scope: {
    moduleData: {
      writes: (k) => {
        const planOfB = async () => ({
          plan: await k.q('SELECT * FROM performance_plans WHERE year_id = $1 AND unit_id = $2', [
            k.mw.yearId,
            k.mw.unitB,
          ]),
          targets: await k.q(
            'SELECT t.* FROM plan_targets t JOIN performance_plans p ON p.id = t.plan_id WHERE p.year_id = $1 AND p.unit_id = $2 ORDER BY t.indicator_id',
            [k.mw.yearId, k.mw.unitB],
          ),
          adjustments: await k.q(
            'SELECT a.* FROM plan_adjustments a JOIN performance_plans p ON p.id = a.plan_id WHERE p.unit_id = $1',
            [k.mw.unitB],
          ),
        });
        return [
          {
            name: "PUT B's plan targets",
            who: 'reporter',
            send: (c) =>
              c.put(`/api/years/${k.mw.yearId}/plans/${k.mw.unitB}`, {
                targets: [{ indicatorId: k.mw.leafValue, target: 1 }],
              }),
            snapshot: planOfB,
          },
          {
            name: "submit B's plan",
            who: 'leader',
            send: (c) => c.post(`/api/years/${k.mw.yearId}/plans/${k.mw.unitB}/submit`),
            snapshot: planOfB,
          },
          {
            name: "request an adjustment of B's plan",
            who: 'reporter',
            send: (c) =>
              c.post(`/api/years/${k.mw.yearId}/plans/${k.mw.unitB}/adjustments`, {
                indicatorId: k.mw.leafValue,
                newTarget: 1,
                reason: '甲替乙调整',
              }),
            snapshot: planOfB,
          },
        ];
      },
      reads: (k) => [
        { name: "GET B's plan", who: 'reporter', send: (c) => c.get(`/api/years/${k.mw.yearId}/plans/${k.mw.unitB}`) },
        {
          name: "GET B's responsibility book",
          who: 'reporter',
          send: (c) => c.get(`/api/years/${k.mw.yearId}/plans/${k.mw.unitB}/book.docx`),
        },
      ],
      ownReads: (k) => [{ who: 'reporter', url: `/api/years/${k.mw.yearId}/plans/${k.mw.unitB}` }],
    },
  },
};
