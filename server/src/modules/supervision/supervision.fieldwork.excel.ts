import ExcelJS from 'exceljs';
import { STATUS_ZH } from './supervision.excel.js';
import type { TCheckRow, TRoundDetail } from './supervision.fieldwork.schema.js';
import type { CheckMethod, CheckMode } from './supervision.fieldwork.table.js';

const METHOD_ZH: Record<CheckMethod, string> = { listen: '听', ask: '问', look: '看', inspect: '查', visit: '访' };
const MODE_ZH: Record<CheckMode, string> = { open: '明察', covert: '暗访' };
const KIND_ZH = { quarterly: '季度对账', midyear: '年中查账', yearend: '年底收账' } as const;
const STAGE_ZH = { not_started: '未启动', in_progress: '推进中', completed: '已完成', blocked: '受阻' } as const;
const STATE_ZH = { pending: '未确认', confirmed: '已确认', differs: '有差异' } as const;
const RESOLUTION_ZH = { accepted: '采纳单位所报', kept: '维持台账' } as const;

/** The field checks list as an .xlsx workbook (实地督查台账). */
export async function checksWorkbook(rows: readonly TCheckRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('实地督查');
  ws.columns = [
    { header: '督查日期', key: 'on', width: 12 },
    { header: '事项编号', key: 'task', width: 9 },
    { header: '事项', key: 'title', width: 40 },
    { header: '牵头单位', key: 'unit', width: 18 },
    { header: '次数', key: 'seq', width: 12 },
    { header: '方式', key: 'how', width: 16 },
    { header: '督查人员', key: 'people', width: 20 },
    { header: '发现问题', key: 'findings', width: 50 },
    { header: '整改要求', key: 'points', width: 9 },
    { header: '待答复', key: 'open', width: 8 },
    { header: '待审核', key: 'answered', width: 8 },
    { header: '已通过', key: 'accepted', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      on: r.checkedOn,
      task: r.taskId,
      title: r.taskTitle,
      unit: r.leadUnitName ?? '',
      seq: `第${r.seq}次督查`,
      how: `${MODE_ZH[r.mode]}：${r.methods.map((m) => METHOD_ZH[m]).join('、')}`,
      people: r.people,
      findings: r.findings,
      points: r.points,
      open: r.open,
      answered: r.answered,
      accepted: r.accepted,
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A round's record as an .xlsx workbook: the summary, the units' progress and every row with its difference. */
export async function roundWorkbook(r: TRoundDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet('对账记录');
  s.columns = [
    { header: '项目', key: 'k', width: 20 },
    { header: '内容', key: 'v', width: 40 },
  ];
  s.getRow(1).font = { bold: true };
  const c = r.counts;
  for (const [k, v] of [
    ['名称', r.title],
    ['类型', KIND_ZH[r.kind]],
    ['截止日期', r.asOf],
    ['状态', r.status === 'closed' ? '已结束' : '进行中'],
    ['发起人', r.openedByName],
    ['发起时间', r.openedAt.slice(0, 10)],
    ['结束人', r.closedByName ?? ''],
    ['结束时间', r.closedAt?.slice(0, 10) ?? ''],
    ['结束说明', r.closeNote],
    ['单位数', c.units],
    ['已完成确认单位', c.unitsDone],
    ['事项数', c.tasks],
    ['确认一致', c.confirmed],
    ['存在差异', c.differs],
    ['未确认', c.pending],
    ['差异采纳', c.accepted],
    ['差异维持', c.kept],
    ['更新进度', c.progressApplied],
  ] as const)
    s.addRow({ k, v });
  const u = wb.addWorksheet('单位进度');
  u.columns = [
    { header: '单位', key: 'unit', width: 20 },
    { header: '事项', key: 'tasks', width: 8 },
    { header: '确认一致', key: 'confirmed', width: 10 },
    { header: '有差异', key: 'differs', width: 8 },
    { header: '未确认', key: 'pending', width: 8 },
    { header: '差异未处理', key: 'unresolved', width: 10 },
  ];
  u.getRow(1).font = { bold: true };
  for (const x of r.units) u.addRow({ ...x, unit: x.unitName });
  const w = wb.addWorksheet('对账明细');
  w.columns = [
    { header: '单位', key: 'unit', width: 18 },
    { header: '事项编号', key: 'task', width: 9 },
    { header: '事项', key: 'title', width: 40 },
    { header: '台账状态', key: 'status', width: 12 },
    { header: '台账进度(%)', key: 'progress', width: 11 },
    { header: '确认结果', key: 'state', width: 10 },
    { header: '单位所报状态', key: 'cstatus', width: 12 },
    { header: '单位所报进度(%)', key: 'cprogress', width: 14 },
    { header: '单位说明', key: 'note', width: 30 },
    { header: '处理结果', key: 'resolution', width: 14 },
    { header: '处理理由', key: 'reason', width: 30 },
  ];
  w.getRow(1).font = { bold: true };
  for (const x of r.rows)
    w.addRow({
      unit: x.unitName,
      task: x.taskId,
      title: x.title,
      status: STATUS_ZH[x.snapStatus as keyof typeof STATUS_ZH] ?? x.snapStatus,
      progress: x.snapProgress,
      state: STATE_ZH[x.state],
      cstatus: x.claimedStatus ? STAGE_ZH[x.claimedStatus] : '',
      cprogress: x.claimedProgress ?? '',
      note: x.note,
      resolution: x.resolution ? RESOLUTION_ZH[x.resolution] + (x.progressApplied ? '（已更新进度）' : '') : '',
      reason: x.resolutionReason,
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
