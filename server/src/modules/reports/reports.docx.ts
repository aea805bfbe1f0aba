/**
 * The report as a Word document in 公文 layout: A4, margins 37/35/28/26 mm, title in 小标宋 二号, body in
 * 仿宋_GB2312 三号 with a fixed 28-point line and a two-character first-line indent, headings 一、(黑体)
 * （一）(楷体) 1.(仿宋 bold), tables in 仿宋 小四, charts as SVG pictures with a PNG fallback, page
 * numbers "— n —" at the foot.
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
import { chartPng, CHART_SIZE, reportCharts, type BarChart } from './reports.charts.js';
import type { TAnalysis } from './reports.schema.js';

/** 'YYYY-MM-DD HH:mm' in Beijing time. */
const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}`;

function chart(c: BarChart & { svg: string }): Paragraph[] {
  const image = new ImageRun({
    type: 'svg',
    data: Buffer.from(c.svg),
    fallback: { type: 'png', data: chartPng(c) },
    transformation: { width: CHART_SIZE.width * 0.85, height: CHART_SIZE.height * 0.85 },
    altText: { name: c.key, title: c.title, description: c.title },
  });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [image as ParagraphChild] }),
    caption(`图：${c.title}`),
  ];
}

/** The report's .docx bytes. */
export async function reportDocx(a: TAnalysis): Promise<Buffer> {
  // The SVGs drawn for the analysis (the print page shows the same), with their PNG fallbacks drawn here.
  const svgs = new Map(a.charts.map((c) => [c.key, c.svg]));
  const charts = new Map(
    reportCharts(a)
      .filter((c) => svgs.has(c.key))
      .map((c) => [c.key, { ...c, svg: svgs.get(c.key)! }]),
  );
  const unit = a.scope.kind === 'unit';
  const out: (Paragraph | Table)[] = [];
  out.push(
    title(a.title),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 300 },
      children: [
        run(
          `（考核期：${a.periodLabel}${a.comparedWith ? `；对比：${a.comparedWith}` : ''}；数据版本 ${a.scoreVersion}；生成于 ${beijingTime(a.generatedAt)}）`,
          { font: KAITI, size: XIAOSI },
        ),
      ],
    }),
  );
  let s = 0;

  // 一、总体情况
  out.push(h1(s++, '总体情况'));
  for (const p of a.summary.paragraphs) out.push(body(p));
  out.push(
    table(
      ['类别', '单位数', '平均分', '最高分', '最低分', '前三名'],
      a.summary.categories.map((c) => [
        c.name,
        c.units,
        fmt(c.average),
        fmt(c.max),
        fmt(c.min),
        c.top.map((t) => `${t.unitName}（${fmt(t.total)}）`).join('、'),
      ]),
    ),
  );
  if (charts.has('categories')) out.push(...chart(charts.get('categories')!));
  if (a.summary.topNodes.length) {
    out.push(body(unit ? '本单位一级指标得分与同类单位平均如下。' : '各一级指标全区平均得分如下。'));
    out.push(
      table(
        ['指标', '分值', unit ? '本单位得分' : '全区平均得分', unit ? '同类平均' : '平均得分率（%）'],
        a.summary.topNodes.map((n) => [
          `${n.code} ${n.name}`,
          fmt(n.points, 1),
          fmt(n.score),
          unit ? fmt(n.categoryAvg) : n.score === null || !n.points ? '—' : ((n.score / n.points) * 100).toFixed(1),
        ]),
      ),
    );
    if (charts.has('nodes')) out.push(...chart(charts.get('nodes')!));
  }
  if (!unit && a.summary.grades.length)
    out.push(body(`等次分布：${a.summary.grades.map((g) => `${g.label} ${g.count} 个`).join('，')}。`));

  // 二、得分变动
  out.push(h1(s++, '得分变动情况'));
  if (!a.comparedWith) out.push(body('本期没有可比较的上期数据（首个考核期或上年度未考核），不作变动分析。'));
  else {
    out.push(
      body(`以下与${a.comparedWith}相比，列出各类别得分上升和下降最多的单位，并列出引起变动的主要指标（得分变化）。`),
    );
    a.movement.forEach((m, k) => {
      out.push(h2(k, m.categoryName));
      const line = (x: TAnalysis['movement'][number]['gains'][number]) => [
        x.unitName,
        fmt(x.total),
        fmt(x.previous),
        signed(x.delta),
        x.causes.map((c) => `${c.code} ${c.name}（${signed(c.delta)}）`).join('；') || '—',
      ];
      if (!m.gains.length && !m.losses.length) out.push(body('本类别单位得分没有变化。'));
      else
        out.push(
          table(
            ['单位', '本期', '上期', '变动', '主要原因（指标得分变化）'],
            [...m.gains.map(line), ...m.losses.map(line)],
          ),
        );
    });
  }

  // 三、落后单位及短板
  out.push(h1(s++, unit ? '短板指标' : '排名靠后单位及短板指标'));
  a.behind.forEach((b, k) => {
    if (!unit) out.push(h2(k, b.categoryName));
    for (const u of b.units) {
      out.push(body(`${u.unitName}：得分 ${fmt(u.total)} 分，排名 ${u.rank}/${u.of}。短板指标如下。`));
      out.push(
        table(
          ['指标', '分值', '得分', '同类平均', '差距（百分点）'],
          u.weakest.map((l) => [
            `${l.code} ${l.name}`,
            fmt(l.points, 1),
            l.score === null ? '无数据' : fmt(l.score),
            fmt(l.categoryAvg),
            fmt(l.gap, 1),
          ]),
        ),
      );
    }
  });

  // 四、预警与报送
  out.push(h1(s++, '预警灯与数据报送'));
  out.push(h2(0, '预警灯'));
  out.push(body(`截至生成时，红灯 ${a.lights.red} 个，黄灯 ${a.lights.yellow} 个，绿灯 ${a.lights.green} 个。`));
  if (a.lights.units.length)
    out.push(
      table(
        ['单位', '红灯', '黄灯', '绿灯'],
        a.lights.units.map((u) => [u.unitName, u.red, u.yellow, u.green]),
      ),
    );
  out.push(h2(1, '缺报与迟报'));
  out.push(body(`本考核期应报未报 ${a.missingReports.missing} 项，迟报 ${a.missingReports.late} 项。`));
  if (a.missingReports.units.length)
    out.push(
      table(
        ['单位', '未报', '迟报'],
        a.missingReports.units.map((u) => [u.unitName, u.missing, u.late]),
      ),
    );

  // 五、督查督办
  out.push(h1(s++, '督查督办'));
  if (!a.supervision.available) out.push(body(a.supervision.note));
  else {
    out.push(
      body(
        `督办事项共 ${a.supervision.total} 项，逾期未办结 ${a.supervision.overdue} 项，亮红灯 ${a.supervision.red} 项。`,
      ),
    );
    if (a.supervision.tasks.length)
      out.push(
        table(
          ['事项', '牵头单位', '期限', '逾期天数'],
          a.supervision.tasks.map((t) => [t.title, t.leadUnitName, t.deadline, t.daysOverdue]),
        ),
      );
  }

  // 六、12345
  out.push(h1(s++, '12345 热线诉求'));
  if (!a.cases.available) out.push(body(a.cases.note));
  else {
    const t = a.cases.totals;
    out.push(
      body(
        `本期派单 ${t.dispatched} 件，办结 ${t.closed} 件，督办件 ${t.escalated} 件；按时办结率 ${fmt(t.onTimeRate)}%，满意率 ${fmt(t.satisfactionRate)}%。`,
      ),
    );
    if (charts.has('cases')) out.push(...chart(charts.get('cases')!));
    if (a.cases.topCategories.length) {
      out.push(body('诉求热点（按受理量）：'));
      out.push(
        table(
          ['诉求类别', '受理', '办结'],
          a.cases.topCategories.map((c) => [c.name, c.created, c.closed]),
        ),
      );
    }
    if (a.cases.streets.length) {
      out.push(body('热点街道（按受理量，按诉求地点归入街道）：'));
      out.push(
        table(
          ['街道', '受理', '主要诉求类别', '该类受理'],
          a.cases.streets.map((x) => [x.name, x.cases, x.topCategory ?? '—', x.topCategoryCases]),
        ),
      );
    }
    if (a.cases.units.length) {
      out.push(body(unit ? '本单位办理情况：' : '按时办结率较低的承办单位：'));
      out.push(
        table(
          ['单位', '派单', '办结', '按时办结率（%）', '满意率（%）'],
          a.cases.units.map((u) => [u.unitName, u.dispatched, u.closed, fmt(u.onTimeRate), fmt(u.satisfactionRate)]),
        ),
      );
    }
  }

  // 七、评价
  out.push(h1(s++, '评价情况'));
  out.push(...evaluationBlocks(a.evaluation));

  // 八、建议
  out.push(h1(s++, '改进建议'));
  if (!a.suggestions.length) out.push(body('各短板指标与同类单位均值差距均在 5 个百分点以内，本期不提出专项建议。'));
  a.suggestions.forEach((x, k) =>
    out.push(body([run(`${k + 1}. `, { bold: true }), run(`${x.unitName}：${x.finding}。${x.advice}。`)])),
  );

  // 附表
  out.push(
    new Paragraph({ pageBreakBefore: true, spacing: LINE, children: [run('附表', { font: HEITI })] }),
    caption(unit ? `${a.summary.unit?.categoryName ?? ''}得分排名` : '各单位得分排名'),
    table(
      ['类别', '单位', '得分', '排名', '等次', '上期', '变动'],
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
    description: `${a.periodLabel} 数据版本 ${a.scoreVersion}`,
    children: out,
  });
}

/** 七、评价情况: 多元评价 campaigns and the period's 好差评 (a report kept before they were connected: its note). */
function evaluationBlocks(e: TAnalysis['evaluation']): (Paragraph | Table)[] {
  if (!e.available) return [body(e.note)];
  const out: (Paragraph | Table)[] = [h2(0, '多元评价')];
  if (!e.campaigns.length) out.push(body('截至本期末尚无已发布的评议结果。'));
  else
    out.push(
      body(`已发布评议活动 ${e.campaigns.length} 项，各项结果及得分最低的单位如下。`),
      table(
        ['评议活动', '评议期', '有效问卷', '平均分', '满意率（%）', '得分最低单位'],
        e.campaigns.map((c) => [
          c.title,
          `${c.periodFrom}至${c.periodTo}`,
          c.valid,
          fmt(c.mean),
          fmt(c.satisfactionRate),
          c.lowest.map((u) => `${u.unitName}（${fmt(u.mean)}）`).join('、') || '—',
        ]),
      ),
    );
  out.push(h2(1, '政务服务好差评'));
  const r = e.ratings;
  if (!r || !r.rated) out.push(body('本期没有收到好差评评价。'));
  else {
    out.push(
      body(
        `本期评价 ${r.rated} 次，满意率 ${fmt(r.goodRate, 1)}%，差评 ${r.bad} 件；差评整改未销号 ${r.rectifications.open} 件，其中逾期 ${r.rectifications.overdue} 件，已销号 ${r.rectifications.done} 件。`,
      ),
      table(
        r.levels.map((l) => l.label),
        [r.levels.map((l) => l.count)],
      ),
    );
    if (r.topBadUnits.length)
      out.push(
        body('差评较多的单位：'),
        table(
          ['单位', '差评', '评价'],
          r.topBadUnits.map((u) => [u.unitName, u.bad, u.rated]),
        ),
      );
  }
  return out;
}
