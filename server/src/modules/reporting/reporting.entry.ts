/**
 * Data collection: entering values — drafts, checks and anomaly flags, and submitting.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { getYearByYear, listIndicators, type TIndicator } from '../performance/index.js';
import { getUnit, listUnits, type TUnit } from '../units/index.js';
import { detectAnomalies, mergeConfirmations, unconfirmed, type StoredFlag } from './reporting.anomaly.js';
import {
  collectionPeriods,
  isPeriod,
  isPeriodOpen,
  isLate,
  samePeriodLastYear,
  splitPeriod,
} from './reporting.deadline.js';
import { scoreFieldOf, validateValues, type FormError, type FormValues } from './reporting.forms.js';
import { canFill, type Viewer } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import { evaluateExpression } from './reporting.rules.js';
import type { TSaveDraft, TSubmissionDetail, TSubmitBody, TUpdateDraft } from './reporting.schema.js';
import {
  type YearCtx,
  actorName,
  collectedLeavesFor,
  deadlineOf,
  formOf,
  loadYearCtx,
  reportingClock,
  viewerOf,
} from './reporting.year.js';
import { assertCollected, assertLeaf, yearIdOfIndicator } from './reporting.setup.js';
import { detailOf, loadReadable } from './reporting.present.js';

// ---------- entering values ----------

export type Prepared = { values: FormValues; scoreValue: number | null; flags: StoredFlag[]; version: number };

function firstError(errors: { field: string; zh: string; en: string }[], prefix = ''): never {
  const e = errors[0];
  throw invalid(`${prefix}${e.field}`, e.zh, e.en);
}

export function assertYearInForce(yc: YearCtx) {
  if (yc.year.status !== 'in_force') {
    throw new AppError('INVALID_STATE', {
      zh: `${yc.year.name}${yc.year.status === 'closed' ? '已结束' : '尚未生效'}，不能填报`,
      en: `${yc.year.name} is ${yc.year.status === 'closed' ? 'closed' : 'not in force'}; no data entry`,
    });
  }
}

export function assertPeriod(yc: YearCtx, period: string, now: Date, field = 'period') {
  if (!isPeriod(period) || splitPeriod(period).year !== yc.year.year) {
    throw invalid(field, `填报期须在 ${yc.year.year} 年内`, `The period must lie in ${yc.year.year}`);
  }
  if (!collectionPeriods(yc.year.year, yc.year.periods).includes(period)) {
    const every = yc.year.periods === 'half' ? '半年' : '季度';
    const months = collectionPeriods(yc.year.year, yc.year.periods).map((p) => `${splitPeriod(p).month}月`);
    throw invalid(
      field,
      `${yc.year.name}按${every}填报，填报期为 ${months.join('、')}`,
      `${yc.year.name} collects reports every ${yc.year.periods}: ${collectionPeriods(yc.year.year, yc.year.periods).join(', ')}`,
    );
  }
  if (!isPeriodOpen(period, now)) throw invalid(field, `${period} 尚未开始，不能填报`, `${period} has not begun yet`);
}

/** Validates one entry against its leaf's form: normalised values, the score value and hard errors. */
export function checkEntry(
  yc: YearCtx,
  ind: TIndicator,
  raw: Record<string, unknown>,
): { values: FormValues; scoreValue: number | null; version: number; errors: FormError[] } {
  const form = formOf(yc, ind);
  const r = validateValues(form.definition, raw, evaluateExpression);
  return { values: r.values, scoreValue: r.scoreValue, version: form.version, errors: r.errors };
}

/**
 * The soft flags of entries of one unit and period, in one batch: cumulative values going down,
 * jumps against last period and the same period last year, outliers among the category's units;
 * confirmations given now or before (for the same flag) are carried.
 */
