import type { Database } from '../db/client.js';
import { MODULES } from '../modules/index.js';
import { seedOrder } from '../platform/module.js';

/** Demo seeds in order (the modules' manifests); each runs once (recorded in app_settings) so restarts keep user data. */
export const SEEDS = seedOrder(MODULES);

/** What one seed did, for the start-up log: its time and the rows it added per table. */
export type SeedProgress = { seed: string; ms: number; rows: Record<string, number> };

/** Exact row counts of every table (one query; used around each seed when progress is reported). */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  if (!tables.length) return {};
  const union = tables
    .map(({ t }) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::int AS n FROM "${t.replace(/"/g, '""')}"`)
    .join(' UNION ALL ');
  const rows = await database.query<{ t: string; n: number }>(union);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Runs the demo seeds that have not run yet; returns their keys. `onSeed` hears of each as it ends. */
export async function runSeeds(database: Database, onSeed?: (p: SeedProgress) => void): Promise<string[]> {
  const done: string[] = [];
  for (const seed of SEEDS) {
    const key = `seed.${seed.key}`;
    const rows = await database.query('SELECT 1 FROM app_settings WHERE key = $1', [key]);
    if (rows.length) continue;
    const started = Date.now();
    const before = onSeed ? await tableCounts(database) : {};
    await seed.run(database);
    if (onSeed) {
      const after = await tableCounts(database);
      const added = Object.fromEntries(
        Object.entries(after)
          .filter(([t, n]) => n !== (before[t] ?? 0))
          .map(([t, n]) => [t, n - (before[t] ?? 0)]),
      );
      onSeed({ seed: seed.key, ms: Date.now() - started, rows: added });
    }
    await database.query('INSERT INTO app_settings(key, value) VALUES ($1, $2)', [
      key,
      JSON.stringify({ at: new Date().toISOString() }),
    ]);
    done.push(seed.key);
  }
  return done;
}
