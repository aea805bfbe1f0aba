import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { hashPassword } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import type { Role } from '../../platform/access.js';
import { seedCalendarFromPackage } from '../calendar/index.js';

export const DEMO_PASSWORD = 'Xiaoneng@2026';

/** Unit categories after Haidian's grouping, plus streets and towns compared among themselves. */
const CATEGORIES = [
  { code: 'ENT', name: '面向企业', description: '主要服务企业的经济管理部门' },
  { code: 'PUB', name: '面向社会群众', description: '主要服务群众的社会管理和公共服务部门' },
  { code: 'GOV', name: '面向党政机关和基层', description: '综合协调和内部保障部门' },
  { code: 'SEP', name: '单独考评', description: '垂直管理或性质特殊、单独考评的单位' },
  { code: 'STR', name: '街道', description: '街道办事处' },
  { code: 'TWN', name: '乡镇', description: '乡镇人民政府' },
];

const DEPARTMENTS: [code: string, name: string, category: string][] = [
  ['FGW', '区发展和改革委员会', 'ENT'],
  ['KXW', '区科学技术和信息化局', 'ENT'],
  ['SWJ', '区商务局', 'ENT'],
  ['SJJ', '区市场监督管理局', 'ENT'],
  ['TJJ', '区统计局', 'ENT'],
  ['GZW', '区国有资产监督管理委员会', 'ENT'],
  ['JRB', '区金融服务办公室', 'ENT'],
  ['WLJ', '区文化和旅游局', 'ENT'],
  ['ZWJ', '区政务服务和数据管理局', 'ENT'],
  ['NYJ', '区农业农村局', 'ENT'],
  ['ZJJ', '区住房和城乡建设局', 'ENT'],
  ['GHJ', '区规划和自然资源分局', 'ENT'],
  ['TZC', '区投资促进局', 'ENT'],
  ['SWJJ', '区税务局', 'ENT'],
  ['JYJ', '区教育局', 'PUB'],
  ['WJW', '区卫生健康委员会', 'PUB'],
  ['MZJ', '区民政局', 'PUB'],
  ['RSJ', '区人力资源和社会保障局', 'PUB'],
  ['CGJ', '区城市管理执法局', 'PUB'],
  ['JTJ', '区交通运输局', 'PUB'],
  ['SWUJ', '区水务局', 'PUB'],
  ['STHJ', '区生态环境分局', 'PUB'],
  ['YJJ', '区应急管理局', 'PUB'],
  ['TYJ', '区退役军人事务局', 'PUB'],
  ['YBJ', '区医疗保障局', 'PUB'],
  ['SFJ', '区司法局', 'PUB'],
  ['XFJ', '区信访局', 'PUB'],
  ['FGJ', '区房屋管理局', 'PUB'],
  ['ZFB', '区政府办公室', 'GOV'],
  ['JXB', '区绩效管理办公室', 'GOV'],
  ['CZJ', '区财政局', 'GOV'],
  ['SJJU', '区审计局', 'GOV'],
  ['JGJ', '区机关事务管理局', 'GOV'],
  ['DCS', '区政府督查室', 'GOV'],
  ['RXZX', '区12345市民服务热线中心', 'GOV'],
  ['DAJ', '区档案馆', 'GOV'],
  ['GAJ', '区公安分局', 'SEP'],
  ['XFJY', '区消防救援大队', 'SEP'],
  ['JCY', '区监察委员会', 'SEP'],
];

