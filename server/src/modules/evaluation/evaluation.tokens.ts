/**
 * Evaluation campaigns: shared helpers (Beijing today, the signed-in user, the office) and the one-time
 * link's tokens, with the short-lived invitation and campaign lookups of the public page.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { coalesce } from '../../lib/groupcommit.js';
import type { Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import * as repo from './evaluation.repo.js';
import { SAMPLED_KINDS, type CampaignKind } from './evaluation.table.js';

/** The public page a one-time link opens. */
export const PUBLIC_PATH = '/public/survey/';
export const INPUT_AUTHOR = '评议活动';

export const today = () => beijingDate(new Date());
export const iso = (d: Date | string | null) =>
  d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString();
export const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** The signed-in user, or 401 (the platform's `signedIn` under this module's name). */
export const userOf = signedIn;
export const isOffice = (ctx: Ctx) => userOf(ctx).permissions.has('evaluation.manage');
export const isSampled = (kind: CampaignKind) => SAMPLED_KINDS.includes(kind);

// ---------- tokens ----------

/** The one-time link's token of an invitation: its id in base 36 and an HMAC of it under the campaign's salt. */
export function invitationToken(salt: string, id: number): string {
  return `${id.toString(36)}-${createHmac('sha256', salt).update(String(id)).digest('base64url').slice(0, 16)}`;
}

export async function invitationByToken(db: Db, token: string) {
  const [idPart] = token.split('-');
  const id = parseInt(idPart, 36);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const inv = await invitationLoader(db)(id);
  if (!inv) throw notFound();
  const camp = await campaignCached(db, inv.campaignId);
  if (!camp) throw notFound();
  const want = Buffer.from(invitationToken(camp.salt, id));
  const got = Buffer.from(token);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw notFound();
  return { inv, camp };
}

/**
 * The public page's campaign, kept for two seconds (busy surveys read it on every response); its salt,
 * questionnaire and targets never change once it is open, and the write itself checks it is still open.
 */
const invitationLoaders = new WeakMap<Db, (id: number) => Promise<repo.InvitationRow | null>>();
/** The public pages' invitation reads: concurrent ones in one query (each read after it was asked for, never cached). */
function invitationLoader(db: Db) {
  let l = invitationLoaders.get(db);
  if (!l) {
    l = coalesce<number, repo.InvitationRow>(
      async (ids) => new Map((await repo.findInvitations(db, ids)).map((r) => [r.id, r])),
    );
    invitationLoaders.set(db, l);
  }
  return l;
}

const campaignCache = new WeakMap<Db, Map<number, { at: number; row: repo.CampaignRow | null }>>();
async function campaignCached(db: Db, id: number): Promise<repo.CampaignRow | null> {
  let m = campaignCache.get(db);
  if (!m) campaignCache.set(db, (m = new Map()));
  const hit = m.get(id);
  if (hit && Date.now() - hit.at < 2000) return hit.row;
  const row = await repo.findCampaign(db, id);
  if (m.size > 1000) m.clear();
  m.set(id, { at: Date.now(), row });
  return row;
}
