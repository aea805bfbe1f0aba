/** Guard-test cases of the notices module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';
import { multipart, TINY_PDF } from '../reporting/reporting.testkit.js';

const notice = (unitId: number) => ({
  kind: 'rectification_advice',
  unitId,
  title: '窗口服务问题',
  findings: '窗口人员不在岗',
  actions: '加强考勤管理',
  deadline: '2099-12-31',
});

export const guard: ModuleGuard = {
  badInput: ({ pdf }) => ({
    writes: {
      'POST /api/notices': {
        who: 'office',
        url: () => '/api/notices',
        bad: [
          { body: { ...notice(1), kind: 'memo' }, field: 'kind' },
          { body: { ...notice(1), title: '' }, field: 'title' },
          { body: { ...notice(1), deadline: '2026-02-30' }, field: 'deadline' },
          { body: { ...notice(1), unitId: 'B' }, field: 'unitId' },
          { body: { ...notice(999999) }, field: 'unitId', ownMessage: true },
          { body: { ...notice(1), deadline: '2001-01-01' }, field: 'deadline', ownMessage: true },
          { body: { ...notice(1), deductionId: 999999 }, field: 'deductionId', ownMessage: true },
        ],
      },
      'POST /api/notices/:id/reply': {
        who: 'reporter',
        url: () => '/api/notices/1/reply',
        bad: [
          { body: {}, field: 'measures' },
          { body: { measures: '已整改', evidence: 7 }, field: 'evidence' },
        ],
      },
      'POST /api/notices/:id/review': {
        who: 'office',
        url: () => '/api/notices/1/review',
        bad: [{ body: { note: '好' }, field: 'accept' }],
      },
      'POST /api/notices/:id/files': {
        who: 'reporter',
        url: () => '/api/notices/1/files',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
    },
    unknownIds: {
      'GET /api/notices/:id': { who: 'office' },
      'GET /api/notices/:id/docx': { who: 'office' },
      'POST /api/notices/:id/reply': { who: 'reporter', body: { measures: '已整改' } },
      'POST /api/notices/:id/review': { who: 'office', body: { accept: true } },
      'POST /api/notices/:id/files': { who: 'reporter', form: pdf },
      'GET /api/notices/files/:id': { who: 'office' },
    },
  }),
  scope: {
    moduleData: {
      setup: async ({ env, mw, rec, reporterB }) => {
        const office = await env.userClient({ roles: ['office'] });
        const r = await office.post('/api/notices', notice(mw.unitB));
        if (r.statusCode !== 201) throw new Error(r.body);
        rec.notice = r.json().id;
        // B's evidence file of its reply.
        const up = multipart('整改台账.pdf', TINY_PDF, 'application/pdf');
        const f = await reporterB.post(`/api/notices/${rec.notice}/files`, up.payload, up.headers);
        if (f.statusCode !== 201) throw new Error(f.body);
        rec.noticeFile = f.json().id;
      },
      writes: (k) => [
        {
          name: "reply to B's notice",
          who: 'reporter',
          send: (c) => c.post(`/api/notices/${k.rec.notice}/reply`, { measures: '甲代为答复' }),
          snapshot: () => k.q('SELECT * FROM notices WHERE id = $1', [k.rec.notice]),
        },
        {
          name: "attach evidence to B's notice",
          who: 'reporter',
          send: (c) => {
            const up = multipart('甲的材料.pdf', TINY_PDF, 'application/pdf');
            return c.post(`/api/notices/${k.rec.notice}/files`, up.payload, up.headers);
          },
          snapshot: () => k.q('SELECT * FROM notice_files WHERE notice_id = $1 ORDER BY id', [k.rec.notice]),
        },
      ],
      reads: (k) => [
        { name: "GET B's notice", who: 'reporter', send: (c) => c.get(`/api/notices/${k.rec.notice}`) },
        { name: "GET B's notice as Word", who: 'leader', send: (c) => c.get(`/api/notices/${k.rec.notice}/docx`) },
        {
          name: "GET B's reply evidence",
          who: 'reporter',
          send: (c) => c.get(`/api/notices/files/${k.rec.noticeFile}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'reporter', url: `/api/notices/${rec.notice}` }],
    },
  },
};
