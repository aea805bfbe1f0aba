/**
 * Charts of a report, drawn on the server: an SVG by ECharts' server-side renderer (no DOM, no native
 * code), and — because Word wants a raster fallback beside an SVG picture — a PNG of the same bars drawn
 * here in plain code (rectangles only, no text: the figures are in the table under each chart). No
 * native dependency (canvas, resvg, sharp) is needed.
 */
import { deflateSync } from 'node:zlib';
import { periodLabelEn } from '../../engine/index.js';
import type { TAnalysis } from './reports.schema.js';

export type BarChart = {
  key: string;
  title: string;
  labels: string[];
  series: { name: string; values: (number | null)[]; color: string }[];
  /** Y axis label, e.g. '分' or '件'. */
  unit: string;
  /** An English chart's labels are set in a Latin font first. */
  lang?: 'zh' | 'en';
};

export const CHART_SIZE = { width: 640, height: 320 } as const;

// ECharts (~1 MB of code) is loaded on the first report, not when the server starts.
let echarts: typeof import('echarts') | null = null;

/** Loads ECharts once; call before chartSvg. */
export async function loadCharts(): Promise<void> {
  echarts ??= await import('echarts');
}

/** The chart as an SVG string (ECharts SSR, no animation, fixed size: the same data give the same SVG). */
export function chartSvg(c: BarChart): string {
  if (!echarts) throw new Error('loadCharts() first');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  try {
    chart.setOption({
      animation: false,
      // Unquoted family names: ECharts writes them into a double-quoted style attribute as they are.
      textStyle: {
        fontFamily: `${c.lang === 'en' ? 'Times New Roman, ' : ''}FangSong, STFangsong, Noto Serif CJK SC, serif`,
      },
      grid: { left: 56, right: 16, top: 40, bottom: 64 },
      legend: { top: 6, data: c.series.map((s) => s.name) },
      xAxis: {
        type: 'category',
        data: c.labels,
        axisLabel: { interval: 0, rotate: c.labels.length > 6 ? 30 : 0, fontSize: 11 },
      },
      yAxis: { type: 'value', name: c.unit },
      series: c.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values,
        itemStyle: { color: s.color },
        label: { show: c.labels.length * c.series.length <= 16, position: 'top', fontSize: 10 },
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

// ---------- PNG fallback ----------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes an RGB pixel buffer (width × height × 3) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (c: string): [number, number, number] => [
  parseInt(c.slice(1, 3), 16),
  parseInt(c.slice(3, 5), 16),
  parseInt(c.slice(5, 7), 16),
];

/** The bars of the chart as a PNG (axes and bars, no text), the raster fallback of the SVG picture. */
export function chartPng(c: BarChart): Buffer {
  const { width, height } = CHART_SIZE;
  const px = new Uint8Array(width * height * 3).fill(255);
  const rect = (x0: number, y0: number, x1: number, y1: number, col: [number, number, number]) => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++)
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++) {
        const i = (y * width + x) * 3;
        px[i] = col[0];
        px[i + 1] = col[1];
        px[i + 2] = col[2];
      }
  };
  const left = 56;
  const right = width - 16;
  const top = 40;
  const bottom = height - 64;
  const values = c.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const y = (v: number) => bottom - ((v - min) / (max - min)) * (bottom - top);
  for (let k = 1; k <= 4; k++)
    rect(left, y(min + ((max - min) * k) / 4), right, y(min + ((max - min) * k) / 4) + 1, [225, 225, 225]);
  rect(left, bottom, right, bottom + 1, [110, 110, 110]);
  const slot = (right - left) / Math.max(1, c.labels.length);
  const bw = (slot * 0.7) / Math.max(1, c.series.length);
  c.series.forEach((s, si) => {
    const col = hex(s.color);
    s.values.forEach((v, li) => {
      if (v === null || !Number.isFinite(v)) return;
      const x0 = left + li * slot + slot * 0.15 + si * bw;
      const a = y(Math.max(v, 0));
      const b = y(Math.min(v, 0));
      rect(x0, a, x0 + bw - 1, b, col);
    });
  });
  return encodePng(width, height, px);
}

// ---------- the report's charts ----------

const BLUE = '#2f6fb5';
const GREY = '#a6a6a6';
const RED = '#c0392b';

/** The charts a report shows, from its analysis (district: categories, indicators, hotline; unit: indicators, hotline), in its language. */
export function reportCharts(a: Omit<TAnalysis, 'charts'>): BarChart[] {
  const out: BarChart[] = [];
  const unit = a.scope.kind === 'unit';
  const { lang } = a;
  const L = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const points = L('分', 'points');
  if (!unit && a.summary.categories.length)
    out.push({
      key: 'categories',
      title: L('各类别平均、最高、最低得分', 'Average, highest and lowest scores by category'),
      labels: a.summary.categories.map((c) => c.name),
      series: [
        { name: L('平均', 'Average'), values: a.summary.categories.map((c) => c.average), color: BLUE },
        { name: L('最高', 'Highest'), values: a.summary.categories.map((c) => c.max), color: '#27ae60' },
        { name: L('最低', 'Lowest'), values: a.summary.categories.map((c) => c.min), color: RED },
      ],
      unit: points,
      lang,
    });
  if (a.summary.topNodes.length)
    out.push({
      key: 'nodes',
      title: unit
        ? L('一级指标得分与同类单位平均', 'First-level indicators: the unit’s score and the average of similar units')
        : L('一级指标全区平均得分', 'First-level indicators: district average score'),
      labels: a.summary.topNodes.map((n) => n.name),
      series: unit
        ? [
            {
              name: a.scope.unitName ?? L('本单位', 'This unit'),
              values: a.summary.topNodes.map((n) => n.score),
              color: BLUE,
            },
            {
              name: L('同类平均', 'Average of similar units'),
              values: a.summary.topNodes.map((n) => n.categoryAvg),
              color: GREY,
            },
          ]
        : [
            { name: L('平均得分', 'Average score'), values: a.summary.topNodes.map((n) => n.score), color: BLUE },
            { name: L('分值', 'Full points'), values: a.summary.topNodes.map((n) => n.points), color: GREY },
          ],
      unit: points,
      lang,
    });
  if (a.cases.available && a.cases.months.length)
    out.push({
      key: 'cases',
      title: L('12345 热线派单量与办结量', '12345 hotline: cases dispatched and closed'),
      labels: a.cases.months.map((m) =>
        lang === 'en' ? periodLabelEn(Number(m.month.slice(5)) - 1) : `${Number(m.month.slice(5))}月`,
      ),
      series: [
        { name: L('派单', 'Dispatched'), values: a.cases.months.map((m) => m.dispatched), color: BLUE },
        { name: L('办结', 'Closed'), values: a.cases.months.map((m) => m.closed), color: '#27ae60' },
      ],
      unit: L('件', 'cases'),
      lang,
    });
  return out;
}
