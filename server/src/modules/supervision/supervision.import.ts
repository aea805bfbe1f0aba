/**
 * 年初建账 from Excel: the supervision office fills the template (one row per task: source, title,
 * content, standard of completion, leader in charge, lead unit and contact, co-units with contacts,
 * start date, deadline, milestones "节点名称@YYYY-MM-DD; …", cadence, priority, and for a sub-task the
 * title of its parent task) and imports it all or nothing.
 *
 * Every row is read into the same request body as the 新增事项 form (ZTaskCreate) and goes through the
 * same create path (`insertLedgerTask`: reference checks, date checks, co-units, milestones, timeline,
 * light, audit) inside one transaction, in file order, so a sub-task may name a parent of an earlier row.
 * Any problem in any row refuses the whole file with its rows and columns (zh + en), and nothing is saved.
 */
import type { Db } from '../../db/client.js';
import type { Actor, AuthUser } from '../../lib/context.js';
import { AppError, type Lang } from '../../lib/errors.js';
import { letterOf, listWorkbook, readListSheet, type ListColumn } from '../../lib/xlsx-lists.js';
import { loadCalendar } from '../calendar/index.js';
import { listUnits } from '../units/index.js';
import { PRIORITY_ZH, SOURCE_ZH } from './supervision.excel.js';
import * as ledgerRepo from './supervision.ledger.repo.js';
import type { TLeaderOption, TLedgerImportError, TLedgerImportResult } from './supervision.ledger.schema.js';
import { ZTaskCreate, type TTaskCreate } from './supervision.schema.js';
import { insertLedgerTask } from './supervision.service.js';
import { CADENCES, PRIORITIES, TASK_SOURCES } from './supervision.table.js';

type Key =
  | 'source'
  | 'title'
  | 'content'
  | 'standard'
  | 'leader'
  | 'leadUnit'
  | 'leadContact'
  | 'coUnits'
  | 'startDate'
  | 'deadline'
  | 'milestones'
  | 'cadence'
  | 'priority'
  | 'parentTitle';

export const CADENCE_ZH: Record<(typeof CADENCES)[number], string> = { daily: '每日', weekly: '每周', monthly: '每月' };

export const LEDGER_COLUMNS: readonly ListColumn<Key>[] = [
  {
    key: 'source',
    header: '事项来源',
    required: true,
    width: 14,
    note: `${TASK_SOURCES.map((s) => SOURCE_ZH[s]).join('、')}之一`,
  },
  { key: 'title', header: '事项名称', required: true, width: 36, note: '最多 300 字' },
  { key: 'content', header: '事项内容', width: 40, note: '最多 5000 字；可空' },
  { key: 'standard', header: '完成标准', width: 30, note: '最多 2000 字；可空' },
  { key: 'leader', header: '责任领导', width: 14, note: '区领导的姓名（如 李区长）或账号；可空' },
  { key: 'leadUnit', header: '牵头单位', required: true, width: 18, note: '单位名称或单位编码' },
  { key: 'leadContact', header: '牵头单位联系人', width: 20, note: '姓名及电话，最多 100 字；可空' },
  {
    key: 'coUnits',
    header: '配合单位及联系人',
    width: 30,
    note: '「单位名称：联系人」，多个用 ；或 、分隔，联系人可省略，例如 财政局：王五 13800000002；住建局',
  },
  { key: 'startDate', header: '开始日期', width: 12, note: 'YYYY-MM-DD；空为导入当天' },
  { key: 'deadline', header: '完成时限', required: true, width: 12, note: 'YYYY-MM-DD；事项归入该日期所在年度' },
  {
    key: 'milestones',
    header: '节点',
    width: 40,
    note: '「节点名称@YYYY-MM-DD」，多个用 ；分隔，例如 完成方案@2026-03-31；开工建设@2026-06-30；节点不能晚于完成时限',
  },
  { key: 'cadence', header: '报送频次', width: 10, note: '每日、每周 或 每月；空为每月' },
  { key: 'priority', header: '优先级', width: 8, note: '一般、重点 或 紧急；空为一般' },
  {
    key: 'parentTitle',
    header: '上级事项',
    width: 30,
    note: '分解到单位的子任务填写上级事项的名称（本表中在它之前的行，或台账中已有的事项）；其他留空',
  },
];

