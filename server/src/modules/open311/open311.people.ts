/**
 * What Open311 clients send about the requester (pure): phone numbers in whatever format a client
 * uses, and names split into first_name / last_name by clients written for Latin names.
 */

/** Full-width digits, plus and brackets (typed on Chinese keyboards) as ASCII. */
function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export type PhoneReading = { phone: string; recognised: boolean };

/**
 * A mainland phone number in our form (13812345678, 027-83777777) from what a client sent: with or
 * without +86 / 0086 / 86, spaces, hyphens, dots, brackets, full-width digits. `recognised` is false
 * when it is not a mainland mobile or landline: the caller keeps it as given and flags it, and the
 * request goes on (an optional field's format never refuses a request).
 */
export function normalisePhone(raw: string): PhoneReading {
  const s = halfWidth(raw).trim();
  if (!s) return { phone: '', recognised: true };
  const ext = /(?:ext\.?|x|转|分机)\s*\d+$/i; // an extension cannot be texted: keep the number
  let d = s.replace(ext, '').replace(/[\s\-./()（）]/g, '');
  if (!/^\+?\d+$/.test(d)) return { phone: s, recognised: false };
  let international = false;
  if (d.startsWith('+86')) [d, international] = [d.slice(3), true];
  else if (d.startsWith('0086')) [d, international] = [d.slice(4), true];
  else if (d.startsWith('+'))
    return { phone: s, recognised: false }; // another country
  else if (/^861[3-9]\d{9}$/.test(d)) [d, international] = [d.slice(2), true];
  if (/^1[3-9]\d{9}$/.test(d)) return { phone: d, recognised: true };
  // Landlines: after +86 the trunk 0 is dropped (+86 27 8377 7777).
  if (international && /^[1-9]\d{8,10}$/.test(d) && !d.startsWith('1')) d = `0${d}`;
  if (international && /^10\d{8}$/.test(d)) d = `0${d}`; // Beijing: +86 10 1234 5678
  const m = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(d);
  if (m) return { phone: `${m[1]}-${m[2]}`, recognised: true };
  return { phone: s, recognised: false };
}

// The most common Chinese family names (about 85 % of the population) and the usual compound ones.
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '夏侯',
  '长孙',
  '宇文',
  '司徒',
  '端木',
]);
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Whitespace between CJK characters goes ("张 三" → "张三"); Latin words keep one space. */
function tidy(s: string): string {
  return s
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/([\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])/g, '$1');
}

/**
 * The requester's name from first_name and last_name: Latin names as "first last" (john smith), Chinese
 * names family name first without a space. The spec's last_name is the family name, except when a
 * client put a Chinese name in written order (first_name 张, last_name 三): when first_name is a common
 * family name and last_name is not, first_name is taken as the family name.
 */
export function joinName(firstName: string, lastName: string): string {
  const first = tidy(firstName);
  const last = tidy(lastName);
  if (!first || !last) return first || last;
  if (!CJK.test(first) && !CJK.test(last)) return `${first} ${last}`;
  if (SURNAMES.has(first) && !SURNAMES.has(last)) return `${first}${last}`;
  return `${last}${first}`;
}