export async function flagEntries(
  db: Db,
  yc: YearCtx,
  unit: TUnit,
  period: string,
  list: readonly {
    ind: TIndicator;
    values: FormValues;
    scoreValue: number | null;
    existing: repo.SubmissionRow | null;
    confirmations: readonly { key: string; comment: string }[];
  }[],
  who: { name: string; at: Date },
): Promise<StoredFlag[][]> {
  if (!list.length) return [];
  const ids = list.map((x) => x.ind.id);
  const prev = new Map((await repo.previousValues(db, unit.id, ids, period)).map((p) => [p.indicatorId, p]));
  const lastYearVals = new Map<number, number | null>();
  const lastYear = await getYearByYear(db, yc.year.year - 1, yc.year.code);
  if (lastYear) {
    const lyByCode = new Map((await listIndicators(db, lastYear.id)).map((i) => [i.code, i.id]));
    const pairs = list
      .map((x) => [x.ind.id, lyByCode.get(x.ind.code)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined);
    if (pairs.length) {
      const vals = new Map(
        (
          await repo.valuesAt(
            db,
            unit.id,
            pairs.map((p) => p[1]),
            samePeriodLastYear(period),
          )
        ).map((x) => [x.indicatorId, x.value]),
      );
      for (const [cur, ly] of pairs) if (vals.has(ly)) lastYearVals.set(cur, vals.get(ly) ?? null);
    }
  }
  const peersByInd = new Map<number, number[]>();
  if (unit.categoryId !== null) {
    const peerUnits = (await listUnits(db))
      .filter((u) => u.categoryId === unit.categoryId && u.id !== unit.id)
      .map((u) => u.id);
    for (const p of await repo.peerValues(db, ids, period, peerUnits)) {
      const l = peersByInd.get(p.indicatorId) ?? [];
      l.push(Number(p.value));
      peersByInd.set(p.indicatorId, l);
    }
  }
  return list.map((x) => {
    const def = formOf(yc, x.ind).definition;
    const p = prev.get(x.ind.id);
    const key = scoreFieldOf(def);
    const scoreLabel = def.scoreFormula ? '计分值' : (def.fields.find((f) => f.key === key)?.label ?? '数值');
    const fresh = detectAnomalies(
      {
        fields: def.fields,
        values: x.values,
        scoreValue: x.scoreValue,
        scoreLabel,
        previous: p
          ? { period: p.period, values: p.fields ?? {}, scoreValue: p.value === null ? null : Number(p.value) }
          : null,
        lastYear: lastYearVals.has(x.ind.id)
          ? { period: samePeriodLastYear(period), scoreValue: lastYearVals.get(x.ind.id) ?? null }
          : null,
        peers: peersByInd.get(x.ind.id) ?? [],
      },
      yc.anomaly,
    );
    return mergeConfirmations(fresh, x.existing?.flags ?? [], x.confirmations, who);
  });
}

/** Checks entries (hard errors → 400 naming the field, evidence references) and computes their soft flags. */
export async function prepareEntries(
  db: Db,
  yc: YearCtx,
  unit: TUnit,
  period: string,
  entries: {
    ind: TIndicator;
    raw: Record<string, unknown>;
    existing: repo.SubmissionRow | null;
    confirmations: { key: string; comment: string }[];
    errorPrefix: string;
  }[],
  who: { name: string; at: Date },
  allowedEvidence: (submissionId: number | null) => Promise<Set<number>>,
): Promise<Prepared[]> {
  const checked = [];
  for (const e of entries) {
    const c = checkEntry(yc, e.ind, e.raw);
    if (c.errors.length) firstError(c.errors, e.errorPrefix);
    for (const f of formOf(yc, e.ind).definition.fields.filter((x) => x.type === 'file')) {
      const allowed = await allowedEvidence(e.existing?.id ?? null);
      for (const id of (c.values[f.key] as number[] | null) ?? []) {
        if (!allowed.has(id))
          throw invalid(
            `${e.errorPrefix}values.${f.key}`,
            `${f.label}：附件 ${id} 不属于本条填报，请先上传`,
            `${f.label}: evidence ${id} does not belong to this submission`,
          );
      }
    }
    checked.push({ e, c });
  }
  const flags = await flagEntries(
    db,
    yc,
    unit,
    period,
    checked.map(({ e, c }) => ({
      ind: e.ind,
      values: c.values,
      scoreValue: c.scoreValue,
      existing: e.existing,
      confirmations: e.confirmations,
    })),
    who,
  );
  return checked.map(({ c }, i) => ({
    values: c.values,
    scoreValue: c.scoreValue,
    flags: flags[i],
    version: c.version,
  }));
}

export async function evidenceIdsOf(db: Db, submissionId: number | null): Promise<Set<number>> {
  if (submissionId === null) return new Set();
  return new Set((await repo.listEvidence(db, submissionId)).map((e) => e.id));
}

/** The unit and leaf of a new entry, checked: the user may fill it, it applies to the unit, the period is open. */
export async function entryTarget(
  ctx: Ctx,
  v: Viewer,
  yc: YearCtx,
  indicatorId: number,
  unitId: number,
  period: string,
  prefix = '',
) {
  const ind = yc.byId.get(indicatorId);
  if (!ind) throw invalid(`${prefix}indicatorId`, '指标不存在', 'Indicator does not exist');
  assertLeaf(yc, ind, `${prefix}indicatorId`);
  assertCollected(ind, `${prefix}indicatorId`);
  if (!canFill(v, unitId, ind)) {
    // Another unit's data: the same answer as a missing record. Own unit, wrong kind of leaf: forbidden.
    if (
      ind.dataSource === 'third_party' &&
      !v.scope.all &&
      v.scope.unitIds.has(unitId) &&
      v.user.permissions.has('submissions.fill')
    ) {
      throw new AppError('FORBIDDEN', {
        zh: `「${ind.code} ${ind.name}」的数据由考评主体填报`,
        en: `${ind.code} is entered by its assessing body`,
      });
    }
    throw notFound();
  }
  const unit = await getUnit(ctx.db, unitId);
  if (!collectedLeavesFor(yc, unit).some((l) => l.id === ind.id)) {
    throw invalid(
      `${prefix}indicatorId`,
      `指标「${ind.code} ${ind.name}」不适用于${unit.name}`,
      `Indicator ${ind.code} does not apply to ${unit.code}`,
    );
  }
  assertYearInForce(yc);
  assertPeriod(yc, period, reportingClock.now(), `${prefix}period`);
  return { ind, unit };
}

function assertDraftEditable(row: repo.SubmissionRow) {
  if (row.status === 'accepted') {
    throw new AppError('IMMUTABLE', {
      zh: '该期数据已审核归档，受保护不能修改或删除；如需更正请提出修订申请',
      en: 'Accepted data are protected; request a revision instead',
    });
  }
  if (row.status !== 'draft' && !(row.source === 'third_party' && row.status === 'submitted')) {
    throw new AppError('INVALID_STATE', {
      zh: '该期数据已提交审核，不能修改；如需修改请由审核人退回',
      en: 'The data are under review; ask the reviewer to return them first',
    });
  }
}

/** Saves a draft for a leaf, unit and period (creating it, or updating the existing draft). */
export async function saveDraft(ctx: Ctx, input: TSaveDraft): Promise<TSubmissionDetail> {
  const v = await viewerOf(ctx);
  const yearId = await yearIdOfIndicator(ctx.db, input.indicatorId);
  if (yearId === null) throw invalid('indicatorId', '指标不存在', 'Indicator does not exist');
  const yc = await loadYearCtx(ctx.db, yearId);
  const { ind, unit } = await entryTarget(ctx, v, yc, input.indicatorId, input.unitId, input.period);
  const existing = await repo.findByKey(ctx.db, ind.id, unit.id, input.period);
  if (existing) assertDraftEditable(existing);
  const row = await writeDraft(ctx, v, yc, ind, unit, input.period, existing, input.values, input.confirmations);
  return detailOf(ctx, { v, yc, row, ind, unit });
}

/** Updates the values of an existing draft. */
export async function updateDraft(ctx: Ctx, id: number, input: TUpdateDraft): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  assertDraftEditable(l.row);
  assertYearInForce(l.yc);
  const row = await writeDraft(ctx, l.v, l.yc, l.ind, l.unit, l.row.period, l.row, input.values, input.confirmations);
  return detailOf(ctx, { ...l, row });
}

