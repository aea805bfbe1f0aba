import type { Db } from '../../db/client.js';
import { addWorkingDays, beijingDate, monthEnd, monthsThrough } from '../../engine/workdays.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { deskVisibility, signedIn, type Ctx } from '../../lib/context.js';
import { pageOf } from '../../platform/lists.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { refreshRecentInputs } from '../inputs/index.js';
import { sourceInputs } from '../performance/index.js';
import { inScope } from '../units/index.js';
import * as repo from './assistance.repo.js';
import type {
  TAnswerInput,
  TFeedbackInput,
  TListQuery,
  TReferInput,
  TRequestDetail,
  TRequestInput,
  TRequestList,
  TRequestRow,
  TStats,
} from './assistance.schema.js';
import { countRequests, dueState, groupBy, type StatRequest } from './assistance.stats.js';
import { ASSISTANCE_KINDS, type AssistanceKind, type AssistanceStatus } from './assistance.table.js';

/** Who writes the assistance score inputs (shown with each input). */
export const INPUT_AUTHOR = '区政务服务中心求助中心（转办台账）';

export const KIND_ZH: Record<AssistanceKind, string> = {
  relief: '社会救助',
  wage: '劳动维权（欠薪）',
  legal_aid: '法律援助',
  disability: '残疾人帮扶',
  women: '妇女儿童维权',
  elderly: '养老服务',
  housing: '住房保障',
  medical: '医疗救助',
  other: '其他求助',
};
export const STATUS_ZH: Record<AssistanceStatus, string> = {
  registered: '已登记',
  referred: '已转办',
  signed: '已签收',
  answered: '已答复',
  closed: '已回访',
};
export const SATISFACTION_ZH = { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' } as const;

type Action = TRequestDetail['actions'][number];

const today = () => beijingDate(new Date());
const num = (v: string | number) => Number(v);
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

const visibility = (ctx: Ctx) => deskVisibility(ctx, 'assistance.manage');

function isOverdue(r: { due_on: string | null; answered_on: string | null }, on: string): boolean {
  if (!r.due_on) return false;
  return r.answered_on ? r.answered_on > r.due_on : r.due_on < on;
}

function presentRow(r: repo.RequestRowDb, on: string): TRequestRow {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    requesterName: r.requester_name,
    description: r.description,
    people: r.people,
    amountClaimed: num(r.amount_claimed),
    amountRecovered: num(r.amount_recovered),
    receivedOn: r.received_on,
    status: r.status,
    unitId: r.unit_id,
    unitName: r.unit_name,
    referredOn: r.referred_on,
    dueOn: r.due_on,
    answeredOn: r.answered_on,
    overdue: isOverdue(r, on),
    urgeCount: r.urge_count,
    satisfaction: r.satisfaction,
  };
}

/** The assistance ledger (the desk: all; a unit: what was referred to it). */
export async function listRequests(ctx: Ctx, q: TListQuery): Promise<TRequestList> {
  const v = await visibility(ctx);
  const on = today();
  const page = await repo.listRequests(ctx.db, v, q, pageOf(q.page, q.pageSize), on);
  return { ...page, rows: page.rows.map((r) => presentRow(r, on)) };
}

export async function allRows(ctx: Ctx, q: TListQuery): Promise<TRequestRow[]> {
  const v = await visibility(ctx);
  const on = today();
  const out: TRequestRow[] = [];
  for (let page = 1; out.length < 20000; page++) {
    const r = await repo.listRequests(ctx.db, v, q, pageOf(page, 500), on);
    out.push(...r.rows.map((x) => presentRow(x, on)));
    if (!r.hasMore) break;
  }
  return out;
}

async function loadVisible(ctx: Ctx, id: number): Promise<repo.RequestRowDb> {
  const v = await visibility(ctx);
  if (!(await repo.isVisible(ctx.db, v, id))) throw notFound();
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw notFound();
  return r;
}

