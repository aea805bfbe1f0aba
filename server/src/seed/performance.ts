import type { Database } from '../db/client.js';

/** Demo data of the performance module (filled in with that module). */
export async function seedPerformance(_database: Database): Promise<void> {}
