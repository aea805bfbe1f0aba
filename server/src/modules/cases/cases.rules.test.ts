// Pure rules: duplicate detection, address normalisation, routing suggestions, masking, SMS texts.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DUPLICATE_SETTINGS,
  duplicateReason,
  findDuplicates,
  haversineM,
  normalizeAddress,
  type DuplicateCandidate,
  type PlaceProbe,
} from './cases.duplicates.js';
import { checkFiles, cleanFilename, sniffMime } from './cases.files.js';
import { maskName, maskPersonalData, maskPhone } from './cases.policy.js';
import { categoryChain, defaultUnitOf, suggestUnits, type CategoryNode, type RuleNode } from './cases.routing.js';
import { backoffMs, renderSms, scrubbed } from '../../platform/sms/index.js';

const NOW = new Date('2026-11-23T04:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const S = DEFAULT_DUPLICATE_SETTINGS;

const probe = (p: Partial<PlaceProbe> = {}): PlaceProbe => ({
  categoryId: 7,
  addressNorm: normalizeAddress('汉江区解放大道688号'),
  lat: null,
  lng: null,
  at: NOW,
  ...p,
});
const cand = (c: Partial<DuplicateCandidate> & { id: number }): DuplicateCandidate => ({
  categoryId: 7,
  addressNorm: normalizeAddress('解放大道688号'),
  lat: null,
  lng: null,
  createdAt: daysAgo(1),
  open: true,
  ...c,
});

describe('normalizeAddress', () => {
  it('drops spaces, punctuation, full-width forms and the region prefix', () => {
    expect(normalizeAddress('武汉市 汉江区 解放大道６８８号（武广）')).toBe('解放大道688号武广');
    expect(normalizeAddress('湖北省武汉市汉江区宝丰一路 12-3 号')).toBe('宝丰一路123号');
    expect(normalizeAddress('  ')).toBe('');
  });
});

describe('haversine', () => {
  it('measures short distances in metres', () => {
    // 0.001° of latitude ≈ 111 m
    expect(haversineM(30.58, 114.27, 30.581, 114.27)).toBeGreaterThan(110);
    expect(haversineM(30.58, 114.27, 30.581, 114.27)).toBeLessThan(112);
    expect(haversineM(30.58, 114.27, 30.58, 114.27)).toBe(0);
  });
});

describe('duplicate detection', () => {
  it('matches the same normalized address', () => {
    expect(duplicateReason(probe(), cand({ id: 1 }), S)).toEqual({ id: 1, reason: 'same_address', distanceM: null });
  });
  it('matches when one address contains the other (long enough)', () => {
    expect(
      duplicateReason(probe(), cand({ id: 2, addressNorm: normalizeAddress('解放大道688号武汉广场北门') }), S)?.reason,
    ).toBe('address_contains');
    // "解放大道" alone is too vague to count
    expect(
      duplicateReason(
        probe({ addressNorm: '解放大道' }),
        cand({ id: 3, addressNorm: normalizeAddress('解放大道100号') }),
        S,
      ),
    ).toBeNull();
  });
  it('matches within the radius when both have coordinates', () => {
    const p = probe({ addressNorm: '宝丰路口', lat: 30.58, lng: 114.27 });
    const near = cand({ id: 4, addressNorm: '另一个描述', lat: 30.5815, lng: 114.27 }); // ~167 m
    const far = cand({ id: 5, addressNorm: '另一个描述', lat: 30.585, lng: 114.27 }); // ~556 m
    expect(duplicateReason(p, near, S)?.reason).toBe('nearby');
    expect(Math.round(duplicateReason(p, near, S)!.distanceM!)).toBeGreaterThan(150);
    expect(duplicateReason(p, far, S)).toBeNull();
    expect(duplicateReason(p, far, { ...S, radiusM: 600 })?.reason).toBe('nearby');
  });
  it('ignores other categories, closed cases, old cases and the case itself', () => {
    expect(duplicateReason(probe(), cand({ id: 6, categoryId: 8 }), S)).toBeNull();
    expect(duplicateReason(probe(), cand({ id: 7, open: false }), S)).toBeNull();
    expect(duplicateReason(probe(), cand({ id: 8, createdAt: daysAgo(8) }), S)).toBeNull();
    expect(duplicateReason(probe(), cand({ id: 9, createdAt: daysAgo(6.9) }), S)?.reason).toBe('same_address');
    expect(duplicateReason(probe({ id: 10 }), cand({ id: 10 }), S)).toBeNull();
    expect(duplicateReason(probe(), cand({ id: 11, createdAt: daysAgo(20) }), { ...S, days: 30 })?.reason).toBe(
      'same_address',
    );
  });
  it('no address and no coordinates never match', () => {
    expect(duplicateReason(probe({ addressNorm: '' }), cand({ id: 12, addressNorm: '' }), S)).toBeNull();
  });
  it('ranks exact address, then containment, then distance', () => {
    const p = probe({ lat: 30.58, lng: 114.27 });
    const out = findDuplicates(
      p,
      [
        cand({ id: 1, addressNorm: 'x路1号', lat: 30.5805, lng: 114.27 }),
        cand({ id: 2, addressNorm: normalizeAddress('解放大道688号北门') }),
        cand({ id: 3 }),
        cand({ id: 4, addressNorm: 'y路2号', lat: 30.5801, lng: 114.27 }),
        cand({ id: 5, categoryId: 9 }),
      ],
      S,
    );
    expect(out.map((m) => m.id)).toEqual([3, 2, 4, 1]);
  });
});

describe('routing suggestions', () => {
  const cats: CategoryNode[] = [
    { id: 1, parentId: null, defaultUnitId: 100, active: true }, // 市容环卫 → CGJ
    { id: 2, parentId: 1, defaultUnitId: null, active: true }, // 占道经营 (inherits CGJ)
    { id: 3, parentId: 1, defaultUnitId: 101, active: true }, // 垃圾清运 → street
    { id: 4, parentId: null, defaultUnitId: null, active: true }, // no default
  ];
  const rules: RuleNode[] = [
    { id: 1, kind: 'keyword', pattern: '噪音|噪声', categoryId: null, unitId: 200, priority: 5, active: true },
    { id: 2, kind: 'address', pattern: '汉正街', categoryId: 1, unitId: 300, priority: 10, active: true },
    { id: 3, kind: 'address', pattern: '汉正街', categoryId: 2, unitId: 301, priority: 10, active: true },
    { id: 4, kind: 'keyword', pattern: '夜市', categoryId: null, unitId: 400, priority: 1, active: false },
  ];
  it('inherits the default department up the tree', () => {
    expect(categoryChain(cats, 2).map((c) => c.id)).toEqual([2, 1]);
    expect(defaultUnitOf(cats, 2)).toBe(100);
    expect(defaultUnitOf(cats, 3)).toBe(101);
    expect(defaultUnitOf(cats, 4)).toBeNull();
  });
  it('falls back to the category default', () => {
    expect(suggestUnits({ categoryId: 2, description: '路边摆摊', address: '解放大道' }, cats, rules)).toEqual([
      { unitId: 100, source: 'category', ruleId: null, matched: '' },
    ]);
  });
  it('prefers the higher priority, then the more specific category rule', () => {
    const out = suggestUnits(
      { categoryId: 2, description: '夜里噪音很大', address: '汉江区汉正街 12 号' },
      cats,
      rules,
    );
    expect(out.map((h) => [h.unitId, h.source, h.ruleId])).toEqual([
      [301, 'rule', 3],
      [300, 'rule', 2],
      [200, 'rule', 1],
      [100, 'category', null],
    ]);
    expect(out[2].matched).toBe('噪音');
  });
  it('ignores inactive rules and rules of other categories', () => {
    expect(suggestUnits({ categoryId: 4, description: '夜市', address: '汉正街' }, cats, rules)).toEqual([]);
  });
  it('lists each department once', () => {
    const dup: RuleNode[] = [
      ...rules,
      { id: 9, kind: 'keyword', pattern: '摆摊', categoryId: null, unitId: 100, priority: 1, active: true },
    ];
    expect(suggestUnits({ categoryId: 2, description: '摆摊', address: '' }, cats, dup).map((h) => h.unitId)).toEqual([
      100,
    ]);
  });
});

describe('masking', () => {
  it('masks phones and names', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('027-83777777')).toBe('027-****7777');
    expect(maskPhone('')).toBe('');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('')).toBe('');
  });

  it('masks phone and ID numbers and e-mail addresses written into free text, and nothing else', () => {
    expect(maskPersonalData('请联系我13812345678，或者座机027-83777777，身份证420106199001011234')).toBe(
      '请联系我138****5678，或者座机027-****7777，身份证4201**********1234',
    );
    expect(maskPersonalData('身份证号42010619900101123X。邮箱 zhangsan@example.com')).toBe(
      '身份证号4201**********123X。邮箱 z***@example.com',
    );
    // The ways people actually write numbers: separators, +86, brackets, old 15-digit IDs, full-width digits.
    expect(maskPersonalData('电话138 1234 5678或138-1234-5678')).toBe('电话138****5678或138****5678');
    expect(maskPersonalData('+8613812345678，8613812345678，+86 138 1234 5678')).toBe(
      '+86138****5678，86138****5678，+86 138****5678',
    );
    expect(maskPersonalData('（027）87654321；(027)87654321；027-8765-4321')).toBe(
      '（027）****4321；(027)****4321；027-****4321',
    );
    expect(maskPersonalData('老身份证420106900101123')).toBe('老身份证4201********123');
    expect(maskPersonalData('手机１３８１２３４５６７８')).toBe('手机１３８****５６７８');
    // Case numbers, dates, house numbers and other digit runs are not personal data.
    const plain = '编号HJ2026112300012，2026年11月23日，解放大道688号，订单号 1381234567890123，20261123';
    expect(maskPersonalData(plain)).toBe(plain);
  });

  it('masks names after 我叫/联系人/姓名, QQ and WeChat ids, licence plates and bank card numbers', () => {
    expect(maskPersonalData('我叫张三，住在这里')).toBe('我叫张*，住在这里');
    expect(maskPersonalData('联系人：欧阳娜娜；姓名 李四')).toBe('联系人：欧***；姓名 李*');
    expect(maskPersonalData('联系人王五电话见后')).toBe('联系人王*电话见后');
    expect(maskPersonalData('My name is John Smith')).toBe('My name is J***');
    expect(maskPersonalData('QQ号：123456789，扣扣 87654321')).toBe('QQ号：12****9，扣扣 87****1');
    expect(maskPersonalData('微信号 zhang_san88，VX:wxid12345')).toBe('微信号 zh****，VX:wx****');
    expect(maskPersonalData('车牌鄂A12345和鄂AD12345停在门口，粤B·8888学')).toBe(
      '车牌鄂A****5和鄂A*****5停在门口，粤B****学',
    );
    // A UnionPay number (Luhn-valid), grouped or not; any 16–19 digits after a card word.
    expect(maskPersonalData('转账到6222020200001234562')).toBe('转账到6222 **** **** 4562');
    expect(maskPersonalData('卡号：6222 0202 0000 1234')).toBe('卡号：6222 **** **** 1234');
    // Not personal: a plate-like product code without province, an order number failing Luhn.
    const plain = '型号A12345B，订单号 6222020200001234560，汉口北路';
    expect(maskPersonalData(plain)).toBe(plain);
  });
});