/** The steps open to the user: the desk refers, urges (督办) and calls back (回访); the unit signs and answers. */
async function actionsOf(ctx: Ctx, r: repo.RequestRowDb): Promise<Action[]> {
  const p = signedIn(ctx).permissions;
  const desk = p.has('assistance.manage');
  const unit = p.has('assistance.handle') && r.unit_id !== null && inScope(await ctx.scope(), r.unit_id);
  const out: Action[] = [];
  if (desk && ['registered', 'referred', 'signed'].includes(r.status)) out.push('refer');
  if (unit && r.status === 'referred') out.push('sign');
  if (unit && (r.status === 'referred' || r.status === 'signed')) out.push('answer');
  if (desk && (r.status === 'referred' || r.status === 'signed')) out.push('urge');
  if (desk && r.status === 'answered') out.push('feedback');
  return out;
}

export async function getRequest(ctx: Ctx, id: number): Promise<TRequestDetail> {
  const r = await loadVisible(ctx, id);
  const ev = await repo.events(ctx.db, id);
  return {
    ...presentRow(r, today()),
    requesterPhone: r.requester_phone,
    requesterAddress: r.requester_address,
    answer: r.answer,
    feedbackNote: r.feedback_note,
    closedOn: r.closed_on,
    events: ev.map((e) => ({
      id: e.id,
      kind: e.kind,
      actorName: e.actor_name,
      unitName: e.unit_name,
      note: e.note,
      at: iso(e.at),
    })),
    actions: await actionsOf(ctx, r),
  };
}

/** Texts the unit's handlers and leaders (staff SMS, in the caller's transaction). */
async function textUnit(tx: Db, unitId: number, text: string): Promise<void> {
  const phones = await repo.unitPhones(tx, unitId);
  await enqueueSms(
    tx,
    phones.map((phone) => ({ caseId: null, phone, template: 'assistance_staff' as const, params: { text } })),
  );
}

async function referIn(ctx: Ctx, tx: Db, id: number, input: TReferInput): Promise<void> {
  const user = signedIn(ctx);
  const cal = await loadCalendar(tx);
  const on = today();
  const dueOn = addWorkingDays(cal, on, input.dueDays);
  await repo.update(tx, id, { status: 'referred', unitId: input.unitId, referredOn: on, dueOn });
  // The unit learns of the referral, the requester where it went and by when they will hear.
  const r = (await repo.findRequest(tx, id))!;
  const unit = (await repo.unitNames(tx, [input.unitId])).get(input.unitId) ?? '';
  await textUnit(
    tx,
    input.unitId,
    `求助事项${r.number}（${KIND_ZH[r.kind]}）已转办贵单位，请及时签收，于${dueOn}前办理并答复。——区政务服务中心求助中心`,
  );
  if (r.requester_phone)
    await enqueueSms(tx, {
      caseId: null,
      phone: r.requester_phone,
      template: 'assistance_referred',
      params: { number: r.number, unit, dueOn },
    });
  await repo.insertEvent(tx, {
    requestId: id,
    kind: 'refer',
    actorId: user.id,
    actorName: user.displayName,
    unitId: input.unitId,
    note: input.note || `限 ${dueOn} 前答复`,
  });
  await recordAudit(tx, ctx.actor, {
    action: 'assistance.refer',
    entityType: 'assistance_request',
    entityId: id,
    unitId: input.unitId,
    after: { ...input, dueOn },
  });
}

async function checkUnit(db: Db, unitId: number, field: string): Promise<void> {
  if (!(await repo.unitExists(db, unitId)))
    throw invalid(field, '承办单位不存在', 'The responsible unit does not exist');
}

/** The desk registers a request (登记), and may refer it at once. */
export async function register(ctx: Ctx, input: TRequestInput): Promise<TRequestDetail> {
  const user = signedIn(ctx);
  if (!user.permissions.has('assistance.manage')) throw forbidden();
  if (input.receivedOn > today())
    throw invalid('receivedOn', '登记日期不能晚于今天', 'The date received is in the future');
  if (input.refer) await checkUnit(ctx.db, input.refer.unitId, 'refer.unitId');
  const id = await ctx.db.transaction(async (tx) => {
    const r = await repo.insertRequest(tx, {
      ...input,
      year: Number(input.receivedOn.slice(0, 4)),
      createdBy: user.id,
    });
    await repo.insertEvent(tx, {
      requestId: r.id,
      kind: 'register',
      actorId: user.id,
      actorName: user.displayName,
      unitId: null,
      note: '',
    });
    const { refer, ...fields } = input;
    await recordAudit(tx, ctx.actor, {
      action: 'assistance.register',
      entityType: 'assistance_request',
      entityId: r.id,
      after: { number: r.number, ...fields },
    });
    if (refer) await referIn(ctx, tx, r.id, refer);
    return r.id;
  });
  return getRequest(ctx, id);
}

