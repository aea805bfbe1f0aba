/**
 * Issued documents of 情况综合与反馈: the office selects tasks (a checklist or the ledger's filters) and issues
 * a 督查专报 (to the leaders) or a 督查通报 (to the units it names) as a Word document. The text is composed
 * from the tasks' data (status, progress, light, latest report, overdue milestones), previewed, and the
 * office may rewrite the problems and suggestions before issue. At issue the 文号 is taken from the
 * kind's yearly counter in the same transaction as the document (no gaps: a failed issue gives it back),
 * and the .docx is rendered there and kept as bytes in the row, so every download is the issued file.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import type { TDocContent, TDocDetail, TDocDraft, TDocRow, TDocUnit } from './supervision.docs.schema.js';
import type { DocKind } from './supervision.docs.table.js';
import { documentDocx } from './supervision.docs.docx.js';
import * as repo from './supervision.proposals.repo.js';
import { documentNumber } from './supervision.proposals.rules.js';
import { listLedger } from './supervision.service.js';
import type { TaskStatus } from './supervision.table.js';
import { userOf } from './supervision.access.js';

/** The issuer printed at the foot of every document. */
export const ISSUER = '汉江区人民政府督查室';
const today = () => beijingDate(new Date());
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The selected tasks' ids: the checklist (each must exist and be in the ledger) or the filter's matches. */
async function selectedIds(ctx: Ctx, d: TDocDraft): Promise<number[]> {
  if (d.taskIds) return [...new Set(d.taskIds)];
  if (!d.filter) throw invalid('taskIds', '请勾选督办事项或设置筛选条件', 'Choose tasks or a filter');
  const r = await listLedger(ctx, { ...d.filter, page: 1, pageSize: 500 });
  if (!r.rows.length) throw invalid('filter', '没有符合条件的督办事项', 'No task matches the filter');
  return r.rows.map((x) => x.id);
}

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0);

/** Composes the document's text from the tasks (pure apart from the query), proposing problems and suggestions. */
async function compose(
  db: Db,
  ids: readonly number[],
  d: TDocDraft,
  on: string,
): Promise<{ content: TDocContent; taskIds: number[] }> {
  const tasks = await repo.documentTasks(db, ids, on);
  if (tasks.length !== ids.length)
    throw invalid('taskIds', '所选事项不存在或尚未立项交办', 'A chosen task does not exist or has no lead unit');
  const byUnit = new Map<number, TDocUnit>();
  for (const t of tasks) {
    let u = byUnit.get(Number(t.lead_unit_id));
    if (!u) {
      u = {
        unitId: Number(t.lead_unit_id),
        unitName: t.lead_unit_name,
        tasks: [],
        completed: 0,
        red: 0,
        yellow: 0,
        overdueMilestones: 0,
        averageProgress: 0,
      };
      byUnit.set(u.unitId, u);
    }
    const overdue = t.overdue ?? [];
    u.tasks.push({
      id: Number(t.id),
      title: t.title,
      status: t.status as TaskStatus,
      progress: t.progress,
      light: t.light as 'green' | 'yellow' | 'red' | null,
      lightReasons: t.light_reasons ?? [],
      deadline: t.deadline,
      latestReport: t.report_on ? { on: t.report_on, note: t.report_note ?? '' } : null,
      overdueMilestones: overdue,
    });
    if (t.status === 'completed') u.completed++;
    if (t.light === 'red') u.red++;
    if (t.light === 'yellow') u.yellow++;
    u.overdueMilestones += overdue.length;
  }
  const units = [...byUnit.values()];
  for (const u of units)
    u.averageProgress = Math.round(u.tasks.reduce((a, t) => a + t.progress, 0) / Math.max(1, u.tasks.length));
  const all = units.flatMap((u) => u.tasks);
  const completed = all.filter((t) => t.status === 'completed').length;
  const red = all.filter((t) => t.light === 'red');
  const yellow = all.filter((t) => t.light === 'yellow').length;
  const overdueMs = all.reduce((a, t) => a + t.overdueMilestones.length, 0);
  const unreported = all.filter((t) => !t.latestReport && t.status !== 'completed').length;
  const year = Number(on.slice(0, 4));
  const redUnits = units.filter((u) => u.red > 0).sort((a, b) => b.red - a.red);
  const problems = [
    ...(red.length
      ? [
          `${red.length} 项事项亮红灯，主要集中在${redUnits
            .slice(0, 5)
            .map((u) => `${u.unitName}（${u.red} 项）`)
            .join('、')}，原因为节点逾期、超过完成时限或未按期报送进展。`,
        ]
      : []),
    ...(overdueMs ? [`共有 ${overdueMs} 个节点逾期未完成，个别事项推进滞后于时序进度。`] : []),
    ...(unreported ? [`${unreported} 项事项尚未报送进展，信息报送不够及时。`] : []),
  ];
  const suggestions = [
    ...(red.length
      ? [
          `对亮红灯事项实行重点督查、跟踪督办，请${redUnits
            .map((u) => u.unitName)
            .slice(0, 5)
            .join('、')}等单位逐项分析原因，限期整改到位。`,
        ]
      : []),
    ...(overdueMs ? ['请相关单位对逾期节点制定补救措施，明确责任人和完成时限，确保按期办结。'] : []),
    '请各单位严格落实进展报送制度，按规定频次如实报送办理情况和佐证材料。',
  ];
  const content: TDocContent = {
    kind: d.kind,
    number: null,
    year,
    title:
      d.title ?? (d.kind === 'report' ? `关于${year}年督办事项推进情况的专报` : `关于${year}年督办事项推进情况的通报`),
    recipients: d.kind === 'report' ? '区委、区政府领导' : units.map((u) => u.unitName).join('、'),
    issuer: ISSUER,
    issuedOn: on,
    done: [
      `区政府督查室对 ${units.length} 个单位承办的 ${all.length} 项督办事项进行了综合梳理，通过调度进展、核查佐证材料、实地督查等方式，逐项掌握推进情况。`,
    ],
    results: [
      `截至${on.slice(0, 4)}年${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日，已办结 ${completed} 项，办结率 ${pct(completed, all.length)}%；绿灯 ${all.length - red.length - yellow} 项、黄灯 ${yellow} 项、红灯 ${red.length} 项。`,
    ],
    problems: d.problems ?? problems,
    suggestions: d.suggestions ?? suggestions,
    units,
  };
  return { content, taskIds: all.map((t) => t.id) };
}

