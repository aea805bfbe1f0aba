/**
 * Users from and to Excel: accounts with their unit, roles, phone and (for district leaders) the units
 * in their charge. Matched by username: existing accounts are updated (never their password), new ones
 * get a random password that is not shown to anyone — the admin sets a first password (a reset) before
 * the person signs in. All or nothing, each change audited.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { hashPassword } from '../../lib/passwords.js';
import {
  ImportRefused,
  letterOf,
  listWorkbook,
  readListSheet,
  type ListColumn,
  type TImportResult,
} from '../../lib/xlsx-lists.js';
import { recordAudit, type AuditEvent } from '../audit/index.js';
import { ROLE_NAMES, ROLES, type Role } from '../../platform/access.js';
import { listUnits, writeLeaderUnits } from '../units/index.js';
import * as repo from './users.repo.js';
import { presentUser } from './users.service.js';

type Key = 'username' | 'displayName' | 'unitCode' | 'roles' | 'phone' | 'leaderOf' | 'active';

/** Role names as the web app shows them (common/roles); the codes are accepted too. */
export const ROLE_LABELS = Object.fromEntries(ROLES.map((r) => [r, ROLE_NAMES[r].zh])) as Record<Role, string>;

export const USER_COLUMNS: readonly ListColumn<Key>[] = [
  {
    key: 'username',
    header: '账号',
    required: true,
    note: '登录名：字母、数字、_ . -，2–64 位。已有账号会被更新（不改密码）',
  },
  { key: 'displayName', header: '姓名', required: true, note: '最多 50 字' },
  { key: 'unitCode', header: '所属单位编码', required: true, note: '单位编码（须已存在，可先导入单位）' },
  {
    key: 'roles',
    header: '角色',
    width: 30,
    note: `一个或多个，用「、」或逗号分隔：${Object.values(ROLE_LABELS).join('、')}`,
  },
  { key: 'phone', header: '手机号', note: '11 位手机号，可空' },
  {
    key: 'leaderOf',
    header: '分管单位编码',
    width: 30,
    note: '区分管领导分管的单位编码，用「、」或逗号分隔；其他角色留空',
  },
  { key: 'active', header: '状态', width: 8, note: '启用 或 停用；空为启用' },
];

const USERNAME_RE = /^[A-Za-z0-9_.-]{2,64}$/;
const split = (s: string) =>
  s
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function usersTemplate(): Promise<Buffer> {
  return listWorkbook({
    title: '用户',
    columns: USER_COLUMNS,
    rows: [
      {
        username: 'zhangsan',
        displayName: '张三',
        unitCode: 'CGJ',
        roles: '单位填报员',
        phone: '13800000000',
        leaderOf: '',
        active: '启用',
      },
    ],
  });
}

export async function usersExport(db: Db): Promise<Buffer> {
  const [rows, units] = await Promise.all([repo.listUsers(db, {}), listUnits(db)]);
  const ids = rows.map((r) => r.id);
  const [roles, leads] = await Promise.all([repo.rolesByUser(db, ids), repo.leaderUnitsByUser(db, ids)]);
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  return listWorkbook({
    title: '用户',
    columns: USER_COLUMNS,
    rows: rows.map((u) => ({
      username: u.username,
      displayName: u.displayName,
      unitCode: codeOf.get(u.unitId) ?? '',
      roles: (roles.get(u.id) ?? []).map((r) => ROLE_LABELS[r as Role] ?? r).join('、'),
      phone: u.phone ?? '',
      leaderOf: (leads.get(u.id) ?? []).map((id) => codeOf.get(id) ?? '').join('、'),
      active: u.active ? '启用' : '停用',
    })),
  });
}

type Planned = {
  row: number;
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  phone: string | null;
  leaderUnitIds: number[];
  active: boolean;
};

/** Imports a filled user list, all or nothing; throws ImportRefused with every problem found. */
/**
 * `canGrant` (roles.grant, the security admin): without it (三员分立: the system admin) a row may not give
 * or change roles or units in charge — new accounts come without roles, existing ones keep theirs.
 */
