import type { Db } from '../../db/client.js';
import { beijingDate, monthEnd, monthsThrough } from '../../engine/workdays.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { deskVisibility, signedIn, type Ctx } from '../../lib/context.js';
import { pageOf } from '../../platform/lists.js';
import { recordAudit } from '../audit/index.js';
import { refreshRecentInputs } from '../inputs/index.js';
import { sourceInputs } from '../performance/index.js';
import { agreementDocx } from './mediation.docx.js';
import * as repo from './mediation.repo.js';
import type {
  TCaseDetail,
  TCaseInput,
  TCaseList,
  TCaseRow,
  TCounts,
  TListQuery,
  TOutcomeInput,
  TSessionInput,
  TStats,
} from './mediation.schema.js';
import { countCases, groupBy, successAsOf, unitsOf, type StatCase } from './mediation.stats.js';
import { DISPUTE_TYPES, type DisputeType } from './mediation.table.js';

/** Who writes the mediation score inputs (shown with each input). */
export const INPUT_AUTHOR = '区政务服务中心调解中心（调解台账）';

export const DISPUTE_TYPE_ZH: Record<DisputeType, string> = {
  labour: '劳动争议',
  neighbour: '邻里纠纷',
  consumer: '消费纠纷',
  property: '物业纠纷',
  family: '婚姻家庭纠纷',
  traffic: '交通事故纠纷',
  contract: '合同纠纷',
  land: '土地承包纠纷',
  other: '其他纠纷',
};
export const STATUS_ZH = {
  open: '调解中',
  agreed: '调解成功',
  failed: '调解不成',
  arbitration: '转仲裁',
  court: '转诉讼',
} as const;

const today = () => beijingDate(new Date());
const num = (v: string | number) => Number(v);

const visibility = (ctx: Ctx) => deskVisibility(ctx, 'mediation.manage');

function presentRow(r: repo.CaseRowDb): TCaseRow {
  return {
    id: r.id,
    number: r.number,
    disputeType: r.dispute_type,
    title: r.title,
    hostUnitId: r.host_unit_id,
    hostUnitName: r.host_unit_name,
    jointUnitNames: r.joint_unit_names ?? [],
    applicants: r.applicants ?? [],
    respondents: r.respondents ?? [],
    mediatorNames: r.mediator_names ?? [],
    receivedOn: r.received_on,
    status: r.status,
    outcomeOn: r.outcome_on,
    people: r.people,
    amountClaimed: num(r.amount_claimed),
    amountRecovered: num(r.amount_recovered),
    sessions: r.sessions,
  };
}

/** The mediation ledger: filters, search (title, number, party), the user's visibility. */
export async function listCases(ctx: Ctx, q: TListQuery): Promise<TCaseList> {
  const v = await visibility(ctx);
  const page = await repo.listCases(ctx.db, v, q, pageOf(q.page, q.pageSize));
  return { ...page, rows: page.rows.map(presentRow) };
}

/** Every row of the filtered ledger (for the export), up to 20,000. */
export async function allRows(ctx: Ctx, q: TListQuery): Promise<TCaseRow[]> {
  const v = await visibility(ctx);
  const out: TCaseRow[] = [];
  for (let page = 1; out.length < 20000; page++) {
    const r = await repo.listCases(ctx.db, v, q, pageOf(page, 500));
    out.push(...r.rows.map(presentRow));
    if (!r.hasMore) break;
  }
  return out;
}

async function loadVisible(ctx: Ctx, id: number): Promise<repo.CaseRowDb> {
  const v = await visibility(ctx);
  if (!(await repo.isVisible(ctx.db, v, id))) throw notFound();
  const r = await repo.caseRow(ctx.db, id);
  if (!r) throw notFound();
  return r;
}

