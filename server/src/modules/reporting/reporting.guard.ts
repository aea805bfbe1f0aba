/** Guard-test cases of the reporting module (see test/guards.ts). */
import { expect } from 'vitest';
import { multipart, TINY_PDF } from './reporting.testkit.js';
import type { ModuleGuard } from '../../test/guards.js';

const okField = { key: 'a', label: '数量', type: 'integer' };

export const guard: ModuleGuard = {
  badInput: ({ ids, pdf }) => ({
    writes: {
      'PUT /api/reporting/settings/:id': {
        who: 'office',
        url: () => '/api/reporting/settings/1',
        bad: [
          { body: { deadlineMode: 'never' }, field: 'deadlineMode' },
          { body: { deadlineWorkingDays: 0 }, field: 'deadlineWorkingDays' },
          { body: { jumpThresholdPct: 'big' }, field: 'jumpThresholdPct' },
        ],
      },
      'PUT /api/reporting/forms/:indicatorId': {
        who: 'office',
        url: () => '/api/reporting/forms/1',
        bad: [
          { body: {}, field: 'fields' },
          { body: { fields: [] }, field: 'fields' },
          { body: { fields: [{ ...okField, key: 'Bad Key' }] }, field: 'fields.0.key' },
          { body: { fields: [{ ...okField, type: 'colour' }] }, field: 'fields.0.type' },
        ],
      },
      'POST /api/reporting/forms/test-rule': {
        who: 'office',
        url: () => '/api/reporting/forms/test-rule',
        bad: [
          { body: { expression: 'a > 1' }, field: 'definition' },
          { body: { definition: { fields: [okField] } }, field: 'expression' },
        ],
      },
      'PUT /api/reporting/deadlines/:indicatorId': {
        who: 'office',
        url: () => '/api/reporting/deadlines/1',
        bad: [
          { body: { mode: 'day', day: 29 }, field: 'day' },
          { body: { mode: 'working_days', workingDays: 0 }, field: 'workingDays' },
          { body: { mode: 'weekly' }, field: 'mode' },
        ],
      },
      'POST /api/reporting/submissions': {
        who: 'reporter',
        url: () => '/api/reporting/submissions',
        bad: [
          { body: {}, field: 'indicatorId' },
          { body: { indicatorId: 1, unitId: 1, period: '2026-13', values: {} }, field: 'period' },
          { body: { indicatorId: 1, unitId: 1, period: '2026-01' }, field: 'values' },
        ],
      },
      'PUT /api/reporting/submissions/:id': {
        who: 'reporter',
        url: () => '/api/reporting/submissions/1',
        bad: [
          { body: {}, field: 'values' },
          { body: { values: {}, confirmations: 'all' }, field: 'confirmations' },
        ],
      },
      'POST /api/reporting/submissions/:id/submit': {
        who: 'reporter',
        url: () => '/api/reporting/submissions/1/submit',
        bad: [
          { body: { confirmations: 'all' }, field: 'confirmations' },
          { body: { confirmations: [{ key: 'a' }] }, field: 'confirmations.0.comment' },
        ],
      },
      'POST /api/reporting/submissions/:id/return': {
        who: 'office',
        url: () => '/api/reporting/submissions/1/return',
        bad: [
          { body: {}, field: 'reason' },
          { body: { reason: ' ' }, field: 'reason' },
        ],
      },
      'POST /api/reporting/submissions/bulk-approve': {
        who: 'leader',
        url: () => '/api/reporting/submissions/bulk-approve',
        bad: [
          { body: {}, field: 'ids' },
          { body: { ids: [] }, field: 'ids' },
          { body: { ids: ['a'] }, field: 'ids.0' },
        ],
      },
      'POST /api/reporting/submissions/bulk-accept': {
        who: 'office',
        url: () => '/api/reporting/submissions/bulk-accept',
        bad: [
          { body: {}, field: 'ids' },
          { body: { ids: [0] }, field: 'ids.0' },
        ],
      },
      'POST /api/reporting/submissions/:id/revisions': {
        who: 'reporter',
        url: () => '/api/reporting/submissions/1/revisions',
        bad: [
          { body: { values: {} }, field: 'reason' },
          { body: { reason: '填错了' }, field: 'values' },
        ],
      },
      'POST /api/reporting/revisions/:id/approve': {
        who: 'office',
        url: () => '/api/reporting/revisions/1/approve',
        bad: [
          { body: { comment: 5 }, field: 'comment' },
          { body: { comment: 'x'.repeat(501) }, field: 'comment' },
        ],
      },
      'POST /api/reporting/revisions/:id/reject': {
        who: 'office',
        url: () => '/api/reporting/revisions/1/reject',
        bad: [
          { body: {}, field: 'comment' },
          { body: { comment: '' }, field: 'comment' },
        ],
      },
      'POST /api/reporting/submissions/:id/evidence': {
        who: 'reporter',
        url: () => '/api/reporting/submissions/1/evidence',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
      'POST /api/reporting/excel/upload': {
        who: 'reporter',
        url: () => `/api/reporting/excel/upload?unitId=${ids.unit}&period=2026-01`,
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
      'PUT /api/reporting/third-party': {
        who: 'assessor',
        url: () => '/api/reporting/third-party',
        bad: [
          { body: {}, field: 'period' },
          { body: { period: '2026-01', entries: [] }, field: 'entries' },
          {
            body: { period: '2026-01', entries: [{ indicatorId: 1, unitId: 'x', values: {} }] },
            field: 'entries.0.unitId',
          },
        ],
      },
    },
    unknownIds: {
      'PUT /api/reporting/settings/:id': { who: 'office', body: { reminderDaysBefore: 3 } },
      'GET /api/reporting/forms/:indicatorId': { who: 'office' },
      'PUT /api/reporting/forms/:indicatorId': { who: 'office', body: { fields: [okField] } },
      'DELETE /api/reporting/forms/:indicatorId': { who: 'office' },
      'PUT /api/reporting/deadlines/:indicatorId': { who: 'office', body: { mode: 'day', day: 10 } },
      'DELETE /api/reporting/deadlines/:indicatorId': { who: 'office' },
      'GET /api/reporting/submissions/:id': { who: 'reporter' },
      'PUT /api/reporting/submissions/:id': { who: 'reporter', body: { values: {} } },
      'DELETE /api/reporting/submissions/:id': { who: 'reporter' },
      'POST /api/reporting/submissions/:id/submit': { who: 'reporter', body: {} },
      'POST /api/reporting/submissions/:id/approve': { who: 'leader' },
      'POST /api/reporting/submissions/:id/accept': { who: 'office' },
      'POST /api/reporting/submissions/:id/return': { who: 'office', body: { reason: '退回' } },
      'POST /api/reporting/submissions/:id/revisions': { who: 'reporter', body: { reason: '填错了', values: {} } },
      'POST /api/reporting/revisions/:id/approve': { who: 'office', body: {} },
      'POST /api/reporting/revisions/:id/reject': { who: 'office', body: { comment: '不同意' } },
      'POST /api/reporting/submissions/:id/evidence': { who: 'reporter', form: pdf },
      'GET /api/reporting/evidence/:id': { who: 'reporter' },
      'DELETE /api/reporting/evidence/:id': { who: 'reporter' },
      'POST /api/reporting/notifications/:id/read': { who: 'reporter' },
    },
    notCovered: {
      'POST /api/reporting/submissions/:id/approve': 'takes no body (its unknown id is checked below)',
      'POST /api/reporting/submissions/:id/accept': 'takes no body (its unknown id is checked below)',
      'POST /api/reporting/notifications/:id/read': 'takes no body (its unknown id is checked below)',
      'POST /api/reporting/notifications/read-all': 'takes no body and no id',
    },
  }),
  scope: {
    moduleData: {
      // B's submission (draft) with one evidence file, through the reporting API as B's reporter.
      setup: async ({ mw, rec, reporterB }) => {
        const sub = await reporterB.post('/api/reporting/submissions', {
          indicatorId: mw.leafValue,
          unitId: mw.unitB,
          period: '2026-09',
          values: { value: 7 },
        });
        expect(sub.statusCode, sub.body).toBe(200);
        rec.submission = sub.json().id;
        const upload = multipart('依据.pdf', TINY_PDF, 'application/pdf');
        const ev = await reporterB.request({
          method: 'POST',
          url: `/api/reporting/submissions/${rec.submission}/evidence`,
          ...upload,
        });
        expect(ev.statusCode, ev.body).toBe(201);
        rec.evidence = ev.json().id;
      },
      writes: (k) => {
        const submissionOfB = async () => ({
          submissions: await k.q('SELECT * FROM submissions WHERE unit_id = $1 ORDER BY id', [k.mw.unitB]),
          evidence: await k.q('SELECT * FROM submission_evidence WHERE submission_id = $1 ORDER BY id', [
            k.rec.submission,
          ]),
          events: await k.q('SELECT * FROM submission_events WHERE submission_id = $1 ORDER BY id', [k.rec.submission]),
        });
        return [
          {
            name: "PUT B's submission",
            who: 'reporter',
            send: (c) => c.put(`/api/reporting/submissions/${k.rec.submission}`, { values: { value: 999 } }),
            snapshot: submissionOfB,
          },
          {
            name: "submit B's submission",
            who: 'reporter',
            send: (c) => c.post(`/api/reporting/submissions/${k.rec.submission}/submit`, {}),
            snapshot: submissionOfB,
          },
          {
            name: "DELETE B's submission",
            who: 'reporter',
            send: (c) => c.delete(`/api/reporting/submissions/${k.rec.submission}`),
            snapshot: submissionOfB,
          },
          {
            name: "approve B's submission",
            who: 'leader',
            send: (c) => c.post(`/api/reporting/submissions/${k.rec.submission}/approve`),
            snapshot: submissionOfB,
          },
          {
            name: "bulk-approve B's submission",
            who: 'leader',
            send: (c) => c.post('/api/reporting/submissions/bulk-approve', { ids: [k.rec.submission] }),
            snapshot: submissionOfB,
            bulk: true,
          },
          {
            name: 'save a submission for B',
            who: 'reporter',
            send: (c) =>
              c.post('/api/reporting/submissions', {
                indicatorId: k.mw.leafValue,
                unitId: k.mw.unitB,
                period: '2026-08',
                values: { value: 1 },
              }),
            snapshot: submissionOfB,
          },
          {
            name: "upload evidence to B's submission",
            who: 'reporter',
            send: (c) =>
              c.request({
                method: 'POST',
                url: `/api/reporting/submissions/${k.rec.submission}/evidence`,
                ...multipart('甲.pdf', TINY_PDF, 'application/pdf'),
              }),
            snapshot: submissionOfB,
          },
          {
            name: "DELETE B's evidence",
            who: 'reporter',
            send: (c) => c.delete(`/api/reporting/evidence/${k.rec.evidence}`),
            snapshot: submissionOfB,
          },
        ];
      },
      reads: (k) => [
        {
          name: "GET B's submission",
          who: 'reporter',
          send: (c) => c.get(`/api/reporting/submissions/${k.rec.submission}`),
        },
        {
          name: "GET B's submission (unit leader)",
          who: 'leader',
          send: (c) => c.get(`/api/reporting/submissions/${k.rec.submission}`),
        },
        {
          name: "download B's evidence",
          who: 'reporter',
          send: (c) => c.get(`/api/reporting/evidence/${k.rec.evidence}`),
        },
        {
          name: "GET B's Excel template",
          who: 'reporter',
          send: (c) => c.get(`/api/reporting/excel/template?unitId=${k.mw.unitB}&period=2026-09`),
        },
      ],
      ownReads: ({ rec }) => [
        { who: 'reporter', url: `/api/reporting/submissions/${rec.submission}` },
        { who: 'reporter', url: `/api/reporting/evidence/${rec.evidence}` },
      ],
    },
  },
};
