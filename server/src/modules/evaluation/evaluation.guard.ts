/** Guard-test cases of the evaluation module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';

const questions = [{ key: 'overall', type: 'satisfaction5', title: '总体满意度', required: true }];
const campaign = {
  year: 2026,
  kind: 'public_survey',
  title: '满意度调查',
  questionnaireId: 1,
  targetUnitIds: [1],
  periodFrom: '2026-01-01',
  periodTo: '2026-06-30',
};
const TOKEN = 'zzzz-AAAAAAAAAAAAAAAA';

export const guard: ModuleGuard = {
  badInput: ({ png }) => ({
    writes: {
      'POST /api/evaluation/questionnaires': {
        who: 'office',
        url: () => '/api/evaluation/questionnaires',
        bad: [
          { body: { questions }, field: 'title' },
          { body: { title: '问卷', questions: [] }, field: 'questions' },
          { body: { title: '问卷', questions: [{ ...questions[0], type: 'essay' }] }, field: 'questions.0.type' },
          { body: { title: '问卷', questions: [{ ...questions[0], key: '1x' }] }, field: 'questions.0.key' },
          {
            body: { title: '问卷', questions: [{ key: 'c', type: 'single', title: '单选', options: ['是'] }] },
            field: 'questions.0.options',
          },
          { body: { title: '问卷', questions: [questions[0], questions[0]] }, field: 'questions.1.key' },
        ],
      },
      'POST /api/evaluation/questionnaires/:id/versions': {
        who: 'office',
        url: () => '/api/evaluation/questionnaires/1/versions',
        bad: [{ body: { title: '问卷' }, field: 'questions' }],
      },
      'POST /api/evaluation/campaigns': {
        who: 'office',
        url: () => '/api/evaluation/campaigns',
        bad: [
          { body: { ...campaign, kind: 'gossip' }, field: 'kind' },
          { body: { ...campaign, title: '' }, field: 'title' },
          { body: { ...campaign, periodTo: '2026-02-30' }, field: 'periodTo' },
          { body: { ...campaign, year: 1900 }, field: 'year' },
          { body: { ...campaign, mapping: { mode: 'median' } }, field: 'mapping.mode' },
          { body: { ...campaign, mapping: { levelWeights: [1, 1] } }, field: 'mapping.levelWeights' },
          { body: { ...campaign, questionnaireId: 999999 }, field: 'questionnaireId', ownMessage: true },
          { body: { ...campaign, periodFrom: '2026-07-01' }, field: 'periodTo', ownMessage: true },
          // A consultation feeds no indicator.
          {
            body: { ...campaign, kind: 'consultation', mapping: { indicatorIds: [1] } },
            field: 'mapping.indicatorIds',
          },
        ],
      },
      'PUT /api/evaluation/campaigns/:id/consultation/topic': {
        who: 'office',
        url: () => '/api/evaluation/campaigns/1/consultation/topic',
        bad: [
          { body: {}, field: 'background' },
          { body: { background: 12 }, field: 'background' },
          { body: { background: '背'.repeat(5001) }, field: 'background' },
        ],
      },
      'PUT /api/evaluation/campaigns/:id/consultation/summary': {
        who: 'office',
        url: () => '/api/evaluation/campaigns/1/consultation/summary',
        bad: [
          { body: {}, field: 'heard' },
          { body: { heard: '   ' }, field: 'heard' },
          { body: { heard: '汇总', adopted: ['采纳'] }, field: 'adopted' },
          { body: { heard: '汇总', notAdopted: '理'.repeat(10001) }, field: 'notAdopted' },
        ],
      },
      'PUT /api/evaluation/campaigns/:id': {
        who: 'office',
        url: () => '/api/evaluation/campaigns/1',
        bad: [
          { body: { ...campaign, anonymous: 'yes' }, field: 'anonymous' },
          { body: { ...campaign, targetUnitIds: ['a'] }, field: 'targetUnitIds.0' },
        ],
      },
      'POST /api/evaluation/campaigns/:id/sample': {
        who: 'office',
        url: () => '/api/evaluation/campaigns/1/sample',
        bad: [
          { body: { source: 'phonebook', total: 10 }, field: 'source' },
          { body: { source: 'cases', total: 0 }, field: 'total' },
          { body: { source: 'cases', sizes: [{ unitId: 1, size: -1 }] }, field: 'sizes.0.size' },
          { body: { source: 'cases', seed: 1.5, total: 5 }, field: 'seed' },
        ],
      },
      'POST /api/evaluation/responses/:id/exclusion': {
        who: 'office',
        url: () => '/api/evaluation/responses/1/exclusion',
        bad: [
          { body: { excluded: true }, field: 'reason' },
          { body: { excluded: 'yes', reason: '重复' }, field: 'excluded' },
        ],
      },
      'POST /api/evaluation/inbox/:id': {
        who: 'leader',
        url: () => '/api/evaluation/inbox/1',
        bad: [
          { body: {}, field: 'answers' },
          { body: { answers: [] }, field: 'answers' },
          { body: { answers: {}, device: 'x'.repeat(200) }, field: 'device' },
        ],
      },
      'POST /api/public/surveys/:token': {
        who: 'anon',
        url: () => `/api/public/surveys/${TOKEN}`,
        bad: [
          { body: { answers: 'all good' }, field: 'answers' },
          { body: {}, field: 'answers' },
        ],
      },
    },
    notCovered: {
      'POST /api/evaluation/campaigns/:id/frame':
        'an .xlsx upload: refused files are tested by lib/xlsx-http and the import report',
      'POST /api/evaluation/campaigns/:id/send': 'no body',
      'POST /api/evaluation/campaigns/:id/remind': 'no body',
      'POST /api/evaluation/campaigns/:id/close': 'no body',
      'POST /api/evaluation/campaigns/:id/publish': 'no body',
      'POST /api/evaluation/campaigns/:id/consultation/publish': 'no body',
      'POST /api/public/surveys/qr/:code': 'no body: a scan of the code (its unknown code is checked below)',
    },
    unknownIds: {
      'GET /api/evaluation/questionnaires/:id': { who: 'office' },
      'POST /api/evaluation/questionnaires/:id/versions': { who: 'office', body: { title: '问卷', questions } },
      'GET /api/evaluation/campaigns/:id': { who: 'office' },
      'PUT /api/evaluation/campaigns/:id': { who: 'office', body: campaign },
      'GET /api/evaluation/campaigns/:id/frame.xlsx': { who: 'office' },
      'POST /api/evaluation/campaigns/:id/frame': { who: 'office', form: png },
      'POST /api/evaluation/campaigns/:id/sample': { who: 'office', body: { source: 'cases', total: 10 } },
      'GET /api/evaluation/campaigns/:id/sample': { who: 'office' },
      'POST /api/evaluation/campaigns/:id/send': { who: 'office' },
      'POST /api/evaluation/campaigns/:id/remind': { who: 'office' },
      'GET /api/evaluation/campaigns/:id/dashboard': { who: 'office' },
      'GET /api/evaluation/campaigns/:id/responses': { who: 'office' },
      'POST /api/evaluation/responses/:id/exclusion': { who: 'office', body: { excluded: true, reason: '重复提交' } },
      'POST /api/evaluation/campaigns/:id/close': { who: 'office' },
      'POST /api/evaluation/campaigns/:id/publish': { who: 'office' },
      'GET /api/evaluation/campaigns/:id/results': { who: 'office' },
      'GET /api/evaluation/campaigns/:id/results.xlsx': { who: 'office' },
      'GET /api/evaluation/inbox/:id': { who: 'dleader' },
      'POST /api/evaluation/inbox/:id': { who: 'dleader', body: { answers: { overall: 0 } } },
      'GET /api/public/surveys/:token': { who: 'anon', unknown: TOKEN },
      'POST /api/public/surveys/:token': { who: 'anon', unknown: TOKEN, body: { answers: { overall: 0 } } },
      'GET /api/evaluation/campaigns/:id/qr': { who: 'office', query: '?unitId=1' },
      'POST /api/public/surveys/qr/:code': { who: 'anon', unknown: 'zzzz.1-AAAAAAAAAAAAAAAA' },
      'GET /api/evaluation/campaigns/:id/consultation': { who: 'office' },
      'PUT /api/evaluation/campaigns/:id/consultation/topic': { who: 'office', body: { background: '背景' } },
      'PUT /api/evaluation/campaigns/:id/consultation/summary': { who: 'office', body: { heard: '汇总' } },
      'POST /api/evaluation/campaigns/:id/consultation/publish': { who: 'office' },
      'GET /api/public/consultations/:id': { who: 'anon' },
    },
  }),
  scope: {
    moduleData: {
      // B's published leaders' evaluation: one evaluator rated B; A's users must not read or answer it.
      setup: async ({ env, mw, rec }) => {
        const office = await env.userClient({ roles: ['office'] });
        const evaluator = await env.userClient({ roles: ['evaluator'] });
        const qn = await office.post('/api/evaluation/questionnaires', { title: '领导评价', questions });
        expect(qn.statusCode, qn.body).toBe(201);
        const c = await office.post('/api/evaluation/campaigns', {
          ...campaign,
          kind: 'leaders',
          title: '乙单位领导评价',
          questionnaireId: qn.json().id,
          targetUnitIds: [mw.unitB],
          panelUserIds: [evaluator.userId],
          anonymous: false,
        });
        expect(c.statusCode, c.body).toBe(201);
        rec.evaluationCampaign = c.json().id;
        expect((await office.post(`/api/evaluation/campaigns/${rec.evaluationCampaign}/send`)).statusCode).toBe(200);
        const a = await evaluator.post(`/api/evaluation/inbox/${rec.evaluationCampaign}`, { answers: { overall: 1 } });
        expect(a.statusCode, a.body).toBe(201);
        expect((await office.post(`/api/evaluation/campaigns/${rec.evaluationCampaign}/close`)).statusCode).toBe(200);
        expect((await office.post(`/api/evaluation/campaigns/${rec.evaluationCampaign}/publish`)).statusCode).toBe(200);
      },
      writes: (k) => [
        {
          name: "answer B's leaders' evaluation without an invitation",
          who: 'leader',
          send: (c) => c.post(`/api/evaluation/inbox/${k.rec.evaluationCampaign}`, { answers: { overall: 4 } }),
          snapshot: () =>
            k.q('SELECT * FROM evaluation_responses WHERE campaign_id = $1 ORDER BY id', [k.rec.evaluationCampaign]),
        },
      ],
      reads: (k) => [
        {
          name: "GET B's evaluation results",
          who: 'reporter',
          send: (c) => c.get(`/api/evaluation/campaigns/${k.rec.evaluationCampaign}/results`),
        },
        {
          name: "GET B's evaluation results (unit leader)",
          who: 'leader',
          send: (c) => c.get(`/api/evaluation/campaigns/${k.rec.evaluationCampaign}/results.xlsx`),
        },
        {
          name: "GET B's evaluation form from the inbox",
          who: 'leader',
          send: (c) => c.get(`/api/evaluation/inbox/${k.rec.evaluationCampaign}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'reporter', url: `/api/evaluation/campaigns/${rec.evaluationCampaign}/results` }],
    },
  },
};
