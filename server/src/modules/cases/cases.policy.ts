/**
 * Who may see and do what on a case.
 * - Agents (level 2) see every case with the requester's full data.
 * - Handlers see only cases dispatched to their unit (others answer 404); they see the requester's
 *   name and full phone to call back, unless the requester asked to stay anonymous.
 * - Supervisors, the office and leaders read within their unit scope with name and phone masked.
 */
import type { AuthUser, UnitScope } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { transition, type CaseAction, type CaseStatus, type MachineRole } from './cases.machine.js';

export type Viewer = {
  user: AuthUser;
  scope: UnitScope;
  /** Units whose work orders the viewer may see; null = all. */
  unitIds: number[] | null;
  isAgent: boolean;
  isSupervisor: boolean;
  isHandler: boolean;
};

export function viewerOf(user: AuthUser, scope: UnitScope): Viewer {
  return {
    user,
    scope,
    unitIds: scope.all ? null : [...scope.unitIds],
    isAgent: user.permissions.has('cases.dispatch') || user.permissions.has('cases.intake'),
    isSupervisor: user.permissions.has('cases.escalations'),
    isHandler: user.permissions.has('cases.handle'),
  };
}

export type RequesterVisibility = 'full' | 'masked' | 'hidden';

/** How much of the requester the viewer sees; `handlesCase` = the viewer's unit has a work order on the case. */
export function requesterVisibility(v: Viewer, c: { anonymous: boolean }, handlesCase: boolean): RequesterVisibility {
  if (v.isAgent) return 'full';
  if (v.isHandler && handlesCase) return c.anonymous ? 'hidden' : 'full';
  return 'masked';
}

/** 13812345678 → 138****5678; 027-83777777 → 027-****7777. */
export function maskPhone(phone: string): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  const head =
    phone.startsWith('0') && phone.includes('-') ? phone.slice(0, phone.indexOf('-') + 1) : phone.slice(0, 3);
  return `${head}****${phone.slice(-4)}`;
}

/** A digit, half- or full-width (citizens type both). */
const D = '[0-9\uFF10-\uFF19]';
const SEP = '[\\s\\-\\u2014\\uFF0D]?';
const ID18 = new RegExp(
  `(?<![0-9\\uFF10-\\uFF19A-Za-z])(${D}{4})${D}{10}(${D}{3}[0-9\\uFF10-\\uFF19XxＸｘ])(?![0-9\\uFF10-\\uFF19A-Za-z])`,
  'g',
);
const ID15 = new RegExp(`(?<!${D})(${D}{4})${D}{8}(${D}{3})(?!${D})`, 'g');
const MOBILE = new RegExp(
  `(?<!${D})((?:[+＋]?[8８][6６]${SEP})?[1１][3-9３-９]${D})${SEP}${D}{4}${SEP}(${D}{4})(?!${D})`,
  'g',
);
const LANDLINE = new RegExp(`(?<!${D})([(（]?[0０]${D}{2,3}[)）]?)(${SEP})${D}{3,4}${SEP}(${D}{4})(?!${D})`, 'g');
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

