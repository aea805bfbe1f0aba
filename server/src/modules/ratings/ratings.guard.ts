/** Guard-test cases of the ratings module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';
import { badRating } from './ratings.testkit.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAA';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
      'POST /api/public/ratings/:token': {
        who: 'anon',
        url: () => `/api/public/ratings/${TOKEN}`,
        bad: [
          { body: {}, field: 'level' },
          { body: { level: 'great' }, field: 'level' },
          { body: { level: 'satisfied', aspects: { attitude: 'wow' } }, field: 'aspects.attitude' },
          { body: { level: 'satisfied', comment: 'x'.repeat(1001) }, field: 'comment' },
        ],
      },
      'POST /api/ratings/rectifications/:id/callback': {
        who: 'handler',
        url: () => '/api/ratings/rectifications/1/callback',
        bad: [
          { body: {}, field: 'note' },
          { body: { note: ' ' }, field: 'note' },
        ],
      },
      'POST /api/ratings/rectifications/:id/submit': {
        who: 'handler',
        url: () => '/api/ratings/rectifications/1/submit',
        bad: [
          { body: {}, field: 'result' },
          { body: { result: 5 }, field: 'result' },
        ],
      },
      'POST /api/ratings/rectifications/:id/review': {
        who: 'office',
        url: () => '/api/ratings/rectifications/1/review',
        bad: [
          { body: {}, field: 'accept' },
          { body: { accept: 'yes' }, field: 'accept' },
        ],
      },
      'PUT /api/ratings/reviewers': {
        who: 'office',
        url: () => '/api/ratings/reviewers',
        bad: [
          { body: { kind: 'npc_deputy' }, field: 'userId' },
          { body: { userId: 1, kind: 'mayor' }, field: 'kind' },
          { body: { userId: 999999, kind: 'npc_deputy' }, field: 'userId', ownMessage: true },
        ],
      },
    },
    unknownIds: {
      'GET /api/public/ratings/:token': { who: 'anon', unknown: TOKEN },
      'POST /api/public/ratings/:token': { who: 'anon', unknown: TOKEN, body: { level: 'satisfied' } },
      'GET /api/ratings/rectifications/:id': { who: 'office' },
      'POST /api/ratings/rectifications/:id/callback': { who: 'handler', body: { note: '已电话回访' } },
      'POST /api/ratings/rectifications/:id/submit': { who: 'handler', body: { result: '已整改完毕' } },
      'POST /api/ratings/rectifications/:id/review': { who: 'office', body: { accept: true } },
      'DELETE /api/ratings/reviewers/:id': { who: 'office' },
    },
  }),
  scope: {
    moduleData: {
      // A 差评 of B, rated by its requester on the public page.
      setup: async ({ env, mw, rec }) => {
        rec.rectification = await badRating(env.database, env.anon, mw.unitB);
      },
      writes: (k) => {
        const ofB = async () => ({
          x: await k.q('SELECT * FROM rating_rectifications WHERE id = $1', [k.rec.rectification]),
        });
        return [
          {
            name: "call back B's requester",
            who: 'handler',
            send: (c) => c.post(`/api/ratings/rectifications/${k.rec.rectification}/callback`, { note: '甲回访' }),
            snapshot: ofB,
          },
          {
            name: "submit B's rectification",
            who: 'leader',
            send: (c) => c.post(`/api/ratings/rectifications/${k.rec.rectification}/submit`, { result: '甲整改' }),
            snapshot: ofB,
          },
        ];
      },
      reads: (k) => [
        {
          name: "GET B's rectification",
          who: 'handler',
          send: (c) => c.get(`/api/ratings/rectifications/${k.rec.rectification}`),
        },
      ],
      ownReads: ({ rec }) => [{ who: 'handler', url: `/api/ratings/rectifications/${rec.rectification}` }],
    },
  },
};
