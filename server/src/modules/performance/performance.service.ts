/**
 * Performance configuration: assessment years, the indicator tree and annual performance plans.
 *
 * Functions other modules use (all read-only, no HTTP):
 * - getYear(db, id), getYearByYear(db, year), getYearInForce(db): the year (grade rule, deadline day, status).
 * - listIndicators(db, yearId): the year's whole tree as a flat list (parentId links), tree order.
 * - leavesFor(unit, indicators): the leaves that apply to a unit (pure; see performance.tree.ts).
 * - approvedTargets(db, yearId, unitId?): unitId → indicatorId → { target, challenge } from approved plans.
 *
 * This file is the module's service face (importers use it); the code lives in the section files
 * performance.present.ts, performance.years.ts, performance.indicators.ts, performance.plans.ts, performance.bookdata.ts.
 */
export { leavesFor } from './performance.tree.js';
export { presentYear, presentIndicator } from './performance.present.js';
export {
  listYears,
  getYear,
  getYearByYear,
  getYearInForce,
  createYear,
  updateYear,
  deleteYear,
  checkYear,
  activateYear,
  closeYear,
  type YearCopy,
  copyYear,
  copyTree,
  listSchemes,
  createScheme,
  updateScheme,
} from './performance.years.js';
export {
  listIndicators,
  createIndicator,
  updateIndicator,
  deleteIndicator,
  setChildWeights,
  leavesTakingIn,
} from './performance.indicators.js';
export {
  approvedTargets,
  planStatuses,
  listPlans,
  getPlan,
  saveTargets,
  submitPlan,
  reviewPlan,
  requestAdjustment,
  listAdjustments,
  decideAdjustment,
} from './performance.plans.js';
export { type BookSection, type BookData, unitBookData, districtBookData } from './performance.bookdata.js';
