import type { Database } from '../db/client.js';
import { seedCases } from './cases.js';
import { seedCaseStats } from './casestats.js';
import { seedFoundation } from './foundation.js';
import { seedPerformance } from './performance.js';
import { seedReporting } from './reporting.js';
import { seedScoring, seedScoringHistory } from './scoring.js';
import { seedSupervision } from './supervision.js';

/** Demo seeds in order; each runs once (recorded in app_settings) so restarts keep user data. */
const SEEDS: { key: string; run: (database: Database) => Promise<void> }[] = [
  { key: 'foundation', run: seedFoundation },
  { key: 'performance', run: seedPerformance },
  { key: 'reporting', run: seedReporting },
  { key: 'cases', run: seedCases },
  { key: 'casestats', run: seedCaseStats },
  // Before scoring: the 督办完成率 leaf is then fed by the ledger, not by the generic demo inputs.
  { key: 'supervision', run: seedSupervision },
  { key: 'scoring', run: seedScoring },
  { key: 'scoring-2025', run: seedScoringHistory },
];

/** Runs the demo seeds that have not run yet; returns their keys. */
export async function runSeeds(database: Database): Promise<string[]> {
  const done: string[] = [];
  for (const seed of SEEDS) {
    const key = `seed.${seed.key}`;
    const rows = await database.query('SELECT 1 FROM app_settings WHERE key = $1', [key]);
    if (rows.length) continue;
    await seed.run(database);
    await database.query('INSERT INTO app_settings(key, value) VALUES ($1, $2)', [key, JSON.stringify({ at: new Date().toISOString() })]);
    done.push(seed.key);
  }
  return done;
}
