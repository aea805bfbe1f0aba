/**
 * Excel exports of the score pages, each from the same service call (and so the same filters and
 * visibility) as the page: the ranking, a unit's scores, the publications and a publication (通报),
 * an explanation's inputs and a sandbox run.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Lang } from '../../lib/errors.js';
import { requirePermission } from '../../lib/http.js';
import { exportTime, sendTable, type TableColumn } from '../../lib/xlsx-table.js';
import {
  ZExplainQuery,
  ZIdParam,
  ZSandboxRequest,
  ZScoresQuery,
  ZUnitParam,
  ZUnitScoresQuery,
  ZYearParam,
  type TPublication,
  type TScoreRow,
  type TScoreTable,
  type TTreeNode,
} from './scoring.schema.js';
import * as service from './scoring.service.js';

/** An ideographic space: indents the tree's names in the sheet. */
const IDEO = '\u3000';
const L = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** The ranking's columns: category, rank, unit, total, the level-1 scores, bonus, deductions, grade, completeness. */
export function rankingColumns(table: Pick<TScoreTable, 'topIndicators'>, lang: Lang): TableColumn<TScoreRow>[] {
  return [
    { header: L(lang, '类别', 'Category'), value: (r) => r.categoryName, width: 14 },
    { header: L(lang, '名次', 'Rank'), value: (r) => r.rank, format: 'int', width: 8 },
    { header: L(lang, '同类单位数', 'Of'), value: (r) => r.of, format: 'int', width: 10 },
    { header: L(lang, '单位', 'Unit'), value: (r) => r.unitName, width: 22 },
    { header: L(lang, '总分', 'Total'), value: (r) => r.total, format: 'score', width: 10 },
    ...table.topIndicators.map((ti, k): TableColumn<TScoreRow> => ({
      header: `${ti.name}（${ti.points}）`,
      value: (r) => r.nodes[k]?.score ?? null,
      format: 'score',
      width: 12,
    })),
    { header: L(lang, '加分', 'Bonus'), value: (r) => r.bonus, format: 'score', width: 8 },
    { header: L(lang, '扣分', 'Deductions'), value: (r) => r.deduction, format: 'score', width: 8 },
    { header: L(lang, '问责扣分', 'Accountability'), value: (r) => r.accountability, format: 'score', width: 10 },
    {
      header: L(lang, '等次', 'Grade'),
      value: (r) => (r.completeness && !r.completeness.complete ? L(lang, '数据不完整', 'Incomplete') : r.grade),
      width: 12,
    },
    { header: L(lang, '按现有数据的等次', 'Grade on the data so far'), value: (r) => r.grade, width: 12 },
    {
      header: L(lang, '数据完整性', 'Completeness'),
      value: (r) => r.completeness?.text || L(lang, '完整', 'Complete'),
      width: 40,
    },
    { header: L(lang, '上年同期', 'Last year'), value: (r) => r.lastYearTotal, format: 'score', width: 10 },
    { header: L(lang, '上年名次', 'Last year rank'), value: (r) => r.lastYearRank, format: 'int', width: 10 },
    { header: L(lang, '同比', 'Change'), value: (r) => r.change, format: 'score', width: 10 },
  ];
}

/** Rows in the page's order: categories in their order, then rank, then name. */
function rankingRows(table: TScoreTable): TScoreRow[] {
  const order = new Map(table.categories.map((c, i) => [c.id, i]));
  return [...table.rows].sort(
    (a, b) =>
      (order.get(a.categoryId) ?? 99) - (order.get(b.categoryId) ?? 99) ||
      a.rank - b.rank ||
      a.unitName.localeCompare(b.unitName, 'zh'),
  );
}

const publicationColumns = (lang: Lang): TableColumn<TPublication>[] => [
  { header: L(lang, '考核期', 'Period'), value: (p) => p.period, width: 10 },
  { header: L(lang, '窗口', 'Window'), value: (p) => p.windowLabel, width: 12 },
  { header: L(lang, '全年结果', 'Annual'), value: (p) => (p.fullYear ? L(lang, '是', 'yes') : ''), width: 8 },
  { header: L(lang, '单位数', 'Units'), value: (p) => p.unitCount, format: 'int', width: 8 },
  { header: L(lang, '说明', 'Note'), value: (p) => p.note, width: 30 },
  { header: L(lang, '发布人', 'Published by'), value: (p) => p.publishedByName, width: 12 },
  { header: L(lang, '发布时间', 'Published at'), value: (p) => exportTime(p.publishedAt), width: 18 },
  { header: L(lang, '数据版本', 'Score version'), value: (p) => p.scoreVersion, format: 'int', width: 10 },
  { header: 'SHA-256', value: (p) => p.snapshotSha256, width: 30 },
];

