import { readdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MIGRATIONS_DIR } from '../../db/migrate.js';
import { langOf } from '../../lib/errors.js';
import { sendCode } from '../../lib/http.js';
import { snapshotPglite, localControlAuthorized } from '../backup.js';
import { dbPool, dbUp, metricsAuthorized, scrape, smsOutbox } from '../metrics.js';

const ZReady = z.object({
  status: z.enum(['ready', 'not_ready']),
  db: z.enum(['pglite', 'postgres']),
  migrations: z.object({ applied: z.number().int(), pending: z.array(z.string()) }),
  reason: z.string().optional(),
});

/**
 * Operations endpoints: `/api/ready` (readiness for a load balancer: database reachable, every
 * committed migration applied), `/metrics` (Prometheus, only with METRICS_TOKEN) and, on PGlite, the
 * local snapshot endpoint `npm run backup` uses while the server holds the data folder.
 */
export async function opsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app.xn;

  r.get('/api/ready', { schema: { tags: ['ops'], response: { 200: ZReady, 503: ZReady } } }, async (_req, reply) => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    try {
      const rows = await database.query<{ name: string }>('SELECT name FROM schema_migrations');
      const applied = new Set(rows.map((x) => x.name));
      const pending = files.filter((f) => !applied.has(f)).sort();
      const body = {
        status: pending.length ? 'not_ready' : 'ready',
        db: database.kind,
        migrations: { applied: applied.size, pending },
      } as const;
      return reply
        .status(pending.length ? 503 : 200)
        .send(pending.length ? { ...body, reason: 'migrations pending' } : body);
    } catch (err) {
      app.log.warn({ err }, 'readiness: database not reachable');
      return reply.status(503).send({
        status: 'not_ready',
        db: database.kind,
        migrations: { applied: 0, pending: files },
        reason: 'database unreachable',
      });
    }
  });

  // Gauges read from this app's database when Prometheus scrapes (this app's: a process may hold several in tests).
  const collect = async () => {
    const stats = database.poolStats?.();
    if (stats) for (const [state, n] of Object.entries(stats)) dbPool.set({ state }, n);
    try {
      const rows = await database.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM sms_outbox WHERE status <> 'sent' GROUP BY status`,
      );
      smsOutbox.reset();
      for (const s of ['pending', 'sending', 'failed'])
        smsOutbox.set({ status: s }, rows.find((x) => x.status === s)?.n ?? 0);
      dbUp.set(1);
    } catch {
      dbUp.set(0);
    }
  };

  // Without a token the endpoint does not exist (404, the same answer as any unknown path).
  r.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!config.metricsToken) return sendCode(reply, 'NOT_FOUND', langOf(req.headers['accept-language']));
    if (!metricsAuthorized(req.headers.authorization, config.metricsToken)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'UNAUTHENTICATED', message: '需要指标访问令牌 / metrics token required' } });
    }
    await collect();
    const m = await scrape();
    return reply.type(m.contentType).send(m.body);
  });

  // PGlite: a consistent snapshot of the database, for `npm run backup` on this machine while the server
  // holds the folder. Authorized by the per-process token the server leaves in DATA_DIR/server.json
  // (readable only by the account that runs it) and only from the loopback interface.
  r.post('/api/ops/snapshot', { schema: { hide: true }, config: { csrfExempt: true } }, async (req, reply) => {
    const pglite = database.pglite;
    if (!pglite || !localControlAuthorized(req.headers.authorization, req.socket.remoteAddress)) {
      return sendCode(reply, 'NOT_FOUND', langOf(req.headers['accept-language']));
    }
    const started = Date.now();
    const bytes = await snapshotPglite(pglite);
    req.log.info({ bytes: bytes.length, ms: Date.now() - started }, 'database snapshot taken for a backup');
    return reply.type('application/gzip').send(bytes);
  });
}
