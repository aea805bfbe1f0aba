/**
 * Proposals (议案提案办理): the office assigns an NPC 议案 or CPPCC 提案 of a deputy/member to its handling
 * units with a reply deadline; the lead unit writes the formal reply (with files); the deputy rates it in
 * the app (满意 / 基本满意 / 不满意); 不满意 sends it back to the unit for another round, the earlier rounds
 * kept. Replies and ratings rewrite the unit's supervision score inputs (on-time reply and satisfaction).
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import { listenersOf } from '../../platform/module.js';
import { addWorkingDays, beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { attachEvidenceFile, readEvidenceFile } from '../reporting/index.js';
import { inScope } from '../units/index.js';
import type {
  TDeputy,
  TProposalCreate,
  TProposalDetail,
  TProposalFile,
  TProposalList,
  TProposalQuery,
  TProposalRate,
  TProposalReply,
  TProposalRow,
  TProposalStats,
} from './supervision.docs.schema.js';
import type { ProposalKind, ProposalStatus } from './supervision.docs.table.js';
import * as repo from './supervision.proposals.repo.js';
import { proposalFigures, proposalNext } from './supervision.proposals.rules.js';
import { syncScoreInputs } from './supervision.upkeep.js';
import { monthEnd } from './supervision.stats.js';
import { userOf } from './supervision.access.js';

/** The deputies and members (evaluator accounts with an NPC or CPPCC reviewer profile), or those among `userIds`. */
export type DeputyDirectory = (db: Db, userIds?: readonly number[]) => Promise<TDeputy[]>;

declare module '../../platform/module.js' {
  interface ModuleListeners {
    /** Who the deputies and members are (ratings: the reviewer profiles of kind npc_deputy / cppcc_member). */
    deputyDirectory: DeputyDirectory;
  }
}

async function deputies(db: Db, userIds?: readonly number[]): Promise<TDeputy[]> {
  const out: TDeputy[] = [];
  for (const d of listenersOf('deputyDirectory')) out.push(...(await d(db, userIds)));
  return out;
}

/** Working days a unit has to reply again after an unsatisfied rating. */
export const REHANDLE_WORKING_DAYS = 20;

const today = () => beijingDate(new Date());
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

async function visibility(ctx: Ctx): Promise<repo.ProposalVisibility> {
  const user = userOf(ctx);
  const p = user.permissions;
  // Units' and leaders' view is by unit scope; a deputy's (an evaluator, whatever its unit) is their own proposals.
  const byUnit = p.has('supervision.manage') || p.has('supervision.report') || p.has('supervision.instruct');
  const scope = await ctx.scope();
  if (byUnit && scope.all) return { all: true };
  return {
    all: false,
    unitIds: byUnit && !scope.all ? [...scope.unitIds] : [],
    deputyId: p.has('supervision.rate') ? user.id : null,
  };
}

function presentRow(r: repo.ProposalListRow, on: string): TProposalRow {
  return {
    id: r.id,
    year: r.year,
    kind: r.kind as ProposalKind,
    number: r.number,
    title: r.title,
    deputyId: r.deputy_id,
    deputyName: r.deputy_name,
    leadUnitId: r.lead_unit_id,
    leadUnitName: r.lead_unit_name,
    coUnitNames: r.co_unit_names ?? [],
    deadline: r.deadline,
    status: r.status as ProposalStatus,
    round: r.round,
    satisfaction: r.satisfaction,
    repliedOn: r.replied_on,
    overdue: r.status === 'assigned' && r.deadline < on,
  };
}

