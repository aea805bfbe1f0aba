import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invalid, type Lang } from '../../lib/errors.js';
import { requireUser } from '../../lib/http.js';
import { ahp, AhpError } from '../../engine/ahp.js';
import { compileFormula, FormulaError, substitute } from '../../engine/formula.js';
import { scoringResultsRoutes } from './scoring.results.routes.js';
import { scoringExportRoutes } from './scoring.export.js';
import {
  ZAhpRequest,
  ZAhpResult,
  ZFormulaEvaluate,
  ZFormulaResult,
  type TAhpRequest,
  type TAhpResult,
  type TFormulaEvaluate,
  type TFormulaResult,
} from './scoring.schema.js';

/**
 * Test-evaluates a formula against sample values. Every problem — syntax, unknown variable, division
 * by zero, limits — is a 400 on `expression` whose message names the position.
 */
function evaluateFormula(body: TFormulaEvaluate): TFormulaResult {
  const vars = new Map(Object.entries(body.variables));
  try {
    const f = compileFormula(body.expression, { knownVariables: vars.keys() });
    const value = f.evaluate(vars);
    if (!Number.isFinite(value)) throw invalid('expression', '计算结果无效', 'the result is not a number');
    return { value, variables: [...f.variables], arithmetic: substitute(f.ast, vars) };
  } catch (e) {
    if (e instanceof FormulaError) throw invalid('expression', e.zh, e.en);
    throw e;
  }
}

/** AHP weights and consistency; a malformed matrix is a 400 naming 'matrix', 'matrix.i' or 'matrix.i.j'. */
function ahpWeights(body: TAhpRequest, lang: Lang): TAhpResult {
  try {
    const r = ahp(body.matrix);
    return { ...r, message: r.message ? r.message[lang] : null };
  } catch (e) {
    if (e instanceof AhpError) throw invalid(e.field, e.zh, e.en);
    throw e;
  }
}

export const scoringRoutes: FastifyPluginAsyncZod = async (app) => {
  const signedIn = { preHandler: requireUser };
  const tags = ['scoring'];

  app.post(
    '/formulas/evaluate',
    { ...signedIn, schema: { tags, body: ZFormulaEvaluate, response: { 200: ZFormulaResult } } },
    (req) => evaluateFormula(req.body),
  );

  app.post('/ahp', { ...signedIn, schema: { tags, body: ZAhpRequest, response: { 200: ZAhpResult } } }, (req) =>
    ahpWeights(req.body, req.ctx.lang),
  );

  // Scores on the database (scoring.results.routes.ts).
  await app.register(scoringResultsRoutes);
  // Excel exports of the same tables (scoring.export.ts).
  await app.register(scoringExportRoutes);
};
