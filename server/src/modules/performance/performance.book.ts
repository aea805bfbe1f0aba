/**
 * The responsibility book (绩效管理责任书) as a Word document, built with `docx` from the plan data
 * the service gathers. Pure: data in, bytes out.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { METHOD_NAMES, type MethodKind } from '../../engine/methods.schema.js';
import type { BookData, BookSection } from './performance.service.js';

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
// A4 landscape content width in twips (297 mm − 2 × 25.4 mm margins).
const COLUMNS: { title: string; width: number }[] = [
  { title: '序号', width: 650 },
  { title: '一级指标', width: 1250 },
  { title: '二级指标', width: 1300 },
  { title: '三级指标', width: 3150 },
  { title: '分值', width: 750 },
  { title: '计分方法', width: 1450 },
  { title: '目标值', width: 1650 },
  { title: '挑战值', width: 1500 },
  { title: '考评主体', width: 2138 },
];

const STATUS_NOTE = {
  draft: '（草案，尚未提交）',
  submitted: '（已提交，待审核）',
  returned: '（已退回修改）',
  approved: '',
} as const;

function text(value: string, opts: { bold?: boolean; size?: number; heading?: boolean } = {}): TextRun {
  return new TextRun({ text: value, bold: opts.bold, size: opts.size ?? 21, font: opts.heading ? HEADING_FONT : FONT });
}

function para(
  value: string,
  opts: {
    bold?: boolean;
    size?: number;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
    after?: number;
    heading?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    alignment: opts.align,
    spacing: { after: opts.after ?? 120, line: 360 },
    indent: opts.indent ? { firstLine: 560 } : undefined,
    children: [text(value, opts)],
  });
}

function cell(
  value: string,
  opts: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; width: number; shade?: boolean },
): TableCell {
  return new TableCell({
    width: { size: opts.width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    shading: opts.shade ? { fill: 'F2F2F2' } : undefined,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    children: [
      new Paragraph({
        alignment: opts.align ?? AlignmentType.LEFT,
        children: [text(value, { bold: opts.bold, size: 19 })],
      }),
    ],
  });
}

/** A number without float noise: 98.5, 1200, 0.25. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}

function valueWithUnit(v: number | null, unit: string, needsTarget: boolean): string {
  if (v === null) return needsTarget ? '—' : '按考核细则';
  return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

function indicatorTable(section: BookSection): Table {
  const header = new TableRow({
    tableHeader: true,
    children: COLUMNS.map((c) =>
      cell(c.title, { bold: true, align: AlignmentType.CENTER, width: c.width, shade: true }),
    ),
  });
  const rows = section.rows.map(
    (r, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell(String(i + 1), { align: AlignmentType.CENTER, width: COLUMNS[0].width }),
          cell(r.path[0] ?? '', { width: COLUMNS[1].width }),
          cell(r.path.slice(1).join(' / '), { width: COLUMNS[2].width }),
          cell(r.name, { width: COLUMNS[3].width }),
          cell(formatNumber(r.points), { align: AlignmentType.CENTER, width: COLUMNS[4].width }),
          cell(r.methodKind ? (METHOD_NAMES[r.methodKind as MethodKind]?.zh ?? r.methodKind) : '', {
            width: COLUMNS[5].width,
          }),
          cell(valueWithUnit(r.target, r.unitOfMeasure, r.needsTarget), {
            align: AlignmentType.CENTER,
            width: COLUMNS[6].width,
          }),
          cell(r.challenge === null ? '—' : valueWithUnit(r.challenge, r.unitOfMeasure, true), {
            align: AlignmentType.CENTER,
            width: COLUMNS[7].width,
          }),
          cell(r.assessingUnitName ?? '区绩效管理办公室', { width: COLUMNS[8].width }),
        ],
      }),
  );
  const total = section.rows.reduce((s, r) => s + r.points, 0);
  const totalRow = new TableRow({
    children: [
      new TableCell({
        columnSpan: 4,
        width: { size: COLUMNS.slice(0, 4).reduce((s, c) => s + c.width, 0), type: WidthType.DXA },
        verticalAlign: VerticalAlign.CENTER,
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [text('合计', { bold: true, size: 19 })] }),
        ],
      }),
      cell(formatNumber(total), { bold: true, align: AlignmentType.CENTER, width: COLUMNS[4].width }),
      new TableCell({
        columnSpan: 4,
        width: { size: COLUMNS.slice(5).reduce((s, c) => s + c.width, 0), type: WidthType.DXA },
        children: [
          new Paragraph({
            children: [
              text('不适用本单位的指标分值按比例折算；加分、扣分及一票否决事项按年度考核细则执行', { size: 19 }),
            ],
          }),
        ],
      }),
    ],
  });
  return new Table({
    width: { size: COLUMNS.reduce((s, c) => s + c.width, 0), type: WidthType.DXA },
    columnWidths: COLUMNS.map((c) => c.width),
    rows: [header, ...rows, totalRow],
  });
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function signatureTable(districtName: string, unitName: string): Table {
  const side = (lines: string[]) =>
    new TableCell({
      width: { size: 6979, type: WidthType.DXA },
      borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
      children: lines.map((l) => para(l, { size: 24, after: 280 })),
    });
  return new Table({
    width: { size: 13958, type: WidthType.DXA },
    columnWidths: [6979, 6979],
    borders: {
      top: NO_BORDER,
      bottom: NO_BORDER,
      left: NO_BORDER,
      right: NO_BORDER,
      insideHorizontal: NO_BORDER,
      insideVertical: NO_BORDER,
    },
    rows: [
      new TableRow({
        children: [
          side([`甲方：${districtName}（盖章）`, '负责人（签字）：____________________', '日期：______年____月____日']),
          side([`乙方：${unitName}（盖章）`, '主要负责人（签字）：________________', '日期：______年____月____日']),
        ],
      }),
    ],
  });
}

/** How the total is computed, as the engine does it: base (full base), bonus on top, deductions. */
export function scoringSentence(x: BookData['scoring']): string {
  const f = (n: number) => String(Math.round(n * 100) / 100);
  const bonus = x.bonus.reduce((s, b) => s + b.points, 0);
  return bonus > 0
    ? `基础分满分 ${f(x.fullBase)} 分（一级指标分值合计 ${f(x.designed)} 分，其中${x.bonus.map((b) => `「${b.name}」`).join('、')}共 ${f(bonus)} 分为基础分之外的加分项）；不适用的指标按适用分值折算至 ${f(x.fullBase)} 分。总分 = 基础分 + 加分 − 扣分，最高 ${f(x.fullBase + bonus)} 分。`
    : `基础分满分 ${f(x.fullBase)} 分；不适用的指标按适用分值折算。总分 = 基础分 + 加分 − 扣分。`;
}