/** The proposals the user may see, filtered; `mine=1` is a unit's inbox (its own unit) or a deputy's own. */
export async function listProposals(ctx: Ctx, q: TProposalQuery): Promise<TProposalList> {
  const user = userOf(ctx);
  let v = await visibility(ctx);
  if (q.mine === '1')
    v = user.permissions.has('supervision.rate')
      ? { all: false, unitIds: [], deputyId: user.id }
      : { all: false, unitIds: [user.unitId], deputyId: null };
  const on = today();
  const r = await repo.listProposals(ctx.db, v, {
    year: q.year,
    kind: q.kind,
    status: q.status,
    satisfaction: q.satisfaction,
    unitId: q.unitId,
    deputyId: q.deputyId,
    overdue: q.overdue === '1',
    q: q.q,
    today: on,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { total: r.total, rows: r.rows.map((x) => presentRow(x, on)) };
}

async function loadVisible(ctx: Ctx, id: number): Promise<repo.ProposalRow> {
  if (!(await repo.isProposalVisible(ctx.db, await visibility(ctx), id))) throw notFound();
  const p = await repo.findProposal(ctx.db, id);
  if (!p) throw notFound();
  return p;
}

async function mayReply(ctx: Ctx, p: repo.ProposalRow): Promise<boolean> {
  return userOf(ctx).permissions.has('supervision.report') && inScope(await ctx.scope(), p.leadUnitId);
}
const mayRate = (ctx: Ctx, p: repo.ProposalRow) =>
  userOf(ctx).permissions.has('supervision.rate') && p.deputyId === userOf(ctx).id;

/** A proposal with its co-units, every handling round and the user's possible actions. */
export async function getProposal(ctx: Ctx, id: number): Promise<TProposalDetail> {
  const p = await loadVisible(ctx, id);
  const [rounds, co, files, deputyName] = await Promise.all([
    repo.roundsOf(ctx.db, id),
    repo.coUnits(ctx.db, id),
    repo.proposalFiles(ctx.db, id),
    repo.userName(ctx.db, p.deputyId),
  ]);
  const names = await repo.unitNames(ctx.db, [p.leadUnitId, ...rounds.map((r) => r.unitId)]);
  const on = today();
  const current = rounds.find((r) => r.round === p.round);
  const replyOk = await mayReply(ctx, p);
  const actions: TProposalDetail['actions'] = [];
  if (p.status === 'assigned' && replyOk) actions.push('reply');
  if (p.status === 'replied' && mayRate(ctx, p)) actions.push('rate');
  if (p.status === 'assigned' && (replyOk || userOf(ctx).permissions.has('supervision.manage'))) actions.push('upload');
  return {
    id: p.id,
    year: p.year,
    kind: p.kind,
    number: p.number,
    title: p.title,
    deputyId: p.deputyId,
    deputyName,
    leadUnitId: p.leadUnitId,
    leadUnitName: names.get(p.leadUnitId) ?? '',
    coUnitNames: co.map((c) => c.name),
    deadline: p.deadline,
    status: p.status,
    round: p.round,
    satisfaction: p.satisfaction,
    repliedOn: current?.repliedOn ?? null,
    overdue: p.status === 'assigned' && p.deadline < on,
    content: p.content,
    coUnits: co,
    rounds: rounds.map((r) => ({
      round: r.round,
      deadline: r.deadline,
      unitName: names.get(r.unitId) ?? '',
      reply: r.reply,
      fileIds: r.fileIds,
      repliedByName: r.repliedByName,
      repliedOn: r.repliedOn,
      onTime: r.repliedOn === null ? null : r.repliedOn <= r.deadline,
      satisfaction: r.satisfaction,
      ratingNote: r.ratingNote,
      ratedOn: r.ratedOn,
    })),
    files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, uploadedAt: iso(f.uploadedAt) })),
    actions,
  };
}

/** The deputies and members a proposal may name (for the office's form). */
export async function listDeputies(ctx: Ctx): Promise<TDeputy[]> {
  userOf(ctx);
  return deputies(ctx.db);
}

/** The office assigns (交办) a proposal: round 1 with the reply deadline, awaiting the lead unit's reply. */
export async function createProposal(ctx: Ctx, input: TProposalCreate): Promise<TProposalDetail> {
  const user = userOf(ctx);
  const [deputy] = await deputies(ctx.db, [input.deputyId]);
  if (!deputy) throw invalid('deputyId', '该用户不是人大代表或政协委员', 'The user is not a deputy or member');
  if ((input.kind === 'npc_motion') !== (deputy.kind === 'npc_deputy'))
    throw invalid(
      'deputyId',
      input.kind === 'npc_motion' ? '议案应由人大代表提出' : '提案应由政协委员提出',
      input.kind === 'npc_motion' ? 'An NPC motion comes from an NPC deputy' : 'A CPPCC proposal comes from a member',
    );
  if (!(await repo.unitsExist(ctx.db, [input.leadUnitId])))
    throw invalid('leadUnitId', '主办单位不存在', 'The lead unit does not exist');
  if (new Set(input.coUnitIds).size !== input.coUnitIds.length || input.coUnitIds.includes(input.leadUnitId))
    throw invalid('coUnitIds', '协办单位重复或与主办单位相同', 'A co-unit is repeated or is the lead unit');
  if (input.coUnitIds.length && !(await repo.unitsExist(ctx.db, input.coUnitIds)))
    throw invalid('coUnitIds', '协办单位不存在', 'A co-unit does not exist');
  if (await repo.numberTaken(ctx.db, input.year, input.kind, input.number))
    throw invalid('number', '该年度已有此编号', 'This number is already used this year');
  if (input.deadline < `${input.year}-01-01`)
    throw invalid('deadline', '答复期限早于提出年度', 'The reply deadline is before the year');
  const id = await ctx.db.transaction(async (tx) => {
    const p = await repo.insertProposal(tx, {
      year: input.year,
      kind: input.kind,
      number: input.number,
      title: input.title,
      content: input.content,
      deputyId: input.deputyId,
      leadUnitId: input.leadUnitId,
      deadline: input.deadline,
      status: 'assigned',
      createdBy: user.id,
    });
    await repo.setCoUnits(tx, p.id, input.coUnitIds);
    await repo.insertRound(tx, { proposalId: p.id, round: 1, deadline: input.deadline, unitId: input.leadUnitId });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.proposal.create',
      entityType: 'supervision_proposal',
      entityId: p.id,
      unitId: input.leadUnitId,
      after: { ...input },
    });
    return p.id;
  });
  return getProposal(ctx, id);
}

