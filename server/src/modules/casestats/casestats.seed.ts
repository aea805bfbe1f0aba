import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { rebuildCaseStats, syncCaseScoreInputs } from './casestats.service.js';
import { hashKey, insertKnownKey } from '../open311/index.js';

/** The demo Open311 API key (named in the README). */
export const DEMO_OPEN311_KEY = 'demo-open311-key';

/**
 * Department statistics of the seeded cases (rebuilt from their timeline, which the cases seed writes
 * in bulk), their score inputs for the case-platform indicators, and the demo Open311 API key.
 */
export async function seedCaseStats(database: Database): Promise<void> {
  const db = database.db;
  await rebuildCaseStats(db, SYSTEM_ACTOR);
  await syncCaseScoreInputs(db);
  const existing = await database.query('SELECT 1 FROM open311_api_keys WHERE key_hash = $1', [
    hashKey(DEMO_OPEN311_KEY),
  ]);
  if (!existing.length) {
    await db.transaction(async (tx) => {
      await insertKnownKey(tx, {
        name: '演示客户端',
        apiKey: DEMO_OPEN311_KEY,
        channel: 'open311',
        note: '演示数据：Open311 客户端测试用密钥，生产环境请停用',
      });
    });
  }
}
