import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chartPng, chartSvg, CHART_SIZE, loadCharts } from './reports.charts.js';

const chart = {
  key: 'k',
  title: '各类别平均得分',
  labels: ['面向企业', '街道<乡镇>', '单独考评 "A"'],
  series: [
    { name: '平均', values: [56.05, 68.13, null], color: '#2f6fb5' },
    { name: '最低', values: [29.2, -3, 64.42], color: '#c0392b' },
  ],
  unit: '分',
};

describe('report charts', () => {
  it('draws a well-formed SVG (every attribute closed, text escaped) with the labels', async () => {
    await loadCharts();
    const svg = chartSvg(chart);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const tag of svg.match(/<[^>]+>/g)!) {
      const rest = tag.replace(/\s[\w:-]+="[^"]*"/g, '');
      expect(rest, tag).not.toContain('"');
    }
    expect(svg).toContain('面向企业');
    expect(svg).toContain('街道&lt;乡镇&gt;');
    // The same data, the same picture (but for the renderer's counters in class names).
    const norm = (x: string) => x.replace(/zr\d+-cls-\d+/g, 'zr-cls');
    expect(norm(chartSvg(chart))).toBe(norm(svg));
  });

  it('draws the PNG fallback: a valid PNG of the chart size with the bars in their colours', () => {
    const png = chartPng(chart);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(CHART_SIZE.width);
    expect(png.readUInt32BE(20)).toBe(CHART_SIZE.height);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(raw.length).toBe((CHART_SIZE.width * 3 + 1) * CHART_SIZE.height);
    const has = (r: number, g: number, b: number) => {
      for (let i = 0; i + 2 < raw.length; i++) if (raw[i] === r && raw[i + 1] === g && raw[i + 2] === b) return true;
      return false;
    };
    expect(has(0x2f, 0x6f, 0xb5)).toBe(true);
    expect(has(0xc0, 0x39, 0x2b)).toBe(true);
  });
});
