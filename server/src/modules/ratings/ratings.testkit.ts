/** Test helpers of the ratings module: an invitation for a unit, rated through the public page. */
import type { Database } from '../../db/client.js';
import type { Client } from '../../test/helpers.js';
import { inviteRating } from './ratings.service.js';

let subject = 900_000;

/** Invites a rating of a (made-up) approval handled by the unit; returns its id and one-time token. */
export async function invitedRating(
  database: Database,
  unitId: number,
  opts: { phone?: string; subjectId?: number; at?: Date } = {},
): Promise<{ id: number; token: string }> {
  const r = await database.db.transaction((tx) =>
    inviteRating(tx, {
      subjectKind: 'application',
      subjectId: opts.subjectId ?? ++subject,
      subjectRef: `T${subject}`,
      unitId,
      phone: opts.phone ?? '13800001111',
      at: opts.at,
    }),
  );
  if (!r) throw new Error('no invitation');
  return r;
}

/** A 差评 of the unit, rated on the public page; returns the rectification's id. */
export async function badRating(database: Database, anon: Client, unitId: number): Promise<number> {
  const { id, token } = await invitedRating(database, unitId);
  const res = await anon.post(`/api/public/ratings/${token}`, { level: 'unsatisfied', comment: '办理拖延，态度一般' });
  if (res.statusCode !== 200) throw new Error(res.body);
  const rows = (await database.query<{ id: number }>('SELECT id FROM rating_rectifications WHERE rating_id = $1', [
    id,
  ])) as { id: number }[];
  return rows[0].id;
}

let stored = 800_000;

/**
 * A rated rating written straight into the table (for reads: the cockpit, the reports), with the
 * rectification of a 差评 if given. Returns the rating's id.
 */
export async function storedRating(
  database: Database,
  r: {
    unitId: number;
    level: 'very_satisfied' | 'satisfied' | 'basic' | 'unsatisfied' | 'very_unsatisfied';
    ratedAt: string;
    comment?: string;
    subjectKind?: 'case' | 'application';
    rectification?: { status: 'open' | 'called_back' | 'submitted' | 'accepted' | 'returned'; dueDate: string };
  },
): Promise<number> {
  const n = ++stored;
  const [row] = (await database.query<{ id: number }>(
    `INSERT INTO service_ratings(subject_kind, subject_id, subject_ref, subject_title, unit_id, phone, token_hash, status, invited_at, rated_at, level, comment)
     VALUES ($1, $2, $3, '测试办件', $4, '13800001111', $5, 'rated', $6, $6, $7, $8) RETURNING id`,
    [r.subjectKind ?? 'application', n, `R${n}`, r.unitId, `stored-${n}`, r.ratedAt, r.level, r.comment ?? ''],
  )) as { id: number }[];
  if (r.rectification)
    await database.query(
      `INSERT INTO rating_rectifications(rating_id, unit_id, status, due_date) VALUES ($1, $2, $3, $4)`,
      [row.id, r.unitId, r.rectification.status, r.rectification.dueDate],
    );
  return row.id;
}
