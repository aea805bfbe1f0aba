/** Guard-test cases of the scoring module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/formulas/evaluate': {
        who: 'reporter',
        url: () => '/api/formulas/evaluate',
        bad: [
          { body: {}, field: 'expression' },
          { body: { expression: '1 +' }, field: 'expression', ownMessage: true },
          { body: { expression: 'a', variables: { a: 'x' } }, field: 'variables.a' },
        ],
      },
      'POST /api/ahp': {
        who: 'reporter',
        url: () => '/api/ahp',
        bad: [
          { body: {}, field: 'matrix' },
          { body: { matrix: 'x' }, field: 'matrix' },
        ],
      },
      'POST /api/scores/sandbox': {
        who: 'office',
        url: () => '/api/scores/sandbox',
        bad: [
          { body: {}, field: 'yearId' },
          { body: { yearId: 1, period: '2026-13' }, field: 'period' },
        ],
      },
      'POST /api/scores/sandbox/export': {
        who: 'office',
        url: () => '/api/scores/sandbox/export',
        bad: [
          { body: {}, field: 'yearId' },
          { body: { yearId: 1, period: '2026-13' }, field: 'period' },
        ],
      },
      'POST /api/scores/publications': {
        who: 'office',
        url: () => '/api/scores/publications',
        bad: [
          { body: {}, field: 'yearId' },
          { body: { yearId: 1, period: 'June' }, field: 'period' },
        ],
      },
      'POST /api/scores/deductions': {
        who: 'office',
        url: () => '/api/scores/deductions',
        bad: [
          { body: {}, field: 'yearId' },
          {
            body: {
              yearId: 1,
              unitId: 1,
              period: '2026-01',
              points: 0,
              reason: '迟报',
              documentNo: '区绩办〔2026〕1号',
            },
            field: 'points',
          },
        ],
      },
      'PATCH /api/scores/deductions/:id': {
        who: 'office',
        url: () => '/api/scores/deductions/1',
        bad: [
          { body: { points: 0 }, field: 'points' },
          { body: { reason: 5 }, field: 'reason' },
        ],
      },
      'POST /api/scores/inputs': {
        who: 'office',
        url: () => '/api/scores/inputs',
        bad: [
          { body: {}, field: 'yearId' },
          {
            body: { yearId: 1, indicatorId: 1, unitId: 1, period: '2026-01', value: 'x', reason: '补录' },
            field: 'value',
          },
        ],
      },
    },
    unknownIds: {
      'GET /api/scores/units/:unitId': { who: 'office', query: '?yearId=1' },
      'GET /api/scores/units/:unitId/summary': { who: 'office', query: '?yearId=1' },
      'GET /api/scores/publications/:id': { who: 'office' },
      'GET /api/scores/units/:unitId/export': { who: 'office', query: '?yearId=1' },
      'GET /api/scores/publications/:id/export': { who: 'office' },
      'PATCH /api/scores/deductions/:id': { who: 'office', body: { points: 1 } },
      'DELETE /api/scores/deductions/:id': { who: 'office' },
      'GET /api/public/scores/:yearId': { who: 'anon' },
    },
  }),
  scope: {
    moduleData: {
      reads: (k) => [
        {
          name: "GET B's unit scores",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/units/${k.mw.unitB}?yearId=${k.mw.yearId}`),
        },
        {
          name: "GET B's score summary",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/units/${k.mw.unitB}/summary?yearId=${k.mw.yearId}`),
        },
        {
          name: "export B's unit scores",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/units/${k.mw.unitB}/export?yearId=${k.mw.yearId}`),
        },
        {
          name: "export B's score explanation",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/explain/export?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`),
        },
        {
          name: "GET B's score explanation",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/explain?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`),
        },
        {
          name: 'compare with B',
          who: 'reporter',
          send: (c) => c.get(`/api/scores/compare?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`),
        },
        {
          name: "GET B's score inputs",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/inputs?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`),
        },
        {
          name: "GET B's deductions",
          who: 'reporter',
          send: (c) => c.get(`/api/scores/deductions?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`),
        },
      ],
      ownReads: (k) =>
        [
          `/api/scores/units/${k.mw.unitB}?yearId=${k.mw.yearId}`,
          `/api/scores/units/${k.mw.unitB}/summary?yearId=${k.mw.yearId}`,
          `/api/scores/explain?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`,
          `/api/scores/units/${k.mw.unitB}/export?yearId=${k.mw.yearId}`,
          `/api/scores/compare?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`,
          `/api/scores/inputs?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`,
          `/api/scores/deductions?yearId=${k.mw.yearId}&unitId=${k.mw.unitB}`,
        ].map((url) => ({ who: 'reporter' as const, url })),
    },
  },
};
