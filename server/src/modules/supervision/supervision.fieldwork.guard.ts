/** Guard-test cases of the supervision module's field checks and reconciliation rounds (merged into supervision.guard.ts). */
import { expect } from 'vitest';
import type { BadInputCases, ModuleDataKit, ModuleDataProbe, ModuleGuard } from '../../test/guards.js';

const check = { checkedOn: '2026-03-02', people: '督查室', methods: ['look'], mode: 'open', findings: '发现问题' };

export const fieldworkBadInput: (
  kit: Parameters<NonNullable<ModuleGuard['badInput']>>[0],
) => Omit<BadInputCases, 'notCovered' | 'notCoveredPrefixes'> = () => ({
  writes: {
    'POST /api/supervision/tasks/:id/checks': {
      who: 'supervisor',
      url: () => '/api/supervision/tasks/1/checks',
      bad: [
        { body: { ...check, checkedOn: '2026-13-01' }, field: 'checkedOn' },
        { body: { ...check, people: '' }, field: 'people' },
        { body: { ...check, methods: [] }, field: 'methods' },
        { body: { ...check, methods: ['guess'] }, field: 'methods.0' },
        { body: { ...check, mode: 'loud' }, field: 'mode' },
        { body: { ...check, findings: undefined }, field: 'findings' },
        { body: { ...check, photoIds: ['a'] }, field: 'photoIds.0' },
        { body: { ...check, points: [{ requirement: '' }] }, field: 'points.0.requirement' },
        { body: { ...check, points: [{ requirement: '整改', dueOn: 'soon' }] }, field: 'points.0.dueOn' },
      ],
    },
    'POST /api/supervision/check-points/:id/answer': {
      who: 'reporter',
      url: () => '/api/supervision/check-points/1/answer',
      bad: [
        { body: {}, field: 'answer' },
        { body: { answer: '已整改', fileId: 'x' }, field: 'fileId' },
      ],
    },
    'POST /api/supervision/check-points/:id/accept': {
      who: 'supervisor',
      url: () => '/api/supervision/check-points/1/accept',
      bad: [{ body: { note: 3 }, field: 'note' }],
    },
    'POST /api/supervision/check-points/:id/return': {
      who: 'supervisor',
      url: () => '/api/supervision/check-points/1/return',
      bad: [
        { body: {}, field: 'reason' },
        { body: { reason: '   ' }, field: 'reason' },
      ],
    },
    'POST /api/supervision/rounds': {
      who: 'supervisor',
      url: () => '/api/supervision/rounds',
      bad: [
        { body: { asOf: '2026-03-31' }, field: 'kind' },
        { body: { kind: 'monthly', asOf: '2026-03-31' }, field: 'kind' },
        { body: { kind: 'quarterly', asOf: '31/03/2026' }, field: 'asOf' },
        { body: { kind: 'quarterly', asOf: '2026-03-31', unitIds: ['a'] }, field: 'unitIds.0' },
        { body: { kind: 'quarterly', asOf: '2099-03-31' }, field: 'asOf', ownMessage: true },
        { body: { kind: 'quarterly', asOf: '2026-03-31', unitIds: [999999] }, field: 'unitIds', ownMessage: true },
      ],
    },
    'POST /api/supervision/rounds/:id/confirm-all': {
      who: 'reporter',
      url: () => '/api/supervision/rounds/1/confirm-all',
      bad: [{ body: { note: false }, field: 'note' }],
    },
    'POST /api/supervision/rounds/:id/close': {
      who: 'supervisor',
      url: () => '/api/supervision/rounds/1/close',
      bad: [{ body: { note: ['x'] }, field: 'note' }],
    },
    'POST /api/supervision/round-rows/:id/confirm': {
      who: 'reporter',
      url: () => '/api/supervision/round-rows/1/confirm',
      bad: [
        { body: {}, field: 'agrees' },
        { body: { agrees: false, claimedProgress: 120 }, field: 'claimedProgress' },
        { body: { agrees: false, claimedStatus: 'done' }, field: 'claimedStatus' },
      ],
    },
    'POST /api/supervision/round-rows/:id/resolve': {
      who: 'supervisor',
      url: () => '/api/supervision/round-rows/1/resolve',
      bad: [
        { body: {}, field: 'decision' },
        { body: { decision: 'accepted', applyProgress: 'yes' }, field: 'applyProgress' },
      ],
    },
  },
  unknownIds: {
    'GET /api/supervision/tasks/:id/checks': { who: 'supervisor' },
    'POST /api/supervision/tasks/:id/checks': { who: 'supervisor', body: check },
    'POST /api/supervision/check-points/:id/answer': { who: 'reporter', body: { answer: '已整改' } },
    'POST /api/supervision/check-points/:id/accept': { who: 'supervisor', body: {} },
    'POST /api/supervision/check-points/:id/return': { who: 'supervisor', body: { reason: '未整改到位' } },
    'GET /api/supervision/rounds/:id': { who: 'supervisor' },
    'GET /api/supervision/rounds/:id/record.xlsx': { who: 'supervisor' },
    'POST /api/supervision/rounds/:id/confirm-all': { who: 'reporter', body: {} },
    'POST /api/supervision/rounds/:id/close': { who: 'supervisor', body: {} },
    'POST /api/supervision/round-rows/:id/confirm': { who: 'reporter', body: { agrees: true } },
    'POST /api/supervision/round-rows/:id/resolve': {
      who: 'supervisor',
      body: { decision: 'kept', reason: '以台账为准' },
    },
  },
});