// Personal names after the words that introduce them (我叫张三, 联系人：李四, 姓名 王五).
const NAME_INTRO = /(我叫|我的名字(?:是|叫)|名字叫|联系人|姓名|报案人|反映人|来电人)([：:\s]*)([\u4e00-\u9fff]{2,4})/g;
// Words a name is never followed by; the name ends before them (联系人张三电话… → 张三).
const AFTER_NAME = /电话|手机|联系|住在|家住|先生|女士|反映|举报|投诉|称|说/;
const LATIN_NAME = /\b(my name is|name[:：])(\s*)([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)/gi;
const QQ = new RegExp(`((?:QQ|qq|ＱＱ|扣扣)(?:号码?)?[：:\\s]*)(${D}{5,11})(?!${D})`, 'g');
const WECHAT =
  /((?:微信|微信号|[Vv][Xx]|[Ww][Xx]|weixin|wechat|WeChat)(?:号)?[：:\s]*)([A-Za-z][-_A-Za-z0-9]{5,19}|[0-9]{5,11})(?![-_A-Za-z0-9])/g;
// Mainland licence plates: province, letter, then 5 (6 for new-energy vehicles) letters or digits.
const PLATE =
  /([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-HJ-NP-Za-hj-np-z])[·•\s]?([A-HJ-NP-Za-hj-np-z0-9]{4,5})([A-HJ-NP-Za-hj-np-z0-9挂学警])(?![A-Za-z0-9])/g;
// 16–19 digit runs, grouped or not: bank cards when a card prefix and the Luhn check match, or a
// card word precedes them. Longer order numbers and the like fail both.
const CARD = /(卡号|银行卡|储蓄卡|信用卡|账号|帐号)?([：:\s]*)(?<![0-9])([0-9](?:[ -]?[0-9]){15,18})(?![0-9])/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Free text with personal data masked, for anonymous readers (Open311 GET requests): citizens often
 * write their phone or ID number into the description or the address. Masks mainland ID numbers (18
 * characters, and the old 15 digits; keeps the first 4 and the last ones), bank card numbers (first and
 * last 4), mobile numbers with or without +86 and separators (138****5678), landlines with an area
 * code, in brackets or not (027-****7777), e-mail addresses (z***@example.com), QQ and WeChat ids,
 * licence plates (鄂A****5) and personal names after 我叫 / 联系人 / 姓名 (张*); full-width digits too.
 * Digits that are part of a longer run (an order or case number), dates and house numbers are left alone.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(ID18, (_, head: string, tail: string) => `${head}${'*'.repeat(10)}${tail}`)
    .replace(ID15, (_, head: string, tail: string) => `${head}${'*'.repeat(8)}${tail}`)
    .replace(QQ, (_, intro: string, id: string) => `${intro}${id.slice(0, 2)}****${id.slice(-1)}`)
    .replace(WECHAT, (_, intro: string, id: string) => `${intro}${id.slice(0, 2)}****`)
    .replace(CARD, (m: string, word: string | undefined, sep: string, run: string) => {
      const digits = run.replace(/\D/g, '');
      if (!word && !(/^(62|60|4|5[1-5]|3[4-7]|9)/.test(digits) && luhn(digits))) return m;
      return `${word ?? ''}${sep}${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
    })
    .replace(MOBILE, '$1****$2')
    .replace(LANDLINE, (_, area: string, sep: string, last: string) => `${area}${sep}****${last}`)
    .replace(EMAIL, '$1***@$2')
    .replace(
      PLATE,
      (_, prov: string, letter: string, mid: string, last: string) =>
        `${prov}${letter}${'*'.repeat(mid.length)}${last}`,
    )
    .replace(NAME_INTRO, (_, intro: string, sep: string, run: string) => {
      const stop = run.slice(2).search(AFTER_NAME);
      const name = stop === -1 ? run : run.slice(0, stop + 2);
      return `${intro}${sep}${maskName(name)}${run.slice(name.length)}`;
    })
    .replace(LATIN_NAME, (_, intro: string, sep: string, name: string) => `${intro}${sep}${name[0]}***`);
}

/** 张三 → 张*; 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  if (!name) return '';
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** The new status, or the matching AppError (403 for a role that may never do it, 409 for the wrong state). */
export function mustTransition(state: CaseStatus, action: CaseAction, role: MachineRole): CaseStatus {
  const r = transition(state, action, role);
  if (r.ok) return r.to;
  throw new AppError(r.error === 'FORBIDDEN' ? 'FORBIDDEN' : 'INVALID_STATE');
}

/** The machine role for level-2/level-1 actions that both an agent and a supervisor may take. */
export function agentOrSupervisor(v: Viewer): MachineRole {
  if (v.user.permissions.has('cases.dispatch')) return 'agent';
  if (v.isSupervisor) return 'supervisor';
  throw new AppError('FORBIDDEN');
}

/**
 * Who gives a professional review (专业评价): an agent or supervisor as before, or an evaluator whose
 * reviewer profile (NPC deputy, CPPCC member, 行风评议员; kept by the ratings module) says so.
 */
export function reviewRole(v: Viewer, hasReviewerProfile: boolean): 'agent' | 'supervisor' | 'reviewer' {
  if (v.user.permissions.has('cases.dispatch')) return 'agent';
  if (v.isSupervisor) return 'supervisor';
  if (v.user.permissions.has('cases.review') && hasReviewerProfile) return 'reviewer';
  throw new AppError('FORBIDDEN');
}
