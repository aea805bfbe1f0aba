import type { Database } from '../db/client.js';
import { MODULES } from '../modules/index.js';
import { seedOrder } from '../platform/module.js';

/** Demo seeds in order (the modules' manifests); each runs once (recorded in app_settings) so restarts keep user data. */
export const SEEDS = seedOrder(MODULES);

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