/** A case with its parties, mediators, joint units and session log (404 outside the user's view). */
export async function getCase(ctx: Ctx, id: number): Promise<TCaseDetail> {
  const r = await loadVisible(ctx, id);
  const [core, ps, ms, js, ss] = await Promise.all([
    repo.caseCore(ctx.db, id),
    repo.parties(ctx.db, id),
    repo.mediators(ctx.db, id),
    repo.jointUnits(ctx.db, id),
    repo.sessions(ctx.db, id),
  ]);
  if (!core) throw notFound();
  return {
    ...presentRow(r),
    facts: core.facts,
    outcomeNote: core.outcome_note,
    agreement: core.agreement,
    performance: core.performance,
    parties: ps,
    mediators: ms,
    jointUnits: js,
    sessionLog: ss.map((s) => ({
      id: s.id,
      heldOn: s.held_on,
      place: s.place,
      note: s.note,
      recordedByName: s.recorded_by_name,
    })),
    canManage: signedIn(ctx).permissions.has('mediation.manage'),
  };
}

async function checkInput(db: Db, input: TCaseInput): Promise<void> {
  if (!input.parties.some((p) => p.side === 'applicant'))
    throw invalid('parties', '至少需要一名申请人', 'At least one applicant is needed');
  if (!input.parties.some((p) => p.side === 'respondent'))
    throw invalid('parties', '至少需要一名被申请人', 'At least one respondent is needed');
  if (input.receivedOn > today())
    throw invalid('receivedOn', '受理日期不能晚于今天', 'The date received is in the future');
  if (!(await repo.unitsExist(db, [input.hostUnitId])))
    throw invalid('hostUnitId', '主持调解的单位不存在', 'The host unit does not exist');
  if (new Set(input.jointUnitIds).size !== input.jointUnitIds.length)
    throw invalid('jointUnitIds', '联合调解单位重复', 'A joint unit is listed twice');
  if (input.jointUnitIds.includes(input.hostUnitId))
    throw invalid('jointUnitIds', '联合调解单位不能与主持单位相同', 'A joint unit cannot be the host unit');
  if (!(await repo.unitsExist(db, input.jointUnitIds)))
    throw invalid('jointUnitIds', '联合调解单位不存在', 'A joint unit does not exist');
  const ids = [...new Set(input.mediatorIds)];
  if (ids.length !== input.mediatorIds.length) throw invalid('mediatorIds', '调解员重复', 'A mediator is listed twice');
  if ((await repo.mediatorUsers(db, ids)).length !== ids.length)
    throw invalid('mediatorIds', '调解员不存在或不是调解员', 'A mediator does not exist or is not a mediator');
}

function requireManage(ctx: Ctx) {
  const user = signedIn(ctx);
  if (!user.permissions.has('mediation.manage')) throw forbidden();
  return user;
}

/** The desk registers a dispute (登记受理): parties, type, host unit, mediators, joint units; it starts open. */
export async function createCase(ctx: Ctx, input: TCaseInput): Promise<TCaseDetail> {
  const user = requireManage(ctx);
  await checkInput(ctx.db, input);
  const id = await ctx.db.transaction(async (tx) => {
    const c = await repo.insertCase(tx, {
      ...input,
      year: Number(input.receivedOn.slice(0, 4)),
      createdBy: user.id,
    });
    await repo.replaceLinks(tx, c.id, input);
    await recordAudit(tx, ctx.actor, {
      action: 'mediation.create',
      entityType: 'mediation_case',
      entityId: c.id,
      unitId: input.hostUnitId,
      after: { number: c.number, ...input },
    });
    return c.id;
  });
  return getCase(ctx, id);
}

async function openCase(tx: Db, id: number): Promise<repo.CaseCore> {
  const core = await repo.caseCore(tx, id, true);
  if (!core) throw notFound();
  if (core.status !== 'open')
    throw new AppError('CONFLICT', {
      zh: '调解已结案，不能再修改',
      en: 'The mediation is concluded and cannot change',
    });
  return core;
}

