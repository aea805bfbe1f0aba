/** Demo: the 2025 award round — candidates from 2025's results, the office's decisions, published. */
import type { Database } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { permissionsOf } from '../../platform/access.js';
import { createRound, decide, publishRound } from './awards.service.js';

export async function seedAwards(database: Database): Promise<void> {
  const [office] = await database.query<{ id: number; unit_id: number; display_name: string }>(
    `SELECT id, unit_id, display_name FROM users WHERE username = 'office'`,
  );
  const [year] = await database.query<{ id: number }>(
    "SELECT id FROM assessment_years WHERE year = 2025 AND kind = 'annual'",
  );
  if (!office || !year) return;
  const ctx: Ctx = {
    db: database.db,
    user: {
      id: office.id,
      username: 'office',
      displayName: office.display_name,
      unitId: office.unit_id,
      roles: ['office'],
      permissions: permissionsOf(['office']),
    },
    actor: { id: office.id, name: office.display_name, ip: null },
    lang: 'zh',
    scope: async () => ({ all: true }),
  };
  const [top] = await database.query<{ id: number }>(
    `SELECT id FROM indicators WHERE year_id = $1 AND parent_id IS NULL ORDER BY sort, id LIMIT 1`,
    [year.id],
  );
  const round = await createRound(ctx, {
    year: 2025,
    sharePercent: 30,
    threshold: null,
    indicatorId: top?.id ?? null,
    improvementCount: 3,
  });
  for (const c of round.candidates) {
    // One 先进 candidate with a rectification notice outstanding is held back, as offices do.
    const hold = c.kind === 'advanced' && c.rank === 1 && c.category === round.candidates.at(-1)?.category;
    await decide(ctx, c.id, {
      award: !hold,
      reason: hold ? '年内有整改建议书未销号，暂缓评先' : `${c.basis}，经绩效管理委员会审定`,
    });
  }
  await publishRound(ctx, round.id);
}