describe('SMS texts', () => {
  it('renders the acceptance message with number, limit and password, and scrubs the password once sent', () => {
    const params = { number: 'HJ2026112300012', password: '123456', limitDays: 10 };
    const body = renderSms('acceptance', params);
    expect(body).toContain('HJ2026112300012');
    expect(body).toContain('123456');
    expect(body).toContain('10个工作日');
    const s = scrubbed('acceptance', params);
    expect(s.body).not.toContain('123456');
    expect(s.params.password).toBe('******');
    expect(scrubbed('completion', { number: 'X', result: 'ok' }).body).toBe(
      renderSms('completion', { number: 'X', result: 'ok' }),
    );
  });
  it('backs off 1, 5, 15, 60 minutes', () => {
    expect([1, 2, 3, 4, 5].map(backoffMs)).toEqual([60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
  });
});

describe('attachment checks', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  it('recognises types by their bytes', () => {
    expect(sniffMime(png, 'a.txt')).toBe('image/png');
    expect(sniffMime(Buffer.from('%PDF-1.7 ...'), 'x.pdf')).toBe('application/pdf');
    expect(sniffMime(Buffer.from('<html>'), 'x.png')).toBeNull();
    expect(sniffMime(Buffer.from([0x50, 0x4b, 3, 4, 0]), 'r.docx')).toContain('wordprocessingml');
    expect(sniffMime(Buffer.from([0x50, 0x4b, 3, 4, 0]), 'r.zip')).toBeNull();
  });
  it('refuses wrong types, empty and oversized files, naming the field', () => {
    const opts = { maxBytes: 16, maxFiles: 2, imagesOnly: true };
    expect(checkFiles([{ field: 'photo', filename: 'a.png', buffer: png }], opts)[0]).toMatchObject({
      mime: 'image/png',
      size: 12,
    });
    expect(() => checkFiles([{ field: 'photo', filename: 'a.pdf', buffer: Buffer.from('%PDF-1.7') }], opts)).toThrow(
      expect.objectContaining({ field: 'photo' }),
    );
    expect(() => checkFiles([{ field: 'photo', filename: 'a.png', buffer: Buffer.alloc(0) }], opts)).toThrow(
      expect.objectContaining({ field: 'photo' }),
    );
    expect(() =>
      checkFiles([{ field: 'photo', filename: 'a.png', buffer: Buffer.concat([png, Buffer.alloc(10)]) }], opts),
    ).toThrow(expect.objectContaining({ field: 'photo' }));
    const three = [1, 2, 3].map(() => ({ field: 'photo', filename: 'a.png', buffer: png }));
    expect(() => checkFiles(three, opts)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
  it('cleans file names', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\me\\照片 1.jpg')).toBe('照片 1.jpg');
    expect(cleanFilename('"<>|')).toBe('file');
  });
});