const treeColumns = (lang: Lang): TableColumn<TTreeNode>[] => [
  { header: L(lang, '指标编码', 'Code'), value: (n) => n.code, width: 14 },
  {
    header: L(lang, '指标名称', 'Indicator'),
    value: (n) => `${IDEO.repeat(Math.max(0, n.level - 1))}${n.name}`,
    width: 36,
  },
  { header: L(lang, '层级', 'Level'), value: (n) => n.level, format: 'int', width: 6 },
  { header: L(lang, '分值', 'Points'), value: (n) => n.points, format: 'score', width: 8 },
  { header: L(lang, '得分', 'Score'), value: (n) => (n.applicable ? n.score : null), format: 'score', width: 10 },
  { header: L(lang, '同类平均', 'Category average'), value: (n) => n.categoryAvg, format: 'score', width: 10 },
  {
    header: L(lang, '说明', 'Note'),
    value: (n) =>
      !n.applicable ? L(lang, '不适用', 'not applicable') : n.score === null ? L(lang, '无得分', 'no score') : '',
    width: 12,
  },
];

export const scoringExportRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { preHandler: requirePermission('scores.read') };
  const what = { preHandler: requirePermission('scores.sandbox') };
  const tags = ['scores'];

  app.get('/scores/export', { ...read, schema: { tags, querystring: ZScoresQuery } }, async (req, reply) => {
    const lang = req.ctx.lang;
    const table = await service.scoreTable(req.ctx, req.query);
    const name = `${table.year.name}${table.window.label}绩效排名${table.published ? '（已发布）' : ''}`;
    return sendTable(
      reply,
      { name: `${name}.xlsx`, fallback: `ranking-${table.window.period}.xlsx` },
      {
        sheet: L(lang, '绩效排名', 'Ranking'),
        title: `${name}${table.published ? `  发布于 ${exportTime(table.published.publishedAt)}` : `  导出于 ${exportTime(new Date())}（实时）`}`,
        columns: rankingColumns(table, lang),
        rows: rankingRows(table),
      },
    );
  });

  app.get(
    '/scores/units/:unitId/export',
    { ...read, schema: { tags, params: ZUnitParam, querystring: ZUnitScoresQuery } },
    async (req, reply) => {
      const lang = req.ctx.lang;
      const u = await service.unitScores(req.ctx, req.params.unitId, req.query);
      const r = u.row;
      const name = `${r.unitName}${u.year.name}${u.window.label}绩效得分`;
      const summary = `${name}  总分 ${r.total.toFixed(2)}  ${r.categoryName}第 ${r.rank}/${r.of} 名  ${
        r.completeness && !r.completeness.complete ? r.completeness.text : (r.grade ?? '')
      }`;
      return sendTable(
        reply,
        { name: `${name}.xlsx`, fallback: `unit-${r.unitCode}-${u.window.period}.xlsx` },
        { sheet: L(lang, '得分明细', 'Scores'), title: summary, columns: treeColumns(lang), rows: u.tree },
      );
    },
  );

  app.get(
    '/scores/publications/export',
    { ...read, schema: { tags, querystring: ZYearParam.partial() } },
    async (req, reply) => {
      const list = await service.listPublications(req.ctx, req.query.yearId);
      return sendTable(
        reply,
        { name: '考核结果发布记录.xlsx', fallback: 'publications.xlsx' },
        {
          sheet: L(req.ctx.lang, '发布记录', 'Publications'),
          title: L(req.ctx.lang, '考核结果发布记录', 'Published results'),
          columns: publicationColumns(req.ctx.lang),
          rows: list,
        },
      );
    },
  );

  app.get('/scores/publications/:id/export', { ...read, schema: { tags, params: ZIdParam } }, async (req, reply) => {
    const lang = req.ctx.lang;
    const { publication: p, table } = await service.getPublication(req.ctx, req.params.id);
    const name = `${table.year.name}${p.windowLabel}绩效考核结果通报`;
    return sendTable(
      reply,
      { name: `${name}.xlsx`, fallback: `publication-${p.id}.xlsx` },
      {
        sheet: L(lang, '通报', 'Publication'),
        title: `${name}  ${p.publishedByName} 发布于 ${exportTime(p.publishedAt)}${p.note ? `  ${p.note}` : ''}`,
        columns: rankingColumns(table, lang),
        rows: rankingRows(table),
      },
    );
  });

  app.get('/scores/explain/export', { ...read, schema: { tags, querystring: ZExplainQuery } }, async (req, reply) => {
    const lang = req.ctx.lang;
    const e = await service.explainScore(req.ctx, req.query);
    const what = e.kind === 'indicator' ? (e.indicator.name ?? e.indicator.code) : L(lang, '总分', 'total');
    const name = `${e.unit.name}${e.window.label}「${what}」得分说明`;
    type Line = { k: string; v: string | number | null; by?: string; at?: string; src?: string };
    const lines: Line[] = [
      { k: L(lang, '得分', 'Score'), v: e.kind === 'indicator' ? e.score : e.total },
      ...e.steps.map((s, i) => ({ k: `${L(lang, '步骤', 'Step')} ${i + 1}`, v: s })),
      { k: L(lang, '计算', 'Arithmetic'), v: e.arithmetic },
      ...(e.kind === 'indicator'
        ? e.inputs.map((x) => ({
            k: `${x.indicatorCode}${x.field ? `.${x.field}` : ''} ${x.periodLabel}`,
            v: x.value,
            by: x.provenance?.enteredByName ?? '',
            at: exportTime(x.provenance?.enteredAt),
            src: x.provenance?.sourceRef ?? '',
          }))
        : e.deductions.map((d) => ({
            k: `${L(lang, '问责扣分', 'Accountability')} ${d.period}`,
            v: -d.points,
            src: `${d.reason}（${d.documentNo}）`,
          }))),
    ];
    return sendTable(
      reply,
      { name: `${name}.xlsx`, fallback: 'explanation.xlsx' },
      {
        sheet: L(lang, '得分说明', 'Explanation'),
        title: name,
        columns: [
          { header: L(lang, '项目', 'Item'), value: (l: Line) => l.k, width: 24 },
          { header: L(lang, '内容', 'Value'), value: (l: Line) => l.v, width: 60 },
          { header: L(lang, '录入人', 'Entered by'), value: (l: Line) => l.by ?? '', width: 12 },
          { header: L(lang, '录入时间', 'Entered at'), value: (l: Line) => l.at ?? '', width: 18 },
          { header: L(lang, '来源', 'Source'), value: (l: Line) => l.src ?? '', width: 30 },
        ],
        rows: lines,
      },
    );
  });

  app.post('/scores/sandbox/export', { ...what, schema: { tags, body: ZSandboxRequest } }, async (req, reply) => {
    const lang = req.ctx.lang;
    const r = await service.sandbox(req.ctx, req.body);
    type Row = (typeof r.rows)[number];
    const cols: TableColumn<Row>[] = [
      { header: L(lang, '类别', 'Category'), value: (x) => x.categoryName, width: 14 },
      { header: L(lang, '单位', 'Unit'), value: (x) => x.unitName, width: 22 },
      { header: L(lang, '实际总分', 'Actual total'), value: (x) => x.real.total, format: 'score', width: 10 },
      { header: L(lang, '实际名次', 'Actual rank'), value: (x) => x.real.rank, format: 'int', width: 10 },
      { header: L(lang, '实际等次', 'Actual grade'), value: (x) => x.real.grade, width: 10 },
      { header: L(lang, '模拟总分', 'What-if total'), value: (x) => x.sandbox.total, format: 'score', width: 10 },
      { header: L(lang, '模拟名次', 'What-if rank'), value: (x) => x.sandbox.rank, format: 'int', width: 10 },
      { header: L(lang, '模拟等次', 'What-if grade'), value: (x) => x.sandbox.grade, width: 10 },
      { header: L(lang, '总分变化', 'Total change'), value: (x) => x.totalChange, format: 'score', width: 10 },
      { header: L(lang, '名次变化', 'Rank change'), value: (x) => x.rankChange, format: 'int', width: 10 },
      { header: L(lang, '同类单位数', 'Of'), value: (x) => x.of, format: 'int', width: 10 },
    ];
    return sendTable(
      reply,
      { name: `模拟测算${r.window.label}.xlsx`, fallback: 'sandbox.xlsx' },
      {
        sheet: L(lang, '模拟测算', 'Sandbox'),
        title: `${L(lang, '模拟测算（未保存，不影响正式结果）', 'What-if run (not saved)')}  ${r.window.label}`,
        columns: cols,
        rows: r.rows,
      },
    );
  });
};
