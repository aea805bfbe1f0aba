import type { Database } from '../db/client.js';

/** Demo data of the cases module (filled in with that module). */
export async function seedCases(_database: Database): Promise<void> {}
