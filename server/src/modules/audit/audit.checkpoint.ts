import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/client.js';
import type { Config } from '../../config.js';
import type { JobDefinition } from '../../platform/jobs/types.js';
import { auditKeys, deriveAuditKeys, GENESIS_HASH, type AuditKeys, type Checkpoint } from './audit.chain.js';

export type { Checkpoint } from './audit.chain.js';
import * as repo from './audit.repo.js';
import { walkChain, type Broken } from './audit.service.js';

const FIELDS = (cp: Checkpoint) => `xiaoneng-audit-checkpoint v1\n${cp.id}\n${cp.hash}\n${cp.keyedFrom}\n${cp.at}`;

/** The checkpoint's signature: HMAC-SHA256 with the checkpoint key over its fields, in hex. */
export function signCheckpoint(cp: Checkpoint, key: Buffer): string {
  return createHmac('sha256', key).update(FIELDS(cp)).digest('hex');
}

/** One line of the checkpoint file: the checkpoint and its signature as JSON. */
export function checkpointLine(cp: Checkpoint, key: Buffer): string {
  return JSON.stringify({ v: 1, ...cp, sig: signCheckpoint(cp, key) });
}

/** Parses checkpoint lines and checks each signature; lines that do not parse or verify are reported, not used. */
export function parseCheckpoints(
  text: string,
  key: Buffer,
): { checkpoints: Checkpoint[]; bad: { line: number; reason: string }[] } {
  const checkpoints: Checkpoint[] = [];
  const bad: { line: number; reason: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      bad.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    const { id, hash, keyedFrom, at, sig } = o;
    if (
      typeof id !== 'number' ||
      typeof hash !== 'string' ||
      typeof keyedFrom !== 'number' ||
      typeof at !== 'string' ||
      typeof sig !== 'string'
    ) {
      bad.push({ line: i + 1, reason: 'missing fields' });
      return;
    }
    const cp = { id, hash, keyedFrom, at };
    const want = Buffer.from(signCheckpoint(cp, key), 'hex');
    const got = Buffer.from(sig, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      bad.push({ line: i + 1, reason: 'signature does not match (forged, or another key)' });
      return;
    }
    checkpoints.push(cp);
  });
  return { checkpoints, bad };
}

/** Reads the checkpoint file; a missing file is no checkpoints. */
export function readCheckpointFile(
  file: string,
  key: Buffer,
): { exists: boolean; checkpoints: Checkpoint[]; bad: { line: number; reason: string }[] } {
  if (!existsSync(file)) return { exists: false, checkpoints: [], bad: [] };
  return { exists: true, ...parseCheckpoints(readFileSync(file, 'utf8'), key) };
}

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/**
 * Writes a checkpoint of the chain's head, after checking the entries since the last checkpoint (a
 * checkpoint must never vouch for a forged tail). Appends one signed line to `file` (fsync'd) and logs
 * it. Writes nothing when the head has not moved, or when the chain since the last checkpoint is broken
 * (then it logs the break as an error).
 */
export async function writeCheckpoint(opts: {
  db: Db;
  file: string;
  keys?: AuditKeys;
  log: Log;
  now?: Date;
}): Promise<
  | { written: true; checkpoint: Checkpoint }
  | { written: false; reason: 'empty' | 'unchanged' | 'broken'; broken?: Broken }
> {
  const keys = opts.keys ?? auditKeys();
  const keyedFrom = await repo.readKeyedFrom(opts.db);
  if (keyedFrom === null)
    return { written: false, reason: 'broken', broken: { id: 0, reason: 'audit_chain_state is missing' } };
  const { checkpoints, bad } = readCheckpointFile(opts.file, keys.checkpoint);
  if (bad.length) opts.log.error({ file: opts.file, bad }, 'audit checkpoint file has lines that do not verify');
  const last = checkpoints.reduce<Checkpoint | null>((a, cp) => (!a || cp.id > a.id ? cp : a), null);
  if (last) {
    const stored = await repo.readEntryHash(opts.db, last.id);
    if (stored !== last.hash) {
      const broken = {
        id: last.id,
        reason: stored === null ? 'the last checkpointed entry is gone' : 'the last checkpointed entry was rewritten',
      };
      opts.log.error({ auditChainBroken: broken, file: opts.file }, 'AUDIT CHAIN BROKEN: no checkpoint written');
      return { written: false, reason: 'broken', broken };
    }
  }
  const r = await walkChain(opts.db, {
    afterId: last?.id ?? 0,
    startPrev: last?.hash ?? GENESIS_HASH,
    keying: { keyedFrom, key: keys.chain },
  });
  if (r.broken) {
    opts.log.error({ auditChainBroken: r.broken, file: opts.file }, 'AUDIT CHAIN BROKEN: no checkpoint written');
    return { written: false, reason: 'broken', broken: r.broken };
  }
  if (!r.last) return { written: false, reason: last ? 'unchanged' : 'empty' };
  const checkpoint: Checkpoint = {
    id: r.last.id,
    hash: r.last.hash,
    keyedFrom,
    at: (opts.now ?? new Date()).toISOString(),
  };
  const line = checkpointLine(checkpoint, keys.checkpoint);
  mkdirSync(path.dirname(opts.file), { recursive: true });
  const fd = openSync(opts.file, 'a', 0o600);
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The log is the second copy outside the database (shipped off the machine where logs are collected).
  opts.log.info({ auditCheckpoint: JSON.parse(line) as object }, 'audit checkpoint');
  return { written: true, checkpoint };
}

/** The periodic checkpoint of the audit chain (every AUDIT_CHECKPOINT_MINUTES; one instance at a time). */
export const auditCheckpointJob: JobDefinition = {
  name: 'audit.checkpoint',
  title: { zh: '审计链签名检查点', en: 'Audit chain signed checkpoint' },
  everyMs: 10 * 60_000,
  leaseMs: 10 * 60_000,
  async run(ctx) {
    const r = await writeCheckpoint({
      db: ctx.database.db,
      file: ctx.config.auditCheckpointFile,
      keys: deriveAuditKeys(ctx.config.auditKey),
      log: ctx.log,
    });
    return r.written
      ? { written: true, id: r.checkpoint.id }
      : { written: false, reason: r.reason, broken: r.broken ?? null };
  },
};

/** The audit module's jobs, with the checkpoint interval of the configuration (AUDIT_CHECKPOINT_MINUTES). */
export function auditJobs(config: Pick<Config, 'auditCheckpointMinutes'>): JobDefinition[] {
  return [{ ...auditCheckpointJob, everyMs: config.auditCheckpointMinutes * 60_000 }];
}
