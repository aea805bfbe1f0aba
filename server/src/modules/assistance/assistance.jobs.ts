import type { JobDefinition } from '../../platform/jobs/types.js';
import { statisticsPass } from './assistance.service.js';

/** The on-time figures → score inputs every hour (a due day passing changes them without any write). */
export const assistanceJobs: JobDefinition[] = [
  {
    name: 'assistance.stats',
    title: { zh: '求助转办统计同步到考核数据', en: 'Assistance statistics → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