const COLUMN_OF_FIELD: Record<string, Key> = {
  source: 'source',
  title: 'title',
  content: 'content',
  standard: 'standard',
  leaderId: 'leader',
  leadUnitId: 'leadUnit',
  leadContact: 'leadContact',
  coUnits: 'coUnits',
  startDate: 'startDate',
  deadline: 'deadline',
  milestones: 'milestones',
  cadence: 'cadence',
  priority: 'priority',
  parentId: 'parentTitle',
};
const COLUMN_EN: Record<Key, string> = {
  source: 'source',
  title: 'title',
  content: 'content',
  standard: 'standard of completion',
  leader: 'leader in charge',
  leadUnit: 'lead unit',
  leadContact: 'lead contact',
  coUnits: 'co-units',
  startDate: 'start date',
  deadline: 'deadline',
  milestones: 'milestones',
  cadence: 'cadence',
  priority: 'priority',
  parentTitle: 'parent task',
};

/** The district leaders a task may name as its leader in charge (the ledger's leader filter lists them). */
export async function listLeaders(db: Db): Promise<TLeaderOption[]> {
  return (await ledgerRepo.leaders(db)).map((l) => ({ id: l.id, name: l.name }));
}

/** Thrown when the file is refused: every problem found; nothing was saved. */
export class LedgerImportRefused extends Error {
  constructor(readonly errors: Omit<TLedgerImportError, 'message'>[]) {
    super(`ledger import refused: ${errors.length} problem(s)`);
  }
  /** The problems with the message in the request's language, by row and column. */
  report(lang: Lang): TLedgerImportError[] {
    return [...this.errors]
      .sort((a, b) => a.row - b.row || a.column.localeCompare(b.column))
      .map((e) => ({ ...e, message: lang === 'en' ? e.en : e.zh }));
  }
}

/**
 * The template: the columns, example rows (a task and its sub-task) and the instructions sheet. The
 * examples name the district's own units and a leader, so the downloaded template imports as it is.
 */
export async function ledgerTemplate(db: Db, year: number): Promise<Buffer> {
  const [units, leaderList] = await Promise.all([listUnits(db), ledgerRepo.leaders(db)]);
  const live = units.filter((u) => u.active && u.kind !== 'district');
  const name = (i: number, fallback: string) => live[i]?.name ?? fallback;
  const street = live.find((u) => u.kind === 'street')?.name ?? name(2, '某街道');
  const ex = (k: Partial<Record<Key, string>>) =>
    Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, k[c.key] ?? ''])) as Record<Key, string>;
  const parent = '新建改建城市道路10公里';
  return listWorkbook({
    title: '督查督办台账',
    columns: LEDGER_COLUMNS,
    rows: [
      ex({
        source: SOURCE_ZH.work_report,
        title: parent,
        content: '政府工作报告重点任务：完成主次干道及背街小巷改造。',
        standard: '10公里道路完工并通车',
        leader: leaderList[0]?.name ?? '',
        leadUnit: name(0, '住建局'),
        leadContact: '张三 13800000001',
        coUnits: `${name(1, '财政局')}：王五 13800000002`,
        startDate: `${year}-01-05`,
        deadline: `${year}-12-31`,
        milestones: `完成方案@${year}-03-31；开工建设@${year}-06-30；完工通车@${year}-12-15`,
        cadence: CADENCE_ZH.monthly,
        priority: PRIORITY_ZH.high,
      }),
      ex({
        source: SOURCE_ZH.work_report,
        title: `${street}背街小巷改造`,
        leadUnit: street,
        startDate: `${year}-01-05`,
        deadline: `${year}-11-30`,
        cadence: CADENCE_ZH.monthly,
        priority: PRIORITY_ZH.normal,
        parentTitle: parent,
      }),
    ],
  });
}

// ---------- reading cells ----------

const EN_OF_SHEET: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^未知的列「(.*)」/, (m) => `Unknown column "${m[1]}"; use the downloaded template`],
  [/^列「(.*)」重复/, (m) => `Column "${m[1]}" appears twice`],
  [/^缺少必需的列「(.*)」/, (m) => `The required column "${m[1]}" is missing; use the downloaded template`],
  [/^行数过多（(\d+) 行），一次最多导入 (\d+) 行/, (m) => `Too many rows (${m[1]}); at most ${m[2]} per import`],
  [/^不允许使用公式/, () => 'Formulas are not allowed; type the value'],
  [/^不支持逻辑值/, () => 'TRUE/FALSE values are not supported; type a value or text'],
  [/^单元格为错误值 (.*)/, (m) => `The cell holds the error value ${m[1]}`],
];
/** English of a problem found while reading the sheet (lib/xlsx-lists reports in Chinese). */
const sheetEn = (zh: string): string => {
  for (const [re, en] of EN_OF_SHEET) {
    const m = zh.match(re);
    if (m) return en(m);
  }
  return 'The cell cannot be read';
};

