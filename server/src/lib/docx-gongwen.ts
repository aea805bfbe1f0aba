/**
 * A kit for Word documents in 公文 layout (GB/T 9704): A4, margins 37/35/28/26 mm, title in 小标宋 二号,
 * body in 仿宋_GB2312 三号 at a fixed 28-point line with a two-character first-line indent, headings
 * 一、(黑体) （一）(楷体), tables in 仿宋 小四 with a shaded 黑体 header row, page numbers "— n —" at the
 * foot. The analysis report and the 督查专报/通报 are built from these pieces; each document adds its own
 * content (charts, masthead, issuer). A document written in English keeps the layout; its headings are
 * numbered I. and (1), and every run sets Latin text in Times New Roman.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Lang } from './errors.js';

export const FANGSONG = '仿宋_GB2312';
export const HEITI = '黑体';
export const KAITI = '楷体_GB2312';
export const TITLE_FONT = '方正小标宋简体';
/** 三号 (16 pt), in half-points. */
export const SANHAO = 32;
/** 小四 (12 pt), in half-points. */
export const XIAOSI = 24;
/** The body's fixed 28-point line. */
export const LINE = { line: 560, lineRule: LineRuleType.EXACT };
/** Two characters of 三号. */
const INDENT = { firstLine: 640 };

const mm = (x: number) => Math.round((x / 25.4) * 1440);

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** A whole number from 1 to 99 in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一. */
export function cnNumeral(n: number): string {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

const ROMAN: [number, string][] = [
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];
/** A whole number from 1 to 99 in Roman numerals (an English document's first-level headings): 4 → IV. */
export function romanNumeral(n: number): string {
  let out = '';
  for (const [v, s] of ROMAN)
    while (n >= v) {
      out += s;
      n -= v;
    }
  return out;
}

/** A run of text: Times New Roman for Latin, the given Chinese font (仿宋 by default), 三号 by default. */
export const run = (text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({
    text,
    font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: o.font ?? FANGSONG },
    size: o.size ?? SANHAO,
    bold: o.bold,
    color: o.color,
  });

/** A body paragraph of runs (or one text), justified and indented. */
export const body = (content: string | TextRun[]) =>
  new Paragraph({
    children: typeof content === 'string' ? [run(content)] : content,
    spacing: LINE,
    indent: INDENT,
    alignment: AlignmentType.JUSTIFIED,
  });

/** First-level heading 一、… in 黑体 (English: I. … in bold); `n` counts from 0. */
export const h1 = (n: number, text: string, lang: Lang = 'zh') =>
  new Paragraph({
    children: [
      lang === 'en'
        ? run(`${romanNumeral(n + 1)}. ${text}`, { font: HEITI, bold: true })
        : run(`${cnNumeral(n + 1)}、${text}`, { font: HEITI }),
    ],
    spacing: LINE,
    indent: INDENT,
  });

/** Second-level heading （一）… in 楷体 (English: (1) …); `n` counts from 0. */
export const h2 = (n: number, text: string, lang: Lang = 'zh') =>
  new Paragraph({
    children: [run(lang === 'en' ? `(${n + 1}) ${text}` : `（${cnNumeral(n + 1)}）${text}`, { font: KAITI })],
    spacing: LINE,
    indent: INDENT,
  });

/** The document's title in 小标宋 二号, centred, at a fixed 35-point line. */
export const title = (text: string, space: { before?: number; after: number } = { after: 200 }) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: space.before, line: 700, lineRule: LineRuleType.EXACT, after: space.after },
    children: [run(text, { font: TITLE_FONT, size: 44 })],
  });

/** A centred caption in 黑体 小四 (a table's or a picture's). */
export const caption = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120 },
    children: [run(text, { size: XIAOSI, font: HEITI })],
  });

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };

/** A full-width table with a repeated, shaded header row; rows are never split across pages. */
export function table(headers: string[], rows: (string | number)[][]): Table {
  const cell = (text: string, header: boolean) =>
    new TableCell({
      borders,
      shading: header ? { type: ShadingType.CLEAR, fill: 'EDEDED', color: 'auto' } : undefined,
      children: [
        new Paragraph({
          alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: [run(text, { size: XIAOSI, bold: header, font: header ? HEITI : FANGSONG })],
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(String(c), false)) })),
    ],
  });
}

/** The .docx bytes of one A4 section in 公文 margins with "— n —" page numbers at the foot. */
export async function gongwenDocx(o: {
  title: string;
  description?: string;
  /** The document's author in its properties (default 效能平台). */
  creator?: string;
  children: (Paragraph | Table)[];
}): Promise<Buffer> {
  const doc = new Document({
    title: o.title,
    creator: o.creator ?? '效能平台',
    description: o.description,
    styles: { default: { document: { run: { font: FANGSONG, size: SANHAO } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), footer: mm(25) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: 'Times New Roman', size: 28 }),
                ],
              }),
            ],
          }),
        },
        children: o.children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
