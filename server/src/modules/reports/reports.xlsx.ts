/** The report's underlying tables as an .xlsx workbook: one sheet per part, Chinese headers, number formats. */
import ExcelJS from 'exceljs';
import type { TAnalysis } from './reports.schema.js';

type Col = { header: string; key: string; width: number; fmt?: string };

function sheet(wb: ExcelJS.Workbook, name: string, cols: Col[], rows: Record<string, unknown>[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: c.fmt ? { numFmt: c.fmt } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
}

const S = '0.00';

/** The workbook's bytes (created/modified set to the report's time, so the same analysis gives the same tables). */
export async function reportXlsx(a: TAnalysis): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(a.generatedAt);
  wb.creator = '效能平台';
  wb.created = at;
  wb.modified = at;
  wb.title = a.title;
  sheet(
    wb,
    '概况',
    [
      { header: '类别', key: 'name', width: 18 },
      { header: '单位数', key: 'units', width: 8 },
      { header: '平均分', key: 'average', width: 10, fmt: S },
      { header: '最高分', key: 'max', width: 10, fmt: S },
      { header: '最低分', key: 'min', width: 10, fmt: S },
      { header: '前三名', key: 'top', width: 50 },
    ],
    a.summary.categories.map((c) => ({
      ...c,
      top: c.top.map((t) => `${t.unitName}（${t.total.toFixed(2)}）`).join('、'),
    })),
  );
  sheet(
    wb,
    '单位得分',
    [
      { header: '类别', key: 'categoryName', width: 16 },
      { header: '单位编码', key: 'unitCode', width: 12 },
      { header: '单位', key: 'unitName', width: 24 },
      { header: '得分', key: 'total', width: 10, fmt: S },
      { header: '排名', key: 'rank', width: 8 },
      { header: '参评数', key: 'of', width: 8 },
      { header: '等次', key: 'grade', width: 10 },
      { header: '上期得分', key: 'previous', width: 10, fmt: S },
      { header: '变动', key: 'delta', width: 10, fmt: '+0.00;-0.00;0.00' },
      { header: '缺数据指标数', key: 'missing', width: 12 },
    ],
    a.ranking,
  );
  sheet(
    wb,
    '一级指标',
    [
      { header: '指标编码', key: 'code', width: 10 },
      { header: '指标', key: 'name', width: 24 },
      { header: '分值', key: 'points', width: 8, fmt: '0.0' },
      { header: a.scope.kind === 'unit' ? '本单位得分' : '平均得分', key: 'score', width: 12, fmt: S },
      { header: '同类平均', key: 'categoryAvg', width: 12, fmt: S },
    ],
    a.summary.topNodes,
  );
  sheet(
    wb,
    '得分变动',
    [
      { header: '类别', key: 'categoryName', width: 16 },
      { header: '方向', key: 'dir', width: 8 },
      { header: '单位', key: 'unitName', width: 24 },
      { header: '本期', key: 'total', width: 10, fmt: S },
      { header: '上期', key: 'previous', width: 10, fmt: S },
      { header: '变动', key: 'delta', width: 10, fmt: '+0.00;-0.00;0.00' },
      { header: '主要原因', key: 'causes', width: 60 },
    ],
    a.movement.flatMap((m) =>
      [...m.gains.map((g) => ({ ...g, dir: '上升' })), ...m.losses.map((g) => ({ ...g, dir: '下降' }))].map((g) => ({
        ...g,
        categoryName: m.categoryName,
        dir: g.delta >= 0 ? '上升' : '下降',
        causes: g.causes.map((c) => `${c.code} ${c.name}（${c.delta > 0 ? '+' : ''}${c.delta.toFixed(2)}）`).join('；'),
      })),
    ),
  );
  sheet(
    wb,
    '短板指标',
    [
      { header: '类别', key: 'categoryName', width: 16 },
      { header: '单位', key: 'unitName', width: 24 },
      { header: '单位得分', key: 'total', width: 10, fmt: S },
      { header: '排名', key: 'rank', width: 8 },
      { header: '指标编码', key: 'code', width: 10 },
      { header: '指标', key: 'name', width: 24 },
      { header: '分值', key: 'points', width: 8, fmt: '0.0' },
      { header: '得分', key: 'score', width: 10, fmt: S },
      { header: '同类平均', key: 'categoryAvg', width: 10, fmt: S },
      { header: '差距（百分点）', key: 'gap', width: 14, fmt: '0.0' },
    ],
    a.behind.flatMap((b) =>
      b.units.flatMap((u) =>
        u.weakest.map((l) => ({
          ...l,
          categoryName: b.categoryName,
          unitName: u.unitName,
          total: u.total,
          rank: u.rank,
        })),
      ),
    ),
  );
  sheet(
    wb,
    '预警灯',
    [
      { header: '单位', key: 'unitName', width: 24 },
      { header: '红灯', key: 'red', width: 8 },
      { header: '黄灯', key: 'yellow', width: 8 },
      { header: '绿灯', key: 'green', width: 8 },
    ],
    a.lights.units,
  );
  sheet(
    wb,
    '缺报迟报',
    [
      { header: '单位', key: 'unitName', width: 24 },
      { header: '未报', key: 'missing', width: 8 },
      { header: '迟报', key: 'late', width: 8 },
    ],
    a.missingReports.units,
  );
  sheet(
    wb,
    '督办逾期',
    [
      { header: '编号', key: 'id', width: 8 },
      { header: '事项', key: 'title', width: 40 },
      { header: '牵头单位', key: 'leadUnitName', width: 20 },
      { header: '期限', key: 'deadline', width: 12 },
      { header: '逾期天数', key: 'daysOverdue', width: 10 },
    ],
    a.supervision.tasks,
  );
  sheet(
    wb,
    '12345月度',
    [
      { header: '月份', key: 'month', width: 10 },
      { header: '派单', key: 'dispatched', width: 10 },
      { header: '办结', key: 'closed', width: 10 },
      { header: '按时办结率（%）', key: 'onTimeRate', width: 16, fmt: S },
      { header: '满意率（%）', key: 'satisfactionRate', width: 14, fmt: S },
    ],
    a.cases.months,
  );
  sheet(
    wb,
    '诉求热点',
    [
      { header: '诉求类别', key: 'name', width: 30 },
      { header: '受理', key: 'created', width: 10 },
      { header: '办结', key: 'closed', width: 10 },
    ],
    a.cases.topCategories,
  );
  sheet(
    wb,
    '热点街道',
    [
      { header: '街道', key: 'name', width: 16 },
      { header: '受理', key: 'cases', width: 10 },
      { header: '主要诉求类别', key: 'topCategory', width: 24 },
      { header: '该类受理', key: 'topCategoryCases', width: 10 },
    ],
    a.cases.streets,
  );
  sheet(
    wb,
    '承办单位',
    [
      { header: '单位', key: 'unitName', width: 24 },
      { header: '派单', key: 'dispatched', width: 10 },
      { header: '办结', key: 'closed', width: 10 },
      { header: '按时办结率（%）', key: 'onTimeRate', width: 16, fmt: S },
      { header: '满意率（%）', key: 'satisfactionRate', width: 14, fmt: S },
    ],
    a.cases.units,
  );
  const ev = a.evaluation;
  sheet(
    wb,
    '多元评价',
    [
      { header: '编号', key: 'id', width: 8 },
      { header: '评议活动', key: 'title', width: 40 },
      { header: '开始', key: 'periodFrom', width: 12 },
      { header: '结束', key: 'periodTo', width: 12 },
      { header: '参评单位', key: 'units', width: 10 },
      { header: '有效问卷', key: 'valid', width: 10 },
      { header: '平均分', key: 'mean', width: 10, fmt: S },
      { header: '满意率（%）', key: 'satisfactionRate', width: 12, fmt: S },
      { header: '得分最低单位', key: 'lowest', width: 50 },
    ],
    ev.campaigns.map((c) => ({
      ...c,
      lowest: c.lowest.map((u) => `${u.unitName}（${u.mean === null ? '—' : u.mean.toFixed(2)}）`).join('、'),
    })),
  );
  const r = ev.ratings;
  sheet(
    wb,
    '好差评',
    [
      { header: '项目', key: 'item', width: 24 },
      { header: '数量', key: 'n', width: 12 },
    ],
    r
      ? [
          { item: '评价次数', n: r.rated },
          ...r.levels.map((l) => ({ item: l.label, n: l.count })),
          { item: '满意率（%）', n: r.goodRate },
          { item: '差评', n: r.bad },
          { item: '整改未销号', n: r.rectifications.open },
          { item: '整改逾期', n: r.rectifications.overdue },
          { item: '整改已销号', n: r.rectifications.done },
        ]
      : [],
  );
  sheet(
    wb,
    '差评单位',
    [
      { header: '单位', key: 'unitName', width: 24 },
      { header: '差评', key: 'bad', width: 10 },
      { header: '评价', key: 'rated', width: 10 },
    ],
    r?.topBadUnits ?? [],
  );
  sheet(
    wb,
    '改进建议',
    [
      { header: '单位', key: 'unitName', width: 24 },
      { header: '指标编码', key: 'code', width: 10 },
      { header: '指标', key: 'indicator', width: 24 },
      { header: '规则', key: 'rule', width: 10 },
      { header: '问题', key: 'finding', width: 50 },
      { header: '建议', key: 'advice', width: 70 },
    ],
    a.suggestions,
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
