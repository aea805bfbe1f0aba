/**
 * The analysis report's table headings, [Chinese, English]: the .docx (server) and the print page (web) show
 * the same tables under the same headings, in the report's language; `L` is the renderer's `(zh, en) => text`.
 */
export const REPORT_HEADS = {
  categories: [
    ['类别', 'Category'],
    ['单位数', 'Units'],
    ['平均分', 'Average'],
    ['最高分', 'Highest'],
    ['最低分', 'Lowest'],
    ['前三名', 'Top three'],
  ],
  movers: [
    ['单位', 'Unit'],
    ['本期', 'This period'],
    ['上期', 'Previous'],
    ['变动', 'Change'],
    ['主要原因（指标得分变化）', 'Main causes (change in indicator score)'],
  ],
  weakLeaves: [
    ['指标', 'Indicator'],
    ['分值', 'Points'],
    ['得分', 'Score'],
    ['同类平均', 'Average of similar units'],
    ['差距（百分点）', 'Gap (percentage points)'],
  ],
  lights: [
    ['单位', 'Unit'],
    ['红灯', 'Red'],
    ['黄灯', 'Yellow'],
    ['绿灯', 'Green'],
  ],
  missingReports: [
    ['单位', 'Unit'],
    ['未报', 'Missing'],
    ['迟报', 'Late'],
  ],
  overdueTasks: [
    ['事项', 'Task'],
    ['牵头单位', 'Lead unit'],
    ['期限', 'Deadline'],
    ['逾期天数', 'Days overdue'],
  ],
  caseCategories: [
    ['诉求类别', 'Category'],
    ['受理', 'Received'],
    ['办结', 'Closed'],
  ],
  caseStreets: [
    ['街道', 'Street'],
    ['受理', 'Received'],
    ['主要诉求类别', 'Leading category'],
    ['该类受理', 'Its cases'],
  ],
  caseUnits: [
    ['单位', 'Unit'],
    ['派单', 'Dispatched'],
    ['办结', 'Closed'],
    ['按时办结率（%）', 'On-time closing rate (%)'],
    ['满意率（%）', 'Satisfaction rate (%)'],
  ],
  ranking: [
    ['类别', 'Category'],
    ['单位', 'Unit'],
    ['得分', 'Score'],
    ['排名', 'Rank'],
    ['等次', 'Grade'],
    ['上期', 'Previous'],
    ['变动', 'Change'],
  ],
  campaigns: [
    ['评议活动', 'Campaign'],
    ['评议期', 'Period'],
    ['有效问卷', 'Valid responses'],
    ['平均分', 'Mean'],
    ['满意率（%）', 'Satisfaction rate (%)'],
    ['得分最低单位', 'Lowest-scoring units'],
  ],
  badRatingUnits: [
    ['单位', 'Unit'],
    ['差评', 'Bad ratings'],
    ['评价', 'Ratings'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type ReportTable = keyof typeof REPORT_HEADS;

/** A table's headings in the language `L` picks. */
export const reportHead = (table: ReportTable, L: (zh: string, en: string) => string): string[] =>
  REPORT_HEADS[table].map(([zh, en]) => L(zh, en));
