/** Guard-test cases of the assistance module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';

const base = { kind: 'wage', requesterName: '张三', description: '工地拖欠工资两个月', receivedOn: '2026-03-02' };

export const guard: ModuleGuard = {
  badInput: ({ ids }) => ({
    writes: {
      'POST /api/assistance/requests': {
        who: 'office',
        url: () => '/api/assistance/requests',
        bad: [
          { body: { ...base, kind: 'money' }, field: 'kind' },
          { body: { ...base, requesterName: '' }, field: 'requesterName' },
          { body: { ...base, requesterPhone: '12345' }, field: 'requesterPhone' },
          { body: { ...base, description: '短' }, field: 'description' },
          { body: { ...base, receivedOn: '2026-13-01' }, field: 'receivedOn' },
          { body: { ...base, people: 0 }, field: 'people' },
          { body: { ...base, refer: { unitId: 'x' } }, field: 'refer.unitId' },
          { body: { ...base, refer: { unitId: 1, dueDays: 0 } }, field: 'refer.dueDays' },
          { body: { ...base, refer: { unitId: 999999 } }, field: 'refer.unitId', ownMessage: true },
          { body: { ...base, receivedOn: '2099-01-01' }, field: 'receivedOn', ownMessage: true },
        ],
      },
      'POST /api/assistance/requests/:id/refer': {
        who: 'office',
        url: () => '/api/assistance/requests/1/refer',
        bad: [
          { body: {}, field: 'unitId' },
          { body: { unitId: 1, dueDays: 61 }, field: 'dueDays' },
        ],
      },
      'POST /api/assistance/requests/:id/sign': {
        who: 'handler',
        url: () => '/api/assistance/requests/1/sign',
        bad: [{ body: { note: 7 }, field: 'note' }],
      },
      'POST /api/assistance/requests/:id/answer': {
        who: 'handler',
        url: () => '/api/assistance/requests/1/answer',
        bad: [
          { body: {}, field: 'answer' },
          { body: { answer: '已办', amountRecovered: -3 }, field: 'amountRecovered' },
        ],
      },
      'POST /api/assistance/requests/:id/urge': {
        who: 'office',
        url: () => '/api/assistance/requests/1/urge',
        bad: [{ body: {}, field: 'note' }],
      },
      'POST /api/assistance/requests/:id/feedback': {
        who: 'office',
        url: () => '/api/assistance/requests/1/feedback',
        bad: [
          { body: {}, field: 'satisfaction' },
          { body: { satisfaction: 'ecstatic' }, field: 'satisfaction' },
        ],
      },
    },
    unknownIds: {
      'GET /api/assistance/requests/:id': { who: 'office' },
      'POST /api/assistance/requests/:id/refer': {
        who: 'office',
        // ids are filled in when the test world is built, after this runs.
        get body() {
          return { unitId: ids.unit };
        },
      },
      'POST /api/assistance/requests/:id/sign': { who: 'handler', body: {} },
      'POST /api/assistance/requests/:id/answer': { who: 'handler', body: { answer: '已办理' } },
      'POST /api/assistance/requests/:id/urge': { who: 'office', body: { note: '请尽快' } },
      'POST /api/assistance/requests/:id/feedback': { who: 'office', body: { satisfaction: 'satisfied' } },
    },
  }),
  scope: {
    moduleData: {
      // A request the desk referred to B.
      setup: async ({ env, mw, rec }) => {
        const desk = await env.userClient({ roles: ['office'] });
        const r = await desk.post('/api/assistance/requests', { ...base, refer: { unitId: mw.unitB } });
        expect(r.statusCode, r.body).toBe(201);
        rec.assistanceRequest = r.json().id;
      },
      writes: (k) => {
        const snapshot = async () => ({
          r: await k.q('SELECT * FROM assistance_requests WHERE id = $1', [k.rec.assistanceRequest]),
          e: await k.q('SELECT * FROM assistance_events WHERE request_id = $1 ORDER BY id', [k.rec.assistanceRequest]),
        });
        return [
          {
            name: "sign for B's referral",
            who: 'handler',
            send: (c) => c.post(`/api/assistance/requests/${k.rec.assistanceRequest}/sign`, {}),
            snapshot,
          },
          {
            name: "answer B's referral",
            who: 'leader',
            send: (c) => c.post(`/api/assistance/requests/${k.rec.assistanceRequest}/answer`, { answer: '甲代答复' }),
            snapshot,
          },
        ];
      },
      reads: (k) => [
        {
          name: "GET B's referral",
          who: 'handler',
          send: (c) => c.get(`/api/assistance/requests/${k.rec.assistanceRequest}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'handler', url: `/api/assistance/requests/${rec.assistanceRequest}` }],
    },
  },
};
