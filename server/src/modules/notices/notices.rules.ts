/** Pure rules of accountability notices: document numbers (文号), the reply flow, overdue. No I/O. */
import type { NoticeKind, NoticeStatus } from './notices.table.js';

/** The issuing office's number prefix per kind: 汉效整改〔2026〕3号, 汉监建〔2026〕3号, 汉监决〔2026〕3号. */
export const NUMBER_PREFIX: Record<NoticeKind, string> = {
  rectification_advice: '汉效整改',
  supervision_advice: '汉监建',
  supervision_decision: '汉监决',
};

export const KIND_TITLES: Record<NoticeKind, string> = {
  rectification_advice: '整改建议书',
  supervision_advice: '监察建议书',
  supervision_decision: '监察决定书',
};

export function noticeNumber(kind: NoticeKind, year: number, seq: number): string {
  return `${NUMBER_PREFIX[kind]}〔${year}〕${seq}号`;
}

/** reply: the unit answers (again after a return); accept / return: the issuer's decision on the reply. */
export const NOTICE_MOVES = {
  reply: { from: ['issued', 'returned'], to: 'replied' },
  accept: { from: ['replied'], to: 'accepted' },
  return: { from: ['replied'], to: 'returned' },
} as const satisfies Record<string, { from: readonly NoticeStatus[]; to: NoticeStatus }>;
export type NoticeMove = keyof typeof NOTICE_MOVES;

export function moveNotice(from: NoticeStatus, move: NoticeMove): NoticeStatus | null {
  const m = NOTICE_MOVES[move];
  return (m.from as readonly NoticeStatus[]).includes(from) ? m.to : null;
}

/** Waiting for the unit's reply past the deadline. */
export function noticeOverdue(n: { status: NoticeStatus; deadline: string }, today: string): boolean {
  return (n.status === 'issued' || n.status === 'returned') && n.deadline < today;
}
