import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { DEFAULT_PASSWORD_RULES, hashPassword, type PasswordRules } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import type { Role } from '../../platform/access.js';
import { addPasswordHistory, checkNewPassword } from '../auth/index.js';
import type { TSetup } from './setup.schema.js';

/** app_settings key of the one-time setup token's SHA-256 (the token itself is only printed). */
export const SETUP_TOKEN_KEY = 'setup.token';

const rowsOf = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function hasUsers(db: Db): Promise<boolean> {
  return rowsOf(await db.execute(sql`SELECT 1 FROM users LIMIT 1`)).length > 0;
}

/**
 * On a database without users: makes a new one-time setup token, keeps its hash (so any instance
 * accepts it) and returns the token to print; null when users exist. A restart prints a new token and
 * the old one stops working.
 */
export async function issueSetupToken(database: Database): Promise<string | null> {
  if (await hasUsers(database.db)) {
    await database.query('DELETE FROM app_settings WHERE key = $1', [SETUP_TOKEN_KEY]);
    return null;
  }
  const token = randomBytes(24).toString('base64url');
  await database.query(
    `INSERT INTO app_settings(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [SETUP_TOKEN_KEY, JSON.stringify({ sha256: sha256(token), at: new Date().toISOString() })],
  );
  return token;
}

/** The start-up message with the setup link. */
export function setupMessage(token: string, baseUrl: string): string {
  const link = `${baseUrl}/setup?token=${token}`;
  return [
    '首次安装：数据库中还没有用户。请在浏览器中打开下面的一次性链接，创建系统管理员、安全管理员和审计管理员：',
    `First start: no users yet. Open this one-time link to create the system, security and audit admins:`,
    `  ${link}`,
    `  (setup token: ${token}; or create an admin on the command line: npm run admin:create -- --username <name>)`,
  ].join('\n');
}

const ROLE_OF = {
  admin: 'admin',
  securityAdmin: 'security_admin',
  auditAdmin: 'audit_admin',
} as const satisfies Record<string, Role>;

/**
 * Creates the district (root unit, unless units exist) and the three administrator accounts with the
 * passwords given (no forced change: the installer chose them), in one transaction with audit entries.
 * The token must match the one printed at start-up; it is used up, and setup is refused once any user exists.
 */
export async function runSetup(db: Db, actor: Actor, input: TSetup, rules: PasswordRules = DEFAULT_PASSWORD_RULES) {
  const accounts = (['admin', 'securityAdmin', 'auditAdmin'] as const).map((k) => ({
    key: k,
    role: ROLE_OF[k],
    ...input[k],
  }));
  const names = new Set<string>();
  for (const a of accounts) {
    if (names.has(a.username))
      throw invalid(`${a.key}.username`, '三个管理员须使用不同的用户名', 'The three admins need different usernames');
    names.add(a.username);
    await checkNewPassword(db, { username: a.username, password: a.password, field: `${a.key}.password` }, rules);
  }
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password))); // slow: outside the transaction
  return db.transaction(async (tx) => {
    // Used up by whoever comes first: a second, concurrent setup finds no token.
    const [stored] = rowsOf<{ value: { sha256?: string } }>(
      await tx.execute(sql`DELETE FROM app_settings WHERE key = ${SETUP_TOKEN_KEY} RETURNING value`),
    );
    const expected = Buffer.from(stored?.value?.sha256 ?? '', 'hex');
    const given = Buffer.from(sha256(input.token), 'hex');
    if (!stored || expected.length !== given.length || !timingSafeEqual(expected, given) || (await hasUsers(tx))) {
      throw new AppError('FORBIDDEN', {
        field: 'token',
        zh: '安装令牌无效或已使用（重启服务会打印新的令牌）',
        en: 'The setup token is invalid or used (a restart prints a new one)',
      });
    }
    let [root] = rowsOf<{ id: number }>(
      await tx.execute(sql`SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`),
    );
    if (!root) {
      [root] = rowsOf<{ id: number }>(
        await tx.execute(
          sql`INSERT INTO units(code, name, kind) VALUES (${input.districtCode}, ${input.districtName}, 'district') RETURNING id`,
        ),
      );
      await recordAudit(tx, actor, {
        action: 'unit.create',
        entityType: 'unit',
        entityId: root.id,
        unitId: root.id,
        after: { code: input.districtCode, name: input.districtName, kind: 'district' },
      });
    }
    const users = [];
    for (const [i, a] of accounts.entries()) {
      const [row] = rowsOf<{ id: number }>(
        await tx.execute(
          sql`INSERT INTO users(username, display_name, password_hash, unit_id) VALUES (${a.username}, ${a.displayName}, ${hashes[i]}, ${root.id}) RETURNING id`,
        ),
      );
      await tx.execute(sql`INSERT INTO user_roles(user_id, role) VALUES (${row.id}, ${a.role})`);
      await addPasswordHistory(tx, row.id, hashes[i], rules.history);
      await recordAudit(tx, actor, {
        action: 'setup.admin_created',
        entityType: 'user',
        entityId: row.id,
        unitId: root.id,
        after: { username: a.username, displayName: a.displayName, roles: [a.role] },
      });
      users.push({ id: row.id, username: a.username, roles: [a.role] });
    }
    return { users };
  });
}
