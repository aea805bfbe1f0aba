/**
 * Runs the benchmark modules and prints one line per figure: `BENCH <name> <value> <unit>`.
 *
 *     npm run bench              # every module
 *     npm run bench -- engine    # only modules whose name contains "engine"
 *
 * Each module exports `run(): Promise<void>` and prints its own BENCH lines. A module that throws is
 * reported as `BENCH <name> FAILED <reason>`; the others still run, and the process exits non-zero.
 *
 * Every module runs BENCH_RUNS times (default 3; a module that exports `repeats = true` repeats its
 * measurements itself, on data it generates once). Each run's lines are printed as comments
 * (`# run k: BENCH …`), then one line per figure: `BENCH <name> <median> <unit> [<min>..<max> over 3 runs]`.
 * To add a module: create bench/<name>.bench.ts and append it to BENCHES below.
 */
import { rangeLine } from './stats.js';

type BenchModule = { run(): Promise<void>; repeats?: boolean };
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

const BENCHES: { name: string; load: () => Promise<BenchModule> }[] = [
  { name: 'engine', load: () => import('./engine.bench.js') },
  { name: 'reporting', load: () => import('./reporting.bench.js') },
  { name: 'cases', load: () => import('./cases.bench.js') },
  { name: 'web', load: () => import('./web.bench.js') },
  { name: 'scale', load: () => import('./scale.bench.js') },
  { name: 'evaluation', load: () => import('./evaluation.bench.js') },
  { name: 'cockpit', load: () => import('./cockpit.bench.js') },
  { name: 'reports', load: () => import('./reports.bench.js') },
  { name: 'services', load: () => import('./services.bench.js') },
  { name: 'supervision', load: () => import('./supervision.bench.js') },
];

/** Runs the module `n` times, printing each run's BENCH lines as comments, then median and range per figure. */
async function repeated(mod: BenchModule, n: number): Promise<void> {
  const figures = new Map<string, { unit: string; values: number[] }>();
  const log = console.log;
  for (let k = 1; k <= n; k++) {
    console.log = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      const m = /^BENCH (\S+) (-?[\d.]+(?:e[-+]?\d+)?) (\S+)$/.exec(text);
      if (m) {
        const f = figures.get(m[1]) ?? { unit: m[3], values: [] };
        f.values.push(Number(m[2]));
        figures.set(m[1], f);
        log(`# run ${k}: ${text}`);
      } else log(...args);
    };
    try {
      await mod.run();
    } finally {
      console.log = log;
    }
  }
  for (const [name, f] of figures) log(rangeLine(name, f.values, f.unit));
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  let failed = 0;
  for (const b of BENCHES) {
    if (filters.length && !filters.some((f) => b.name.includes(f))) continue;
    const started = performance.now();
    try {
      const mod = await b.load();
      if (mod.repeats || RUNS === 1) await mod.run();
      else await repeated(mod, RUNS);
      console.log(`# ${b.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      failed++;
      const reason = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 300);
      console.log(`BENCH ${b.name} FAILED ${reason}`);
      if (e instanceof Error && e.stack) console.error(e.stack);
    }
  }
  if (failed) {
    console.log(`# ${failed} benchmark module(s) failed`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

export {};