/** A date cell or text (2026-03-31, 2026/3/31, 2026.3.31, 2026年3月31日) → YYYY-MM-DD, or null. */
export function parseDay(s: string): string | null {
  const m = s.trim().match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const splitList = (s: string) =>
  s
    .split(/[;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);

const enumOf = <T extends string>(values: readonly T[], zh: Record<T, string>, v: string): T | undefined =>
  values.find((x) => x === v || zh[x] === v);

type Planned = { row: number; input: Omit<TTaskCreate, 'parentId'>; parent: { row: number } | { id: number } | null };

/**
 * Imports a filled ledger, all or nothing: every row through the hand-entry checks and create path in
 * one transaction. Throws LedgerImportRefused (every problem, by row and column) and saves nothing when
 * any row is wrong; otherwise returns the new tasks' ids in file order.
 */
export async function importLedger(
  db: Db,
  who: { user: Pick<AuthUser, 'id' | 'displayName'>; actor: Actor },
  data: Buffer,
): Promise<TLedgerImportResult> {
  const sheet = await readListSheet(data, LEDGER_COLUMNS);
  const errors: Omit<TLedgerImportError, 'message'>[] = sheet.errors.map((e) => ({
    row: e.row,
    column: e.column,
    zh: e.message,
    en: sheetEn(e.message),
  }));
  if (errors.length) throw new LedgerImportRefused(errors);
  if (!sheet.rows.length)
    throw new LedgerImportRefused([{ row: 0, column: '', zh: '文件中没有事项', en: 'The file holds no task' }]);

  const [units, leaderList, existing] = await Promise.all([
    listUnits(db),
    ledgerRepo.leaders(db),
    ledgerRepo.tasksByTitle(db, [...new Set(sheet.rows.map((r) => r.values.parentTitle).filter(Boolean))]),
  ]);
  const unitBy = new Map<string, number[]>();
  for (const u of units.filter((x) => x.active))
    for (const k of new Set([u.name, u.code])) unitBy.set(k, [...(unitBy.get(k) ?? []), u.id]);
  const leaderBy = new Map<string, number[]>();
  for (const l of leaderList)
    for (const k of new Set([l.name, l.username, l.name.replace(/[（(].*[）)]$/, '')]))
      leaderBy.set(k, [...(leaderBy.get(k) ?? []), l.id]);

  // The column as placed in this file (the template's letter for a column the file leaves out).
  const letter = (key: Key) => sheet.letters[key] ?? letterOf(LEDGER_COLUMNS, key);
  const err = (row: number, key: Key, zh: string, en: string) =>
    errors.push({ row, column: letter(key), zh, en: `${COLUMN_EN[key]}: ${en}` });
  const unitOf = (row: number, key: Key, name: string): number | null => {
    const ids = unitBy.get(name) ?? [];
    if (ids.length === 1) return ids[0];
    if (ids.length) err(row, key, `单位「${name}」有重名，请填写单位编码`, `more than one unit is called "${name}"`);
    else err(row, key, `单位「${name}」不存在`, `no unit "${name}"`);
    return null;
  };

  const planned: Planned[] = [];
  const titlesBefore = new Map<string, number[]>();
  for (const { row, values: v } of sheet.rows) {
    let ok = true;
    const bad = (key: Key, zh: string, en: string) => {
      err(row, key, zh, en);
      ok = false;
    };
    const source = v.source ? enumOf(TASK_SOURCES, SOURCE_ZH, v.source) : undefined;
    if (!source)
      bad(
        'source',
        v.source ? `事项来源「${v.source}」无效` : '请填写事项来源',
        v.source ? `unknown source "${v.source}"` : 'required',
      );
    let leaderId: number | null = null;
    if (v.leader) {
      const ids = leaderBy.get(v.leader) ?? [];
      if (ids.length === 1) leaderId = ids[0];
      else if (ids.length)
        bad('leader', `区领导「${v.leader}」有重名，请填写账号`, `more than one leader "${v.leader}"`);
      else bad('leader', `区领导「${v.leader}」不存在`, `no district leader "${v.leader}"`);
    }
    let leadUnitId: number | null = null;
    if (v.leadUnit) {
      leadUnitId = unitOf(row, 'leadUnit', v.leadUnit);
      if (leadUnitId === null) ok = false;
    } else bad('leadUnit', '请填写牵头单位', 'required');
    const coUnits: { unitId: number; contact: string }[] = [];
    for (const item of v.coUnits.split(/[;；、\n]+/).map((x) => x.trim())) {
      if (!item) continue;
      const [name, ...rest] = item.split(/[:：]/);
      const id = unitOf(row, 'coUnits', name.trim());
      if (id === null) ok = false;
      else coUnits.push({ unitId: id, contact: rest.join('：').trim() });
    }
    let startDate: string | undefined;
    if (v.startDate) {
      startDate = parseDay(v.startDate) ?? undefined;
      if (!startDate) bad('startDate', `开始日期「${v.startDate}」不是有效日期`, `"${v.startDate}" is not a date`);
    }
    let deadline = '';
    if (!v.deadline) bad('deadline', '请填写完成时限', 'required');
    else {
      deadline = parseDay(v.deadline) ?? '';
      if (!deadline) bad('deadline', `完成时限「${v.deadline}」不是有效日期`, `"${v.deadline}" is not a date`);
    }
    const milestones: { title: string; dueOn: string }[] = [];
    for (const item of splitList(v.milestones)) {
      const at = Math.max(item.lastIndexOf('@'), item.lastIndexOf('＠'));
      const title = at > 0 ? item.slice(0, at).trim() : '';
      const dueOn = at > 0 ? parseDay(item.slice(at + 1)) : null;
      if (!title || !dueOn)
        bad(
          'milestones',
          `节点「${item}」应为「节点名称@YYYY-MM-DD」`,
          `milestone "${item}" should be "name@YYYY-MM-DD"`,
        );
      else milestones.push({ title, dueOn });
    }
    const cadence = v.cadence ? enumOf(CADENCES, CADENCE_ZH, v.cadence) : 'monthly';
    if (!cadence) bad('cadence', `报送频次「${v.cadence}」应为 每日、每周 或 每月`, `unknown cadence "${v.cadence}"`);
    const priority = v.priority ? enumOf(PRIORITIES, PRIORITY_ZH, v.priority) : 'normal';
    if (!priority)
      bad('priority', `优先级「${v.priority}」应为 一般、重点 或 紧急`, `unknown priority "${v.priority}"`);
    let parent: Planned['parent'] = null;
    if (v.parentTitle) {
      const inFile = titlesBefore.get(v.parentTitle) ?? [];
      const inLedger = existing.filter((t) => t.title === v.parentTitle);
      if (inFile.length + inLedger.length > 1)
        bad(
          'parentTitle',
          `名为「${v.parentTitle}」的事项不止一个，无法确定上级事项`,
          `more than one task is called "${v.parentTitle}"`,
        );
      else if (inFile.length) parent = { row: inFile[0] };
      else if (inLedger.length) parent = { id: inLedger[0].id };
      else
        bad(
          'parentTitle',
          `上级事项「${v.parentTitle}」不在本表之前的行中，也不在台账中`,
          `no task "${v.parentTitle}" in an earlier row or in the ledger`,
        );
    }
    titlesBefore.set(v.title, [...(titlesBefore.get(v.title) ?? []), row]);
    // The same request body as the 新增事项 form, through the same schema.
    const parsed = ZTaskCreate.safeParse({
      source: source ?? 'work_report',
      title: v.title,
      content: v.content,
      standard: v.standard,
      leaderId,
      leadUnitId: leadUnitId ?? 1,
      leadContact: v.leadContact,
      coUnits,
      ...(startDate ? { startDate } : {}),
      deadline: deadline || '2000-01-01',
      milestones,
      cadence: cadence ?? 'monthly',
      priority: priority ?? 'normal',
      parentId: null,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 3)) {
        const key = COLUMN_OF_FIELD[String(issue.path[0])] ?? 'title';
        const header = LEDGER_COLUMNS.find((c) => c.key === key)!.header;
        bad(key, `「${header}」不正确：${issue.message}`, issue.message);
      }
    }
    if (ok && parsed.success) {
      const { parentId: _p, ...input } = parsed.data;
      planned.push({ row, input, parent });
    }
  }

  // Every row that could be read goes through the create path (so the report lists every row's problems);
  // any problem rolls the whole transaction back.
  const cal = await loadCalendar(db);
  const taskIds: number[] = [];
  try {
    await db.transaction(async (tx) => {
      const idOfRow = new Map<number, number>();
      for (const p of planned) {
        let parentId: number | null = null;
        if (p.parent && 'row' in p.parent) {
          parentId = idOfRow.get(p.parent.row) ?? null;
          if (parentId === null) {
            err(
              p.row,
              'parentTitle',
              `上级事项所在的第 ${p.parent.row} 行有错误`,
              `the parent task's row ${p.parent.row} has errors`,
            );
            continue;
          }
        } else if (p.parent) parentId = p.parent.id;
        try {
          const id = await insertLedgerTask(tx, who, { ...p.input, parentId }, cal);
          idOfRow.set(p.row, id);
          taskIds.push(id);
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          const key = COLUMN_OF_FIELD[(e.field ?? '').split('.')[0]] ?? 'title';
          err(p.row, key, e.message_('zh'), e.message_('en'));
        }
      }
      if (errors.length) throw new LedgerImportRefused(errors);
    });
  } catch (e) {
    if (e instanceof LedgerImportRefused) throw new LedgerImportRefused(errors);
    throw e;
  }
  return { created: taskIds.length, taskIds };
}