/** Takes a step after checking the user may (else 403) and the request is in a state for it (else 409). */
async function step(
  ctx: Ctx,
  id: number,
  action: Action,
  work: (tx: Db, r: repo.RequestRowDb) => Promise<void>,
): Promise<TRequestDetail> {
  const before = await loadVisible(ctx, id);
  const p = signedIn(ctx).permissions;
  const allowed = await actionsOf(ctx, before);
  if (!allowed.includes(action)) {
    const mayEver = action === 'sign' || action === 'answer' ? p.has('assistance.handle') : p.has('assistance.manage');
    if (!mayEver) throw forbidden();
    throw new AppError('CONFLICT', {
      zh: `当前状态（${STATUS_ZH[before.status]}）不能进行此操作`,
      en: `Not possible in the current status (${before.status})`,
    });
  }
  await ctx.db.transaction(async (tx) => {
    const r = await repo.findRequest(tx, id, true);
    if (!r || r.status !== before.status || r.unit_id !== before.unit_id)
      throw new AppError('CONFLICT', { zh: '该求助已被他人处理，请刷新', en: 'Changed meanwhile; reload' });
    await work(tx, r);
  });
  return getRequest(ctx, id);
}

/** 分流: the desk refers (or re-refers) the request to the responsible unit with a due day in working days. */
export async function refer(ctx: Ctx, id: number, input: TReferInput): Promise<TRequestDetail> {
  await checkUnit(ctx.db, input.unitId, 'unitId');
  return step(ctx, id, 'refer', (tx) => referIn(ctx, tx, id, input));
}

async function event(ctx: Ctx, tx: Db, r: repo.RequestRowDb, kind: string, note: string, after: unknown) {
  const user = signedIn(ctx);
  await repo.insertEvent(tx, {
    requestId: r.id,
    kind,
    actorId: user.id,
    actorName: user.displayName,
    unitId: r.unit_id,
    note,
  });
  await recordAudit(tx, ctx.actor, {
    action: `assistance.${kind}`,
    entityType: 'assistance_request',
    entityId: r.id,
    unitId: r.unit_id,
    before: { status: r.status },
    after,
  });
}

/** 签收: the unit acknowledges the referral. */
export async function sign(ctx: Ctx, id: number, note: string): Promise<TRequestDetail> {
  return step(ctx, id, 'sign', async (tx, r) => {
    await repo.update(tx, id, { status: 'signed', signedAt: new Date() });
    await event(ctx, tx, r, 'sign', note, { status: 'signed' });
  });
}

/** 答复: the unit answers what it did (and any amount recovered, e.g. wages paid); feeds the on-time inputs. */
export async function answer(ctx: Ctx, id: number, input: TAnswerInput): Promise<TRequestDetail> {
  return step(ctx, id, 'answer', async (tx, r) => {
    const on = today();
    await repo.update(tx, id, {
      status: 'answered',
      answer: input.answer,
      answeredOn: on,
      amountRecovered: input.amountRecovered,
    });
    await event(ctx, tx, r, 'answer', input.answer, { status: 'answered', ...input, answeredOn: on });
    await syncScoreInputs(tx, { year: Number(r.received_on.slice(0, 4)), unitIds: [r.unit_id!] });
  });
}

/** 督办: the desk urges the unit (a note on the record, counted). */
export async function urge(ctx: Ctx, id: number, note: string): Promise<TRequestDetail> {
  return step(ctx, id, 'urge', async (tx, r) => {
    await repo.update(tx, id, { urge: true });
    await event(ctx, tx, r, 'urge', note, { urgeCount: r.urge_count + 1 });
    await textUnit(
      tx,
      r.unit_id!,
      `督办：求助事项${r.number}（${KIND_ZH[r.kind]}）请于${r.due_on ?? '尽快'}前答复。${note}——区政务服务中心求助中心`,
    );
  });
}

