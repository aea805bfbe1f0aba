/** An award certificate (荣誉证书) as a Word document. Pure: data in, bytes out. */
import { AlignmentType, Document, PageOrientation, Packer, Paragraph, TextRun } from 'docx';
import type { TCandidate, TRound } from './awards.schema.js';

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const TITLE = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };

export const AWARD_TITLES = { advanced: '绩效管理先进单位', improvement: '绩效改进奖', single: '单项绩效奖' } as const;

function p(
  text: string,
  o: {
    size?: number;
    title?: boolean;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    after?: number;
  } = {},
) {
  return new Paragraph({
    alignment: o.align ?? AlignmentType.CENTER,
    spacing: { after: o.after ?? 240 },
    children: [new TextRun({ text, size: o.size ?? 32, font: o.title ? TITLE : FONT })],
  });
}

export async function certificateDocx(round: TRound, c: TCandidate): Promise<Buffer> {
  const award = c.kind === 'single' ? `${AWARD_TITLES.single}（${round.indicatorName}）` : AWARD_TITLES[c.kind];
  const doc = new Document({
    title: `${round.year}年度${award} ${c.unitName}`,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          p('荣 誉 证 书', { size: 72, title: true, after: 600 }),
          p(`${c.unitName}：`, { size: 36, align: AlignmentType.LEFT }),
          p(`在${round.year}年度绩效考核中成绩突出，被评为`, { size: 36 }),
          p(`${round.year}年度${award}`, { size: 48, title: true }),
          p('特发此证，以资鼓励。', { size: 36, after: 600 }),
          p('汉江区绩效管理委员会', { size: 32, align: AlignmentType.RIGHT }),
          p(round.publishedAt ? round.publishedAt.slice(0, 10) : '', { size: 32, align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
