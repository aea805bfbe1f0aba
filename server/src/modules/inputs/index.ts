/**
 * Score inputs module: one value per (leaf indicator, unit, month) with its provenance, written by
 * every data source (reporting, case statistics, manual entries) and read by scoring; and the
 * year's score version that tells every instance when to recompute.
 */
import { defineModule } from '../../platform/module.js';
import * as tables from './inputs.table.js';

export {
  findInput,
  indicatorInputs,
  unitInputs,
  yearInputsUpTo,
  yearInputValues,
  type InputRowDb,
} from './inputs.repo.js';
export {
  bumpScoreVersion,
  listScoreInputs,
  refreshRecentInputs,
  scoreInputsSince,
  scoreVersion,
  scoreVersionInfo,
  upsertScoreInputs,
  type ScoreInputWrite,
} from './inputs.service.js';
export { INPUT_SOURCES, type InputSource } from './inputs.schema.js';

export const inputsModule = defineModule({ name: 'inputs', routes: [], tables, permissions: [] });
