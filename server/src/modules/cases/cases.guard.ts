/** Guard-test cases of the cases module (see test/guards.ts). */
import { expect } from 'vitest';
import { buildCaseCategory, intakeCase, multipart, PNG } from './cases.testkit.js';
import type { ModuleGuard } from '../../test/guards.js';

const track = { number: 'A2026010100001', password: '123456' };
const okPublicCase = { categoryId: 1, description: '路灯坏了好几天了，晚上很黑', address: '幸福路 1 号' };

export const guard: ModuleGuard = {
  badInput: ({ png }) => ({
    writes: {
      'POST /api/public/cases': {
        who: 'anon',
        url: () => '/api/public/cases',
        bad: [
          { body: {}, field: 'categoryId' },
          { body: { ...okPublicCase, description: '太短' }, field: 'description' },
          { body: { ...okPublicCase, phone: '12345' }, field: 'phone' },
          {
            form: [
              { name: 'description', value: okPublicCase.description },
              { name: 'address', value: okPublicCase.address },
            ],
            field: 'categoryId',
          },
          {
            form: [
              { name: 'categoryId', value: 'abc' },
              { name: 'description', value: okPublicCase.description },
              { name: 'address', value: okPublicCase.address },
            ],
            field: 'categoryId',
          },
        ],
      },
      'POST /api/public/cases/track': {
        who: 'anon',
        url: () => '/api/public/cases/track',
        bad: [
          { body: { password: '123456' }, field: 'number' },
          { body: { ...track, number: 'X2026' }, field: 'number' },
          { body: { ...track, password: '12' }, field: 'password' },
        ],
      },
      'POST /api/public/cases/rate': {
        who: 'anon',
        url: () => '/api/public/cases/rate',
        bad: [
          { body: track, field: 'rating' },
          { body: { ...track, rating: 'great' }, field: 'rating' },
          { body: { ...track, rating: 'satisfied', comment: 'x'.repeat(501) }, field: 'comment' },
        ],
      },
      'POST /api/cases': {
        who: 'agent',
        url: () => '/api/cases',
        bad: [
          { body: {}, field: 'channel' },
          { body: { channel: 'fax', type: 'complaint', categoryId: 1, description: '路灯坏了很久' }, field: 'channel' },
          { body: { channel: 'hotline', type: 'complaint', categoryId: 1, description: '短' }, field: 'description' },
          {
            body: { channel: 'hotline', type: 'complaint', categoryId: 'one', description: '路灯坏了很久' },
            field: 'categoryId',
          },
        ],
      },
      'POST /api/cases/:id/attachments': {
        who: 'agent',
        url: () => '/api/cases/1/attachments',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
      'POST /api/cases/:id/dispatch': {
        who: 'agent',
        url: () => '/api/cases/1/dispatch',
        bad: [
          { body: {}, field: 'leadUnitId' },
          { body: { leadUnitId: 'x' }, field: 'leadUnitId' },
          { body: { leadUnitId: 1, timeLimitDays: 0 }, field: 'timeLimitDays' },
        ],
      },
      'POST /api/cases/:id/reject': {
        who: 'agent',
        url: () => '/api/cases/1/reject',
        bad: [
          { body: {}, field: 'reason' },
          { body: { reason: 'x' }, field: 'reason' },
        ],
      },
      'POST /api/cases/:id/merge': {
        who: 'agent',
        url: () => '/api/cases/1/merge',
        bad: [
          { body: {}, field: 'mainCaseId' },
          { body: { mainCaseId: -1 }, field: 'mainCaseId' },
        ],
      },
      'POST /api/cases/:id/extension/decide': {
        who: 'agent',
        url: () => '/api/cases/1/extension/decide',
        bad: [
          { body: {}, field: 'approve' },
          { body: { approve: true, days: 0 }, field: 'days' },
        ],
      },
      'POST /api/cases/:id/verify': {
        who: 'agent',
        url: () => '/api/cases/1/verify',
        bad: [
          { body: {}, field: 'ok' },
          { body: { ok: 'yes' }, field: 'ok' },
        ],
      },
      'POST /api/cases/:id/close': {
        who: 'agent',
        url: () => '/api/cases/1/close',
        bad: [
          { body: {}, field: 'note' },
          { body: { note: ' ' }, field: 'note' },
        ],
      },
      'POST /api/cases/:id/feedback': {
        who: 'agent',
        url: () => '/api/cases/1/feedback',
        bad: [
          { body: {}, field: 'rating' },
          { body: { rating: 'great' }, field: 'rating' },
        ],
      },
      'POST /api/cases/:id/review': {
        who: 'agent',
        url: () => '/api/cases/1/review',
        bad: [
          { body: { qualified: true }, field: 'note' },
          { body: { note: '办理到位' }, field: 'qualified' },
        ],
      },
      'POST /api/cases/:id/escalate': {
        who: 'agent',
        url: () => '/api/cases/1/escalate',
        bad: [
          { body: {}, field: 'reason' },
          { body: { reason: 7 }, field: 'reason' },
        ],
      },
      'POST /api/cases/:id/marks': {
        who: 'supervisor',
        url: () => '/api/cases/1/marks',
        bad: [
          { body: { kind: 'mis_sign' }, field: 'unitId' },
          { body: { unitId: 1, kind: 'lost' }, field: 'kind' },
          { body: { unitId: 1, kind: 'mis_sign', note: 5 }, field: 'note' },
        ],
      },
      'POST /api/cases/:id/remind': {
        who: 'agent',
        url: () => '/api/cases/1/remind',
        bad: [
          { body: {}, field: 'note' },
          { body: { note: '' }, field: 'note' },
        ],
      },
      'POST /api/cases/:id/confidential': {
        who: 'agent',
        url: () => '/api/cases/1/confidential',
        bad: [
          { body: {}, field: 'confidential' },
          { body: { confidential: 'yes', reason: '涉及隐私' }, field: 'confidential' },
          { body: { confidential: true, reason: 'x' }, field: 'reason' },
        ],
      },
      'POST /api/cases/:id/extension': {
        who: 'handler',
        url: () => '/api/cases/1/extension',
        bad: [
          { body: { reason: '需要协调' }, field: 'days' },
          { body: { days: 61, reason: '需要协调' }, field: 'days' },
          { body: { days: 5 }, field: 'reason' },
        ],
      },
      'POST /api/cases/:id/return': {
        who: 'handler',
        url: () => '/api/cases/1/return',
        bad: [
          { body: {}, field: 'reason' },
          { body: { reason: 'x' }, field: 'reason' },
        ],
      },
      'POST /api/cases/:id/report': {
        who: 'handler',
        url: () => '/api/cases/1/report',
        bad: [
          { body: {}, field: 'result' },
          { body: { result: '已修复', attachmentIds: ['a'] }, field: 'attachmentIds.0' },
        ],
      },
      'POST /api/escalations/:id/decide': {
        who: 'supervisor',
        url: () => '/api/escalations/1/decide',
        bad: [
          { body: {}, field: 'approve' },
          { body: { approve: 'yes' }, field: 'approve' },
        ],
      },
      'POST /api/escalations/:id/follow': {
        who: 'supervisor',
        url: () => '/api/escalations/1/follow',
        bad: [
          { body: {}, field: 'note' },
          { body: { note: '' }, field: 'note' },
        ],
      },
      'POST /api/case-categories': {
        who: 'admin',
        url: () => '/api/case-categories',
        bad: [
          { body: { name: '市容' }, field: 'code' },
          { body: { code: 'SR1' }, field: 'name' },
          { body: { code: 'SR1', name: '市容', timeLimitDays: 0 }, field: 'timeLimitDays' },
        ],
      },
      'PATCH /api/case-categories/:id': {
        who: 'admin',
        url: () => '/api/case-categories/1',
        bad: [
          { body: { name: '' }, field: 'name' },
          { body: { active: 'no' }, field: 'active' },
        ],
      },
      'POST /api/routing-rules': {
        who: 'admin',
        url: () => '/api/routing-rules',
        bad: [
          { body: {}, field: 'kind' },
          { body: { kind: 'keyword', pattern: '路灯' }, field: 'unitId' },
          { body: { kind: 'regex', pattern: '路灯', unitId: 1 }, field: 'kind' },
        ],
      },
      'PATCH /api/routing-rules/:id': {
        who: 'admin',
        url: () => '/api/routing-rules/1',
        bad: [
          { body: { priority: 2000 }, field: 'priority' },
          { body: { active: 1 }, field: 'active' },
        ],
      },
      'PUT /api/case-settings': {
        who: 'admin',
        url: () => '/api/case-settings',
        bad: [
          { body: {}, field: 'duplicateRadiusM' },
          { body: { duplicateRadiusM: 5, duplicateDays: 7 }, field: 'duplicateRadiusM' },
          { body: { duplicateRadiusM: 100 }, field: 'duplicateDays' },
          {
            body: {
              duplicateRadiusM: 100,
              duplicateDays: 7,
              typePublication: {
                complaint: 'public',
                help: 'public',
                consultation: 'public',
                suggestion: 'public',
                report: 'public',
                mediation: 'limited',
              },
            },
            field: 'typePublication.report',
            ownMessage: true,
          },
          {
            body: { duplicateRadiusM: 100, duplicateDays: 7, typePublication: { complaint: 'open' } },
            field: 'typePublication.complaint',
          },
        ],
      },
    },
    unknownIds: {
      'GET /api/cases/:id': { who: 'agent' },
      'GET /api/cases/:id/marks': { who: 'supervisor' },
      'POST /api/cases/:id/marks': { who: 'supervisor', body: { unitId: 1, kind: 'mis_sign' } },
      'GET /api/cases/:id/duplicates': { who: 'agent' },
      'GET /api/cases/:id/routing-suggestion': { who: 'agent' },
      'POST /api/cases/:id/attachments': { who: 'agent', form: png },
      'GET /api/cases/:id/attachments/:attachmentId': { who: 'agent' },
      'POST /api/cases/:id/dispatch': { who: 'agent', body: { leadUnitId: 1 } },
      'POST /api/cases/:id/reject': { who: 'agent', body: { reason: '不属实' } },
      'POST /api/cases/:id/merge': { who: 'agent', body: { mainCaseId: 1 } },
      'POST /api/cases/:id/extension/decide': { who: 'agent', body: { approve: true } },
      'POST /api/cases/:id/verify': { who: 'agent', body: { ok: true } },
      'POST /api/cases/:id/close': { who: 'agent', body: { note: '办结' } },
      'POST /api/cases/:id/feedback': { who: 'agent', body: { rating: 'satisfied' } },
      'POST /api/cases/:id/review': { who: 'agent', body: { qualified: true, note: '办理到位' } },
      'POST /api/cases/:id/escalate': { who: 'agent', body: { reason: '久拖不决' } },
      'POST /api/cases/:id/remind': { who: 'agent', body: { note: '请尽快' } },
      'POST /api/cases/:id/confidential': { who: 'agent', body: { confidential: true, reason: '涉及个人隐私' } },
      'POST /api/cases/:id/sign': { who: 'handler' },
      'POST /api/cases/:id/start': { who: 'handler' },
      'POST /api/cases/:id/extension': { who: 'handler', body: { days: 5, reason: '需要协调' } },
      'POST /api/cases/:id/return': { who: 'handler', body: { reason: '不属本单位' } },
      'POST /api/cases/:id/report': { who: 'handler', body: { result: '已修复' } },
      'POST /api/escalations/:id/decide': { who: 'supervisor', body: { approve: true } },
      'POST /api/escalations/:id/follow': { who: 'supervisor', body: { note: '跟进' } },
      'POST /api/case-notices/:id/read': { who: 'handler' },
      'PATCH /api/case-categories/:id': { body: { name: '不存在' } },
      'DELETE /api/case-categories/:id': {},
      'PATCH /api/routing-rules/:id': { body: { priority: 1 } },
      'DELETE /api/routing-rules/:id': {},
    },
    notCovered: {
      'POST /api/cases/:id/sign': 'takes no body (its unknown id is checked below)',
      'POST /api/cases/:id/start': 'takes no body (its unknown id is checked below)',
      'POST /api/case-notices/:id/read': 'takes no body (its unknown id is checked below)',
    },
  }),
  scope: {
    moduleData: {
      // A case dispatched to B, with an attachment, through the cases API as the agent.
      setup: async ({ env, mw, rec, agent }) => {
        await env.buildUser({ roles: ['handler'], unitId: mw.unitB });
        const categoryId = await buildCaseCategory(env, { name: '市容环境' });
        const c = await intakeCase(agent, { categoryId, dispatch: { leadUnitId: mw.unitB } });
        rec.case = c.id;
        const att = await agent.request({
          method: 'POST',
          url: `/api/cases/${rec.case}/attachments`,
          ...multipart({}, [{ field: 'file', filename: '现场.png', content: PNG, type: 'image/png' }]),
        });
        expect(att.statusCode, att.body).toBe(201);
        rec.attachment = att.json().ids[0];
        const [{ status }] = await env.database.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [
          rec.case,
        ]);
        expect(status).not.toBe('pending');
      },
      writes: ({ rec, q }) => {
        const caseOfB = async () => ({
          case: await q('SELECT * FROM cases WHERE id = $1', [rec.case]),
          dispatches: await q('SELECT * FROM case_dispatches WHERE case_id = $1 ORDER BY id', [rec.case]),
          events: await q('SELECT * FROM case_events WHERE case_id = $1 ORDER BY id', [rec.case]),
          attachments: await q('SELECT * FROM case_attachments WHERE case_id = $1 ORDER BY id', [rec.case]),
        });
        return [
          {
            name: "sign B's case",
            who: 'handler',
            send: (c) => c.post(`/api/cases/${rec.case}/sign`),
            snapshot: caseOfB,
          },
          {
            name: "start B's case",
            who: 'handler',
            send: (c) => c.post(`/api/cases/${rec.case}/start`),
            snapshot: caseOfB,
          },
          {
            name: "report on B's case",
            who: 'handler',
            send: (c) => c.post(`/api/cases/${rec.case}/report`, { result: '甲单位代为办结' }),
            snapshot: caseOfB,
          },
          {
            name: "return B's case",
            who: 'handler',
            send: (c) => c.post(`/api/cases/${rec.case}/return`, { reason: '甲单位退回' }),
            snapshot: caseOfB,
          },
          {
            name: "ask an extension of B's case",
            who: 'handler',
            send: (c) => c.post(`/api/cases/${rec.case}/extension`, { days: 5, reason: '甲单位申请' }),
            snapshot: caseOfB,
          },
          {
            name: "attach a file to B's case",
            who: 'handler',
            send: (c) =>
              c.request({
                method: 'POST',
                url: `/api/cases/${rec.case}/attachments`,
                ...multipart({}, [{ field: 'file', filename: '甲.png', content: PNG, type: 'image/png' }]),
              }),
            snapshot: caseOfB,
          },
        ];
      },
      reads: ({ rec }) => [
        { name: "GET B's case", who: 'handler', send: (c) => c.get(`/api/cases/${rec.case}`) },
        {
          name: "GET B's case attachment",
          who: 'handler',
          send: (c) => c.get(`/api/cases/${rec.case}/attachments/${rec.attachment}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'handler', url: `/api/cases/${rec.case}` }],
    },
  },
};
