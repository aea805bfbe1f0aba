/**
 * A 督查专报 / 督查通报 as a Word document in 公文 layout: A4, margins 37/35/28/26 mm, the red masthead
 * (发文机关标志) and red rule, the 文号, the title in 小标宋 二号, body in 仿宋_GB2312 三号 at a fixed 28-point
 * line with a two-character indent, headings 一、(黑体) （一）(楷体), per-unit tables in 仿宋 小四, the
 * issuer and date at the foot, page numbers "— n —".
 */
import { AlignmentType, BorderStyle, Paragraph, type Table } from 'docx';
import { body, gongwenDocx, h1, h2, LINE, run, table, title, TITLE_FONT } from '../../lib/docx-gongwen.js';
import type { TDocContent } from './supervision.docs.schema.js';

const RED = 'E60000';

const STATUS: Record<string, string> = {
  assigned: '待签收',
  signed: '待报方案',
  plan_submitted: '方案待审',
  in_progress: '推进中',
  completion_applied: '办结待审',
  completed: '已办结',
  proposed: '待立项',
  declined: '不予立项',
  merged: '已合并',
};
const LIGHT: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const cnDate = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** The document's .docx bytes. */
export async function documentDocx(c: TDocContent): Promise<Buffer> {
  const out: (Paragraph | Table)[] = [];
  // 版头: 发文机关标志 in red, the 文号, a red rule.
  out.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 200, after: 300 },
      children: [run(c.kind === 'report' ? '督 查 专 报' : '督 查 通 报', { font: TITLE_FONT, size: 72, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      children: [run(c.number ?? '（文号待编）')],
    }),
    title(c.title, { before: 400, after: 300 }),
    new Paragraph({ spacing: LINE, children: [run(`${c.recipients}：`)] }),
  );
  let s = 0;
  out.push(h1(s++, '督查工作开展情况'));
  for (const p of c.done) out.push(body(p));
  out.push(h1(s++, '取得的成效'));
  for (const p of c.results) out.push(body(p));
  out.push(h1(s++, '存在的问题'));
  for (const p of c.problems.length ? c.problems : ['本期所选督办事项未发现突出问题。']) out.push(body(p));
  out.push(h1(s++, '意见建议'));
  for (const p of c.suggestions.length ? c.suggestions : ['请各单位继续按节点推进，按期报送进展。']) out.push(body(p));
  out.push(h1(s++, '各单位办理情况'));
  c.units.forEach((u, k) => {
    out.push(h2(k, u.unitName));
    out.push(
      body(
        `共 ${u.tasks.length} 项督办事项，已办结 ${u.completed} 项，平均进度 ${u.averageProgress}%；红灯 ${u.red} 项、黄灯 ${u.yellow} 项；逾期未完成节点 ${u.overdueMilestones} 个。`,
      ),
    );
    out.push(
      table(
        ['督办事项', '状态', '进度', '灯色', '最新进展', '逾期节点'],
        u.tasks.map((t) => [
          t.title,
          STATUS[t.status] ?? t.status,
          `${t.progress}%`,
          t.light ? LIGHT[t.light] : '—',
          t.latestReport ? `${t.latestReport.on}：${t.latestReport.note}` : '未报送',
          t.overdueMilestones.map((m) => `${m.title}（${m.dueOn}）`).join('；') || '无',
        ]),
      ),
    );
  });
  out.push(
    new Paragraph({ spacing: { before: 600, ...LINE }, alignment: AlignmentType.RIGHT, children: [run(c.issuer)] }),
    new Paragraph({ spacing: LINE, alignment: AlignmentType.RIGHT, children: [run(cnDate(c.issuedOn))] }),
  );
  return gongwenDocx({ title: `${c.number ?? ''} ${c.title}`.trim(), children: out });
}
