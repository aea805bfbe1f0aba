import type { Database } from '../../db/client.js';
export async function seedEvaluation(_database: Database): Promise<void> {}
