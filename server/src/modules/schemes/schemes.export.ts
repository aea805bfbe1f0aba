/**
 * Excel exports of the special-assessment pages, each from the same service call (the same filters and
 * visibility) as the page: the spot checks, the self-check reports and a period's results by grade.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lang } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import { exportTime, sendTable, type TableColumn } from '../../lib/xlsx-table.js';
import { getYear } from '../performance/index.js';
import { listSubmissions, periodLabel, type TSubmission } from '../reporting/index.js';
import { scoreTable, type TScoreRow } from '../scoring/index.js';
import type { TSpotCheck } from './schemes.schema.js';
import { ZIdParam, ZSpotCheckQuery } from './schemes.schema.js';
import * as service from './schemes.service.js';

const L = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
const month = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

export const ZSelfCheckExportQuery = z.object({
  indicatorId: z.coerce.number().int().positive().max(2147483647),
  period: month.optional(),
});
export const ZResultsExportQuery = z.object({
  period: z.string().regex(/^\d{4}(-(H[12]|Q[1-4]))?$/, 'YYYY, YYYY-H1/H2 or YYYY-Q1..Q4'),
  published: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

const STATUS: Record<string, [string, string]> = {
  draft: ['草稿', 'Draft'],
  submitted: ['待单位领导审核', 'Submitted'],
  leader_approved: ['待绩效办审核', 'Approved by the unit'],
  accepted: ['已通过', 'Accepted'],
};

export const schemesExportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['schemes: special assessments'];
  const read = { preHandler: requirePermission('scores.read') };
  const data = {
    preHandler: requirePermission(
      'submissions.fill',
      'submissions.approve',
      'submissions.accept',
      'submissions.thirdParty',
    ),
  };

  app.get('/spot-checks/export', { ...read, schema: { tags, querystring: ZSpotCheckQuery } }, async (req, reply) => {
    const lang = req.ctx.lang;
    const scheme = await getYear(req.ctx.db, req.query.schemeId);
    const rows = await service.listSpotChecks(req.ctx, req.query);
    const columns: TableColumn<TSpotCheck>[] = [
      { header: L(lang, '抽查日期', 'Date'), value: (r) => r.checkedOn, width: 12 },
      { header: L(lang, '被查单位', 'Unit'), value: (r) => r.unitName, width: 20 },
      { header: L(lang, '指标', 'Indicator'), value: (r) => r.indicatorName, width: 16 },
      { header: L(lang, '抽查地点', 'Location'), value: (r) => r.location, width: 24 },
      { header: L(lang, '发现问题', 'Findings'), value: (r) => r.findings, width: 48 },
      { header: L(lang, '得分', 'Score'), value: (r) => r.score, format: 'score', width: 8 },
      { header: L(lang, '检查人', 'Checked by'), value: (r) => r.checkedByName, width: 20 },
      { header: L(lang, '录入时间', 'Recorded'), value: (r) => exportTime(r.createdAt), width: 17 },
    ];
    const name = `${scheme.name}不定期抽查`;
    return sendTable(
      reply,
      { name: `${name}.xlsx`, fallback: `spot-checks-${scheme.year}-${scheme.code}.xlsx` },
      {
        sheet: L(lang, '不定期抽查', 'Spot checks'),
        title: `${name}  ${L(lang, '导出于', 'exported')} ${exportTime(new Date())}  ${L(lang, `共 ${rows.length} 次`, `${rows.length} check(s)`)}`,
        columns,
        rows,
      },
    );
  });

  app.get(
    '/schemes/:id/self-checks/export',
    { ...data, schema: { tags, params: ZIdParam, querystring: ZSelfCheckExportQuery } },
    async (req, reply) => {
      const lang = req.ctx.lang;
      const scheme = await getYear(req.ctx.db, req.params.id);
      const rows = await listSubmissions(req.ctx, {
        yearId: scheme.id,
        indicatorId: req.query.indicatorId,
        period: req.query.period,
        flagged: undefined,
        limit: 2000,
      });
      const field = (r: TSubmission, key: string) => {
        const v = (r.values as Record<string, unknown>)[key];
        return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
      };
      const columns: TableColumn<TSubmission>[] = [
        { header: L(lang, '单位', 'Unit'), value: (r) => r.unitName, width: 20 },
        { header: L(lang, '考核期', 'Period'), value: (r) => periodLabel(r.period, scheme.periods)[lang], width: 14 },
        { header: L(lang, '自评得分', 'Self score'), value: (r) => r.value, format: 'score', width: 10 },
        { header: L(lang, '自查总结', 'Summary'), value: (r) => field(r, 'summary'), width: 60 },
        {
          header: L(lang, '状态', 'Status'),
          value: (r) => L(lang, ...(STATUS[r.status] ?? [r.status, r.status])),
          width: 14,
        },
        { header: L(lang, '填报人', 'Entered by'), value: (r) => r.enteredByName, width: 12 },
        { header: L(lang, '报送时间', 'Submitted'), value: (r) => exportTime(r.submittedAt), width: 17 },
      ];
      const what = req.query.period ? periodLabel(req.query.period, scheme.periods)[lang] : '';
      const name = `${scheme.name}${what}自查报告`;
      return sendTable(
        reply,
        { name: `${name}.xlsx`, fallback: `self-checks-${scheme.year}-${scheme.code}.xlsx` },
        {
          sheet: L(lang, '自查报告', 'Self-checks'),
          title: `${name}  ${L(lang, '导出于', 'exported')} ${exportTime(new Date())}  ${L(lang, `共 ${rows.length} 份`, `${rows.length} report(s)`)}`,
          columns,
          rows,
        },
      );
    },
  );

  app.get(
    '/schemes/:id/results/export',
    { ...read, schema: { tags, params: ZIdParam, querystring: ZResultsExportQuery } },
    async (req, reply) => {
      const lang = req.ctx.lang;
      const table = await scoreTable(req.ctx, {
        yearId: req.params.id,
        period: req.query.period,
        published: req.query.published,
      });
      const grades = table.grades;
      const rows = [...table.rows].sort((a, b) => b.total - a.total || a.unitName.localeCompare(b.unitName, 'zh'));
      const columns: TableColumn<TScoreRow>[] = [
        { header: L(lang, '名次', 'Rank'), value: (r) => rows.indexOf(r) + 1, format: 'int', width: 8 },
        { header: L(lang, '单位', 'Unit'), value: (r) => r.unitName, width: 22 },
        { header: L(lang, '序列', 'Group'), value: (r) => r.categoryName, width: 14 },
        ...table.topIndicators.map((n, k): TableColumn<TScoreRow> => ({
          header: `${n.name}（${n.points}）`,
          value: (r) => r.nodes[k]?.score ?? null,
          format: 'score',
          width: 12,
        })),
        { header: L(lang, '总分', 'Total'), value: (r) => r.total, format: 'score', width: 10 },
        { header: L(lang, '效能等级', 'Grade'), value: (r) => r.grade, width: 10 },
      ];
      const counts = grades.map((g) => `${g} ${rows.filter((r) => r.grade === g).length}`).join('，');
      const name = `${table.year.name}${table.window.label}结果${table.published ? '（已发布）' : ''}`;
      return sendTable(
        reply,
        { name: `${name}.xlsx`, fallback: `results-${table.window.period}.xlsx` },
        {
          sheet: L(lang, '效能等级', 'Grades'),
          title: `${name}  ${L(lang, '等次分布', 'grades')}：${counts}  ${
            table.published
              ? `${L(lang, '发布于', 'published')} ${exportTime(table.published.publishedAt)}`
              : `${L(lang, '导出于', 'exported')} ${exportTime(new Date())}（${L(lang, '实时', 'live')}）`
          }`,
          columns,
          rows,
        },
      );
    },
  );
};
