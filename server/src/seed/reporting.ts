import type { Database } from '../db/client.js';

/** Demo data of the reporting module (filled in with that module). */
export async function seedReporting(_database: Database): Promise<void> {}
