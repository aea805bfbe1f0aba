/**
 * Analysis report benchmark: the year's report (综合分析报告) of the engine benchmark's city — 1,000 units
 * in 4 categories, 500 leaves, 12 months — computed by the engine, then analysed (rows, movements against
 * last year with the leaves that moved, bottom units' weakest leaves, suggestions), charted (ECharts SVG
 * and the PNG fallbacks) and rendered as .docx and .xlsx.
 *
 * Figures printed:
 * - reports.year_total     analysis + charts + .docx + .xlsx for the year, ms (target < 10,000)
 * - reports.docx_kb / reports.xlsx_kb   the documents' sizes; reports.ranking_rows the units in the annex table
 * - reports.targets        1 when the year report is under 10 s
 * Not included: reading the city's data from the database (the scores are the engine's, computed here; the
 * other sections — lights, missing reports, tasks, hotline months — get synthetic figures of the city's
 * size). Those reads are measured by the reporting, cases and scale benchmarks.
 */
import { buildModel } from '../server/src/engine/model.js';
import { computeAll } from '../server/src/engine/engine.js';
import { analysisDocuments, type AnalysisInput } from '../server/src/modules/reports/index.js';
import { CITY, syntheticCity } from './engine.bench.js';

const ms = (t0: number) => Math.round(performance.now() - t0);

export async function run(): Promise<void> {
  const city = () => {
    const input = syntheticCity();
    const model = buildModel(input);
    return { input, model, res: computeAll(model) };
  };
  const cur = city();
  // Last year: the same city with another seed.
  const lastInput = syntheticCity({ ...CITY, seed: CITY.seed + 1 });
  const lastModel = buildModel(lastInput);
  const last = { model: lastModel, res: computeAll(lastModel) };
  const meta = {
    units: cur.input.units.map((u, k) => ({
      id: u.id,
      code: u.code ?? `U${k}`,
      name: `单位${k + 1}`,
      categoryId: u.categoryIndex,
    })),
    categories: Array.from({ length: CITY.categories }, (_, c) => ({ id: c, name: `第${c + 1}类` })),
  };
  const yw = cur.model.yearWindow;
  const units = meta.units;
  const input: AnalysisInput = {
    title: '2026年度绩效考核综合分析报告',
    scope: { unitId: null, unitName: null },
    year: 2026,
    yearId: 1,
    period: '2026',
    periodKind: 'year',
    periodLabel: '2026年度',
    generatedAt: '2027-01-16T01:00:00.000Z',
    scoreVersion: 1,
    cur: { meta, model: cur.model, res: cur.res, w: yw },
    prev: { meta, model: last.model, res: last.res, w: last.model.yearWindow, label: '2025年度' },
    lights: units.map((u, k) => ({ unitId: u.id, unitName: u.name, red: k % 7, yellow: k % 5, green: 20 })),
    late: units.map((u, k) => ({ unitId: u.id, unitName: u.name, missing: k % 3, late: k % 4 })),
    supervision: {
      available: true,
      note: '',
      total: 2000,
      overdue: 30,
      red: 30,
      tasks: Array.from({ length: 30 }, (_, k) => ({
        id: k + 1,
        title: `督办事项${k + 1}`,
        leadUnitName: units[k].name,
        deadline: '2026-11-30',
        status: '推进中',
        daysOverdue: 30 - k,
        light: 'red',
      })),
    },
    cases: {
      available: true,
      note: '',
      months: Array.from({ length: 12 }, (_, m) => ({
        month: `2026-${String(m + 1).padStart(2, '0')}`,
        dispatched: 80_000 + m * 100,
        closed: 79_000 + m * 100,
        onTimeRate: 95.5,
        satisfactionRate: 91.2,
      })),
      totals: { dispatched: 1_000_000, closed: 990_000, escalated: 5000, onTimeRate: 95.5, satisfactionRate: 91.2 },
      topCategories: Array.from({ length: 10 }, (_, k) => ({
        name: `诉求类别${k + 1}`,
        created: 50_000 - k,
        closed: 49_000 - k,
      })),
      units: units
        .slice(0, 10)
        .map((u) => ({ unitName: u.name, dispatched: 1000, closed: 990, onTimeRate: 90, satisfactionRate: 88 })),
      streets: Array.from({ length: 8 }, (_, k) => ({
        code: `S${k + 1}`,
        name: `街道${k + 1}`,
        cases: 90_000 - k * 5000,
        topCategory: `诉求类别${k + 1}`,
        topCategoryCases: 20_000 - k * 1000,
      })),
    },
    evaluation: {
      campaigns: Array.from({ length: 8 }, (_, k) => ({
        id: k + 1,
        title: `2026年度评议活动${k + 1}`,
        periodFrom: '2026-10-01',
        periodTo: '2026-11-30',
        units: 1000,
        valid: 30_000 + k,
        mean: 85 - k,
        satisfactionRate: 92 - k,
        lowest: units
          .slice(k, k + 3)
          .map((u, j) => ({ unitName: u.name, valid: 30, mean: 60 + j, satisfactionRate: 70 + j })),
      })),
      ratings: {
        rated: 400_000,
        levels: ['非常满意', '满意', '基本满意', '不满意', '非常不满意'].map((label) => ({ label, count: 80_000 })),
        goodRate: 60,
        bad: 160_000,
        rectifications: { open: 2000, overdue: 300, done: 158_000 },
        topBadUnits: units.slice(0, 10).map((u) => ({ unitName: u.name, bad: 500, rated: 2000 })),
      },
    },
  };
  // Warm-up (module loading, JIT) on the same input, then the measured run.
  await analysisDocuments(input);
  const t0 = performance.now();
  const out = await analysisDocuments(input);
  const total = ms(t0);
  console.log(`BENCH reports.year_total ${total} ms`);
  console.log(`BENCH reports.docx_kb ${Math.round(out.docx.length / 1024)} KB`);
  console.log(`BENCH reports.xlsx_kb ${Math.round(out.xlsx.length / 1024)} KB`);
  console.log(`BENCH reports.ranking_rows ${out.analysis.ranking.length} rows`);
  console.log(`BENCH reports.targets ${total < 10_000 ? 1 : 0} bool`);
}