export async function importUsers(
  db: Db,
  actor: Actor,
  data: Buffer,
  opts: { canGrant: boolean } = { canGrant: true },
): Promise<TImportResult> {
  const { rows, errors } = await readListSheet(data, USER_COLUMNS);
  if (errors.length) throw new ImportRefused(errors);
  const [existingRows, units] = await Promise.all([repo.listUsers(db, {}), listUnits(db)]);
  const existing = new Map(existingRows.map((u) => [u.username.toLowerCase(), u]));
  const ids = existingRows.map((r) => r.id);
  const [roleMap, leadMap] = await Promise.all([repo.rolesByUser(db, ids), repo.leaderUnitsByUser(db, ids)]);
  const unitBy = new Map(units.map((u) => [u.code, u.id]));
  const roleBy = new Map<string, Role>();
  for (const r of ROLES) {
    roleBy.set(r, r);
    roleBy.set(ROLE_LABELS[r], r);
  }
  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  for (const { row, values: v } of rows) {
    let ok = true;
    const bad = (key: Key, message: string) => {
      errors.push({ row, column: letterOf(USER_COLUMNS, key), message });
      ok = false;
    };
    if (!USERNAME_RE.test(v.username))
      bad('username', v.username ? `账号「${v.username}」格式不正确（字母、数字、_ . -，2–64 位）` : '账号为空');
    else if (seen.has(v.username.toLowerCase()))
      bad('username', `账号「${v.username}」在表中重复（第 ${seen.get(v.username.toLowerCase())} 行）`);
    seen.set(v.username.toLowerCase(), row);
    if (!v.displayName) bad('displayName', '姓名为空');
    else if (v.displayName.length > 50) bad('displayName', '姓名最多 50 字');
    const unitId = unitBy.get(v.unitCode);
    if (!v.unitCode) bad('unitCode', '所属单位编码为空');
    else if (unitId === undefined) bad('unitCode', `单位编码「${v.unitCode}」不存在`);
    const roleNames = split(v.roles);
    const roles = [...new Set(roleNames.map((n) => roleBy.get(n)).filter((r): r is Role => !!r))];
    const unknown = roleNames.filter((n) => !roleBy.has(n));
    if (unknown.length)
      bad('roles', `未知的角色：${unknown.join('、')}（可选：${Object.values(ROLE_LABELS).join('、')}）`);
    if (v.phone && !/^1\d{10}$/.test(v.phone)) bad('phone', `手机号「${v.phone}」应为 11 位手机号`);
    const leaderCodes = split(v.leaderOf);
    const leaderUnitIds = leaderCodes.map((c) => unitBy.get(c)).filter((x): x is number => x !== undefined);
    const missing = leaderCodes.filter((c) => !unitBy.has(c));
    if (missing.length) bad('leaderOf', `分管单位编码不存在：${missing.join('、')}`);
    if (leaderCodes.length && !roles.includes('district_leader')) bad('leaderOf', '只有「区分管领导」可以填写分管单位');
    if (v.active && v.active !== '启用' && v.active !== '停用') bad('active', `状态「${v.active}」应为 启用 或 停用`);
    const before = existing.get(v.username.toLowerCase());
    if (!opts.canGrant) {
      const had = before ? [...(roleMap.get(before.id) ?? [])].sort().join() : '';
      const hadLeads = before ? [...(leadMap.get(before.id) ?? [])].sort().join() : '';
      if ([...roles].sort().join() !== had || [...new Set(leaderUnitIds)].sort().join() !== hadLeads) {
        bad('roles', '角色和分管单位只能由安全管理员授予（三员分立）：请留空或保持原样');
      }
    }
    if (
      before &&
      before.id === actor.id &&
      (v.active === '停用' || (roleMap.get(before.id)?.includes('admin') && !roles.includes('admin')))
    ) {
      bad('roles', '不能通过导入停用自己的账号或取消自己的管理员角色');
    }
    if (ok)
      planned.push({
        row,
        username: v.username,
        displayName: v.displayName,
        unitId: unitId!,
        roles,
        phone: v.phone || null,
        leaderUnitIds: [...new Set(leaderUnitIds)],
        active: v.active !== '停用',
      });
  }
  if (errors.length) throw new ImportRefused(errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)));

  // New accounts: a random password nobody sees (hashed outside the transaction: slow); the admin's
  // first password is a reset, and the user must change it at the first sign-in.
  const fresh = planned.filter((p) => !existing.has(p.username.toLowerCase()));
  const hashes = await Promise.all(fresh.map(() => hashPassword(randomBytes(24).toString('base64url'))));
  const hashOf = new Map(fresh.map((p, i) => [p.username, hashes[i]]));

  return db.transaction(async (tx) => {
    const audits: AuditEvent[] = [];
    const result = { created: 0, updated: 0, unchanged: 0 };
    for (const p of planned) {
      const before = existing.get(p.username.toLowerCase());
      if (!before) {
        const row = await repo.insertUser(tx, {
          username: p.username,
          displayName: p.displayName,
          passwordHash: hashOf.get(p.username)!,
          unitId: p.unitId,
          phone: p.phone,
          active: p.active,
          mustChangePassword: true,
        });
        await repo.setRoles(tx, row.id, p.roles);
        const leaderUnitIds = await writeLeaderUnits(tx, row.id, p.leaderUnitIds);
        audits.push({
          action: 'user.create',
          entityType: 'user',
          entityId: row.id,
          unitId: row.unitId,
          after: { ...presentUser(row, p.roles, leaderUnitIds), via: 'excel' },
        });
        result.created++;
        continue;
      }
      const oldRoles = [...(roleMap.get(before.id) ?? [])].sort();
      const oldLeads = [...(leadMap.get(before.id) ?? [])].sort((a, b) => a - b);
      const same =
        before.displayName === p.displayName &&
        before.unitId === p.unitId &&
        (before.phone ?? null) === p.phone &&
        before.active === p.active &&
        oldRoles.join() === [...p.roles].sort().join() &&
        oldLeads.join() === [...p.leaderUnitIds].sort((a, b) => a - b).join();
      if (same) {
        result.unchanged++;
        continue;
      }
      const row = await repo.updateUser(tx, before.id, {
        displayName: p.displayName,
        unitId: p.unitId,
        phone: p.phone,
        active: p.active,
      });
      await repo.setRoles(tx, before.id, p.roles);
      const leaderUnitIds = await writeLeaderUnits(tx, before.id, p.leaderUnitIds);
      audits.push({
        action: 'user.update',
        entityType: 'user',
        entityId: before.id,
        unitId: p.unitId,
        before: presentUser(before, oldRoles, oldLeads),
        after: { ...presentUser(row, p.roles, leaderUnitIds), via: 'excel' },
      });
      result.updated++;
    }
    if (audits.length) await recordAudit(tx, actor, audits);
    return result;
  });
}
