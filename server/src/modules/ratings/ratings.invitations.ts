/**
 * 好差评: invitations (a closed case, or another module's subject) with their SMS, the latest rating of a
 * subject, and the one reminder to requesters who have not rated.
 */
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../lib/context.js';
import { beijingDate } from '../../engine/workdays.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import type { CaseActor, ClosedCase } from '../cases/index.js';
import * as repo from './ratings.repo.js';
import { LINK_VALID_DAYS, REMIND_AFTER_DAYS, newToken } from './ratings.rules.js';
import { type RatingLevel, type SubjectKind } from './ratings.table.js';

export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const today = () => beijingDate(new Date());

/** The path of the public rating page for a token (the SMS carries it). */
export const ratingLink = (token: string) => `/rate/${token}`;

export type RatingInvite = {
  subjectKind: SubjectKind;
  subjectId: number;
  /** Shown to the requester and staff: the case number or the application's number. */
  subjectRef: string;
  /** e.g. the service item's name; '' for a case. */
  subjectTitle?: string;
  /** The department rated (the one that rectifies a 差评). */
  unitId: number;
  phone: string;
  /** When the invitation is sent; now by default (the demo seed backdates). */
  at?: Date;
  /** Who asks (audit); the system by default. */
  actor?: Actor;
};

/**
 * Invites the requester to rate a handled case or application: a new rating round for the subject
 * with a one-time token, and the SMS with the link, in the caller's transaction. Null when there is no
 * phone to text. The token is returned once and only its hash is stored.
 */
export async function inviteRating(
  tx: Db,
  v: RatingInvite,
): Promise<{ id: number; round: number; token: string } | null> {
  const phone = v.phone.trim();
  if (!phone) return null;
  const round = await repo.nextRound(tx, v.subjectKind, v.subjectId);
  const { token, hash } = newToken();
  const at = v.at ?? new Date();
  const row = await repo.insertRating(tx, {
    subjectKind: v.subjectKind,
    subjectId: v.subjectId,
    subjectRef: v.subjectRef,
    subjectTitle: v.subjectTitle ?? '',
    unitId: v.unitId,
    round,
    phone,
    tokenHash: hash,
    invitedAt: at,
  });
  await enqueueSms(tx, {
    caseId: v.subjectKind === 'case' ? v.subjectId : null,
    phone,
    template: 'rating_invite',
    params: { subject: subjectText(v), link: ratingLink(token), days: LINK_VALID_DAYS },
  });
  await recordAudit(tx, v.actor ?? SYSTEM_ACTOR, {
    action: 'rating.invite',
    entityType: 'service_rating',
    entityId: row.id,
    unitId: v.unitId,
    after: { subjectKind: v.subjectKind, subjectId: v.subjectId, subjectRef: v.subjectRef, round },
  });
  return { id: row.id, round, token };
}

function subjectText(v: { subjectKind: SubjectKind; subjectRef: string; subjectTitle?: string }): string {
  return v.subjectKind === 'case'
    ? `诉求（编号${v.subjectRef}）`
    : `${v.subjectTitle || '事项'}（办件编号${v.subjectRef}）`;
}

/** The latest rating of a subject (its round, level and whether it is rated), or null. */
export async function ratingOf(
  db: Db,
  subjectKind: SubjectKind,
  subjectId: number,
): Promise<{ id: number; round: number; status: 'invited' | 'rated'; level: RatingLevel | null } | null> {
  const r = await repo.latestRatingOf(db, subjectKind, subjectId);
  return r && { id: r.id, round: r.round, status: r.status, level: r.level };
}

/** The cases module's close event: the requester of a closed case is invited to rate it (again after a redo). */
export async function onCaseClosed(tx: Db, c: ClosedCase, by: CaseActor): Promise<void> {
  if (!c.unitId || !c.phone) return;
  await inviteRating(tx, {
    subjectKind: 'case',
    subjectId: c.caseId,
    subjectRef: c.number,
    unitId: c.unitId,
    phone: c.phone,
    actor: by.actor,
  });
}

// ---------- reminder job ----------

/** One reminder to requesters who have not rated 3 days after the invitation (links still open). */
export async function remindUnrated(db: Db, now = new Date()): Promise<{ reminded: number }> {
  const before = new Date(now.getTime() - REMIND_AFTER_DAYS * 86_400_000);
  const notBefore = new Date(now.getTime() - LINK_VALID_DAYS * 86_400_000);
  let reminded = 0;
  for (;;) {
    const due = await repo.dueForReminder(db, before, notBefore, 200);
    if (!due.length) break;
    await db.transaction(async (tx) => {
      const ids = new Set(
        await repo.markReminded(
          tx,
          due.map((d) => d.id),
          now,
        ),
      );
      const list = due.filter((d) => ids.has(d.id));
      // The token is not kept: the reminder points to where the requester's first SMS link leads.
      await enqueueSms(
        tx,
        list.map((d) => ({
          caseId: d.subjectKind === 'case' ? d.subjectId : null,
          phone: d.phone,
          template: 'rating_reminder' as const,
          params: { subject: subjectText(d), link: '短信中的评价链接' },
        })),
      );
      if (list.length)
        await recordAudit(tx, SYSTEM_ACTOR, {
          action: 'rating.remind',
          entityType: 'service_rating',
          entityId: list[0].id,
          after: { count: list.length, ids: list.map((d) => d.id) },
        });
      reminded += list.length;
    });
    if (due.length < 200) break;
  }
  return { reminded };
}
