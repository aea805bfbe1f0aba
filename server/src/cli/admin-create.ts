/**
 * `npm run admin:create -- --username <name> [--role admin|security_admin|audit_admin] [--display-name <name>]
 * [--unit <code>] [--district <name>] [--password-stdin]`: creates an administrator account for scripted
 * installs. The password is read from standard input with --password-stdin (first line), else asked for
 * at the terminal without echo. It must meet the password policy (PASSWORD_* settings). On PGlite the
 * server must be stopped (the data-folder lock). Creates the district (root unit) when there are no units.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { openConfiguredDatabase } from '../db/open.js';
import { SYSTEM_ACTOR } from '../lib/context.js';
import { AppError } from '../lib/errors.js';
import { acquireDataLock, LockError } from '../lib/lockfile.js';
import { hashPassword, passwordProblem } from '../lib/passwords.js';
import { recordAudit, setAuditKey } from '../modules/audit/index.js';
import { ADMIN_ROLES, type Role } from '../platform/access.js';
import { addPasswordHistory, checkNewPassword } from '../modules/auth/index.js';
import { runIfMain } from './main.js';

type Out = { log(line: string): void; error(line: string): void };

/** Reads the first line of a stream (the password from --password-stdin). */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/** Asks for a password at the terminal without echoing it. */
async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const write = (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput.bind(rl);
  let asked = false;
  (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s: string) => {
    if (!asked) write(s);
    else if (s.includes('\n')) write('\n');
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    asked = true;
  });
}

/** Creates the account in an open database; returns its id. Throws AppError for bad input. */
export async function createAdmin(
  database: Database,
  input: { username: string; password: string; role: Role; displayName?: string; unitCode?: string; district?: string },
  rules = loadConfig({ SESSION_SECRET: 'admin-create-does-not-use-sessions-0', ...process.env }).security.password,
): Promise<number> {
  const q = database.query.bind(database);
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(input.username))
    throw new AppError('VALIDATION', {
      field: 'username',
      zh: '用户名为 2–64 位字母、数字或 _ . -',
      en: 'Username: 2–64 letters, digits, _ . -',
    });
  if ((await q('SELECT 1 FROM users WHERE username = $1', [input.username])).length)
    throw new AppError('DUPLICATE', { field: 'username' });
  await checkNewPassword(database.db, { username: input.username, password: input.password, field: 'password' }, rules);
  const hash = await hashPassword(input.password);
  return database.db.transaction(async (tx) => {
    const rows = async <T>(query: SQL) => ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
    let unitId: number | undefined;
    if (input.unitCode) {
      unitId = (await rows<{ id: number }>(sql`SELECT id FROM units WHERE code = ${input.unitCode}`))[0]?.id;
      if (unitId === undefined)
        throw new AppError('VALIDATION', {
          field: 'unit',
          zh: `单位编码 ${input.unitCode} 不存在`,
          en: `No unit with code ${input.unitCode}`,
        });
    }
    unitId ??= (await rows<{ id: number }>(sql`SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`))[0]
      ?.id;
    unitId ??= (
      await rows<{ id: number }>(
        sql`INSERT INTO units(code, name, kind) VALUES ('DISTRICT', ${input.district ?? '本区'}, 'district') RETURNING id`,
      )
    )[0].id;
    const [user] = await rows<{ id: number }>(
      sql`INSERT INTO users(username, display_name, password_hash, unit_id) VALUES (${input.username}, ${input.displayName ?? input.username}, ${hash}, ${unitId}) RETURNING id`,
    );
    await tx.execute(sql`INSERT INTO user_roles(user_id, role) VALUES (${user.id}, ${input.role})`);
    await addPasswordHistory(tx, user.id, hash, rules.history);
    await recordAudit(
      tx,
      { ...SYSTEM_ACTOR, name: 'cli:admin:create' },
      {
        action: 'setup.admin_created',
        entityType: 'user',
        entityId: user.id,
        unitId,
        after: { username: input.username, roles: [input.role] },
      },
    );
    return user.id;
  });
}

export async function runAdminCreate(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Out = console,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  let release: (() => void) | null = null;
  let database: Database | null = null;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        username: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        'display-name': { type: 'string' },
        unit: { type: 'string' },
        district: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
    });
    if (!values.username) {
      out.error(
        '用法 / usage: npm run admin:create -- --username <name> [--role admin|security_admin|audit_admin] [--display-name <name>] [--unit <code>] [--password-stdin]',
      );
      return 2;
    }
    const role = values.role as Role;
    if (!ADMIN_ROLES.includes(role)) {
      out.error(`--role: one of ${ADMIN_ROLES.join(', ')}`);
      return 2;
    }
    const password = values['password-stdin'] ? await firstLine(stdin) : await prompt('密码 / password: ');
    if (!values['password-stdin'] && (await prompt('再次输入 / again: ')) !== password) {
      out.error('两次输入的密码不一致 / the passwords differ');
      return 1;
    }
    const config = loadConfig({ SESSION_SECRET: 'admin-create-does-not-use-sessions-0', ...env });
    const problem = passwordProblem(password, { username: values.username, rules: config.security.password });
    if (problem) throw new AppError('VALIDATION', { field: 'password', ...problem }); // before opening the database
    if (config.dbKind === 'pglite') release = acquireDataLock(config.dataDir);
    setAuditKey(config.auditKey); // the audit chain is keyed (audit.chain)
    database = await openConfiguredDatabase(config);
    const id = await createAdmin(
      database,
      {
        username: values.username,
        password,
        role,
        displayName: values['display-name'],
        unitCode: values.unit,
        district: values.district,
      },
      config.security.password,
    );
    out.log(`已创建 / created ${role} "${values.username}" (id ${id})`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LockError) out.error(err.message);
    else if (err instanceof AppError) out.error(`${err.field ? `${err.field}: ` : ''}${err.zh} / ${err.en}`);
    else out.error(`创建失败 / failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (database) await database.close();
    release?.();
  }
}

runIfMain(import.meta.url, () => runAdminCreate(process.argv.slice(2)));
