/**
 * The FixMyStreet / mySociety extension for request updates:
 * - GET servicerequestupdates: the public timeline of public cases since a time (what staff told the
 *   requester), with the extended status after each update, for clients that sync comments;
 * - POST servicerequestupdates: a citizen or partner adds a comment to a case (on its public timeline;
 *   the case's state is not changed by a client). Idempotent by the client's update_id.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { addClientComment, maskPersonalData, publicCaseUpdates, systemActor } from '../cases/index.js';
import { field, listField, Open311Error, w3cDate, type FormFields } from './open311.format.js';
import { countUsage } from './open311.limits.js';
import { joinName } from './open311.people.js';
import * as repo from './open311.repo.js';
import { authenticate, claimRefs, FOREVER, guardPost } from './open311.keys.js';
import { dateRange, paging, WITHHELD } from './open311.read.js';
import { serviceCategories } from './open311.services.js';
import { extendedStatus } from './open311.statuses.js';

export type Open311Update = {
  update_id: string;
  service_request_id: string;
  status: string;
  updated_datetime: string;
  description: string;
  media_url: string | null;
};

/**
 * GET servicerequestupdates: start_date / end_date as for requests (the last 90 days by default),
 * optionally service_request_id (a comma list), paged by page / page_size; oldest first. Statuses are
 * always the extended ones (clients of this extension expect them).
 */
export async function listUpdates(db: Db, q: FormFields, now = new Date()): Promise<Open311Update[]> {
  const services = await serviceCategories(db);
  const { from, to } = dateRange(q, now);
  const page = paging(q);
  const updates = await publicCaseUpdates(db, {
    categoryIds: services.map((s) => s.id),
    from,
    to: new Date(to.getTime() + 1),
    numbers: listField(q, 'service_request_id'),
    limit: page.limit,
    offset: page.offset,
  });
  return updates.map((u) => ({
    update_id: String(u.id),
    service_request_id: u.caseNumber,
    status: extendedStatus(u.status, u.hasResult),
    updated_datetime: w3cDate(u.at),
    description: u.publication === 'public' ? maskPersonalData(u.text) : WITHHELD,
    media_url: null,
  }));
}

const bad = (zh: string, en: string) => new Open311Error(400, zh, en);

/**
 * POST servicerequestupdates: api_key, service_request_id and description are required; update_id (the
 * client's own id) makes a retry answer the first update; status, updated_datetime, media_url and the
 * person's fields are recorded with the comment, not applied (only staff change a case's state).
 */
export async function postUpdate(db: Db, f: FormFields, meta: { ip: string | null }): Promise<{ update_id: string }[]> {
  const key = await authenticate(db, field(f, 'api_key'), 'post_update');
  await guardPost(db, key);
  const number = field(f, 'service_request_id');
  if (!number) throw bad('缺少必填字段 service_request_id', 'service_request_id was not provided');
  const description = field(f, 'description') ?? '';
  if (description.length < 2)
    throw bad('缺少必填字段 description（至少 2 个字）', 'description was not provided (at least 2 characters)');
  if (description.length > 2000)
    throw bad('description 过长（最多 2000 个字符）', 'description is too long (at most 2000 characters)');
  const clientUpdateId = field(f, 'update_id');
  if (clientUpdateId && clientUpdateId.length > 200)
    throw bad('update_id 过长（最多 200 个字符）', 'update_id is too long (at most 200 characters)');
  const mediaUrl = field(f, 'media_url') ?? '';
  const services = await serviceCategories(db);

  const claim = randomBytes(12).toString('base64url');
  const refs = clientUpdateId ? [{ ref: `update:${number}:${clientUpdateId}`, windowSeconds: FOREVER }] : [];
  const earlier = await claimRefs<{ update_id: string }[]>(db, key.id, refs, claim);
  if (earlier) return earlier;

  const actor: Actor = { id: null, name: `open311:${key.name}`, ip: meta.ip };
  const payload = {
    apiKeyId: key.id,
    clientUpdateId: clientUpdateId ?? undefined,
    clientStatus: field(f, 'status') ?? undefined,
    clientUpdatedAt: field(f, 'updated_datetime') ?? undefined,
    mediaUrl: /^https?:\/\/\S+$/i.test(mediaUrl) ? mediaUrl : undefined,
    from: joinName(field(f, 'first_name') ?? '', field(f, 'last_name') ?? '') || undefined,
  };
  let written: { eventId: number } | null;
  try {
    written = await addClientComment(db, systemActor(key.name, actor), {
      number,
      text: description,
      categoryIds: services.map((s) => s.id),
      payload,
    });
  } catch (e) {
    await repo.releaseRefs(db, key.id, claim);
    throw e;
  }
  if (!written) {
    await repo.releaseRefs(db, key.id, claim);
    throw new Open311Error(404, `诉求 ${number} 不存在`, `service_request_id ${number} not found`);
  }
  const answer = [{ update_id: String(written.eventId) }];
  await db.transaction(async (tx) => {
    if (refs.length) await repo.answerRefs(tx, key.id, claim, JSON.stringify(answer));
    await repo.touchKey(tx, key.id);
  }); // the comment's own audit entry (case.comment_added) was written with it
  await countUsage(db, key.id, 'posts');
  return answer;
}
