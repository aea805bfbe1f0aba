import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/helpers.js';
import type { Database } from './client.js';
import * as schema from './schema.js';

// The SQL migrations and the Drizzle declarations (<module>.table.ts) are two sources of truth for the same tables.
// This test compares them on a freshly migrated database, so that they cannot drift apart silently.

/** Database columns Drizzle deliberately does not declare, each with its reason ("table.column"). */
const UNDECLARED_COLUMNS: Record<string, string> = {};

/** Tables that exist in the database without a Drizzle declaration, each with its reason. */
const UNDECLARED_TABLES: Record<string, string> = {
  schema_migrations: 'the migration runner’s own bookkeeping (server/src/db/migrate.ts), read with plain SQL',
};

type DbColumn = {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_identity: 'YES' | 'NO';
  numeric_precision: number | null;
  numeric_scale: number | null;
  character_maximum_length: number | null;
};

/** Drizzle's SQL type names (without length/precision) → information_schema udt_name. */
const UDT: Record<string, string> = {
  integer: 'int4',
  int: 'int4',
  serial: 'int4',
  smallint: 'int2',
  smallserial: 'int2',
  bigint: 'int8',
  bigserial: 'int8',
  text: 'text',
  varchar: 'varchar',
  'character varying': 'varchar',
  char: 'bpchar',
  character: 'bpchar',
  boolean: 'bool',
  json: 'json',
  jsonb: 'jsonb',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  timestamp: 'timestamp',
  date: 'date',
  time: 'time',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  interval: 'interval',
  numeric: 'numeric',
  decimal: 'numeric',
  real: 'float4',
  'double precision': 'float8',
  bytea: 'bytea',
  uuid: 'uuid',
  inet: 'inet',
  cidr: 'cidr',
};

/** Maps a Drizzle SQL type (e.g. 'varchar(20)', 'timestamp (3) with time zone', 'text[]') to the expected udt_name. */
export function expectedUdt(sqlType: string): string {
  const t = sqlType.trim().toLowerCase();
  if (t.endsWith('[]')) return '_' + expectedUdt(t.slice(0, -2));
  const base = t
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return UDT[base] ?? base; // enums and custom types: their own name
}

const isSerial = (sqlType: string) => /^(small|big)?serial$/i.test(sqlType.trim());

/** The modifiers a type carries in the database: numeric(p, s), varchar(n), char(n); '' when it has none. */
export function modifiers(
  udt: string,
  c: { numeric_precision: number | null; numeric_scale: number | null; character_maximum_length: number | null },
): string {
  if (udt === 'numeric') return c.numeric_precision == null ? '' : `(${c.numeric_precision}, ${c.numeric_scale ?? 0})`;
  if (udt === 'varchar' || udt === 'bpchar')
    return c.character_maximum_length == null ? '' : `(${c.character_maximum_length})`;
  return '';
}

/** The modifiers of a Drizzle SQL type, in the same form ('numeric(10,3)' → '(10, 3)', 'numeric' → ''). */
export function drizzleModifiers(sqlType: string): string {
  const udt = expectedUdt(sqlType);
  if (udt !== 'numeric' && udt !== 'varchar' && udt !== 'bpchar') return '';
  const m = /\(([^)]*)\)/.exec(sqlType);
  if (!m) return udt === 'bpchar' ? '(1)' : '';
  const parts = m[1].split(',').map((x) => Number(x.trim()));
  return udt === 'numeric' ? `(${parts[0]}, ${parts[1] ?? 0})` : `(${parts[0]})`;
}

