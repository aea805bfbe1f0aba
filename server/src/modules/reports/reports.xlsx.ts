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
const DELTA = '+0.00;-0.00;0.00';
const col = (header: string, key: string, width: number, fmt?: string): Col => ({ header, key, width, fmt });
const UNIT = col('单位', 'unitName', 24);
const CATEGORY = col('类别', 'categoryName', 16);
const CODE = col('指标编码', 'code', 10);
const POINTS = col('分值', 'points', 8, '0.0');
/** The 12345 figures of a month or a unit. */
const CASE_FIGURES = [
  col('派单', 'dispatched', 10),
  col('办结', 'closed', 10),
  col('按时办结率（%）', 'onTimeRate', 16, S),
  col('满意率（%）', 'satisfactionRate', 14, S),
];

/** The sheets: name, columns, rows. */
function sheets(a: TAnalysis): [string, Col[], Record<string, unknown>[]][] {
  const evaluation = a.evaluation.campaigns.map((c) => ({
    ...c,
    lowest: c.lowest.map((u) => `${u.unitName}（${u.mean === null ? '—' : u.mean.toFixed(2)}）`).join('、'),
  }));
  const r = a.evaluation.ratings;
  const ratingFigures = r
    ? [
        { item: '评价次数', n: r.rated },
        ...r.levels.map((l) => ({ item: l.label, n: l.count })),
        { item: '满意率（%）', n: r.goodRate },
        { item: '差评', n: r.bad },
        { item: '整改未销号', n: r.rectifications.open },
        { item: '整改逾期', n: r.rectifications.overdue },
        { item: '整改已销号', n: r.rectifications.done },
      ]
    : [];
  const categories = a.summary.categories.map((c) => ({
    ...c,
    top: c.top.map((t) => `${t.unitName}（${t.total.toFixed(2)}）`).join('、'),
  }));
  const movement = a.movement.flatMap((m) =>
    [...m.gains, ...m.losses].map((g) => ({
      ...g,
      categoryName: m.categoryName,
      dir: g.delta >= 0 ? '上升' : '下降',
      causes: g.causes.map((c) => `${c.code} ${c.name}（${c.delta > 0 ? '+' : ''}${c.delta.toFixed(2)}）`).join('；'),
    })),
  );
  const weakest = a.behind.flatMap((b) =>
    b.units.flatMap((u) =>
      u.weakest.map((l) => ({
        ...l,
        categoryName: b.categoryName,
        unitName: u.unitName,
        total: u.total,
        rank: u.rank,
      })),
    ),
  );
  const scoreHeader = a.scope.kind === 'unit' ? '本单位得分' : '平均得分';
  return [
    [
      '概况',
      [
        col('类别', 'name', 18),
        col('单位数', 'units', 8),
        col('平均分', 'average', 10, S),
        col('最高分', 'max', 10, S),
        col('最低分', 'min', 10, S),
        col('前三名', 'top', 50),
      ],
      categories,
    ],
    [
      '单位得分',
      [
        CATEGORY,
        col('单位编码', 'unitCode', 12),
        UNIT,
        col('得分', 'total', 10, S),
        col('排名', 'rank', 8),
        col('参评数', 'of', 8),
        col('等次', 'grade', 10),
        col('上期得分', 'previous', 10, S),
        col('变动', 'delta', 10, DELTA),
        col('缺数据指标数', 'missing', 12),
      ],
      a.ranking,
    ],
    [
      '一级指标',
      [CODE, col('指标', 'name', 24), POINTS, col(scoreHeader, 'score', 12, S), col('同类平均', 'categoryAvg', 12, S)],
      a.summary.topNodes,
    ],
    [
      '得分变动',
      [
        CATEGORY,
        col('方向', 'dir', 8),
        UNIT,
        col('本期', 'total', 10, S),
        col('上期', 'previous', 10, S),
        col('变动', 'delta', 10, DELTA),
        col('主要原因', 'causes', 60),
      ],
      movement,
    ],
    [
      '短板指标',
      [
        CATEGORY,
        UNIT,
        col('单位得分', 'total', 10, S),
        col('排名', 'rank', 8),
        CODE,
        col('指标', 'name', 24),
        POINTS,
        col('得分', 'score', 10, S),
        col('同类平均', 'categoryAvg', 10, S),
        col('差距（百分点）', 'gap', 14, '0.0'),
      ],
      weakest,
    ],
    ['预警灯', [UNIT, col('红灯', 'red', 8), col('黄灯', 'yellow', 8), col('绿灯', 'green', 8)], a.lights.units],
    ['缺报迟报', [UNIT, col('未报', 'missing', 8), col('迟报', 'late', 8)], a.missingReports.units],
    [
      '督办逾期',
      [
        col('编号', 'id', 8),
        col('事项', 'title', 40),
        col('牵头单位', 'leadUnitName', 20),
        col('期限', 'deadline', 12),
        col('逾期天数', 'daysOverdue', 10),
      ],
      a.supervision.tasks,
    ],
    ['12345月度', [col('月份', 'month', 10), ...CASE_FIGURES], a.cases.months],
    [
      '诉求热点',
      [col('诉求类别', 'name', 30), col('受理', 'created', 10), col('办结', 'closed', 10)],
      a.cases.topCategories,
    ],
    [
      '热点街道',
      [
        col('街道', 'name', 16),
        col('受理', 'cases', 10),
        col('主要诉求类别', 'topCategory', 24),
        col('该类受理', 'topCategoryCases', 10),
      ],
      a.cases.streets,
    ],
    ['承办单位', [UNIT, ...CASE_FIGURES], a.cases.units],
    [
      '多元评价',
      [
        col('编号', 'id', 8),
        col('评议活动', 'title', 40),
        col('开始', 'periodFrom', 12),
        col('结束', 'periodTo', 12),
        col('参评单位', 'units', 10),
        col('有效问卷', 'valid', 10),
        col('平均分', 'mean', 10, S),
        col('满意率（%）', 'satisfactionRate', 12, S),
        col('得分最低单位', 'lowest', 50),
      ],
      evaluation,
    ],
    ['好差评', [col('项目', 'item', 24), col('数量', 'n', 12)], ratingFigures],
    ['差评单位', [UNIT, col('差评', 'bad', 10), col('评价', 'rated', 10)], r?.topBadUnits ?? []],
    [
      '改进建议',
      [
        UNIT,
        CODE,
        col('指标', 'indicator', 24),
        col('规则', 'rule', 10),
        col('问题', 'finding', 50),
        col('建议', 'advice', 70),
      ],
      a.suggestions,
    ],
  ];
}

/** The workbook's bytes (created/modified set to the report's time, so the same analysis gives the same tables). */
export async function reportXlsx(a: TAnalysis): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(a.generatedAt);
  wb.creator = '效能平台';
  wb.created = at;
  wb.modified = at;
  wb.title = a.title;
  for (const [name, cols, rows] of sheets(a)) sheet(wb, name, cols, rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