/** The lead unit's formal reply of the current round (答复), with its files. */
export async function replyProposal(ctx: Ctx, id: number, body: TProposalReply): Promise<TProposalDetail> {
  const user = userOf(ctx);
  const p0 = await loadVisible(ctx, id);
  if (!(await mayReply(ctx, p0))) throw forbidden();
  for (const fid of body.fileIds) {
    const f = await repo.findProposalFile(ctx.db, fid);
    if (!f || f.proposalId !== id)
      throw invalid('fileIds', '附件不属于该议案提案', 'A file does not belong to this proposal');
  }
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const p = (await repo.findProposal(tx, id, true))!;
    const to = proposalNext(p.status, 'reply');
    if (!to) throw new AppError('INVALID_STATE');
    await repo.updateRound(tx, id, p.round, {
      reply: body.reply,
      fileIds: body.fileIds,
      repliedBy: user.id,
      repliedByName: user.displayName,
      repliedOn: on,
    });
    await repo.updateProposal(tx, id, { status: to });
    await syncScoreInputs(tx, { year: p.year, unitIds: [p.leadUnitId], on });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.proposal.reply',
      entityType: 'supervision_proposal',
      entityId: id,
      unitId: p.leadUnitId,
      before: { status: p.status, round: p.round },
      after: { status: to, round: p.round, onTime: on <= p.deadline, fileIds: body.fileIds },
    });
  });
  return getProposal(ctx, id);
}

/** The deputy's rating of the reply; 不满意 (with a reason) opens another round for the lead unit. */
export async function rateProposal(ctx: Ctx, id: number, body: TProposalRate): Promise<TProposalDetail> {
  const p0 = await loadVisible(ctx, id);
  if (!mayRate(ctx, p0)) throw forbidden();
  if (body.satisfaction === 'unsatisfied' && !body.note)
    throw invalid('note', '不满意时请说明理由', 'Say why the reply is unsatisfactory');
  const on = today();
  const cal = await loadCalendar(ctx.db);
  await ctx.db.transaction(async (tx) => {
    const p = (await repo.findProposal(tx, id, true))!;
    const to = proposalNext(p.status, 'rate', body.satisfaction);
    if (!to) throw new AppError('INVALID_STATE');
    await repo.updateRound(tx, id, p.round, { satisfaction: body.satisfaction, ratingNote: body.note, ratedOn: on });
    const set: Parameters<typeof repo.updateProposal>[2] = { status: to, satisfaction: body.satisfaction };
    if (to === 'assigned') {
      set.round = p.round + 1;
      set.deadline = addWorkingDays(cal, on, REHANDLE_WORKING_DAYS);
      await repo.insertRound(tx, { proposalId: id, round: set.round, deadline: set.deadline, unitId: p.leadUnitId });
    }
    await repo.updateProposal(tx, id, set);
    await syncScoreInputs(tx, { year: p.year, unitIds: [p.leadUnitId], on });
    await recordAudit(tx, ctx.actor, {
      action: 'supervision.proposal.rate',
      entityType: 'supervision_proposal',
      entityId: id,
      unitId: p.leadUnitId,
      before: { status: p.status, round: p.round },
      after: { status: to, round: set.round ?? p.round, ...body },
    });
  });
  return getProposal(ctx, id);
}

/** A reply's file (the lead unit, or the office), kept in the blob store like the tasks' evidence. */
export async function addProposalFile(
  ctx: Ctx,
  id: number,
  file: { filename: string; data: Buffer },
  blobs: BlobStore,
): Promise<TProposalFile> {
  const user = userOf(ctx);
  const p = await loadVisible(ctx, id);
  if (!(await mayReply(ctx, p)) && !user.permissions.has('supervision.manage')) throw forbidden();
  return attachEvidenceFile(ctx, blobs, file, {
    insert: (tx, f) => repo.insertProposalFile(tx, { proposalId: id, ...f }),
    audit: {
      action: 'supervision.proposal.file',
      entityType: 'supervision_proposal',
      entityId: id,
      unitId: p.leadUnitId,
    },
  });
}

/** A proposal's file for download (visible proposal only). */
export async function openProposalFile(
  ctx: Ctx,
  fileId: number,
  blobs: BlobStore,
): Promise<{ name: string; mime: string; size: number; data: Buffer }> {
  const f = await repo.findProposalFile(ctx.db, fileId);
  if (f) await loadVisible(ctx, f.proposalId);
  return readEvidenceFile(blobs, f);
}

/** Per unit figures of a month (as of its end, or today in the running month), limited to the user's scope. */
export async function proposalStatsOf(ctx: Ctx, year: number, month: number): Promise<TProposalStats[]> {
  const v = await visibility(ctx);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  const end = monthEnd(period);
  const on = today();
  const figures = proposalFigures(await repo.statsRounds(ctx.db, year), end < on ? end : on);
  const names = await repo.unitNames(ctx.db, [...figures.keys()]);
  return [...figures.values()]
    .filter((f) => v.all || v.unitIds.includes(f.unitId))
    .map((f) => ({ ...f, unitName: names.get(f.unitId) ?? '', period }))
    .sort((a, b) => a.unitId - b.unitId);
}
