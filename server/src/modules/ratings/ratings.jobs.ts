import type { JobDefinition } from '../../platform/jobs/types.js';
import { statisticsPass } from './ratings.inputs.js';
import { remindUnrated } from './ratings.service.js';

/** The one reminder to requesters who have not rated three days after the invitation; the rates → score inputs. */
export const ratingsJobs: JobDefinition[] = [
  {
    name: 'ratings.remind',
    title: { zh: '好差评未评价提醒', en: 'Rating reminders' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return remindUnrated(ctx.database.db);
    },
  },
  {
    name: 'ratings.stats',
    title: { zh: '好差评满意率同步到考核数据', en: 'Service rating rates → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
