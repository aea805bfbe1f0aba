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