/** 回访反馈: the desk calls the requester back and records their satisfaction; the request is closed. */
export async function feedback(ctx: Ctx, id: number, input: TFeedbackInput): Promise<TRequestDetail> {
  return step(ctx, id, 'feedback', async (tx, r) => {
    await repo.update(tx, id, {
      status: 'closed',
      satisfaction: input.satisfaction,
      feedbackNote: input.note,
      closedOn: today(),
    });
    await event(
      ctx,
      tx,
      r,
      'feedback',
      `${SATISFACTION_ZH[input.satisfaction]}${input.note ? `：${input.note}` : ''}`,
      {
        status: 'closed',
        ...input,
      },
    );
  });
}

// ---------- statistics and score inputs ----------

const toStat = (r: repo.StatRowDb): StatRequest => ({
  id: r.id,
  kind: r.kind,
  unitId: r.unit_id,
  receivedOn: r.received_on,
  status: r.status,
  dueOn: r.due_on,
  answeredOn: r.answered_on,
  satisfaction: r.satisfaction,
  people: r.people,
  amountClaimed: num(r.amount_claimed),
  amountRecovered: num(r.amount_recovered),
});

/** The year's figures (requests received in the year) as of today: by kind, by referred unit, by month. */
export async function stats(ctx: Ctx, year: number): Promise<TStats> {
  const v = await visibility(ctx);
  const asOf = today();
  const list = (await repo.statRows(ctx.db, year, v)).map(toStat);
  const byKind = groupBy(list, (r) => r.kind);
  const byUnit = groupBy(list, (r) => r.unitId);
  const byMonth = groupBy(list, (r) => r.receivedOn.slice(0, 7));
  const names = await repo.unitNames(ctx.db, [...byUnit.keys()]);
  return {
    year,
    asOf,
    total: countRequests(list, asOf),
    byKind: ASSISTANCE_KINDS.filter((k) => byKind.has(k)).map((kind) => ({
      kind,
      ...countRequests(byKind.get(kind)!, asOf),
    })),
    byUnit: [...byUnit.entries()]
      .map(([unitId, l]) => ({ unitId, unitName: names.get(unitId) ?? '', ...countRequests(l, asOf) }))
      .sort((a, b) => b.requests - a.requests || a.unitId - b.unitId),
    byMonth: Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).map((month) => ({
      month,
      ...countRequests(byMonth.get(month) ?? [], asOf),
    })),
  };
}

/**
 * Writes the score inputs of the `assistance` leaves: per referred unit and month, the 按时答复率 of the
 * year's referrals due by the month's end (answered by the due day / due, in %), with the counts,
 * satisfaction and the request ids as fields. Months with nothing due get no input.
 */
export async function syncScoreInputs(
  db: Db,
  v: { year: number; unitIds?: readonly number[]; on?: string; months?: readonly string[] },
): Promise<{ inputs: number }> {
  const on = v.on ?? today();
  const out = await sourceInputs(db, { year: v.year, source: 'assistance', author: INPUT_AUTHOR });
  if (!out) return { inputs: 0 };
  const byUnit = groupBy((await repo.statRows(db, v.year, { all: true })).map(toStat), (r) => r.unitId);
  for (const period of v.months ?? monthsThrough(v.year, on)) {
    const end = monthEnd(period) < on ? monthEnd(period) : on;
    for (const [unitId, list] of byUnit) {
      if (v.unitIds && !v.unitIds.includes(unitId)) continue;
      const c = countRequests(list, end);
      if (c.onTimeRate === null) continue;
      out.add(unitId, period, c.onTimeRate, {
        due: c.due,
        onTime: c.onTime,
        overdueOpen: c.overdueOpen,
        satisfactionRate: c.satisfactionRate,
        dueRequestIds: list.filter((r) => dueState(r, end).due).map((r) => r.id),
      });
    }
  }
  return out.write();
}

/** The job's pass: this month's and last month's inputs (an answer writes its unit's at once; a due day passing needs this). */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  return refreshRecentInputs(db, 'assistance.stats', (y, m) => `assistance:${y}-${m}`, syncScoreInputs);
}