/** Corrects an open case (the same fields as registering). */
export async function updateCase(ctx: Ctx, id: number, input: TCaseInput): Promise<TCaseDetail> {
  requireManage(ctx);
  await loadVisible(ctx, id);
  await checkInput(ctx.db, input);
  await ctx.db.transaction(async (tx) => {
    const before = await openCase(tx, id);
    if (before.year !== Number(input.receivedOn.slice(0, 4)))
      throw invalid('receivedOn', '受理日期不能改到另一年度', 'The date received cannot move to another year');
    await repo.updateCase(tx, id, { ...input, year: before.year });
    await repo.replaceLinks(tx, id, input);
    await recordAudit(tx, ctx.actor, {
      action: 'mediation.update',
      entityType: 'mediation_case',
      entityId: id,
      unitId: input.hostUnitId,
      before: { hostUnitId: before.host_unit_id, facts: before.facts },
      after: { ...input },
    });
  });
  return getCase(ctx, id);
}

/** Records a mediation session (date, place, what was said) on an open case. */
export async function addSession(ctx: Ctx, id: number, input: TSessionInput): Promise<TCaseDetail> {
  const user = requireManage(ctx);
  const r = await loadVisible(ctx, id);
  if (input.heldOn > today()) throw invalid('heldOn', '调解日期不能晚于今天', 'The session date is in the future');
  if (input.heldOn < r.received_on)
    throw invalid('heldOn', '调解日期不能早于受理日期', 'The session is dated before the case was received');
  await ctx.db.transaction(async (tx) => {
    await openCase(tx, id);
    const sid = await repo.insertSession(tx, {
      caseId: id,
      ...input,
      recordedBy: user.id,
      recordedByName: user.displayName,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'mediation.session',
      entityType: 'mediation_case',
      entityId: id,
      unitId: r.host_unit_id,
      after: { sessionId: sid, ...input },
    });
  });
  return getCase(ctx, id);
}

/** Concludes an open case: agreement (terms required), failed, or referred to arbitration or court; feeds the inputs. */
export async function conclude(ctx: Ctx, id: number, input: TOutcomeInput): Promise<TCaseDetail> {
  requireManage(ctx);
  const r = await loadVisible(ctx, id);
  if (input.outcome === 'agreed' && !input.agreement)
    throw invalid('agreement', '调解成功须填写协议内容', 'An agreement needs its terms');
  if (input.outcome !== 'agreed' && input.amountRecovered > 0)
    throw invalid('amountRecovered', '未达成协议的调解不能记录追回金额', 'Only an agreement recovers an amount');
  if (input.outcomeOn > today())
    throw invalid('outcomeOn', '结案日期不能晚于今天', 'The outcome date is in the future');
  const span = await repo.sessionSpan(ctx.db, id);
  if (!span.n) throw invalid('outcome', '请先记录至少一次调解', 'Record at least one session first');
  if (span.first && input.outcomeOn < span.first)
    throw invalid('outcomeOn', '结案日期不能早于首次调解', 'The outcome is dated before the first session');
  await ctx.db.transaction(async (tx) => {
    await openCase(tx, id);
    await repo.setOutcome(tx, id, {
      status: input.outcome,
      outcomeOn: input.outcomeOn,
      note: input.note,
      agreement: input.outcome === 'agreed' ? input.agreement : '',
      performance: input.outcome === 'agreed' ? input.performance : '',
      amountRecovered: input.amountRecovered,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'mediation.conclude',
      entityType: 'mediation_case',
      entityId: id,
      unitId: r.host_unit_id,
      before: { status: 'open' },
      after: { ...input },
    });
    const units = [r.host_unit_id, ...(await repo.jointUnits(tx, id)).map((u) => u.id)];
    await syncScoreInputs(tx, { year: Number(r.received_on.slice(0, 4)), unitIds: units });
  });
  return getCase(ctx, id);
}

/** The agreement (人民调解协议书) of a case that ended in agreement, as .docx. */
export async function agreementFile(ctx: Ctx, id: number): Promise<{ name: string; data: Buffer }> {
  const d = await getCase(ctx, id);
  if (d.status !== 'agreed')
    throw new AppError('CONFLICT', { zh: '该调解未达成协议，没有协议书', en: 'No agreement was reached in this case' });
  const data = await agreementDocx({
    number: d.number,
    committee: `${d.hostUnitName}人民调解委员会`,
    jointUnits: d.jointUnits.map((u) => u.name),
    disputeTypeName: DISPUTE_TYPE_ZH[d.disputeType],
    parties: d.parties,
    facts: d.facts,
    agreement: d.agreement,
    performance: d.performance,
    mediators: d.mediators.map((m) => m.name),
    outcomeOn: d.outcomeOn ?? today(),
    amountRecovered: d.amountRecovered,
  });
  return { name: `人民调解协议书-${d.number}.docx`, data };
}

