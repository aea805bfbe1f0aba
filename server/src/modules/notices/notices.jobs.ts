import type { JobDefinition } from '../../platform/jobs/types.js';
import { statisticsPass } from './notices.inputs.js';

/** The notice counts → score inputs every hour (issuing a notice writes its own at once). */
export const noticesJobs: JobDefinition[] = [
  {
    name: 'notices.stats',
    title: { zh: '问责文书数量同步到考核数据', en: 'Notice counts → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
