/**
 * The hotline's agents for the intake benchmark: a worker thread (its own event loop, so on the other
 * core, as client machines would be) that runs `concurrency` loops POSTing realistic intakes to
 * /api/cases over loopback HTTP until the deadline, spread over several signed-in agents, and
 * reports the count and every latency. Also exports the request body, which the raw-insert floor uses.
 *
 * The clients use node:http with kept-alive connections rather than fetch: fetch (undici's WHATWG
 * layer) took about 40 % of a core at 2,000 requests/s, CPU that on this 2-core machine was taken from
 * the server and the database, which real clients on their own machines would not take.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/** One POST over a kept-alive connection of `agent`; resolves with the status and body. */
function post(
  agent: http.Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.end(body);
  });
}

export type World = { units: number[]; categories: number[]; agentIds: number[] };
export type Session = { cookie: string; csrf: string };
export type ClientJob = {
  base: string;
  sessions: Session[];
  world: World;
  concurrency: number;
  warmupMs: number;
  ms: number;
  seqStart: number;
};
export type ClientResult = { ok: number; failed: number; latencies: number[]; seconds: number; firstError: string };

const STREETS = ['解放大道', '中山大道', '京汉大道', '建设大道', '沿江大道', '发展大道'];
const PROBLEMS = [
  '小区门口流动摊贩占道经营，早晚高峰影响通行',
  '路灯连续多日不亮，夜间出行存在安全隐患',
  '施工工地夜间施工噪音扰民，影响休息',
  '人行道井盖缺失，存在安全隐患',
  '垃圾清运不及时，异味严重',
];

/** The i-th intake: a hotline complaint with a requester and an address; every second one dispatched at once (受理即派). */
export function intakeBody(w: World, i: number) {
  const cat = w.categories[i % w.categories.length];
  return {
    channel: 'hotline',
    type: 'complaint',
    categoryId: cat,
    requester: { name: `市民${i % 997}`, phone: `139${String(10_000_000 + (i % 89_999_999)).slice(-8)}` },
    description: `${PROBLEMS[i % PROBLEMS.length]}，请尽快处理（第${i}号）`,
    address: `汉江区${STREETS[i % STREETS.length]}${100 + (i % 900)}号`,
    ...(i % 2 === 0 ? { dispatch: { leadUnitId: w.units[i % w.units.length], assistUnitIds: [] } } : {}),
  };
}

/**
 * Warms up for `warmupMs` with the same clients and connections, then measures for `ms`: every client
 * keeps its loop going across the boundary, so the measurement starts in the steady state (no burst of
 * 50 new connections and first requests at once).
 */
async function runJob(job: ClientJob): Promise<ClientResult> {
  let seq = job.seqStart;
  let ok = 0;
  let failed = 0;
  let firstError = '';
  const latencies: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(`${job.base}/api/cases`);
  const t = performance.now();
  const measureFrom = t + job.warmupMs;
  const deadline = measureFrom + job.ms;
  try {
    await Promise.all(
      Array.from({ length: job.concurrency }, async (_, client) => {
        const s = job.sessions[client % job.sessions.length];
        const headers = { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf };
        while (performance.now() < deadline) {
          const body = JSON.stringify(intakeBody(job.world, seq++));
          const t0 = performance.now();
          // A socket error (a kept-alive connection reset, say) counts as a failed request, as a status would.
          const res = await post(agent, url, headers, body).catch((e: unknown) => ({
            status: 0,
            text: e instanceof Error ? e.message : String(e),
          }));
          const text = res.text;
          const t1 = performance.now();
          if (res.status !== 201) {
            failed++;
            if (!firstError) firstError = `${res.status} ${text.slice(0, 200)}`;
          } else if (t0 >= measureFrom && t1 <= deadline) {
            ok++;
            latencies.push(t1 - t0);
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { ok, failed, latencies, seconds: job.ms / 1000, firstError };
}

if (parentPort && workerData) {
  const port = parentPort;
  runJob(workerData as ClientJob).then(
    (r) => port.postMessage(r),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
}
