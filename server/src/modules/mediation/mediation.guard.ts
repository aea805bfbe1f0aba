/** Guard-test cases of the mediation module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';

const parties = [
  { side: 'applicant', name: '张三' },
  { side: 'respondent', name: '某公司' },
];
const base = {
  disputeType: 'labour',
  title: '欠薪',
  hostUnitId: 1,
  receivedOn: '2026-03-02',
  parties,
  mediatorIds: [1],
};

export const guard: ModuleGuard = {
  badInput: ({ ids }) => {
    // ids are filled in when the test world is built, after this runs: the bodies that use them read them late.
    const c = base;
    const late = (make: () => unknown, field: string) => ({
      get body() {
        return make();
      },
      field,
      ownMessage: true as const,
    });
    const real = () => ({ ...base, hostUnitId: ids.unit });
    const caseBad = [
      { body: { ...c, title: undefined }, field: 'title' },
      { body: { ...c, disputeType: 'gossip' }, field: 'disputeType' },
      { body: { ...c, receivedOn: '2026-02-30' }, field: 'receivedOn' },
      { body: { ...c, hostUnitId: 'one' }, field: 'hostUnitId' },
      { body: { ...c, parties: [parties[0]] }, field: 'parties' },
      { body: { ...c, parties: [parties[0], { side: 'judge', name: '李四' }] }, field: 'parties.1.side' },
      { body: { ...c, mediatorIds: [] }, field: 'mediatorIds' },
      { body: { ...c, people: 0 }, field: 'people' },
      { body: { ...c, amountClaimed: -5 }, field: 'amountClaimed' },
    ];
    return {
      writes: {
        'POST /api/mediation/cases': {
          who: 'office',
          url: () => '/api/mediation/cases',
          bad: [
            ...caseBad,
            late(() => ({ ...real(), parties: [parties[0], { ...parties[0], name: '王五' }] }), 'parties'),
            { body: { ...c, hostUnitId: 999999 }, field: 'hostUnitId', ownMessage: true },
            late(() => ({ ...real(), jointUnitIds: [ids.unit] }), 'jointUnitIds'),
            late(() => ({ ...real(), jointUnitIds: [999999] }), 'jointUnitIds'),
            late(() => ({ ...real(), mediatorIds: [ids.user] }), 'mediatorIds'),
            late(() => ({ ...real(), receivedOn: '2099-01-01' }), 'receivedOn'),
          ],
        },
        'PUT /api/mediation/cases/:id': { who: 'office', url: () => '/api/mediation/cases/1', bad: caseBad },
        'POST /api/mediation/cases/:id/sessions': {
          who: 'office',
          url: () => '/api/mediation/cases/1/sessions',
          bad: [
            { body: { place: '调解室', note: '陈述' }, field: 'heldOn' },
            { body: { heldOn: '2026-03-03', note: '陈述' }, field: 'place' },
            { body: { heldOn: '2026-03-03', place: '调解室', note: ' ' }, field: 'note' },
          ],
        },
        'POST /api/mediation/cases/:id/outcome': {
          who: 'office',
          url: () => '/api/mediation/cases/1/outcome',
          bad: [
            { body: { outcomeOn: '2026-03-10' }, field: 'outcome' },
            { body: { outcome: 'maybe', outcomeOn: '2026-03-10' }, field: 'outcome' },
            { body: { outcome: 'agreed', outcomeOn: 'soon' }, field: 'outcomeOn' },
            { body: { outcome: 'agreed', outcomeOn: '2026-03-10', amountRecovered: -1 }, field: 'amountRecovered' },
          ],
        },
      },
      unknownIds: {
        'GET /api/mediation/cases/:id': { who: 'office' },
        'PUT /api/mediation/cases/:id': {
          who: 'office',
          get body() {
            return real();
          },
        },
        'POST /api/mediation/cases/:id/sessions': {
          who: 'office',
          body: { heldOn: '2026-03-03', place: '调解室', note: '陈述' },
        },
        'POST /api/mediation/cases/:id/outcome': {
          who: 'office',
          body: { outcome: 'failed', outcomeOn: '2026-03-10' },
        },
        'GET /api/mediation/cases/:id/agreement.docx': { who: 'office' },
      },
    };
  },
  scope: {
    moduleData: {
      // B's dispute, hosted by B and mediated by the desk (registered through the API).
      setup: async ({ env, mw, rec }) => {
        const desk = await env.userClient({ roles: ['office'] });
        const c = await desk.post('/api/mediation/cases', {
          ...base,
          hostUnitId: mw.unitB,
          mediatorIds: [desk.userId],
          title: '乙单位主持的调解',
        });
        expect(c.statusCode, c.body).toBe(201);
        rec.mediationCase = c.json().id;
      },
      writes: (k) => {
        const snapshot = async () => ({
          c: await k.q('SELECT * FROM mediation_cases WHERE id = $1', [k.rec.mediationCase]),
          s: await k.q('SELECT * FROM mediation_sessions WHERE case_id = $1', [k.rec.mediationCase]),
        });
        return [
          {
            name: "record a session on B's mediation",
            who: 'handler',
            send: (c) =>
              c.post(`/api/mediation/cases/${k.rec.mediationCase}/sessions`, {
                heldOn: '2026-03-03',
                place: '甲的调解室',
                note: '甲记录',
              }),
            snapshot,
          },
          {
            name: "conclude B's mediation",
            who: 'leader',
            send: (c) =>
              c.post(`/api/mediation/cases/${k.rec.mediationCase}/outcome`, {
                outcome: 'failed',
                outcomeOn: '2026-03-10',
              }),
            snapshot,
          },
        ];
      },
      reads: (k) => [
        {
          name: "GET B's mediation",
          who: 'handler',
          send: (c) => c.get(`/api/mediation/cases/${k.rec.mediationCase}`),
        },
        {
          name: "GET B's mediation (unit leader)",
          who: 'leader',
          send: (c) => c.get(`/api/mediation/cases/${k.rec.mediationCase}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'handler', url: `/api/mediation/cases/${rec.mediationCase}` }],
    },
  },
};
