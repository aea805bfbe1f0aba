/** A fixed-window counter of requests per key (an address), held in memory; old windows are dropped as it goes. */
export class HitLimiter {
  private counts = new Map<string, { window: number; n: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a request; false once the key has used its allowance in the current window. */
  hit(key: string, now = Date.now()): boolean {
    const window = Math.floor(now / this.windowMs);
    const c = this.counts.get(key);
    if (!c || c.window !== window) {
      if (this.counts.size > 100_000) this.prune(window);
      this.counts.set(key, { window, n: 1 });
      return true;
    }
    c.n++;
    return c.n <= this.max;
  }

  clear(): void {
    this.counts.clear();
  }

  private prune(window: number): void {
    for (const [k, v] of this.counts) if (v.window !== window) this.counts.delete(k);
  }
}
