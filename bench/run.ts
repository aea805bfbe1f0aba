/**
 * Runs the benchmark modules and prints one line per figure: `BENCH <name> <value> <unit>`.
 *
 *     npm run bench              # every module
 *     npm run bench -- engine    # only modules whose name contains "engine"
 *
 * Each module exports `run(): Promise<void>` and prints its own BENCH lines. A module that throws is
 * reported as `BENCH <name> FAILED <reason>`; the others still run, and the process exits non-zero.
 * To add a module: create bench/<name>.bench.ts and append it to BENCHES below.
 */
type BenchModule = { run(): Promise<void> };

const BENCHES: { name: string; load: () => Promise<BenchModule> }[] = [
  { name: 'engine', load: () => import('./engine.bench.js') },
  { name: 'reporting', load: () => import('./reporting.bench.js') },
  { name: 'cases', load: () => import('./cases.bench.js') },
  { name: 'scale', load: () => import('./scale.bench.js') },
];

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  let failed = 0;
  for (const b of BENCHES) {
    if (filters.length && !filters.some((f) => b.name.includes(f))) continue;
    const started = performance.now();
    try {
      const mod = await b.load();
      await mod.run();
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

await main();

export {};
