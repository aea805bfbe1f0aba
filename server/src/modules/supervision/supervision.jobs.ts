import type { JobDefinition } from '../../platform/jobs/types.js';
import { lightsAndReminders, statisticsPass } from './supervision.upkeep.js';

/** Lights and reminders every 15 minutes; the monthly statistics → score inputs every hour (reviews write theirs at once). */
export const supervisionJobs: JobDefinition[] = [
  {
    name: 'supervision.lights',
    title: { zh: '督办事项亮灯与催办', en: 'Supervision lights and reminders' },
    everyMs: 15 * 60_000,
    async run(ctx) {
      return lightsAndReminders(ctx.database.db);
    },
  },
  {
    name: 'supervision.stats',
    title: { zh: '督办统计同步到考核数据', en: 'Supervision statistics → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