async function writeDraft(
  ctx: Ctx,
  v: Viewer,
  yc: YearCtx,
  ind: TIndicator,
  unit: TUnit,
  period: string,
  existing: repo.SubmissionRow | null,
  raw: Record<string, unknown>,
  confirmations: { key: string; comment: string }[],
): Promise<repo.SubmissionRow> {
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  const [p] = await prepareEntries(
    ctx.db,
    yc,
    unit,
    period,
    [{ ind, raw, existing, confirmations, errorPrefix: '' }],
    who,
    (sid) => evidenceIdsOf(ctx.db, sid),
  );
  return ctx.db.transaction(async (tx) => {
    let row: repo.SubmissionRow | null;
    const fields = {
      value: p.scoreValue,
      fields: p.values,
      flags: p.flags,
      formVersion: p.version,
      enteredBy: v.user.id,
      enteredByName: who.name,
      enteredAt: now,
    };
    if (existing) {
      row = await repo.updateIfStatus(
        tx,
        existing.id,
        existing.status === 'draft' ? ['draft'] : [existing.status],
        fields,
      );
      if (!row) throw new AppError('INVALID_STATE');
    } else {
      row = await repo.insertSubmission(tx, {
        yearId: yc.year.id,
        indicatorId: ind.id,
        unitId: unit.id,
        period,
        source: ind.dataSource === 'third_party' ? 'third_party' : 'self_report',
        status: 'draft',
        ...fields,
      });
    }
    await repo.insertEvents(tx, [
      {
        submissionId: row.id,
        action: 'save',
        fromStatus: existing?.status ?? null,
        toStatus: row.status,
        comment: null,
        actorId: v.user.id,
        actorName: who.name,
      },
    ]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.save',
      entityType: 'submission',
      entityId: row.id,
      unitId: unit.id,
      before: existing ? { value: existing.value, values: existing.fields } : null,
      after: { indicatorId: ind.id, period, value: row.value, values: row.fields, flags: row.flags.map((f) => f.key) },
    });
    return row;
  });
}

