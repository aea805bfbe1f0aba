/**
 * Data-collection benchmark, each on a fresh migrated PGlite and through the HTTP API (app.inject):
 *
 * - reporting.excel_upload_5000_rows   upload of an .xlsx with 5,000 rows (one synthetic unit with
 *   5,000 applicable leaves): multipart, parse, validate every row, anomaly checks and save, in ms
 *   (median of 3 uploads, each changing every value). Target < 5,000 ms.
 * - reporting.matrix_1000x50           the submission matrix of one period for 1,000 units × 50
 *   leaves (50,000 submissions), in ms (median of 7 after a warm-up). Target < 300 ms.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { type Config } from '../server/src/config.js';
import { openPglite, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { hashPassword } from '../server/src/lib/passwords.js';
import { reportingClock } from '../server/src/modules/reporting/index.js';
import { BENCH_SECRETS } from './config.js';

const PASSWORD = 'Bench@2026pw';

const config: Config = {
  port: 0,
  host: '127.0.0.1',
  dataDir: '.tmp/bench-reporting',
  dbKind: 'pglite',
  seedDemo: false,
  ...BENCH_SECRETS,
  sessionTtlHours: 12,
  logLevel: 'silent',
  smsProvider: 'log',
  maxUploadMb: 50,
  blobStore: 'fs',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fresh(): Promise<{ database: Database; app: FastifyInstance }> {
  const database = await openPglite({});
  await migrate(database);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return { database, app };
}

/** Multi-row insert in chunks; returns the `RETURNING` rows. */
async function insert(
  database: Database,
  sqlHead: string,
  rows: unknown[][],
  tail = '',
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const per = Math.floor(30000 / rows[0].length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const values = chunk.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(',')})`);
    out.push(...(await database.query(`${sqlHead} VALUES ${values.join(',')} ${tail}`, params)));
  }
  return out;
}

async function world(
  database: Database,
  opts: { units: number; leaves: number; categories: number; onlyFirstUnit: boolean },
) {
  const q = database.query.bind(database);
  const cats = (
    await insert(
      database,
      'INSERT INTO unit_categories(code, name)',
      Array.from({ length: opts.categories }, (_, i) => [`C${i}`, `类别${i}`]),
      'RETURNING id',
    )
  ).map((r) => Number(r.id));
  const [root] = await q<{ id: number }>(
    `INSERT INTO units(code, name, kind) VALUES ('ROOT', '基准区', 'district') RETURNING id`,
  );
  const units = (
    await insert(
      database,
      'INSERT INTO units(code, name, kind, parent_id, category_id)',
      Array.from({ length: opts.units }, (_, i) => [`U${i}`, `单位${i}`, 'department', root.id, cats[i % cats.length]]),
      'RETURNING id',
    )
  ).map((r) => Number(r.id));
  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule) VALUES (2026, '2026年度', 'in_force', '{"by":"threshold","grades":[{"label":"优秀","threshold":90}]}') RETURNING id`,
  );
  const [g] = await q<{ id: number }>(
    `INSERT INTO indicators(year_id, code, name, level, applies_to) VALUES ($1, 'G', '数据指标', 1, '{"categoryIds":[],"unitIds":[]}') RETURNING id`,
    [y.id],
  );
  const applies = JSON.stringify(
    opts.onlyFirstUnit ? { categoryIds: [], unitIds: [units[0]] } : { categoryIds: [], unitIds: [] },
  );
  const leaves = (
    await insert(
      database,
      'INSERT INTO indicators(year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, data_source, aggregate)',
      Array.from({ length: opts.leaves }, (_, i) => [
        y.id,
        g.id,
        `L${String(i).padStart(5, '0')}`,
        `指标${i}`,
        2,
        1,
        '件',
        applies,
        'self_report',
        'sum',
      ]),
      'RETURNING id, code',
    )
  ).map((r) => ({ id: Number(r.id), code: String(r.code) }));
  return { yearId: y.id, units, leaves, cats };
}

async function login(app: FastifyInstance, database: Database, username: string, role: string, unitId: number) {
  const [u] = await database.query<{ id: number }>(
    'INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1,$1,$2,$3) RETURNING id',
    [username, await hashPassword(PASSWORD), unitId],
  );
  await database.query('INSERT INTO user_roles(user_id, role) VALUES ($1,$2)', [u.id, role]);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
}