const STREETS = [
  '汉正街街道',
  '六角亭街道',
  '宝丰街道',
  '荣华街道',
  '古田街道',
  '韩家墩街道',
  '宗关街道',
  '汉水桥街道',
  '易家街道',
  '长丰街道',
  '汉中街道',
  '新华街道',
  '民权街道',
  '花楼街道',
  '江汉北街道',
  '唐家墩街道',
  '常青街道',
  '北湖街道',
  '万松街道',
  '前进街道',
];
const TOWNS = ['柏泉镇', '东西湖镇', '辛安渡镇', '新沟镇', '走马岭镇', '径河镇', '慈惠镇'];
const COMMUNITIES: [street: number, name: string][] = [
  [0, '长堤街社区'],
  [0, '三曙街社区'],
  [0, '大夹街社区'],
  [1, '利济社区'],
  [1, '复兴社区'],
  [2, '宝丰一路社区'],
  [3, '荣东社区'],
  [4, '古田一路社区'],
  [5, '韩西社区'],
  [6, '宗关社区'],
];

type DemoUser = { username: string; name: string; unit: string; roles: Role[]; phone?: string; inCharge?: string[] };

/** The demo accounts; all share DEMO_PASSWORD. Listed in the README. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', name: '系统管理员', unit: 'ZWJ', roles: ['admin'] },
  { username: 'office', name: '王绩效（绩效办）', unit: 'JXB', roles: ['office'] },
  { username: 'leader', name: '李区长', unit: 'DISTRICT', roles: ['main_leader'] },
  {
    username: 'leader2',
    name: '赵副区长（分管城建城管）',
    unit: 'DISTRICT',
    roles: ['district_leader'],
    inCharge: ['CGJ', 'ZJJ', 'JTJ', 'SWUJ', 'STHJ'],
  },
  { username: 'agent', name: '陈受理（热线中心）', unit: 'RXZX', roles: ['agent'] },
  { username: 'supervisor', name: '周督办（督查室）', unit: 'DCS', roles: ['supervisor'] },
  { username: 'assessor', name: '吴考评（司法局法制科）', unit: 'SFJ', roles: ['assessor'] },
  { username: 'evaluator', name: '郑代表（区人大代表）', unit: 'DISTRICT', roles: ['evaluator'] },
  { username: 'cgj_reporter', name: '刘填报（城管局）', unit: 'CGJ', roles: ['reporter'] },
  { username: 'cgj_leader', name: '孙局长（城管局）', unit: 'CGJ', roles: ['unit_leader'] },
  { username: 'cgj_handler', name: '马承办（城管局）', unit: 'CGJ', roles: ['handler'] },
  { username: 'fgw_reporter', name: '何填报（发改委）', unit: 'FGW', roles: ['reporter'] },
  { username: 'fgw_leader', name: '冯主任（发改委）', unit: 'FGW', roles: ['unit_leader'] },
  { username: 'sjj_reporter', name: '许填报（市场监管局）', unit: 'SJJ', roles: ['reporter'] },
  { username: 'sjj_leader', name: '曹局长（市场监管局）', unit: 'SJJ', roles: ['unit_leader'] },
  { username: 'sjj_handler', name: '彭承办（市场监管局）', unit: 'SJJ', roles: ['handler'] },
  { username: 'hzj_reporter', name: '郭填报（汉正街街道）', unit: 'ST01', roles: ['reporter'] },
  { username: 'hzj_leader', name: '林主任（汉正街街道）', unit: 'ST01', roles: ['unit_leader'] },
  { username: 'hzj_handler', name: '罗承办（汉正街街道）', unit: 'ST01', roles: ['handler'] },
  { username: 'fgj_handler', name: '梁承办（房管局）', unit: 'FGJ', roles: ['handler'] },
  { username: 'rsj_handler', name: '宋承办（人社局）', unit: 'RSJ', roles: ['handler'] },
  { username: 'mediator', name: '赵调解（政务服务中心调解中心）', unit: 'ZWJ', roles: ['mediator'] },
  { username: 'mediator2', name: '钱调解（政务服务中心调解中心）', unit: 'ZWJ', roles: ['mediator'] },
];

/** The demo district: ~76 units in six categories, one account per role and reporters/handlers for a few units. */
export async function seedFoundation(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const catIds = new Map<string, number>();
  for (const [i, c] of CATEGORIES.entries()) {
    const [row] = await q<{ id: number }>(
      'INSERT INTO unit_categories(code, name, description, sort) VALUES ($1,$2,$3,$4) RETURNING id',
      [c.code, c.name, c.description, i],
    );
    catIds.set(c.code, row.id);
  }
  const unitIds = new Map<string, number>();
  const addUnit = async (
    code: string,
    name: string,
    kind: string,
    parent: string | null,
    category: string | null,
    sort: number,
  ) => {
    const [row] = await q<{ id: number }>(
      'INSERT INTO units(code, name, kind, parent_id, category_id, sort) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [code, name, kind, parent ? unitIds.get(parent) : null, category ? catIds.get(category) : null, sort],
    );
    unitIds.set(code, row.id);
  };
  await addUnit('DISTRICT', '汉江区人民政府', 'district', null, null, 0);
  for (const [i, [code, name, cat]] of DEPARTMENTS.entries())
    await addUnit(code, name, 'department', 'DISTRICT', cat, 100 + i);
  for (const [i, name] of STREETS.entries())
    await addUnit(`ST${String(i + 1).padStart(2, '0')}`, name, 'street', 'DISTRICT', 'STR', 200 + i);
  for (const [i, name] of TOWNS.entries())
    await addUnit(`TW${String(i + 1).padStart(2, '0')}`, name, 'town', 'DISTRICT', 'TWN', 300 + i);
  for (const [i, [street, name]] of COMMUNITIES.entries()) {
    await addUnit(
      `CM${String(i + 1).padStart(2, '0')}`,
      name,
      'community',
      `ST${String(street + 1).padStart(2, '0')}`,
      null,
      400 + i,
    );
  }

  const hash = await hashPassword(DEMO_PASSWORD);
  for (const [i, u] of DEMO_USERS.entries()) {
    const phone = `1380000${String(1000 + i).slice(-4)}`;
    const [row] = await q<{ id: number }>(
      'INSERT INTO users(username, display_name, password_hash, unit_id, phone) VALUES ($1,$2,$3,$4,$5) RETURNING id',
      [u.username, u.name, hash, unitIds.get(u.unit), phone],
    );
    for (const role of u.roles) await q('INSERT INTO user_roles(user_id, role) VALUES ($1,$2)', [row.id, role]);
    for (const code of u.inCharge ?? [])
      await q('INSERT INTO unit_leaders(user_id, unit_id) VALUES ($1,$2)', [row.id, unitIds.get(code)]);
  }

  await seedCalendarFromPackage(database);

  await database.db.transaction(async (tx) => {
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.foundation',
      entityType: 'seed',
      entityId: 'foundation',
      after: { categories: CATEGORIES.length, units: unitIds.size, users: DEMO_USERS.length },
    });
  });
}

/** The demo's security and audit admins (三员分立); a seed of their own so demo folders seeded before them get them too. */
export const DEMO_ADMINS: DemoUser[] = [
  { username: 'secadmin', name: '安全管理员', unit: 'ZWJ', roles: ['security_admin'] },
  { username: 'auditor', name: '审计管理员', unit: 'ZWJ', roles: ['audit_admin'] },
];

export async function seedAdminSeparation(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const [unit] = await q<{ id: number }>(`SELECT id FROM units WHERE code = 'ZWJ'`);
  if (!unit) return;
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_ADMINS) {
    if ((await q('SELECT 1 FROM users WHERE username = $1', [u.username])).length) continue;
    const [row] = await q<{ id: number }>(
      'INSERT INTO users(username, display_name, password_hash, unit_id) VALUES ($1,$2,$3,$4) RETURNING id',
      [u.username, u.name, hash, unit.id],
    );
    for (const role of u.roles) await q('INSERT INTO user_roles(user_id, role) VALUES ($1,$2)', [row.id, role]);
  }
}
