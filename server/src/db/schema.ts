// Every module's tables, gathered for Drizzle. Each module declares its own tables in <module>.table.ts.
export * from '../modules/audit/audit.table.js';
export * from '../modules/units/units.table.js';
export * from '../modules/users/users.table.js';
export * from '../modules/auth/auth.table.js';
export * from '../modules/calendar/calendar.table.js';
export * from '../modules/settings/settings.table.js';
export * from '../modules/inputs/inputs.table.js';
export * from '../modules/performance/performance.table.js';
export * from '../modules/scoring/scoring.table.js';
export * from '../modules/reporting/reporting.table.js';
export * from '../modules/cases/cases.table.js';
export * from '../modules/casestats/casestats.table.js';
export * from '../modules/open311/open311.table.js';
export * from '../platform/sms/sms.table.js';
export * from '../platform/jobs/jobs.table.js';
export * from '../modules/supervision/supervision.table.js';
export * from '../modules/services/services.table.js';
