/** The report's underlying tables as an .xlsx workbook: one sheet per part, headers in the report's language, number formats. */
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

/** The sheets: name, columns, rows — names and headers in the report's language. */
function sheets(a: TAnalysis): [string, Col[], Record<string, unknown>[]][] {
  const en = a.lang === 'en';
  const L = (zh: string, en: string) => (a.lang === 'en' ? en : zh);
  const UNIT = col(L('单位', 'Unit'), 'unitName', 24);
  const CATEGORY = col(L('类别', 'Category'), 'categoryName', 16);
  const CODE = col(L('指标编码', 'Code'), 'code', 10);
  const POINTS = col(L('分值', 'Points'), 'points', 8, '0.0');
  /** The 12345 figures of a month or a unit. */
  const CASE_FIGURES = [
    col(L('派单', 'Dispatched'), 'dispatched', 10),
    col(L('办结', 'Closed'), 'closed', 10),
    col(L('按时办结率（%）', 'On-time closing rate (%)'), 'onTimeRate', 16, S),
    col(L('满意率（%）', 'Satisfaction rate (%)'), 'satisfactionRate', 14, S),
  ];
  /** A name with a figure in brackets; names joined with 、 (English: a comma). */
  const paren = (name: string, x: string) => (en ? `${name} (${x})` : `${name}（${x}）`);
  const list = (xs: string[]) => xs.join(L('、', ', '));
  const evaluation = a.evaluation.campaigns.map((c) => ({
    ...c,
    lowest: list(c.lowest.map((u) => paren(u.unitName, u.mean === null ? '—' : u.mean.toFixed(2)))),
  }));
  const r = a.evaluation.ratings;
  const ratingFigures = r
    ? [
        { item: L('评价次数', 'Ratings'), n: r.rated },
        ...r.levels.map((l) => ({ item: l.label, n: l.count })),
        { item: L('满意率（%）', 'Satisfaction rate (%)'), n: r.goodRate },
        { item: L('差评', 'Bad ratings'), n: r.bad },
        { item: L('整改未销号', 'Rectifications open'), n: r.rectifications.open },
        { item: L('整改逾期', 'Rectifications overdue'), n: r.rectifications.overdue },
        { item: L('整改已销号', 'Rectifications closed'), n: r.rectifications.done },
      ]
    : [];
  const categories = a.summary.categories.map((c) => ({
    ...c,
    top: list(c.top.map((t) => paren(t.unitName, t.total.toFixed(2)))),
  }));
  const movement = a.movement.flatMap((m) =>
    [...m.gains, ...m.losses].map((g) => ({
      ...g,
      categoryName: m.categoryName,
      dir: g.delta >= 0 ? L('上升', 'up') : L('下降', 'down'),
      causes: g.causes
        .map((c) => paren(`${c.code} ${c.name}`, `${c.delta > 0 ? '+' : ''}${c.delta.toFixed(2)}`))
        .join(L('；', '; ')),
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
  const scoreHeader = a.scope.kind === 'unit' ? L('本单位得分', 'Unit’s score') : L('平均得分', 'Average score');
  const INDICATOR = L('指标', 'Indicator');
  return [
    [
      L('概况', 'Overview'),
      [
        col(L('类别', 'Category'), 'name', 18),
        col(L('单位数', 'Units'), 'units', 8),
        col(L('平均分', 'Average'), 'average', 10, S),
        col(L('最高分', 'Highest'), 'max', 10, S),
        col(L('最低分', 'Lowest'), 'min', 10, S),
        col(L('前三名', 'Top three'), 'top', 50),
      ],
      categories,
    ],
    [
      L('单位得分', 'Unit scores'),
      [
        CATEGORY,
        col(L('单位编码', 'Unit code'), 'unitCode', 12),
        UNIT,
        col(L('得分', 'Score'), 'total', 10, S),
        col(L('排名', 'Rank'), 'rank', 8),
        col(L('参评数', 'Of'), 'of', 8),
        col(L('等次', 'Grade'), 'grade', 10),
        col(L('上期得分', 'Previous score'), 'previous', 10, S),
        col(L('变动', 'Change'), 'delta', 10, DELTA),
        col(L('缺数据指标数', 'Indicators without data'), 'missing', 12),
      ],
      a.ranking,
    ],
    [
      L('一级指标', 'First-level indicators'),
      [
        CODE,
        col(INDICATOR, 'name', 24),
        POINTS,
        col(scoreHeader, 'score', 12, S),
        col(L('同类平均', 'Average of similar units'), 'categoryAvg', 12, S),
      ],
      a.summary.topNodes,
    ],
    [
      L('得分变动', 'Score changes'),
      [
        CATEGORY,
        col(L('方向', 'Direction'), 'dir', 8),
        UNIT,
        col(L('本期', 'This period'), 'total', 10, S),
        col(L('上期', 'Previous'), 'previous', 10, S),
        col(L('变动', 'Change'), 'delta', 10, DELTA),
        col(L('主要原因', 'Main causes'), 'causes', 60),
      ],
      movement,
    ],
    [
      L('短板指标', 'Weak indicators'),
      [
        CATEGORY,
        UNIT,
        col(L('单位得分', 'Unit score'), 'total', 10, S),
        col(L('排名', 'Rank'), 'rank', 8),
        CODE,
        col(INDICATOR, 'name', 24),
        POINTS,
        col(L('得分', 'Score'), 'score', 10, S),
        col(L('同类平均', 'Average of similar units'), 'categoryAvg', 10, S),
        col(L('差距（百分点）', 'Gap (percentage points)'), 'gap', 14, '0.0'),
      ],
      weakest,
    ],
    [
      L('预警灯', 'Warning lights'),
      [
        UNIT,
        col(L('红灯', 'Red'), 'red', 8),
        col(L('黄灯', 'Yellow'), 'yellow', 8),
        col(L('绿灯', 'Green'), 'green', 8),
      ],
      a.lights.units,
    ],
    [
      L('缺报迟报', 'Missing and late'),
      [UNIT, col(L('未报', 'Missing'), 'missing', 8), col(L('迟报', 'Late'), 'late', 8)],
      a.missingReports.units,
    ],
    [
      L('督办逾期', 'Overdue tasks'),
      [
        col(L('编号', 'No.'), 'id', 8),
        col(L('事项', 'Task'), 'title', 40),
        col(L('牵头单位', 'Lead unit'), 'leadUnitName', 20),
        col(L('期限', 'Deadline'), 'deadline', 12),
        col(L('逾期天数', 'Days overdue'), 'daysOverdue', 10),
      ],
      a.supervision.tasks,
    ],
    [L('12345月度', '12345 by month'), [col(L('月份', 'Month'), 'month', 10), ...CASE_FIGURES], a.cases.months],
    [
      L('诉求热点', 'Request hot spots'),
      [
        col(L('诉求类别', 'Category'), 'name', 30),
        col(L('受理', 'Received'), 'created', 10),
        col(L('办结', 'Closed'), 'closed', 10),
      ],
      a.cases.topCategories,
    ],
    [
      L('热点街道', 'Hot-spot streets'),
      [
        col(L('街道', 'Street'), 'name', 16),
        col(L('受理', 'Received'), 'cases', 10),
        col(L('主要诉求类别', 'Leading category'), 'topCategory', 24),
        col(L('该类受理', 'Its cases'), 'topCategoryCases', 10),
      ],
      a.cases.streets,
    ],
    [L('承办单位', 'Handling units'), [UNIT, ...CASE_FIGURES], a.cases.units],
    [
      L('多元评价', 'Evaluation campaigns'),
      [
        col(L('编号', 'No.'), 'id', 8),
        col(L('评议活动', 'Campaign'), 'title', 40),
        col(L('开始', 'From'), 'periodFrom', 12),
        col(L('结束', 'To'), 'periodTo', 12),
        col(L('参评单位', 'Units'), 'units', 10),
        col(L('有效问卷', 'Valid responses'), 'valid', 10),
        col(L('平均分', 'Mean'), 'mean', 10, S),
        col(L('满意率（%）', 'Satisfaction rate (%)'), 'satisfactionRate', 12, S),
        col(L('得分最低单位', 'Lowest-scoring units'), 'lowest', 50),
      ],
      evaluation,
    ],
    [
      L('好差评', 'Service ratings'),
      [col(L('项目', 'Item'), 'item', 24), col(L('数量', 'Count'), 'n', 12)],
      ratingFigures,
    ],
    [
      L('差评单位', 'Units with bad ratings'),
      [UNIT, col(L('差评', 'Bad ratings'), 'bad', 10), col(L('评价', 'Ratings'), 'rated', 10)],
      r?.topBadUnits ?? [],
    ],
    [
      L('改进建议', 'Suggestions'),
      [
        UNIT,
        CODE,
        col(INDICATOR, 'indicator', 24),
        col(L('规则', 'Rule'), 'rule', 10),
        col(L('问题', 'Finding'), 'finding', 50),
        col(L('建议', 'Advice'), 'advice', 70),
      ],
      a.suggestions,
    ],
  ];
}

/** The workbook's bytes (created/modified set to the report's time, so the same analysis gives the same tables). */
export async function reportXlsx(a: TAnalysis): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(a.generatedAt);
  wb.creator = a.lang === 'en' ? 'Xiaoneng performance platform' : '效能平台';
  wb.created = at;
  wb.modified = at;
  wb.title = a.title;
  for (const [name, cols, rows] of sheets(a)) sheet(wb, name, cols, rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