/** The text a document would have if issued now (no number yet), for the office's preview and edits. */
export async function previewDocument(ctx: Ctx, d: TDocDraft): Promise<TDocContent> {
  userOf(ctx);
  return (await compose(ctx.db, await selectedIds(ctx, d), d, today())).content;
}

/** Issues the document: the next 文号 of its kind and year, the .docx and the units it names, in one transaction. */
export async function issueDocument(ctx: Ctx, d: TDocDraft): Promise<TDocDetail> {
  const user = userOf(ctx);
  const ids = await selectedIds(ctx, d);
  const id = await issueWith(ctx.db, ctx.actor, { id: user.id, name: user.displayName }, ids, d, today());
  return getDocument(ctx, id);
}

/** Composes, numbers, renders and keeps a document of the given tasks (also the demo seed's entry); returns its id. */
export async function issueWith(
  db: Db,
  actor: Actor,
  issuer: { id: number | null; name: string },
  ids: readonly number[],
  d: TDocDraft,
  on: string,
): Promise<number> {
  const { content, taskIds } = await compose(db, ids, d, on);
  return db.transaction(async (tx) => {
    const seq = await repo.nextDocumentSeq(tx, d.kind, content.year);
    const issued: TDocContent = { ...content, number: documentNumber(d.kind, content.year, seq) };
    const docx = await documentDocx(issued);
    const unitIds = issued.units.map((u) => u.unitId);
    const docId = await repo.insertDocument(
      tx,
      {
        kind: d.kind,
        year: issued.year,
        seq,
        number: issued.number!,
        title: issued.title,
        content: issued as unknown as Record<string, unknown>,
        taskIds,
        docx,
        docxSha256: sha(docx),
        issuedBy: issuer.id,
        issuedByName: issuer.name,
      },
      unitIds,
    );
    await recordAudit(tx, actor, {
      action: 'supervision.document.issue',
      entityType: 'supervision_document',
      entityId: docId,
      after: { kind: d.kind, number: issued.number, title: issued.title, taskIds, unitIds, docxSha256: sha(docx) },
    });
    return docId;
  });
}

async function docVisibility(ctx: Ctx): Promise<repo.DocVisibility> {
  const user = userOf(ctx);
  if (user.permissions.has('supervision.manage')) return { all: true };
  const scope = await ctx.scope();
  // Leaders read every 专报; everyone reads the 通报 that name a unit in their scope.
  return {
    all: false,
    reports: user.permissions.has('supervision.instruct'),
    unitIds: scope.all ? [] : [...scope.unitIds],
  };
}

function presentHead(r: repo.DocumentHead): TDocRow {
  return {
    id: Number(r.id),
    kind: r.kind,
    year: Number(r.year),
    seq: Number(r.seq),
    number: r.number,
    title: r.title,
    taskCount: Number(r.task_count),
    unitNames: r.unit_names ?? [],
    docxSha256: r.docx_sha256,
    docxBytes: Number(r.docx_bytes),
    issuedByName: r.issued_by_name,
    issuedAt: new Date(r.issued_at).toISOString(),
  };
}

/** The documents the user may read, newest first. */
export async function listDocuments(ctx: Ctx, q: { kind?: DocKind; year?: number }): Promise<TDocRow[]> {
  const v = await docVisibility(ctx);
  // A main leader's scope is all units: every 通报 names some unit.
  const all = v.all || (!v.all && v.reports && (await ctx.scope()).all);
  return (await repo.listDocuments(ctx.db, all ? { all: true } : v, q)).map(presentHead);
}

async function loadVisible(ctx: Ctx, id: number) {
  const v = await docVisibility(ctx);
  const all = v.all || (v.reports && (await ctx.scope()).all);
  if (!(await repo.isDocumentVisible(ctx.db, all ? { all: true } : v, id))) throw notFound();
  const d = await repo.findDocument(ctx.db, id);
  if (!d) throw notFound();
  return d;
}

/** One document with its text. */
export async function getDocument(ctx: Ctx, id: number): Promise<TDocDetail> {
  const d = await loadVisible(ctx, id);
  const content = d.content as unknown as TDocContent;
  return {
    id: d.id,
    kind: d.kind,
    year: d.year,
    seq: d.seq,
    number: d.number,
    title: d.title,
    taskCount: d.taskIds.length,
    unitNames: content.units.map((u) => u.unitName),
    docxSha256: d.docxSha256,
    docxBytes: d.docx.length,
    issuedByName: d.issuedByName,
    issuedAt: d.issuedAt.toISOString(),
    content,
  };
}

/** The issued .docx bytes. */
export async function documentFile(ctx: Ctx, id: number): Promise<{ name: string; data: Buffer }> {
  const d = await loadVisible(ctx, id);
  return { name: `${d.number} ${d.title}.docx`, data: d.docx };
}
