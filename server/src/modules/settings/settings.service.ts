/**
 * Application settings: small JSON values under dotted keys (`<module>.<name>`), shared by every
 * instance (app_settings). Each key is read through a zod schema, so a malformed value is an error at
 * the reader, never a silently wrong setting.
 */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appSettings } from './settings.table.js';

/** The value of `key` checked against `schema`, or null when the key is not set. Throws when the stored value does not fit. */
export async function getSetting<S extends z.ZodType>(db: Db, key: string, schema: S): Promise<z.infer<S> | null> {
  const rows = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key)).limit(1);
  if (!rows.length) return null;
  const parsed = schema.safeParse(rows[0].value);
  if (!parsed.success)
    throw new Error(`app_settings '${key}' is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Sets `key` to `value` (inserted or replaced). */
export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.insert(appSettings).values({ key, value }).onConflictDoUpdate({ target: appSettings.key, set: { value } });
}

/**
 * The value of `key`, set first to `initial` if no instance has set it yet: the first writer wins
 * (ON CONFLICT DO NOTHING), so every instance reads the same value.
 */
export async function settingOrInit<S extends z.ZodType>(
  db: Db,
  key: string,
  schema: S,
  initial: z.infer<S>,
): Promise<z.infer<S>> {
  await db.insert(appSettings).values({ key, value: initial }).onConflictDoNothing({ target: appSettings.key });
  const value = await getSetting(db, key, schema);
  if (value === null) throw new Error(`app_settings '${key}' is missing`);
  return value;
}

/** Whether `key` is set (whatever its value): the demo seeds record themselves this way. */
export async function hasSetting(db: Db, key: string): Promise<boolean> {
  return (
    (await db.select({ key: appSettings.key }).from(appSettings).where(eq(appSettings.key, key)).limit(1)).length > 0
  );
}
