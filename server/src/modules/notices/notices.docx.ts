/** A notice (整改建议书 / 监察建议书 / 监察决定书) as a Word document, A4 portrait. Pure: data in, bytes out. */
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { KIND_TITLES } from './notices.rules.js';
import type { TNotice } from './notices.schema.js';

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
function para(
  value: string,
  o: { size?: number; align?: Align; indent?: boolean; font?: typeof FONT; bold?: boolean } = {},
) {
  return new Paragraph({
    alignment: o.align,
    spacing: { after: 120, line: 560, lineRule: 'exact' },
    indent: o.indent ? { firstLine: 640 } : undefined,
    children: [new TextRun({ text: value, size: o.size ?? 32, font: o.font ?? FONT, bold: o.bold })],
  });
}

function block(text: string): Paragraph[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => para(l.trim(), { indent: true }));
}

const cn = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

export async function noticeDocx(n: TNotice): Promise<Buffer> {
  const issued = cn(n.issuedAt.slice(0, 10));
  const children = [
    para(KIND_TITLES[n.kind], { size: 44, align: AlignmentType.CENTER, font: TITLE_FONT }),
    para(n.number, { align: AlignmentType.CENTER }),
    para(''),
    para(`${n.unitName}：`),
    para(`关于${n.title}，现将有关情况和要求通知如下。`, { indent: true }),
    para('一、发现的问题', { font: HEADING_FONT, indent: true }),
    ...block(n.findings),
    para('二、整改要求', { font: HEADING_FONT, indent: true }),
    ...block(n.actions),
    para(
      `请于${cn(n.deadline)}前将整改措施和落实情况书面报送${n.issuerName}，并附相关佐证材料。逾期未报送的，按有关规定予以通报。`,
      { indent: true },
    ),
    ...(n.deduction
      ? [para(`本事项已纳入问责扣分（${n.deduction.documentNo}，扣${n.deduction.points}分）。`, { indent: true })]
      : []),
    para(''),
    para(n.issuerName, { align: AlignmentType.RIGHT }),
    para(issued, { align: AlignmentType.RIGHT }),
  ];
  const doc = new Document({
    creator: n.issuerName,
    title: `${KIND_TITLES[n.kind]} ${n.number}`,
    sections: [
      {
        properties: { page: { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
