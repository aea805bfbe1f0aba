import type { Config } from '../config.js';
import type { Database } from '../db/client.js';

export const SESSION_SECRET_SETTING_KEY = 'auth.session_secret';

/**
 * The session secret every instance on one PostgreSQL database shares when SESSION_SECRET is not set:
 * kept in app_settings, created by whichever instance starts first (INSERT … ON CONFLICT DO NOTHING,
 * then read back, so all end with the same value). The first value offered is `candidate` — the data
 * folder's secret the instance used so far — so an existing single instance keeps its sessions.
 */
export async function sharedSessionSecret(database: Database, candidate: string): Promise<string> {
  await database.query(`INSERT INTO app_settings(key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [
    SESSION_SECRET_SETTING_KEY,
    JSON.stringify(candidate),
  ]);
  const [row] = await database.query<{ value: unknown }>('SELECT value FROM app_settings WHERE key = $1', [
    SESSION_SECRET_SETTING_KEY,
  ]);
  if (typeof row?.value !== 'string' || row.value.length < 32)
    throw new Error(`app_settings '${SESSION_SECRET_SETTING_KEY}' is missing or malformed`);
  return row.value;
}

/** Replaces the configured secret with the database's when the configuration says so (PostgreSQL, no SESSION_SECRET). */
export async function adoptSessionSecret(config: Config, database: Database): Promise<void> {
  if (config.sessionSecretSource !== 'database') return;
  config.sessionSecret = await sharedSessionSecret(database, config.sessionSecret);
}
