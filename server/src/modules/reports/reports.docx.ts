/**
 * The report as a Word document in 公文 layout: A4, margins 37/35/28/26 mm, title in 小标宋 二号, body in
 * 仿宋_GB2312 三号 with a fixed 28-point line and a two-character first-line indent, headings 一、(黑体)
 * （一）(楷体) 1.(仿宋 bold), tables in 仿宋 小四, charts as SVG pictures with a PNG fallback, page
 * numbers "— n —" at the foot. A report generated in English has the same layout with English headings,
 * sentences and table headers (Latin text in Times New Roman); configured names stay as configured.
 */
import { AlignmentType, ImageRun, Paragraph, type ParagraphChild, type Table } from 'docx';
import {
  body,
  caption,
  gongwenDocx,
  h1,
  h2,
  HEITI,
  KAITI,
  LINE,
  run,
  table,
  title,
  XIAOSI,
} from '../../lib/docx-gongwen.js';
import { countOf } from './reports.analysis.js';
import { chartPng, CHART_SIZE, reportCharts, type BarChart } from './reports.charts.js';
import type { Lang } from '../../lib/errors.js';
import { reportHead } from '../../../../common/reports.js';
import type { TAnalysis } from './reports.schema.js';

/** 'YYYY-MM-DD HH:mm' in Beijing time. */
const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}`;

/** The report's language: `L(中文, English)` picks one. */
const pick = (lang: Lang) => (zh: string, en: string) => (lang === 'en' ? en : zh);

function chart(c: BarChart & { svg: string }, lang: Lang): Paragraph[] {
  const image = new ImageRun({
    type: 'svg',
    data: Buffer.from(c.svg),
    fallback: { type: 'png', data: chartPng(c) },
    transformation: { width: CHART_SIZE.width * 0.85, height: CHART_SIZE.height * 0.85 },
    altText: { name: c.key, title: c.title, description: c.title },
  });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [image as ParagraphChild] }),
    caption(`${pick(lang)('图：', 'Figure: ')}${c.title}`),
  ];
}

/** The report's .docx bytes, in the analysis's language. */
export async function reportDocx(a: TAnalysis): Promise<Buffer> {
  const { lang } = a;
  const L = pick(lang);
  const en = lang === 'en';
  /** Items of a list: 、 in Chinese, a comma in English. */
  const list = (xs: string[]) => xs.join(L('、', ', '));
  /** A figure in brackets after a name: 甲局（88.00） / 甲局 (88.00). */
  const paren = (name: string, x: string) => (en ? `${name} (${x})` : `${name}（${x}）`);
  // The SVGs drawn for the analysis (the print page shows the same), with their PNG fallbacks drawn here.
  const svgs = new Map(a.charts.map((c) => [c.key, c.svg]));
  const charts = new Map(
    reportCharts(a)
      .filter((c) => svgs.has(c.key))
      .map((c) => [c.key, { ...c, svg: svgs.get(c.key)! }]),
  );
  const unit = a.scope.kind === 'unit';
  const out: (Paragraph | Table)[] = [];
  const meta = en
    ? `(Period: ${a.periodLabel}${a.comparedWith ? `; compared with: ${a.comparedWith}` : ''}; data version ${a.scoreVersion}; generated ${beijingTime(a.generatedAt)})`
    : `（考核期：${a.periodLabel}${a.comparedWith ? `；对比：${a.comparedWith}` : ''}；数据版本 ${a.scoreVersion}；生成于 ${beijingTime(a.generatedAt)}）`;
  out.push(
    title(a.title),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 300 },
      children: [run(meta, { font: KAITI, size: XIAOSI })],
    }),
  );
  let s = 0;
  const heading = (text: string) => h1(s++, text, lang);
  const sub = (k: number, text: string) => h2(k, text, lang);

  // 一、总体情况
  out.push(heading(L('总体情况', 'Overview')));
  for (const p of a.summary.paragraphs) out.push(body(p));
  out.push(
    table(
      reportHead('categories', L),
      a.summary.categories.map((c) => [
        c.name,
        c.units,
        fmt(c.average),
        fmt(c.max),
        fmt(c.min),
        list(c.top.map((t) => paren(t.unitName, fmt(t.total)))),
      ]),
    ),
  );
  if (charts.has('categories')) out.push(...chart(charts.get('categories')!, lang));
  if (a.summary.topNodes.length) {
    out.push(
      body(
        unit
          ? L(
              '本单位一级指标得分与同类单位平均如下。',
              'The unit’s scores on the first-level indicators beside the average of similar units:',
            )
          : L('各一级指标全区平均得分如下。', 'The district’s average score on each first-level indicator:'),
      ),
    );
    out.push(
      table(
        [
          L('指标', 'Indicator'),
          L('分值', 'Points'),
          unit ? L('本单位得分', 'Unit’s score') : L('全区平均得分', 'District average'),
          unit ? L('同类平均', 'Average of similar units') : L('平均得分率（%）', 'Average score rate (%)'),
        ],
        a.summary.topNodes.map((n) => [
          `${n.code} ${n.name}`,
          fmt(n.points, 1),
          fmt(n.score),
          unit ? fmt(n.categoryAvg) : n.score === null || !n.points ? '—' : ((n.score / n.points) * 100).toFixed(1),
        ]),
      ),
    );
    if (charts.has('nodes')) out.push(...chart(charts.get('nodes')!, lang));
  }
  if (!unit && a.summary.grades.length)
    out.push(
      body(
        en
          ? `Grades: ${a.summary.grades.map((g) => `${g.label} ${g.count}`).join(', ')}.`
          : `等次分布：${a.summary.grades.map((g) => `${g.label} ${g.count} 个`).join('，')}。`,
      ),
    );

  // 二、得分变动
  out.push(heading(L('得分变动情况', 'Changes in scores')));
  if (!a.comparedWith)
    out.push(
      body(
        L(
          '本期没有可比较的上期数据（首个考核期或上年度未考核），不作变动分析。',
          'There is no earlier period to compare with (the first period, or last year was not assessed), so no changes are analysed.',
        ),
      ),
    );
  else {
    out.push(
      body(
        en
          ? `Compared with ${a.comparedWith}: the units of each category whose scores rose and fell most, with the indicators that moved them (change in score).`
          : `以下与${a.comparedWith}相比，列出各类别得分上升和下降最多的单位，并列出引起变动的主要指标（得分变化）。`,
      ),
    );
    a.movement.forEach((m, k) => {
      out.push(sub(k, m.categoryName));
      const line = (x: TAnalysis['movement'][number]['gains'][number]) => [
        x.unitName,
        fmt(x.total),
        fmt(x.previous),
        signed(x.delta),
        x.causes.map((c) => paren(`${c.code} ${c.name}`, signed(c.delta))).join(L('；', '; ')) || '—',
      ];
      if (!m.gains.length && !m.losses.length)
        out.push(body(L('本类别单位得分没有变化。', 'No unit of this category changed its score.')));
      else out.push(table(reportHead('movers', L), [...m.gains.map(line), ...m.losses.map(line)]));
    });
  }

  // 三、落后单位及短板
  out.push(
    heading(
      unit ? L('短板指标', 'Weak indicators') : L('排名靠后单位及短板指标', 'Lowest-ranked units and weak indicators'),
    ),
  );
  a.behind.forEach((b, k) => {
    if (!unit) out.push(sub(k, b.categoryName));
    for (const u of b.units) {
      out.push(
        body(
          en
            ? `${u.unitName}: ${fmt(u.total)} points, ranked ${u.rank}/${u.of}. Its weak indicators:`
            : `${u.unitName}：得分 ${fmt(u.total)} 分，排名 ${u.rank}/${u.of}。短板指标如下。`,
        ),
      );
      out.push(
        table(
          reportHead('weakLeaves', L),
          u.weakest.map((l) => [
            `${l.code} ${l.name}`,
            fmt(l.points, 1),
            l.score === null ? L('无数据', 'no data') : fmt(l.score),
            fmt(l.categoryAvg),
            fmt(l.gap, 1),
          ]),
        ),
      );
    }
  });

  // 四、预警与报送
  out.push(heading(L('预警灯与数据报送', 'Warning lights and data submission')));
  out.push(sub(0, L('预警灯', 'Warning lights')));
  out.push(
    body(
      en
        ? `At the time of generation: ${countOf(a.lights.red, 'red light')}, ${a.lights.yellow} yellow, ${a.lights.green} green.`
        : `截至生成时，红灯 ${a.lights.red} 个，黄灯 ${a.lights.yellow} 个，绿灯 ${a.lights.green} 个。`,
    ),
  );
  if (a.lights.units.length)
    out.push(
      table(
        reportHead('lights', L),
        a.lights.units.map((u) => [u.unitName, u.red, u.yellow, u.green]),
      ),
    );
  out.push(sub(1, L('缺报与迟报', 'Missing and late submissions')));
  out.push(
    body(
      en
        ? `Submissions of this period: ${a.missingReports.missing} missing, ${a.missingReports.late} late.`
        : `本考核期应报未报 ${a.missingReports.missing} 项，迟报 ${a.missingReports.late} 项。`,
    ),
  );
  if (a.missingReports.units.length)
    out.push(
      table(
        reportHead('missingReports', L),
        a.missingReports.units.map((u) => [u.unitName, u.missing, u.late]),
      ),
    );

  // 五、督查督办
  out.push(heading(L('督查督办', 'Supervision tasks')));
  if (!a.supervision.available) out.push(body(a.supervision.note));
  else {
    out.push(
      body(
        en
          ? `Supervision tasks: ${a.supervision.total} in all, ${a.supervision.overdue} overdue and not completed, ${a.supervision.red} on a red light.`
          : `督办事项共 ${a.supervision.total} 项，逾期未办结 ${a.supervision.overdue} 项，亮红灯 ${a.supervision.red} 项。`,
      ),
    );
    if (a.supervision.tasks.length)
      out.push(
        table(
          reportHead('overdueTasks', L),
          a.supervision.tasks.map((t) => [t.title, t.leadUnitName, t.deadline, t.daysOverdue]),
        ),
      );
  }

  // 六、12345
  out.push(heading(L('12345 热线诉求', '12345 hotline requests')));
  if (!a.cases.available) out.push(body(a.cases.note));
  else {
    const t = a.cases.totals;
    out.push(
      body(
        en
          ? `Cases of this period: ${t.dispatched} dispatched, ${t.closed} closed, ${t.escalated} escalated; on-time closing rate ${fmt(t.onTimeRate)}%, satisfaction rate ${fmt(t.satisfactionRate)}%.`
          : `本期派单 ${t.dispatched} 件，办结 ${t.closed} 件，督办件 ${t.escalated} 件；按时办结率 ${fmt(t.onTimeRate)}%，满意率 ${fmt(t.satisfactionRate)}%。`,
      ),
    );
    if (charts.has('cases')) out.push(...chart(charts.get('cases')!, lang));
    if (a.cases.topCategories.length) {
      out.push(body(L('诉求热点（按受理量）：', 'Request hot spots (by cases received):')));
      out.push(
        table(
          reportHead('caseCategories', L),
          a.cases.topCategories.map((c) => [c.name, c.created, c.closed]),
        ),
      );
    }
    if (a.cases.streets.length) {
      out.push(
        body(
          L(
            '热点街道（按受理量，按诉求地点归入街道）：',
            'Hot-spot streets (by cases received, placed on streets by the request’s location):',
          ),
        ),
      );
      out.push(
        table(
          reportHead('caseStreets', L),
          a.cases.streets.map((x) => [x.name, x.cases, x.topCategory ?? '—', x.topCategoryCases]),
        ),
      );
    }
    if (a.cases.units.length) {
      out.push(
        body(
          unit
            ? L('本单位办理情况：', 'The unit’s handling:')
            : L('按时办结率较低的承办单位：', 'Handling units with the lowest on-time closing rates:'),
        ),
      );
      out.push(
        table(
          reportHead('caseUnits', L),
          a.cases.units.map((u) => [u.unitName, u.dispatched, u.closed, fmt(u.onTimeRate), fmt(u.satisfactionRate)]),
        ),
      );
    }
  }

  // 七、评价
  out.push(heading(L('评价情况', 'Evaluations')));
  out.push(...evaluationBlocks(a.evaluation, lang));

  // 八、建议
  out.push(heading(L('改进建议', 'Suggestions for improvement')));
  if (!a.suggestions.length)
    out.push(
      body(
        L(
          '各短板指标与同类单位均值差距均在 5 个百分点以内，本期不提出专项建议。',
          'Every weak indicator is within 5 percentage points of the average of similar units; no specific suggestion this period.',
        ),
      ),
    );
  a.suggestions.forEach((x, k) =>
    out.push(
      body([
        run(`${k + 1}. `, { bold: true }),
        run(en ? `${x.unitName}: ${x.finding}. ${x.advice}.` : `${x.unitName}：${x.finding}。${x.advice}。`),
      ]),
    ),
  );

  // 附表
  out.push(
    new Paragraph({
      pageBreakBefore: true,
      spacing: LINE,
      children: [run(L('附表', 'Appendix'), { font: HEITI, bold: en || undefined })],
    }),
    caption(
      unit
        ? en
          ? `Ranking of ${a.summary.unit?.categoryName ?? ''}`
          : `${a.summary.unit?.categoryName ?? ''}得分排名`
        : L('各单位得分排名', 'Scores and ranks of all units'),
    ),
    table(
      reportHead('ranking', L),
      a.ranking.map((r) => [
        r.categoryName,
        r.unitName,
        fmt(r.total),
        `${r.rank}/${r.of}`,
        r.grade ?? '—',
        fmt(r.previous),
        r.delta === null ? '—' : signed(r.delta),
      ]),
    ),
  );

  return gongwenDocx({
    title: a.title,
    description: en
      ? `${a.periodLabel}, data version ${a.scoreVersion}`
      : `${a.periodLabel} 数据版本 ${a.scoreVersion}`,
    creator: en ? 'Xiaoneng performance platform' : undefined,
    children: out,
  });
}

/** 七、评价情况: 多元评价 campaigns and the period's 好差评 (a report kept before they were connected: its note). */
function evaluationBlocks(e: TAnalysis['evaluation'], lang: Lang): (Paragraph | Table)[] {
  if (!e.available) return [body(e.note)];
  const L = pick(lang);
  const en = lang === 'en';
  const out: (Paragraph | Table)[] = [h2(0, L('多元评价', 'Evaluation campaigns'), lang)];
  if (!e.campaigns.length)
    out.push(body(L('截至本期末尚无已发布的评议结果。', 'No published campaign results by the end of the period.')));
  else
    out.push(
      body(
        en
          ? `${countOf(e.campaigns.length, 'published campaign')}; results and lowest-scoring units:`
          : `已发布评议活动 ${e.campaigns.length} 项，各项结果及得分最低的单位如下。`,
      ),
      table(
        reportHead('campaigns', L),
        e.campaigns.map((c) => [
          c.title,
          `${c.periodFrom}${L('至', ' to ')}${c.periodTo}`,
          c.valid,
          fmt(c.mean),
          fmt(c.satisfactionRate),
          c.lowest
            .map((u) => (en ? `${u.unitName} (${fmt(u.mean)})` : `${u.unitName}（${fmt(u.mean)}）`))
            .join(L('、', ', ')) || '—',
        ]),
      ),
    );
  out.push(h2(1, L('政务服务好差评', 'Government service ratings'), lang));
  const r = e.ratings;
  if (!r || !r.rated) out.push(body(L('本期没有收到好差评评价。', 'No service ratings were received in the period.')));
  else {
    out.push(
      body(
        en
          ? `${countOf(r.rated, 'rating')} in the period, satisfaction rate ${fmt(r.goodRate, 1)}%, ${countOf(r.bad, 'bad rating')}; rectifications of bad ratings: ${r.rectifications.open} open, ${r.rectifications.overdue} of them overdue, ${r.rectifications.done} closed.`
          : `本期评价 ${r.rated} 次，满意率 ${fmt(r.goodRate, 1)}%，差评 ${r.bad} 件；差评整改未销号 ${r.rectifications.open} 件，其中逾期 ${r.rectifications.overdue} 件，已销号 ${r.rectifications.done} 件。`,
      ),
      table(
        r.levels.map((l) => l.label),
        [r.levels.map((l) => l.count)],
      ),
    );
    if (r.topBadUnits.length)
      out.push(
        body(L('差评较多的单位：', 'Units with most bad ratings:')),
        table(
          reportHead('badRatingUnits', L),
          r.topBadUnits.map((u) => [u.unitName, u.bad, u.rated]),
        ),
      );
  }
  return out;
}