function multipart(filename: string, content: Buffer) {
  const boundary = '----xnbench7d1f';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function excelUpload(): Promise<void> {
  const { database, app } = await fresh();
  try {
    const w = await world(database, { units: 5, leaves: 5000, categories: 1, onlyFirstUnit: true });
    const headers = await login(app, database, 'bench_reporter', 'reporter', w.units[0]);
    const times: number[] = [];
    let phases = { parse: 0, validate: 0, save: 0 };
    for (let run = 0; run < 3; run++) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('数据填报');
      ws.addRow(['指标编码', '指标名称', '字段编码', '字段名称', '填报值', '计量单位']);
      w.leaves.forEach((l, i) => ws.addRow([l.code, `指标${i}`, 'value', '完成值', 10 + ((i + run * 7) % 40), '件']));
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const { payload, type } = multipart('bench.xlsx', file);
      const t0 = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: `/api/reporting/excel/upload?unitId=${w.units[0]}&period=2026-10`,
        payload,
        headers: { ...headers, 'content-type': type },
      });
      times.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const body = res.json() as { saved: number; ms: typeof phases };
      if (body.saved !== 5000) throw new Error(`expected 5000 saved, got ${body.saved}`);
      phases = body.ms;
    }
    console.log(`BENCH reporting.excel_upload_5000_rows ${median(times).toFixed(0)} ms`);
    console.log(`BENCH reporting.excel_upload_parse ${phases.parse} ms`);
    console.log(`BENCH reporting.excel_upload_validate ${phases.validate} ms`);
    console.log(`BENCH reporting.excel_upload_save ${phases.save} ms`);
  } finally {
    await app.close();
    await database.close();
  }
}

const STATUS_MIX = ['accepted', 'accepted', 'accepted', 'leader_approved', 'submitted', 'draft'] as const;

async function matrix(): Promise<void> {
  const { database, app } = await fresh();
  try {
    const w = await world(database, { units: 1000, leaves: 50, categories: 4, onlyFirstUnit: false });
    const rows: unknown[][] = [];
    w.units.forEach((u, ui) =>
      w.leaves.forEach((l, li) => {
        if ((ui + li) % 17 === 0) return; // some missing
        const status = STATUS_MIX[(ui * 7 + li) % STATUS_MIX.length];
        rows.push([
          w.yearId,
          l.id,
          u,
          '2026-10',
          status,
          (ui + li) % 97,
          `{"value":${(ui + li) % 97}}`,
          (ui + li) % 23 === 0 ? '[{"key":"jump_prev:score"}]' : '[]',
          'bench',
          (ui * li) % 13 === 0,
        ]);
      }),
    );
    await insert(
      database,
      'INSERT INTO submissions(year_id, indicator_id, unit_id, period, status, value, fields, flags, entered_by_name, late)',
      rows,
    );
    const [office] = await database.query<{ id: number }>(`SELECT id FROM units WHERE code = 'ROOT'`);
    const headers = await login(app, database, 'bench_office', 'office', office.id);
    const get = () => app.inject({ method: 'GET', url: '/api/reporting/matrix?period=2026-10', headers });
    const warm = await get();
    if (warm.statusCode !== 200) throw new Error(`matrix failed: ${warm.statusCode} ${warm.body.slice(0, 300)}`);
    const m = warm.json() as { units: unknown[]; indicators: unknown[] };
    if (m.units.length !== 1000 || m.indicators.length !== 50)
      throw new Error(`unexpected matrix ${m.units.length}×${m.indicators.length}`);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await get();
      times.push(performance.now() - t0);
    }
    console.log(`BENCH reporting.matrix_1000x50 ${median(times).toFixed(1)} ms`);
    console.log(`BENCH reporting.matrix_1000x50_bytes ${warm.rawPayload.length} bytes`);
  } finally {
    await app.close();
    await database.close();
  }
}

export async function run(): Promise<void> {
  const orig = reportingClock.now;
  reportingClock.now = () => new Date('2026-11-20T02:00:00Z');
  try {
    await excelUpload();
    await matrix();
  } finally {
    reportingClock.now = orig;
  }
}
