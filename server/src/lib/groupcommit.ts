/**
 * Group commit and request coalescing: many concurrent callers' work done in one database round trip
 * or one transaction, the way a database groups commits. Nothing is kept between batches — a queue
 * holds only requests in flight, so several app instances behind a load balancer each batch their own
 * requests and agree on everything through the database.
 *
 * Latency at low load is unchanged: a lone request starts its batch on the next turn of the event
 * loop (setImmediate), without a timer. Under load, requests that arrive while a batch is being
 * written wait for the next one, so the batch grows with the load and the cost per request falls.
 */

/** What a batch writer returns for each item, in order: a value, or an error for that item only. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export type GroupCommitOptions = {
  /** Largest batch (default 100). */
  maxBatch?: number;
  /** Batches written at the same time (default 1; more only where the database has several connections). */
  maxInFlight?: number;
  /**
   * When `write` fails for a whole batch, write each of its items again alone, so that one bad item fails
   * only its own caller (default true). False for reads, where a failure is the same for every key.
   */
  retryAlone?: boolean;
};

type Waiting<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };

/**
 * Returns `submit(item)`: items submitted by concurrent callers are passed to `write` in batches, and
 * each caller gets its own item's result. When `write` throws for a whole batch (a failed transaction),
 * each item of it is written again alone (unless `retryAlone` is false), so one bad item fails only its
 * own caller. A batch that `write` answered is never written again.
 */
export function groupCommit<I, O>(
  write: (items: I[]) => Promise<Settled<O>[]>,
  opts: GroupCommitOptions = {},
): (item: I) => Promise<O> {
  const maxBatch = opts.maxBatch ?? 100;
  const maxInFlight = opts.maxInFlight ?? 1;
  const retryAlone = opts.retryAlone ?? true;
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = (batch: Waiting<I, O>[], results: Settled<O>[]) => {
    if (results.length !== batch.length) {
      // A bug in the writer, after it may have committed: fail everyone, never write again.
      const error = new Error(`groupCommit: ${results.length} results for ${batch.length} items`);
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r?.ok) w.resolve(r.value);
      else w.reject(r ? r.error : new Error('groupCommit: no result'));
    });
  };

  /** Writes one batch; only when `write` itself fails is each item written again alone (never after it succeeded). */
  const runBatch = async (batch: Waiting<I, O>[]) => {
    let results: Settled<O>[];
    try {
      results = await write(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1 || !retryAlone) {
        for (const w of batch) w.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          settle([w], await write([w.item]));
        } catch (e) {
          w.reject(e);
        }
      }
      return;
    }
    settle(batch, results);
  };

  const pump = () => {
    scheduled = false;
    while (queue.length && inFlight < maxInFlight) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        schedule();
      });
    }
  };

  const schedule = () => {
    if (scheduled || !queue.length || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(pump);
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}

/**
 * Returns `load(key)`: keys asked for by concurrent callers in the same turn of the event loop (or
 * while the previous load runs) are fetched with one call of `loadMany`, each key once. A key
 * missing from the returned map resolves to null.
 */
export function coalesce<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
  opts: GroupCommitOptions = {},
): (key: K) => Promise<V | null> {
  const submit = groupCommit<K, V | null>(
    async (keys) => {
      const found = await loadMany([...new Set(keys)]);
      return keys.map((k) => ({ ok: true, value: found.get(k) ?? null }));
    },
    { maxBatch: opts.maxBatch ?? 500, maxInFlight: opts.maxInFlight, retryAlone: false },
  );
  return submit;
}
