/**
 * Every domain module, in dependency order: a module may use only modules listed before it (the
 * module guard test checks it). app.ts mounts their routes, the job runner takes their jobs
 * (`collectJobs(MODULES)`, platform/module.ts), the seeds run from here, and the guard tests (bad input, unit scope, permissions, tables) loop over this list.
 * Adding a module: its folder with an index.ts exporting a manifest, and one line here.
 */
import { auditModule } from './audit/index.js';
import { authModule } from './auth/index.js';
import { calendarModule } from './calendar/index.js';
import { casesModule } from './cases/index.js';
import { casestatsModule } from './casestats/index.js';
import { cockpitModule } from './cockpit/index.js';
import { inputsModule } from './inputs/index.js';
import { jobsModule } from './jobs/index.js';
import { mediationModule } from './mediation/index.js';
import { assistanceModule } from './assistance/index.js';
import { open311Module } from './open311/index.js';
import { noticesModule } from './notices/index.js';
import { performanceModule } from './performance/index.js';
import { ratingsModule } from './ratings/index.js';
import { reportingModule } from './reporting/index.js';
import { scoringModule } from './scoring/index.js';
import { settingsModule } from './settings/index.js';
import { servicesModule } from './services/index.js';
import { supervisionModule } from './supervision/index.js';
import { schemesModule } from './schemes/index.js';
import { evaluationModule } from './evaluation/index.js';
import { setupModule } from './setup/index.js';
import { reportsModule } from './reports/index.js';
import { unitsModule } from './units/index.js';
import { usersModule } from './users/index.js';
import { wireListeners, type ModuleManifest } from '../platform/module.js';

export const MODULES: readonly ModuleManifest[] = [
  auditModule,
  unitsModule,
  calendarModule,
  usersModule,
  authModule,
  setupModule,
  settingsModule,
  inputsModule,
  performanceModule,
  scoringModule,
  casesModule,
  reportingModule,
  open311Module,
  casestatsModule,
  jobsModule,
  supervisionModule,
  ratingsModule,
  noticesModule,
  schemesModule,
  evaluationModule,
  cockpitModule,
  reportsModule,
  servicesModule,
  mediationModule,
  assistanceModule,
];

// The modules' reactions to each other's events (e.g. casestats counting case events) are theirs
// from the moment the list is loaded, whoever then calls the emitting module.
wireListeners(MODULES);
