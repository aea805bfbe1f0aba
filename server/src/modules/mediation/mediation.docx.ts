/**
 * The agreement (人民调解协议书) as a Word document, in the layout of the Ministry of Justice's model text:
 * number, the parties, the facts and the matters in dispute, the terms agreed, how and when they are
 * performed, copies, signatures of the parties, the mediators and the recorder, the committee's seal and
 * the date. Pure: data in, bytes out.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export type AgreementData = {
  number: string;
  committee: string;
  jointUnits: readonly string[];
  disputeTypeName: string;
  parties: readonly { side: 'applicant' | 'respondent'; name: string; contact: string; address: string }[];
  facts: string;
  agreement: string;
  performance: string;
  mediators: readonly string[];
  outcomeOn: string;
  amountRecovered: number;
};

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const SIDE = { applicant: '当事人（申请人）', respondent: '当事人（被申请人）' } as const;

function p(
  value: string,
  o: { bold?: boolean; align?: 'center' | 'right'; indent?: boolean; after?: number; size?: number } = {},
) {
  return new Paragraph({
    alignment:
      o.align === 'center' ? AlignmentType.CENTER : o.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
    indent: o.indent ? { firstLine: 640 } : undefined,
    spacing: { after: o.after ?? 120, line: 460 },
    children: [new TextRun({ text: value, bold: o.bold, size: o.size ?? 30, font: FONT })],
  });
}

/** Multi-line text as paragraphs, each line indented; a blank placeholder line when empty. */
const lines = (value: string) =>
  (value.trim() ? value.trim().split(/\r?\n/) : ['（无）']).map((l) => p(l.trim(), { indent: true }));

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
function signRow(label: string, names: readonly string[]): TableRow {
  return new TableRow({
    children: [
      new TableCell({ width: { size: 3000, type: WidthType.DXA }, children: [p(label, { after: 0 })] }),
      new TableCell({
        width: { size: 6000, type: WidthType.DXA },
        children: [p(names.join('、') || '\u3000', { after: 0 })],
      }),
    ],
  });
}

/** Chinese date: 2026年3月5日. */
export const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** The agreement document's bytes. */
export async function agreementDocx(d: AgreementData): Promise<Buffer> {
  const partyBlocks = d.parties.flatMap((x) => [
    p(`${SIDE[x.side]}：${x.name}`, { after: 0 }),
    p(`联系方式：${x.contact || '\u3000'}\u3000\u3000住所：${x.address || '\u3000'}`),
  ]);
  const applicants = d.parties.filter((x) => x.side === 'applicant').map((x) => x.name);
  const respondents = d.parties.filter((x) => x.side === 'respondent').map((x) => x.name);
  const doc = new Document({
    creator: d.committee,
    title: `人民调解协议书 ${d.number}`,
    sections: [
      {
        properties: { page: { margin: { top: 2000, bottom: 1700, left: 1600, right: 1500 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: '人民调解协议书', bold: true, size: 44, font: TITLE_FONT })],
          }),
          p(`编号：${d.number}`, { align: 'right' }),
          ...partyBlocks,
          p(`纠纷类型：${d.disputeTypeName}`),
          p('纠纷主要事实、争议事项：', { bold: true }),
          ...lines(d.facts),
          p(
            `经${d.committee}${d.jointUnits.length ? `会同${d.jointUnits.join('、')}` : ''}调解，双方当事人自愿达成如下协议：`,
            { bold: true },
          ),
          ...lines(d.agreement),
          ...(d.amountRecovered > 0
            ? [p(`涉及金额：人民币 ${d.amountRecovered.toFixed(2)} 元。`, { indent: true })]
            : []),
          p('履行方式、时限：', { bold: true }),
          ...lines(d.performance),
          p(
            `本协议自各方当事人签名（盖章）、调解员签名并加盖人民调解委员会印章之日起生效。本协议一式${d.parties.length + 1}份，当事人、人民调解委员会各持一份。`,
            { indent: true, after: 240 },
          ),
          new Table({
            width: { size: 9000, type: WidthType.DXA },
            borders: {
              top: cellBorder,
              bottom: cellBorder,
              left: cellBorder,
              right: cellBorder,
              insideHorizontal: cellBorder,
              insideVertical: cellBorder,
            },
            rows: [
              signRow(
                '申请人（签名或盖章）',
                applicants.map((n) => `${n}：\u3000\u3000\u3000`),
              ),
              signRow(
                '被申请人（签名或盖章）',
                respondents.map((n) => `${n}：\u3000\u3000\u3000`),
              ),
              signRow('人民调解员（签名）', d.mediators),
              signRow('记录人（签名）', []),
            ],
          }),
          p('', { after: 240 }),
          p(`${d.committee}（印）`, { align: 'right' }),
          p(zhDate(d.outcomeOn), { align: 'right' }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
