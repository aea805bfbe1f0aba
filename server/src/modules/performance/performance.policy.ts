/**
 * Who may configure a scheme (its tree, methods, units assessed, periods, grades): the office
 * (`indicators.manage`) every scheme; a user holding `schemes.configure` (the assessor role) only the
 * special schemes whose assessing body (考评主体) is their own unit — never the annual scheme, another
 * body's scheme, or who the assessing body is.
 */
import type { Ctx } from '../../lib/context.js';
import { forbidden, invalid, notFound } from '../../lib/errors.js';
import * as repo from './performance.repo.js';

const isOffice = (ctx: Ctx) => ctx.user?.permissions.has('indicators.manage') === true;

/** Refuses (403) a configuration change of the scheme by someone who may not make it; 404 when it does not exist. */
export async function assertMayConfigure(ctx: Ctx, yearId: number): Promise<void> {
  const year = await repo.findYear(ctx.db, yearId);
  if (!year) throw notFound();
  if (isOffice(ctx)) return;
  const user = ctx.user;
  if (
    !user?.permissions.has('schemes.configure') ||
    year.kind !== 'special' ||
    year.assessingUnitId === null ||
    year.assessingUnitId !== user.unitId
  )
    throw forbidden();
}

/** The same for a change of one indicator (its scheme decides). */
export async function assertMayConfigureIndicator(ctx: Ctx, indicatorId: number): Promise<void> {
  const ind = await repo.findIndicator(ctx.db, indicatorId);
  if (!ind) throw notFound();
  await assertMayConfigure(ctx, ind.yearId);
}

/** An assessing body creates schemes only with itself as the assessing body, and cannot hand its scheme to another. */
export function assertOwnAssessingBody(ctx: Ctx, assessingUnitId: number | null | undefined): void {
  if (isOffice(ctx) || assessingUnitId === undefined) return;
  if (assessingUnitId !== ctx.user?.unitId)
    throw invalid(
      'assessingUnitId',
      '考评主体只能是本单位，更换考评主体请联系绩效办',
      'The assessing body can only be your own unit; the office changes it',
    );
}
