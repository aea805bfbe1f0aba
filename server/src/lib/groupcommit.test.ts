import { describe, expect, it } from 'vitest';
import { coalesce, groupCommit, type Settled } from './groupcommit.js';

/** A writer that records its batches and answers each item doubled, slowly enough for others to queue. */
function recorder(opts: { failWhen?: (items: number[]) => boolean; refuse?: (n: number) => boolean } = {}) {
  const batches: number[][] = [];
  const write = async (items: number[]): Promise<Settled<number>[]> => {
    batches.push([...items]);
    await new Promise((r) => setTimeout(r, 5));
    if (opts.failWhen?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((n) =>
      opts.refuse?.(n) ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: n * 2 },
    );
  };
  return { batches, write };
}

describe('groupCommit', () => {
  it('writes a lone item at once, alone', async () => {
    const r = recorder();
    const submit = groupCommit(r.write);
    expect(await submit(4)).toBe(8);
    expect(r.batches).toEqual([[4]]);
  });

  it('gathers items that arrive while a batch is written into the next batch, answering each caller', async () => {
    const r = recorder();
    const submit = groupCommit(r.write);
    const first = submit(1);
    await new Promise((res) => setImmediate(res)); // batch [1] is now being written
    const rest = [2, 3, 4, 5].map((n) => submit(n));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('never puts more than maxBatch items in a batch', async () => {
    const r = recorder();
    const submit = groupCommit(r.write, { maxBatch: 3 });
    const out = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(i)));
    expect(out).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(r.batches.map((b) => b.length)).toEqual([3, 3, 2]);
  });

  it('fails only the item the writer refuses', async () => {
    const r = recorder({ refuse: (n) => n === 2 });
    const submit = groupCommit(r.write);
    const results = await Promise.allSettled([1, 2, 3].map((n) => submit(n)));
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused 2'));
    expect(r.batches).toEqual([[1, 2, 3]]);
  });

  it('writes a failed batch again item by item, so one poisoned item fails only its own caller', async () => {
    const r = recorder({ failWhen: (items) => items.includes(7) });
    const submit = groupCommit(r.write);
    const results = await Promise.allSettled([5, 7, 9].map((n) => submit(n)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 10 });
    expect(results[1].status).toBe('rejected');
    expect(results[2]).toEqual({ status: 'fulfilled', value: 18 });
    expect(r.batches).toEqual([[5, 7, 9], [5], [7], [9]]);
  });

  it('never writes again a batch the writer answered, even with a wrong number of results', async () => {
    const batches: number[][] = [];
    const submit = groupCommit(async (items: number[]) => {
      batches.push([...items]);
      return items.slice(1).map((n) => ({ ok: true as const, value: n }));
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => submit(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('with retryAlone false, fails the whole batch with the writer error and writes nothing again', async () => {
    const r = recorder({ failWhen: () => true });
    const submit = groupCommit(r.write, { retryAlone: false });
    const results = await Promise.allSettled([1, 2, 3].map((n) => submit(n)));
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('batch 1,2,3 failed'));
    expect(r.batches).toEqual([[1, 2, 3]]);
  });

  it('catches a writer that throws synchronously', async () => {
    const submit = groupCommit<number, number>(() => {
      throw new Error('sync');
    });
    await expect(submit(1)).rejects.toThrow('sync');
  });

  it('keeps at most maxInFlight batches running', async () => {
    let running = 0;
    let most = 0;
    const submit = groupCommit(
      async (items: number[]) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items.map((n) => ({ ok: true as const, value: n }));
      },
      { maxBatch: 1, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, (_, i) => submit(i)));
    expect(most).toBe(2);
  });
});

describe('coalesce', () => {
  it('loads the keys asked for together with one call, each key once, and null for a missing key', async () => {
    const calls: string[][] = [];
    const load = coalesce(async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'x').map((k) => [k, k.toUpperCase()]));
    });
    expect(await Promise.all(['a', 'b', 'a', 'x'].map(load))).toEqual(['A', 'B', 'A', null]);
    expect(calls).toEqual([['a', 'b', 'x']]);
  });

  it('reads again for a key asked for after the previous load finished (no caching)', async () => {
    let version = 0;
    const load = coalesce(async (keys: string[]) => new Map(keys.map((k) => [k, `${k}${version}`])));
    expect(await load('s')).toBe('s0');
    version = 1;
    expect(await load('s')).toBe('s1');
  });
});
