/** Guard-test cases of the services module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';

const stepsOf = (unit: number) => [
  { seq: 1, phase: 'accept', name: '受理', departmentId: unit, days: 0 },
  { seq: 2, phase: 'review', name: '审查', departmentId: unit, days: 3 },
  { seq: 3, phase: 'deliver', name: '送达', departmentId: unit, days: 1 },
];
const itemOf = (unit: number) => ({
  code: 'G-001',
  name: '测试事项',
  kind: 'license',
  departmentId: unit,
  legalDays: 10,
  committedDays: 5,
  materials: [{ name: '申请表', required: true }],
  steps: stepsOf(unit),
});
const track = { number: 'SP202601010000001', password: '123456' };
const filing = { itemId: 1, applicantName: '张三', applicantPhone: '13800001234' };

export const guard: ModuleGuard = {
  badInput: ({ png }) => {
    // Unit 1 is the test database's district (the kit's ids are filled only when the tests run).
    const item = itemOf(1);
    return {
      writes: {
        'POST /api/public/services/applications': {
          who: 'anon',
          url: () => '/api/public/services/applications',
          bad: [
            { body: { applicantName: '张三', applicantPhone: '13800001234' }, field: 'itemId' },
            { body: { ...filing, applicantPhone: '12345' }, field: 'applicantPhone' },
            { body: { ...filing, applicantName: '' }, field: 'applicantName' },
            { body: { ...filing, itemId: 999999 }, field: 'itemId', ownMessage: true },
            { form: [{ name: 'applicantName', value: '张三' }], field: 'itemId' },
          ],
        },
        'POST /api/public/services/track': {
          who: 'anon',
          url: () => '/api/public/services/track',
          bad: [
            { body: { password: '123456' }, field: 'number' },
            { body: { ...track, password: '12' }, field: 'password' },
          ],
        },
        'POST /api/public/services/rate': {
          who: 'anon',
          url: () => '/api/public/services/rate',
          bad: [
            { body: { ...track, level: 'so-so' }, field: 'level' },
            { body: { ...track, level: 'satisfied', aspects: { attitude: 'great' } }, field: 'aspects.attitude' },
            { body: { level: 'satisfied', password: '123456' }, field: 'number' },
          ],
        },
        'POST /api/public/services/supplement': {
          who: 'anon',
          url: () => '/api/public/services/supplement',
          bad: [
            { body: { number: track.number }, field: 'password' },
            { form: [{ name: 'password', value: '123456' }], field: 'number' },
          ],
        },
        'POST /api/public/services/complaints': {
          who: 'anon',
          url: () => '/api/public/services/complaints',
          bad: [
            { body: { ...track, kind: 'gossip', content: '慢' }, field: 'kind' },
            { body: { ...track, kind: 'delay' }, field: 'content' },
          ],
        },
        'POST /api/services/items': {
          who: 'office',
          url: () => '/api/services/items',
          bad: [
            { body: { ...item, code: '坏 编码' }, field: 'code' },
            { body: { ...item, kind: 'favour' }, field: 'kind' },
            { body: { ...item, committedDays: 20 }, field: 'committedDays' },
            { body: { ...item, steps: [stepsOf(1)[1], ...stepsOf(1).slice(1)] }, field: 'steps' },
            { body: { ...item, steps: stepsOf(1).map((s) => ({ ...s, days: -1 })) }, field: 'steps.0.days' },
            { body: { ...item, departmentId: 999999 }, field: 'departmentId', ownMessage: true },
          ],
        },
        'PUT /api/services/items/:id': {
          who: 'office',
          url: () => '/api/services/items/1',
          bad: [
            { body: { ...item, legalDays: 'ten' }, field: 'legalDays' },
            { body: { ...item, name: '' }, field: 'name' },
          ],
        },
        'POST /api/services/items/import': {
          who: 'office',
          url: () => '/api/services/items/import',
          bad: [
            { body: {}, field: 'file' },
            { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
          ],
        },
        'PUT /api/services/settings': {
          who: 'office',
          url: () => '/api/services/settings',
          bad: [{ body: { trackOfficial: 'nickname' }, field: 'trackOfficial' }],
        },
        'POST /api/services/applications': {
          who: 'clerk',
          url: () => '/api/services/applications',
          bad: [
            { body: { applicantName: '张三', applicantPhone: '13800001234' }, field: 'itemId' },
            { body: { ...filing, applicantPhone: 'none' }, field: 'applicantPhone' },
            { body: { ...filing, itemId: 999999 }, field: 'itemId', ownMessage: true },
          ],
        },
        'POST /api/services/applications/:id/accept': {
          who: 'clerk',
          url: () => '/api/services/applications/1/accept',
          bad: [{ body: { note: 5 }, field: 'note' }],
        },
        'POST /api/services/applications/:id/refuse': {
          who: 'clerk',
          url: () => '/api/services/applications/1/refuse',
          bad: [
            { body: {}, field: 'reason' },
            { body: { reason: '   ' }, field: 'reason' },
          ],
        },
        'POST /api/services/applications/:id/correction': {
          who: 'clerk',
          url: () => '/api/services/applications/1/correction',
          bad: [
            { body: {}, field: 'materials' },
            { body: { materials: '身份证', stepId: 'x' }, field: 'stepId' },
          ],
        },
        'POST /api/services/applications/:id/supplement': {
          who: 'clerk',
          url: () => '/api/services/applications/1/supplement',
          bad: [{ body: { note: 5 }, field: 'note' }],
        },
        'POST /api/services/applications/:id/deliver': {
          who: 'clerk',
          url: () => '/api/services/applications/1/deliver',
          bad: [{ body: { note: [] }, field: 'note' }],
        },
        'POST /api/services/applications/:id/files': {
          who: 'clerk',
          url: () => '/api/services/applications/1/files',
          bad: [
            { body: {}, field: 'file' },
            { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
          ],
        },
        'POST /api/services/steps/:id/sign': {
          who: 'handler',
          url: () => '/api/services/steps/1/sign',
          bad: [{ body: { note: 5 }, field: 'note' }],
        },
        'POST /api/services/steps/:id/decide': {
          who: 'handler',
          url: () => '/api/services/steps/1/decide',
          bad: [
            { body: { decision: 'maybe' }, field: 'decision' },
            { body: { decision: 'refuse' }, field: 'reason' },
            { body: { decision: 'refuse', reason: '  ' }, field: 'reason' },
          ],
        },
        'POST /api/services/applications/:id/notice': {
          who: 'supervisor',
          url: () => '/api/services/applications/1/notice',
          bad: [
            { body: { actions: '限期整改', deadline: '2026-12-31' }, field: 'findings' },
            { body: { findings: '超时', actions: '限期整改', deadline: '2026-02-30' }, field: 'deadline' },
          ],
        },
        'POST /api/services/complaints': {
          who: 'supervisor',
          url: () => '/api/services/complaints',
          bad: [
            { body: { kind: 'delay', content: '超时' }, field: 'number' },
            { body: { number: 'SP1', kind: 'delay', content: '超时' }, field: 'number', ownMessage: true },
          ],
        },
        'POST /api/services/complaints/:id/decide': {
          who: 'supervisor',
          url: () => '/api/services/complaints/1/decide',
          bad: [
            { body: { decision: 'accept' }, field: 'note' },
            { body: { decision: 'ignore', note: '不理' }, field: 'decision' },
          ],
        },
      },
      unknownIds: {
        'GET /api/public/services/items/:id': { who: 'anon' },
        'GET /api/services/items/:id': { who: 'office' },
        'PUT /api/services/items/:id': { who: 'office', body: { ...item, code: 'G-404' } },
        'GET /api/services/applications/:id': { who: 'supervisor' },
        'POST /api/services/applications/:id/accept': { who: 'clerk', body: {} },
        'POST /api/services/applications/:id/refuse': { who: 'clerk', body: { reason: '不符合条件' } },
        'POST /api/services/applications/:id/correction': { who: 'clerk', body: { materials: '身份证' } },
        'POST /api/services/applications/:id/supplement': { who: 'clerk', body: {} },
        'POST /api/services/applications/:id/deliver': { who: 'clerk', body: {} },
        'POST /api/services/applications/:id/files': { who: 'clerk', form: png },
        'GET /api/services/files/:id': { who: 'supervisor' },
        'POST /api/services/applications/:id/notice': {
          who: 'supervisor',
          body: { findings: '超时', actions: '限期整改', deadline: '2026-12-31' },
        },
        'POST /api/services/steps/:id/sign': { who: 'handler', body: {} },
        'POST /api/services/steps/:id/decide': { who: 'handler', body: { decision: 'approve' } },
        'POST /api/services/complaints/:id/decide': { who: 'supervisor', body: { decision: 'accept', note: '受理' } },
      },
    };
  },
  scope: {
    moduleData: {
      // B's item (all steps in B), an application filed and accepted at the window: B's review step is open.
      setup: async ({ env, mw, rec }) => {
        const office = await env.userClient({ roles: ['office'] });
        const it = await office.post('/api/services/items', { ...itemOf(mw.unitB), code: 'SCOPE-B' });
        expect(it.statusCode, it.body).toBe(201);
        const clerk = await env.userClient({ roles: ['window_clerk'] });
        const f = await clerk.post('/api/services/applications', {
          itemId: it.json().id,
          applicantName: '乙申请人',
          applicantPhone: '13800005678',
        });
        expect(f.statusCode, f.body).toBe(201);
        rec.serviceApplication = f.json().id;
        const a = await clerk.post(`/api/services/applications/${rec.serviceApplication}/accept`, {});
        expect(a.statusCode, a.body).toBe(200);
        rec.serviceStep = a.json().steps.find((s: { phase: string }) => s.phase === 'review').id;
      },
      writes: (k) => {
        const ofB = async () => ({
          app: await k.q('SELECT * FROM service_applications WHERE id = $1', [k.rec.serviceApplication]),
          steps: await k.q('SELECT * FROM service_steps WHERE application_id = $1 ORDER BY id', [
            k.rec.serviceApplication,
          ]),
          corrections: await k.q('SELECT * FROM service_corrections WHERE application_id = $1', [
            k.rec.serviceApplication,
          ]),
        });
        return [
          {
            name: "sign for B's step",
            who: 'handler',
            send: (c) => c.post(`/api/services/steps/${k.rec.serviceStep}/sign`, {}),
            snapshot: ofB,
          },
          {
            name: "decide B's step",
            who: 'leader',
            send: (c) => c.post(`/api/services/steps/${k.rec.serviceStep}/decide`, { decision: 'approve' }),
            snapshot: ofB,
          },
          {
            name: "ask B's applicant for materials",
            who: 'handler',
            send: (c) =>
              c.post(`/api/services/applications/${k.rec.serviceApplication}/correction`, {
                materials: '甲要的材料',
                stepId: k.rec.serviceStep,
              }),
            snapshot: ofB,
          },
        ];
      },
      reads: (k) => [
        {
          name: "GET B's application (handler)",
          who: 'handler',
          send: (c) => c.get(`/api/services/applications/${k.rec.serviceApplication}`),
        },
        {
          name: "GET B's application (unit leader)",
          who: 'leader',
          send: (c) => c.get(`/api/services/applications/${k.rec.serviceApplication}`),
        },
      ],
    },
  },
};