async function compare(database: Database): Promise<string[]> {
  const rows = await database.query<DbColumn>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.column_default, c.is_identity,
            c.numeric_precision, c.numeric_scale, c.character_maximum_length
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  const db = new Map<string, Map<string, DbColumn>>();
  for (const r of rows) {
    if (!db.has(r.table_name)) db.set(r.table_name, new Map());
    db.get(r.table_name)!.set(r.column_name, r);
  }
  const show = (c: DbColumn) =>
    `${c.data_type === 'ARRAY' ? c.udt_name.slice(1) + '[]' : c.udt_name}${modifiers(c.udt_name, c)} ${c.is_nullable === 'NO' ? 'NOT NULL' : 'NULL'}`;
  const problems: string[] = [];
  const declared = new Set<string>();
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    if (config.schema && config.schema !== 'public') continue;
    declared.add(config.name);
    const dbTable = db.get(config.name);
    if (!dbTable) {
      problems.push(`${config.name}: declared in Drizzle, missing in the database`);
      continue;
    }
    const pkColumns = new Set(config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)));
    const seen = new Set<string>();
    for (const column of config.columns) {
      seen.add(column.name);
      const sqlType = column.getSQLType();
      const notNull = column.notNull || column.primary || pkColumns.has(column.name);
      const drizzle = `${sqlType} ${notNull ? 'NOT NULL' : 'NULL'}`;
      const dbColumn = dbTable.get(column.name);
      const where = `${config.name}.${column.name}`;
      if (!dbColumn) {
        problems.push(`${where}: sql (missing), drizzle ${drizzle}`);
        continue;
      }
      const typeOk =
        dbColumn.udt_name === expectedUdt(sqlType) &&
        modifiers(dbColumn.udt_name, dbColumn) === drizzleModifiers(sqlType) &&
        (dbColumn.data_type === 'ARRAY') === sqlType.trim().endsWith('[]') &&
        (!isSerial(sqlType) ||
          dbColumn.is_identity === 'YES' ||
          (dbColumn.column_default ?? '').startsWith('nextval('));
      const nullOk = (dbColumn.is_nullable === 'NO') === notNull;
      if (!typeOk || !nullOk)
        problems.push(
          `${where}: sql ${show(dbColumn)}${isSerial(sqlType) && !dbColumn.column_default?.startsWith('nextval(') ? ' (no sequence)' : ''}, drizzle ${drizzle}`,
        );
    }
    for (const [name, dbColumn] of dbTable) {
      if (!seen.has(name) && !(`${config.name}.${name}` in UNDECLARED_COLUMNS))
        problems.push(`${config.name}.${name}: sql ${show(dbColumn)}, drizzle (missing)`);
    }
  }
  for (const table of db.keys()) {
    if (!declared.has(table) && !(table in UNDECLARED_TABLES))
      problems.push(`${table}: in the database, no Drizzle declaration`);
  }
  return problems.sort();
}

describe('Drizzle declarations agree with the SQL migrations', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('maps Drizzle SQL types to information_schema names', () => {
    expect(expectedUdt('integer')).toBe('int4');
    expect(expectedUdt('varchar(20)')).toBe('varchar');
    expect(expectedUdt('timestamp (3) with time zone')).toBe('timestamptz');
    expect(expectedUdt('numeric(12, 2)')).toBe('numeric');
    expect(expectedUdt('text[]')).toBe('_text');
    expect(expectedUdt('case_status')).toBe('case_status');
    expect(drizzleModifiers('numeric(10, 3)')).toBe('(10, 3)');
    expect(drizzleModifiers('numeric')).toBe('');
    expect(drizzleModifiers('varchar(20)')).toBe('(20)');
    expect(drizzleModifiers('integer')).toBe('');
    expect(modifiers('numeric', { numeric_precision: 10, numeric_scale: 3, character_maximum_length: null })).toBe(
      '(10, 3)',
    );
  });

  it('every table, column, type and nullability matches', async () => {
    const problems = await compare(database);
    expect(problems, `Drizzle and the migrations disagree:\n${problems.join('\n')}`).toEqual([]);
  });

  it('allow-listed columns and tables still exist (the list cannot go stale)', async () => {
    const rows = await database.query<{ name: string }>(
      `SELECT table_name || '.' || column_name AS name FROM information_schema.columns WHERE table_schema = 'public'
       UNION SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = new Set(rows.map((r) => r.name));
    expect(
      [...Object.keys(UNDECLARED_COLUMNS), ...Object.keys(UNDECLARED_TABLES)].filter((n) => !names.has(n)),
    ).toEqual([]);
  });
});
