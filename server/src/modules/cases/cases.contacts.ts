import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** A requester of a case closed in a period: a sampling frame for evaluation surveys (phone from the case). */
export type ClosedCaseContact = { caseId: number; unitId: number; name: string; phone: string };

/**
 * The requesters of cases closed between two days (Beijing dates, inclusive) by the given lead units,
 * one per phone and unit (the latest case), leaving out anonymous requesters and cases without a phone.
 */
export async function closedCaseContacts(
  db: Db,
  from: string,
  to: string,
  unitIds: readonly number[],
): Promise<ClosedCaseContact[]> {
  if (!unitIds.length) return [];
  const ids = sql.join(
    unitIds.map((u) => sql`${u}`),
    sql`, `,
  );
  const r = (await db.execute(sql`
    SELECT DISTINCT ON (lead_unit_id, requester_phone) id, lead_unit_id, requester_name, requester_phone
      FROM cases
     WHERE status = 'closed' AND NOT anonymous AND requester_phone <> ''
       AND closed_at >= (${from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
       AND closed_at < ((${to}::date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
       AND lead_unit_id IN (${ids})
     ORDER BY lead_unit_id, requester_phone, id DESC`)) as unknown as {
    rows: { id: number; lead_unit_id: number; requester_name: string; requester_phone: string }[];
  };
  return r.rows.map((x) => ({
    caseId: x.id,
    unitId: x.lead_unit_id,
    name: x.requester_name,
    phone: x.requester_phone,
  }));
}
