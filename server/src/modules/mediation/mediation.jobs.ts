import type { JobDefinition } from '../../platform/jobs/types.js';
import { statisticsPass } from './mediation.service.js';

/** The monthly mediation figures → score inputs every hour (an outcome writes its own at once). */
export const mediationJobs: JobDefinition[] = [
  {
    name: 'mediation.stats',
    title: { zh: '调解统计同步到考核数据', en: 'Mediation statistics → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