/** Deletes a draft that was never submitted (with its evidence records). */
export async function deleteDraft(ctx: Ctx, id: number): Promise<void> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status === 'accepted') throw new AppError('IMMUTABLE');
  if (l.row.status !== 'draft' || l.row.firstSubmittedAt !== null) {
    throw new AppError('INVALID_STATE', {
      zh: '已提交过的填报不能删除',
      en: 'A submission that was submitted once cannot be deleted',
    });
  }
  await ctx.db.transaction(async (tx) => {
    await repo.deleteEvidenceOf(tx, id);
    if (!(await repo.deleteDraft(tx, id))) throw new AppError('INVALID_STATE');
    await recordAudit(tx, ctx.actor, {
      action: 'submission.delete',
      entityType: 'submission',
      entityId: id,
      unitId: l.row.unitId,
      before: { indicatorId: l.row.indicatorId, period: l.row.period, value: l.row.value, values: l.row.fields },
    });
  });
}

export function pendingFlagsError(flags: readonly StoredFlag[], prefix = ''): never {
  const f = flags[0];
  throw new AppError('VALIDATION', {
    field: `${prefix}confirmations.${f.key}`,
    zh: `请确认异常提示并填写说明：${f.zh}`,
    en: `Confirm the flagged value with a comment: ${f.en}`,
  });
}

/** Reporter (or assessing body): submits a draft; soft flags must be confirmed with a comment first. */
export async function submit(ctx: Ctx, id: number, input: TSubmitBody): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status === 'accepted') throw new AppError('IMMUTABLE');
  if (l.row.status !== 'draft') throw new AppError('INVALID_STATE', { zh: '该期数据已提交', en: 'Already submitted' });
  assertYearInForce(l.yc);
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  // Re-check against the current form and peers: what is submitted is what was validated.
  const [p] = await prepareEntries(
    ctx.db,
    l.yc,
    l.unit,
    l.row.period,
    [{ ind: l.ind, raw: l.row.fields ?? {}, existing: l.row, confirmations: input.confirmations, errorPrefix: '' }],
    who,
    (sid) => evidenceIdsOf(ctx.db, sid),
  );
  const pending = unconfirmed(p.flags);
  if (pending.length) pendingFlagsError(pending);
  const deadline = deadlineOf(l.yc, l.ind.id, l.row.period);
  const first = l.row.firstSubmittedAt ?? now;
  const row = await ctx.db.transaction(async (tx) => {
    const r = await repo.updateIfStatus(tx, id, ['draft'], {
      status: 'submitted',
      value: p.scoreValue,
      fields: p.values,
      flags: p.flags,
      submittedBy: l.v.user.id,
      submittedAt: now,
      firstSubmittedAt: first,
      deadline,
      late: isLate(first, deadline),
      returnReason: null,
      returnedStage: null,
    });
    if (!r) throw new AppError('INVALID_STATE');
    await repo.insertEvents(tx, [
      {
        submissionId: id,
        action: 'submit',
        fromStatus: 'draft',
        toStatus: 'submitted',
        comment: null,
        actorId: l.v.user.id,
        actorName: who.name,
      },
    ]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.submit',
      entityType: 'submission',
      entityId: id,
      unitId: l.row.unitId,
      before: { status: 'draft' },
      after: {
        status: 'submitted',
        value: r.value,
        late: r.late,
        deadline,
        confirmations: p.flags.map((f) => ({ key: f.key, comment: f.comment })),
      },
    });
    return r;
  });
  return detailOf(ctx, { ...l, row });
}
