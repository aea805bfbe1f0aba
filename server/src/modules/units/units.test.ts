import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';

let env: TestEnv;
let admin: Client;
beforeAll(async () => {
  env = await createTestEnv();
  admin = await env.userClient({ username: 'units_admin', roles: ['admin'] });
});
afterAll(async () => env?.close());

type AuditRow = {
  id: number;
  action: string;
  entity_id: string;
  actor_name: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

const unitRow = async (id: number) =>
  (
    await env.database.query(`SELECT code, name, kind, parent_id, category_id, active, sort FROM units WHERE id = $1`, [
      id,
    ])
  )[0] ?? null;
const auditFor = (entityType: string, id: number) =>
  env.database.query<AuditRow>(
    `SELECT id, action, entity_id, actor_name, before, after FROM audit_entries WHERE entity_type = $1 AND entity_id = $2 ORDER BY id`,
    [entityType, String(id)],
  );
const auditCount = async () =>
  Number((await env.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n);

describe('units', () => {
  it('lists and reads units to anyone signed in with units.read', async () => {
    const reporter = await env.userClient({ roles: ['reporter'] });
    const list = await reporter.get('/api/units');
    expect(list.statusCode).toBe(200);
    expect(list.json().map((u: { id: number }) => u.id)).toContain(env.rootUnitId);
    const one = await reporter.get(`/api/units/${env.rootUnitId}`);
    expect(one.json()).toMatchObject({
      id: env.rootUnitId,
      code: 'ROOT',
      kind: 'district',
      parentId: null,
      active: true,
    });
  });

  it('rejects anonymous reads and writes with 401', async () => {
    expect((await env.anon.get('/api/units')).statusCode).toBe(401);
    expect((await env.anon.get('/api/unit-categories')).statusCode).toBe(401);
    const before = await auditCount();
    const res = await env.anon.post('/api/units', {
      code: 'ANON',
      name: '匿名',
      kind: 'department',
      parentId: env.rootUnitId,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect((await env.anon.patch(`/api/units/${env.rootUnitId}`, { name: 'x' })).statusCode).toBe(401);
    expect((await env.anon.delete(`/api/units/${env.rootUnitId}`)).statusCode).toBe(401);
    expect(await env.database.query(`SELECT 1 FROM units WHERE code = 'ANON'`)).toHaveLength(0);
    expect((await unitRow(env.rootUnitId))?.name).toBe('测试区');
    expect(await auditCount()).toBe(before);
  });

  it('creates, updates and reads a unit, writing an audit entry with before and after', async () => {
    const cat = await env.buildCategory({ code: 'ENT', name: '面向企业' });
    const res = await admin.post('/api/units', {
      code: 'CGJ',
      name: '区城管局',
      kind: 'department',
      parentId: env.rootUnitId,
      categoryId: cat,
      sort: 3,
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json();
    expect(unit).toMatchObject({
      code: 'CGJ',
      name: '区城管局',
      kind: 'department',
      parentId: env.rootUnitId,
      categoryId: cat,
      sort: 3,
      active: true,
    });

    const upd = await admin.patch(`/api/units/${unit.id}`, { name: '区城市管理执法局' });
    expect(upd.statusCode).toBe(200);
    // A partial update leaves the other fields alone (no defaults sneaking in).
    expect(upd.json()).toMatchObject({ name: '区城市管理执法局', categoryId: cat, sort: 3 });
    expect(await unitRow(unit.id)).toMatchObject({ name: '区城市管理执法局', category_id: cat, sort: 3 });
    expect((await admin.get(`/api/units/${unit.id}`)).json().name).toBe('区城市管理执法局');

    const audit = await auditFor('unit', unit.id);
    expect(audit.map((a) => a.action)).toEqual(['unit.create', 'unit.update']);
    expect(audit[0].before).toBeNull();
    expect(audit[0].after).toMatchObject({ code: 'CGJ', name: '区城管局' });
    expect(audit[0].actor_name).toBe('units_admin');
    expect(audit[1].before).toMatchObject({ name: '区城管局', sort: 3 });
    expect(audit[1].after).toMatchObject({ name: '区城市管理执法局', sort: 3 });
  });

  it('an empty PATCH is refused with 400 (one rule for every PATCH route) and changes nothing', async () => {
    const id = await env.buildUnit({ name: '空改单位' });
    const res = await admin.patch(`/api/units/${id}`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION');
    expect((await admin.get(`/api/units/${id}`)).json().name).toBe('空改单位');
  });

  it('refuses a duplicate code with 409 and writes nothing', async () => {
    await env.buildUnit({ code: 'DUP1' });
    const before = await auditCount();
    const res = await admin.post('/api/units', {
      code: 'DUP1',
      name: '重复',
      kind: 'department',
      parentId: env.rootUnitId,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DUPLICATE');
    expect(await env.database.query(`SELECT 1 FROM units WHERE code = 'DUP1'`)).toHaveLength(1);
    expect(await auditCount()).toBe(before);
  });

  it('checks the parent: required below the district, refused for a district, must exist', async () => {
    const noParent = await admin.post('/api/units', {
      code: 'NP1',
      name: '无上级',
      kind: 'department',
      parentId: null,
    });
    expect(noParent.statusCode).toBe(400);
    expect(noParent.json().error.field).toBe('parentId');
    const districtWithParent = await admin.post('/api/units', {
      code: 'DP1',
      name: '区',
      kind: 'district',
      parentId: env.rootUnitId,
    });
    expect(districtWithParent.json().error.field).toBe('parentId');
    const missing = await admin.post('/api/units', {
      code: 'MP1',
      name: '缺上级',
      kind: 'department',
      parentId: 999999,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('parentId');
    const badCat = await admin.post('/api/units', {
      code: 'MC1',
      name: '缺类别',
      kind: 'department',
      parentId: env.rootUnitId,
      categoryId: 999999,
    });
    expect(badCat.json().error.field).toBe('categoryId');
    // Moving a department to the top without making it a district is refused too.
    const dept = await env.buildUnit();
    const top = await admin.patch(`/api/units/${dept}`, { parentId: null });
    expect(top.statusCode).toBe(400);
    expect(top.json().error.field).toBe('parentId');
    expect((await unitRow(dept))?.parent_id).toBe(env.rootUnitId);
    expect(await env.database.query(`SELECT 1 FROM units WHERE code IN ('NP1','DP1','MP1','MC1')`)).toHaveLength(0);
  });

  it('refuses moving a unit under itself or a descendant (400 parentId) and leaves it in place', async () => {
    const street = await env.buildUnit({ kind: 'street' });
    const community = await env.buildUnit({ kind: 'community', parentId: street });
    const grid = await env.buildUnit({ kind: 'community', parentId: community });
    for (const target of [street, community, grid]) {
      const res = await admin.patch(`/api/units/${street}`, { parentId: target });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'parentId' });
    }
    expect((await unitRow(street))?.parent_id).toBe(env.rootUnitId);
    // A legal move works.
    const other = await env.buildUnit({ kind: 'street' });
    const ok = await admin.patch(`/api/units/${community}`, { parentId: other });
    expect(ok.statusCode).toBe(200);
    expect((await unitRow(community))?.parent_id).toBe(other);
  });

  it('refuses deleting a unit with a child or a user (409 IN_USE); the unit stays', async () => {
    const parent = await env.buildUnit();
    await env.buildUnit({ parentId: parent, kind: 'community' });
    const withUser = await env.buildUnit();
    await env.buildUser({ roles: ['reporter'], unitId: withUser });
    const before = await auditCount();
    for (const id of [parent, withUser]) {
      const res = await admin.delete(`/api/units/${id}`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('IN_USE');
      expect(res.json().error.message).toMatch(/停用/);
      expect(await unitRow(id)).not.toBeNull();
    }
    const en = await admin.request({
      method: 'DELETE',
      url: `/api/units/${withUser}`,
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().error.message).toMatch(/deactivate/i);
    expect(await auditCount()).toBe(before);
  });

  it('deletes an empty unit with an audit entry', async () => {
    const id = await env.buildUnit({ code: 'GONE1' });
    const res = await admin.delete(`/api/units/${id}`);
    expect(res.statusCode).toBe(204);
    expect(await unitRow(id)).toBeNull();
    const audit = await auditFor('unit', id);
    expect(audit.at(-1)).toMatchObject({ action: 'unit.delete', after: null });
    expect(audit.at(-1)?.before).toMatchObject({ code: 'GONE1' });
    expect((await admin.get(`/api/units/${id}`)).statusCode).toBe(404);
  });

  it('deactivates and reactivates a unit', async () => {
    const id = await env.buildUnit();
    await env.buildUser({ roles: ['reporter'], unitId: id });
    const off = await admin.patch(`/api/units/${id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await unitRow(id))?.active).toBe(false);
    const audit = await auditFor('unit', id);
    expect(audit.at(-1)).toMatchObject({ action: 'unit.update', before: { active: true }, after: { active: false } });
    expect((await admin.patch(`/api/units/${id}`, { active: true })).json().active).toBe(true);
  });

  it('forbids a reporter or unit leader to create, change or delete (403), changing nothing', async () => {
    const id = await env.buildUnit({ name: '不可改' });
    const before = await auditCount();
    for (const roles of [['reporter'], ['unit_leader'], ['office']] as const) {
      const c = await env.userClient({ roles: [...roles], unitId: id });
      const create = await c.post('/api/units', {
        code: `NO${roles[0]}`,
        name: '越权',
        kind: 'department',
        parentId: env.rootUnitId,
      });
      expect(create.statusCode).toBe(403);
      expect(create.json().error.code).toBe('FORBIDDEN');
      expect((await c.patch(`/api/units/${id}`, { name: '被改了' })).statusCode).toBe(403);
      expect((await c.delete(`/api/units/${id}`)).statusCode).toBe(403);
    }
    expect(await env.database.query(`SELECT 1 FROM units WHERE code LIKE 'NO%'`)).toHaveLength(0);
    expect((await unitRow(id))?.name).toBe('不可改');
    // Only the three sign-ins were recorded.
    const added = await env.database.query<{ action: string }>(
      'SELECT action FROM audit_entries ORDER BY id DESC LIMIT 4',
    );
    expect(await auditCount()).toBe(before + 3);
    expect(added.slice(0, 3).map((a) => a.action)).toEqual(['auth.login', 'auth.login', 'auth.login']);
  });

  it('answers 404 for unknown units', async () => {
    expect((await admin.get('/api/units/999999')).statusCode).toBe(404);
    expect((await admin.patch('/api/units/999999', { name: 'x' })).statusCode).toBe(404);
    expect((await admin.delete('/api/units/999999')).statusCode).toBe(404);
  });
});

describe('unit categories', () => {
  it('creates, lists, updates and deletes a category, each with an audit entry', async () => {
    const res = await admin.post('/api/unit-categories', {
      code: 'PUB',
      name: '面向社会群众',
      description: '公共服务部门',
      sort: 2,
    });
    expect(res.statusCode).toBe(201);
    const cat = res.json();
    expect((await admin.get('/api/unit-categories')).json()).toContainEqual(cat);
    const upd = await admin.patch(`/api/unit-categories/${cat.id}`, { name: '面向群众' });
    expect(upd.json()).toMatchObject({ name: '面向群众', description: '公共服务部门', sort: 2 });
    expect((await admin.delete(`/api/unit-categories/${cat.id}`)).statusCode).toBe(204);
    const audit = await auditFor('unit_category', cat.id);
    expect(audit.map((a) => a.action)).toEqual(['category.create', 'category.update', 'category.delete']);
    expect(audit[1].before).toMatchObject({ name: '面向社会群众' });
    expect(audit[1].after).toMatchObject({ name: '面向群众' });
  });

  it('refuses deleting a category in use (409) and keeps it', async () => {
    const cat = await env.buildCategory();
    await env.buildUnit({ categoryId: cat });
    const res = await admin.delete(`/api/unit-categories/${cat}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('IN_USE');
    expect(res.json().error.message).toMatch(/类别/);
    expect(await env.database.query('SELECT 1 FROM unit_categories WHERE id = $1', [cat])).toHaveLength(1);
  });

  it('refuses a duplicate category code with 409', async () => {
    await env.buildCategory({ code: 'SAME' });
    const res = await admin.post('/api/unit-categories', { code: 'SAME', name: '重复' });
    expect(res.statusCode).toBe(409);
  });

  it('lets only units.manage write categories', async () => {
    const cat = await env.buildCategory({ name: '原名' });
    const reporter = await env.userClient({ roles: ['reporter'] });
    expect((await reporter.get('/api/unit-categories')).statusCode).toBe(200);
    expect((await reporter.post('/api/unit-categories', { code: 'R1', name: 'r' })).statusCode).toBe(403);
    expect((await reporter.patch(`/api/unit-categories/${cat}`, { name: '改' })).statusCode).toBe(403);
    expect((await reporter.delete(`/api/unit-categories/${cat}`)).statusCode).toBe(403);
    expect((await env.anon.post('/api/unit-categories', { code: 'R2', name: 'r' })).statusCode).toBe(401);
    expect(
      (await env.database.query<{ name: string }>('SELECT name FROM unit_categories WHERE id = $1', [cat]))[0].name,
    ).toBe('原名');
    expect((await admin.patch('/api/unit-categories/999999', { name: 'x' })).statusCode).toBe(404);
    expect((await admin.delete('/api/unit-categories/999999')).statusCode).toBe(404);
  });
});
