/** Figures over several runs: `BENCH <name> <median> <unit> [<min>..<max> over n runs]`. */
export function rangeLine(name: string, values: number[], unit: string): string {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(2));
  return `BENCH ${name} ${r(s[Math.floor((s.length - 1) / 2)])} ${unit} [${r(s[0])}..${r(s[s.length - 1])} over ${s.length} runs]`;
}

/** Collects BENCH figures of several runs of the same measurements, printing each as a comment. */
export class Runs {
  private figures = new Map<string, { unit: string; values: number[] }>();
  run = 1;
  line = (name: string, value: number, unit: string): void => {
    const f = this.figures.get(name) ?? { unit, values: [] };
    f.values.push(value);
    this.figures.set(name, f);
    console.log(`# run ${this.run}: BENCH ${name} ${Number(value.toFixed(2))} ${unit}`);
  };
  /** Prints the median and range of every figure. */
  summary(): void {
    for (const [name, f] of this.figures) console.log(rangeLine(name, f.values, f.unit));
  }
}