function unitSection(data: BookData, section: BookSection): ISectionOptions {
  const { year, districtName } = data;
  const unitName = section.unit.name;
  return {
    properties: {
      page: {
        size: { orientation: PageOrientation.LANDSCAPE },
        margin: { top: 1200, bottom: 1200, left: 1440, right: 1440 },
      },
    },
    children: [
      para(`${districtName}`, { align: AlignmentType.CENTER, size: 28, after: 60, heading: true }),
      para(`${year.year}年度绩效管理责任书${STATUS_NOTE[section.status]}`, {
        bold: true,
        align: AlignmentType.CENTER,
        size: 40,
        after: 240,
        heading: true,
      }),
      para(`甲方：${districtName}（区绩效管理办公室）`, { size: 24, after: 60 }),
      para(`乙方：${unitName}`, { size: 24, after: 200 }),
      para(
        `为深入推进政府绩效管理，确保${year.year}年度各项目标任务落到实处，根据《${year.name}实施办法》，经甲乙双方协商一致，签订本责任书。`,
        { indent: true, size: 24 },
      ),
      para('一、绩效目标', { bold: true, size: 24, heading: true }),
      para(
        `乙方${year.year}年度承担的考核指标、分值、目标值和挑战值如下表。考评主体依据考核细则和计分方法进行考评。${scoringSentence(data.scoring)}`,
        {
          indent: true,
          size: 24,
        },
      ),
      indicatorTable(section),
      para('', { after: 120 }),
      para('二、责任要求', { bold: true, size: 24, heading: true }),
      para('1. 乙方主要负责人为本单位绩效管理第一责任人，应将各项指标分解落实到内设机构和责任人。', {
        indent: true,
        size: 24,
        after: 60,
      }),
      para(`2. 乙方应于每月结束后次月 ${year.deadlineDay} 日前如实报送指标完成数据及佐证材料，对数据真实性负责。`, {
        indent: true,
        size: 24,
        after: 60,
      }),
      para('3. 目标值经批准后原则上不作调整；确需调整的，须书面说明理由，经区绩效办审核同意后执行。', {
        indent: true,
        size: 24,
        after: 60,
      }),
      para('4. 本责任书一式两份，甲乙双方各执一份，自签订之日起生效。', { indent: true, size: 24, after: 360 }),
      signatureTable(districtName, unitName),
    ],
  };
}

/** The .docx bytes: one section per unit, with a cover listing the units when there are several. */
export async function renderBook(data: BookData, opts: { cover: boolean }): Promise<Buffer> {
  const sections: ISectionOptions[] = [];
  if (opts.cover) {
    sections.push({
      properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
      children: [
        para('', { after: 2400 }),
        para(data.districtName, { align: AlignmentType.CENTER, size: 36, heading: true }),
        para(`${data.year.year}年度绩效管理责任书（汇编）`, {
          bold: true,
          align: AlignmentType.CENTER,
          size: 52,
          after: 600,
          heading: true,
        }),
        para(`共 ${data.sections.length} 个责任单位`, { align: AlignmentType.CENTER, size: 28, after: 200 }),
        ...(data.sections.length
          ? [para(data.sections.map((s) => s.unit.name).join('、'), { align: AlignmentType.CENTER, size: 22 })]
          : [para('尚无已批准的年度绩效计划', { align: AlignmentType.CENTER, size: 24 })]),
        para(`${data.districtName}绩效管理办公室 编`, { align: AlignmentType.CENTER, size: 28, after: 0 }),
      ],
    });
  }
  for (const s of data.sections) sections.push(unitSection(data, s));
  const doc = new Document({
    creator: '效能 · 绩效管理平台',
    title: `${data.year.year}年度绩效管理责任书`,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    sections,
  });
  return Packer.toBuffer(doc);
}