/** The users a case can name as mediators. */
export async function listMediators(ctx: Ctx) {
  requireManage(ctx);
  return (await repo.mediatorUsers(ctx.db)).map((m) => ({ id: m.id, name: m.name, unitName: m.unit_name }));
}

// ---------- statistics and score inputs ----------

const toStat = (r: repo.StatRowDb): StatCase => ({
  id: r.id,
  hostUnitId: r.host_unit_id,
  jointUnitIds: r.joint ?? [],
  disputeType: r.dispute_type,
  receivedOn: r.received_on,
  status: r.status,
  outcomeOn: r.outcome_on,
  people: r.people,
  amountClaimed: num(r.amount_claimed),
  amountRecovered: num(r.amount_recovered),
});

/** The year's figures (cases received in the year): totals, by dispute type, by month received, by unit. */
export async function stats(ctx: Ctx, year: number): Promise<TStats> {
  const v = await visibility(ctx);
  const cases = (await repo.statRows(ctx.db, year, v)).map(toStat);
  const byType = groupBy(cases, (c) => [c.disputeType]);
  const byMonth = groupBy(cases, (c) => [c.receivedOn.slice(0, 7)]);
  const byUnit = groupBy(cases, unitsOf);
  const names = await repo.unitNames(ctx.db, [...byUnit.keys()]);
  const visibleUnit = (id: number) => v.all || v.unitIds.includes(id);
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  return {
    year,
    total: countCases(cases),
    byType: DISPUTE_TYPES.map((t) => ({ disputeType: t, ...countCases(byType.get(t) ?? []) })).filter((x) => x.cases),
    byMonth: months.map((m) => ({ month: m, ...countCases(byMonth.get(m) ?? []) })),
    byUnit: [...byUnit.entries()]
      .filter(([id]) => visibleUnit(id))
      .map(([unitId, list]): TCounts & { unitId: number; unitName: string } => ({
        unitId,
        unitName: names.get(unitId) ?? '',
        ...countCases(list),
      }))
      .sort((a, b) => b.cases - a.cases || a.unitId - b.unitId),
  };
}

/**
 * Writes the score inputs of the `mediation` leaves: per unit (host or joint) and month, the 调解成功率 of
 * the unit's cases of the year concluded by the month's end (agreements / concluded, in %), with the
 * counts, people, amounts and case ids as fields. Months where nothing is concluded get no input.
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? today();
  const out = await sourceInputs(db, { year: v.year, source: 'mediation', author: INPUT_AUTHOR });
  if (!out) return { inputs: 0 };
  const cases = (await repo.statRows(db, v.year, { all: true })).map(toStat);
  const byUnit = groupBy(cases, unitsOf);
  for (const period of v.months ?? monthsThrough(v.year, on)) {
    const end = monthEnd(period) < on ? monthEnd(period) : on;
    for (const [unitId, list] of byUnit) {
      if (v.unitIds && !v.unitIds.includes(unitId)) continue;
      const s = successAsOf(list, end);
      if (s.rate === null) continue;
      const counts = countCases(list.filter((c) => s.caseIds.includes(c.id)));
      out.add(unitId, period, s.rate, {
        concluded: s.concluded,
        agreed: s.agreed,
        joint: counts.joint,
        people: counts.people,
        amountRecovered: counts.amountRecovered,
        caseIds: s.caseIds,
      });
    }
  }
  return out.write();
}

/** The job's pass: this month's and last month's mediation inputs of every unit. */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  return refreshRecentInputs(db, 'mediation.stats', (y, m) => `mediation:${y}-${m}`, syncScoreInputs);
}
