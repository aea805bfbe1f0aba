import type { Database } from '../../db/client.js';

/** The demo's 2026 urban-management assessment (filled in below). */
export async function seedSchemes(_database: Database): Promise<void> {}
