/**
 * Data collection: third-party entry by an assessing body.
 */
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { type TIndicator } from '../performance/index.js';
import { type TUnit } from '../units/index.js';
import { unconfirmed } from './reporting.anomaly.js';
import { isLate, splitPeriod } from './reporting.deadline.js';
import { sameValues } from './reporting.forms.js';
import * as repo from './reporting.repo.js';
import type { TThirdPartySave } from './reporting.schema.js';
import { actorName, deadlineOf, loadYearCtx, reportingClock, resolveYearId, viewerOf } from './reporting.year.js';
import { type Prepared, entryTarget, evidenceIdsOf, pendingFlagsError, prepareEntries } from './reporting.entry.js';

// ---------- third-party entry ----------

/**
 * Assessing body: enters and submits third-party values for the units it assesses in one go
 * (all-or-nothing). Third-party data skip the unit leader — the assessed unit does not approve data
 * about itself — and go straight to the office for acceptance. While not yet accepted, the assessing
 * body may correct them; accepted values change only through a revision.
 */
export async function saveThirdParty(
  ctx: Ctx,
  input: TThirdPartySave,
): Promise<{ saved: number; unchanged: number; submissionIds: number[] }> {
  const v = await viewerOf(ctx);
  const yearId = await resolveYearId(ctx.db);
  const yc = await loadYearCtx(ctx.db, yearId);
  if (splitPeriod(input.period).year !== yc.year.year)
    throw invalid('period', `填报期须在 ${yc.year.year} 年内`, `The period must lie in ${yc.year.year}`);
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  type Item = { i: number; ind: TIndicator; unit: TUnit; existing: repo.SubmissionRow | null; p: Prepared };
  const items: Item[] = [];
  const byUnit = new Map<
    number,
    {
      unit: TUnit;
      list: {
        i: number;
        ind: TIndicator;
        existing: repo.SubmissionRow | null;
        raw: Record<string, unknown>;
        conf: { key: string; comment: string }[];
      }[];
    }
  >();
  const seen = new Set<string>();
  for (const [i, e] of input.entries.entries()) {
    const key = `${e.indicatorId}:${e.unitId}`;
    if (seen.has(key)) throw invalid(`entries.${i}.unitId`, '同一指标和单位重复出现', 'Duplicate indicator and unit');
    seen.add(key);
    const { ind, unit } = await entryTarget(ctx, v, yc, e.indicatorId, e.unitId, input.period, `entries.${i}.`);
    if (ind.dataSource !== 'third_party')
      throw invalid(`entries.${i}.indicatorId`, '该指标不是第三方数据', 'Not a third-party indicator');
    const existing = await repo.findByKey(ctx.db, ind.id, unit.id, input.period);
    if (existing && existing.status === 'accepted') {
      throw new AppError('IMMUTABLE', {
        field: `entries.${i}`,
        zh: `${unit.name}「${ind.code}」的数据已归档，受保护不能修改；请提出修订申请`,
        en: `Accepted data of ${unit.code} ${ind.code} are protected`,
      });
    }
    const g = byUnit.get(unit.id) ?? { unit, list: [] };
    g.list.push({ i, ind, existing, raw: e.values, conf: e.confirmations });
    byUnit.set(unit.id, g);
  }
  for (const g of byUnit.values()) {
    const prepared = await prepareEntries(
      ctx.db,
      yc,
      g.unit,
      input.period,
      g.list.map((x) => ({
        ind: x.ind,
        raw: x.raw,
        existing: x.existing,
        confirmations: x.conf,
        errorPrefix: `entries.${x.i}.`,
      })),
      who,
      (sid) => evidenceIdsOf(ctx.db, sid),
    );
    g.list.forEach((x, k) => {
      const pending = unconfirmed(prepared[k].flags);
      if (pending.length) pendingFlagsError(pending, `entries.${x.i}.`);
      items.push({ i: x.i, ind: x.ind, unit: g.unit, existing: x.existing, p: prepared[k] });
    });
  }
  const changed = items.filter(
    (it) => !(it.existing && it.existing.status === 'submitted' && sameValues(it.existing.fields ?? {}, it.p.values)),
  );
  const ids = await ctx.db.transaction(async (tx) => {
    const out: number[] = [];
    for (const it of changed) {
      const deadline = deadlineOf(yc, it.ind.id, input.period);
      const first = it.existing?.firstSubmittedAt ?? now;
      const patch = {
        status: 'submitted' as const,
        value: it.p.scoreValue,
        fields: it.p.values,
        flags: it.p.flags,
        formVersion: it.p.version,
        enteredBy: v.user.id,
        enteredByName: who.name,
        enteredAt: now,
        submittedBy: v.user.id,
        submittedAt: now,
        firstSubmittedAt: first,
        deadline,
        late: isLate(first, deadline),
        returnReason: null,
        returnedStage: null,
      };
      const row = it.existing
        ? await repo.updateIfStatus(tx, it.existing.id, [it.existing.status], patch)
        : await repo.insertSubmission(tx, {
            yearId: yc.year.id,
            indicatorId: it.ind.id,
            unitId: it.unit.id,
            period: input.period,
            source: 'third_party',
            ...patch,
          });
      if (!row) throw new AppError('INVALID_STATE');
      out.push(row.id);
      await repo.insertEvents(tx, [
        {
          submissionId: row.id,
          action: 'third_party_submit',
          fromStatus: it.existing?.status ?? null,
          toStatus: 'submitted',
          comment: null,
          actorId: v.user.id,
          actorName: who.name,
        },
      ]);
    }
    if (out.length) {
      await recordAudit(tx, ctx.actor, {
        action: 'submission.third_party',
        entityType: 'submission',
        entityId: null,
        after: {
          period: input.period,
          entries: changed.map((it) => ({
            indicatorId: it.ind.id,
            unitId: it.unit.id,
            value: it.p.scoreValue,
            values: it.p.values,
          })),
        },
      });
    }
    return out;
  });
  return { saved: ids.length, unchanged: items.length - changed.length, submissionIds: ids };
}
