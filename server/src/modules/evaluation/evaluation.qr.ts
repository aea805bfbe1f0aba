/**
 * On-site QR surveys (现场扫码): the office shows or prints a QR code per target unit of an open public or
 * service-recipient survey; each scan of it makes a fresh one-time invitation (channel 'qr', no phone, no
 * name, nothing about the person) and sends the phone to the normal survey page, where the one-response-per-
 * invitation rules apply. Scans are counted per address in the shared rate counters (platform/ratelimit).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { countHit } from '../../platform/ratelimit/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './evaluation.repo.js';
import { invitationToken } from './evaluation.service.js';
import { evaluationInvitations, type CampaignKind } from './evaluation.table.js';

/** Kinds a QR code can be shown for: surveys of the public at the place of service. */
export const QR_KINDS: readonly CampaignKind[] = ['public_survey', 'service_recipients', 'consultation'];
/** The web page a QR code opens. */
export const QR_PATH = '/public/survey/qr/';

let scansPerHour = 60;
/** Changes the scans allowed per address and hour (tests); returns the previous value. */
export function setQrScanLimit(n: number): number {
  const before = scansPerHour;
  scansPerHour = n;
  return before;
}

/** The code in a unit's QR link: campaign and unit in base 36 and an HMAC of both under the campaign's salt. */
export function qrCode(salt: string, campaignId: number, unitId: number): string {
  const head = `${campaignId.toString(36)}.${unitId.toString(36)}`;
  return `${head}-${createHmac('sha256', salt).update(`qr:${campaignId}:${unitId}`).digest('base64url').slice(0, 16)}`;
}

/** The QR code of one target unit of a campaign (the office's campaign page): its link and an SVG. */
export async function campaignQr(
  ctx: Ctx,
  id: number,
  unitId: number,
  origin: string,
): Promise<{ unitId: number; unitName: string; url: string; svg: string; open: boolean }> {
  if (!ctx.user?.permissions.has('evaluation.manage')) throw notFound();
  const c = await repo.findCampaign(ctx.db, id);
  if (!c) throw notFound();
  if (!QR_KINDS.includes(c.kind))
    throw invalid(
      'id',
      '只有群众满意度调查、服务对象调查和协商征求意见可以扫码作答',
      'QR codes are for public and service-recipient surveys and consultations only',
    );
  if (!(c.targetUnitIds ?? []).includes(unitId))
    throw invalid('unitId', '请选择本活动的被评价单位', 'Choose a target unit of the campaign');
  const [name] = (await repo.unitNames(ctx.db, [unitId])).values();
  const url = `${origin}${QR_PATH}${qrCode(c.salt, id, unitId)}`;
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { unitId, unitName: name ?? '', url, svg, open: c.status === 'open' };
}

/**
 * One scan: a fresh one-time invitation for the unit of the code, and its token for the survey page.
 * 404 for a forged code; 409 unless the campaign is open; 429 past the address's hourly allowance. The
 * invitation holds the campaign, the unit and the time only.
 */
export async function scanQr(db: Db, code: string, ip: string): Promise<{ token: string }> {
  if ((await countHit(db, `survey-qr:ip:${ip}`, 3600)).hits > scansPerHour) throw new AppError('TOO_MANY_REQUESTS');
  const m = /^([0-9a-z]{1,8})\.([0-9a-z]{1,8})-[A-Za-z0-9_-]{16}$/.exec(code);
  if (!m) throw notFound();
  const [campaignId, unitId] = [parseInt(m[1], 36), parseInt(m[2], 36)];
  const c = await repo.findCampaign(db, campaignId);
  if (!c || !QR_KINDS.includes(c.kind) || !(c.targetUnitIds ?? []).includes(unitId)) throw notFound();
  const want = Buffer.from(qrCode(c.salt, campaignId, unitId));
  const got = Buffer.from(code);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw notFound();
  // Nobody's address or device is kept with the invitation or in the audit entry.
  const actor: Actor = { id: null, name: 'citizen (QR)', ip: null };
  const id = await db.transaction(async (tx) => {
    const locked = await repo.findCampaign(tx, campaignId, true);
    if (locked?.status !== 'open')
      throw new AppError('INVALID_STATE', {
        zh: '该评议活动未在进行中，暂不能扫码评价',
        en: 'The campaign is not open for answers',
      });
    const [inv] = await tx
      .insert(evaluationInvitations)
      .values({ campaignId, channel: 'qr', unitId, sentAt: new Date() })
      .returning({ id: evaluationInvitations.id });
    await recordAudit(tx, actor, {
      action: 'evaluation.qr.scan',
      entityType: 'evaluation_campaign',
      entityId: campaignId,
      unitId,
      after: { invitationId: inv.id },
    });
    return inv.id;
  });
  return { token: invitationToken(c.salt, id) };
}
