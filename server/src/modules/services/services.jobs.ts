import type { JobDefinition } from '../../platform/jobs/types.js';
import { lightsAndWarnings, statisticsPass } from './services.figures.js';

/** Lights and warnings every 15 minutes; the monthly figures → score inputs every hour. */
export const servicesJobs: JobDefinition[] = [
  {
    name: 'services.lights',
    title: { zh: '政务服务电子监察亮灯与预警', en: 'Service applications: lights and warnings' },
    everyMs: 15 * 60_000,
    async run(ctx) {
      return lightsAndWarnings(ctx.database.db);
    },
  },
  {
    name: 'services.stats',
    title: { zh: '办件统计同步到考核数据', en: 'Service figures → score inputs' },
    everyMs: 60 * 60_000,
    async run(ctx) {
      return statisticsPass(ctx.database.db);
    },
  },
];
