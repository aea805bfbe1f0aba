import type { JobDefinition } from '../../platform/jobs/types.js';
import { remindUnrated } from './ratings.service.js';

/** The one reminder to requesters who have not rated three days after the invitation. */
export const ratingsJobs: JobDefinition[] = [
  {
    name: 'ratings.remind',
    title: { zh: '好差评未评价提醒', en: 'Rating reminders' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return remindUnrated(ctx.database.db);
    },
  },
];
