/** Calendar module: the district's working-day calendar (holidays, make-up days), edited by the admin; its pure rules are engine/workdays.ts. */
import { defineModule } from '../../platform/module.js';
import { calendarRoutes } from './calendar.routes.js';
import * as tables from './calendar.table.js';

export { seedCalendarFromPackage } from './calendar.seed.js';
export { loadCalendar } from './calendar.service.js';

export const calendarModule = defineModule({
  name: 'calendar',
  routes: [{ plugin: calendarRoutes, prefix: '/api' }],
  tables,
  permissions: ['calendar.manage'],
});