/** B's check with an open point and a round with B's row, on B's task made by the module's setup (rec.supervisionTask). */
export async function fieldworkSetup({ env, mw, rec }: ModuleDataKit): Promise<void> {
  const office = await env.userClient({ roles: ['supervisor'] });
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const on = today < '2026-12-31' ? today : '2026-12-31';
  const c = await office.post(`/api/supervision/tasks/${rec.supervisionTask}/checks`, {
    checkedOn: on < '2026-01-05' ? '2026-01-05' : on,
    people: '督查室',
    methods: ['look', 'visit'],
    mode: 'open',
    findings: '乙单位进度滞后',
    points: [{ requirement: '限期整改' }],
  });
  expect(c.statusCode, c.body).toBe(201);
  rec.supervisionPoint = c.json().checks[0].points[0].id;
  const r = await office.post('/api/supervision/rounds', { kind: 'quarterly', asOf: on, unitIds: [mw.unitB] });
  expect(r.statusCode, r.body).toBe(201);
  rec.supervisionRound = r.json().id;
  rec.supervisionRoundRow = r.json().rows[0].id;
}

export function fieldworkWrites(k: ModuleDataKit): ModuleDataProbe[] {
  const pointsOfB = async () => ({
    points: await k.q('SELECT * FROM supervision_check_points WHERE task_id = $1 ORDER BY id', [k.rec.supervisionTask]),
    events: await k.q('SELECT * FROM supervision_point_events ORDER BY id', []),
  });
  const roundOfB = async () => ({
    round: await k.q('SELECT * FROM supervision_rounds WHERE id = $1', [k.rec.supervisionRound]),
    rows: await k.q('SELECT * FROM supervision_round_rows WHERE round_id = $1 ORDER BY id', [k.rec.supervisionRound]),
  });
  return [
    {
      name: "answer B's rectification point",
      who: 'reporter',
      send: (c) => c.post(`/api/supervision/check-points/${k.rec.supervisionPoint}/answer`, { answer: '甲代答' }),
      snapshot: pointsOfB,
    },
    {
      name: "confirm B's round row",
      who: 'leader',
      send: (c) => c.post(`/api/supervision/round-rows/${k.rec.supervisionRoundRow}/confirm`, { agrees: true }),
      snapshot: roundOfB,
    },
    {
      name: "confirm all of B's round",
      who: 'reporter',
      send: (c) => c.post(`/api/supervision/rounds/${k.rec.supervisionRound}/confirm-all`, {}),
      snapshot: roundOfB,
    },
  ];
}

export function fieldworkReads(k: ModuleDataKit): Omit<ModuleDataProbe, 'snapshot'>[] {
  return [
    {
      name: "GET B's field checks",
      who: 'reporter',
      send: (c) => c.get(`/api/supervision/tasks/${k.rec.supervisionTask}/checks`),
    },
    { name: "GET B's round", who: 'leader', send: (c) => c.get(`/api/supervision/rounds/${k.rec.supervisionRound}`) },
    {
      name: "GET B's round record",
      who: 'reporter',
      send: (c) => c.get(`/api/supervision/rounds/${k.rec.supervisionRound}/record.xlsx`),
    },
  ];
}

export function fieldworkOwnReads({ rec }: ModuleDataKit): { who: 'reporter'; url: string }[] {
  return [
    { who: 'reporter', url: `/api/supervision/tasks/${rec.supervisionTask}/checks` },
    { who: 'reporter', url: `/api/supervision/rounds/${rec.supervisionRound}` },
  ];
}
