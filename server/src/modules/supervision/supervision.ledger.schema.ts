/**
 * Contract of the ledger's Excel import (年初建账), the leader list of the ledger's filter and the in-app
 * reminders (催办) of the unit inbox and the leader in charge. Shared with the web app.
 */
import { z } from 'zod';

/** One problem of a refused ledger import: the sheet row, the column letter, and the message in both languages. */
export const ZLedgerImportError = z.object({
  row: z.number(),
  column: z.string(),
  zh: z.string(),
  en: z.string(),
  /** The message in the request's language (as the other list imports report it). */
  message: z.string(),
});
export type TLedgerImportError = z.infer<typeof ZLedgerImportError>;

export const ZLedgerImportResult = z.object({ created: z.number(), taskIds: z.array(z.number()) });
export type TLedgerImportResult = z.infer<typeof ZLedgerImportResult>;

/** The 400 body of a refused import: the uniform error and every row/column problem; nothing was saved. */
export const ZLedgerImportRefused = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  /** Absent when the request itself is wrong (no file, not multipart). */
  errors: z.array(ZLedgerImportError).optional(),
});

export const ZLeaderOption = z.object({ id: z.number(), name: z.string() });
export type TLeaderOption = z.infer<typeof ZLeaderOption>;

export const ZRemindersQuery = z.object({
  /** How far back the list goes, in days (the badge counts the reminders of tasks still red). */
  days: z.coerce.number().int().min(1).max(366).default(30),
});

export const ZReminder = z.object({
  id: z.number(),
  taskId: z.number(),
  title: z.string(),
  /** The day of the reminder (Beijing time). */
  on: z.string(),
  /** The light reasons at the time of the reminder (codes the client translates). */
  reasons: z.array(z.string()),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  deadline: z.string(),
  /** The task's light now: a reminder whose task is still red is open. */
  light: z.enum(['green', 'yellow', 'red']).nullable(),
  /** Why the caller sees it: their unit leads the task, or they are its leader in charge. */
  as: z.enum(['unit', 'leader']),
});
export type TReminder = z.infer<typeof ZReminder>;

export const ZReminders = z.object({
  /** Reminded tasks still red (the 催办 badge). */
  open: z.number(),
  rows: z.array(ZReminder),
});
export type TReminders = z.infer<typeof ZReminders>;
