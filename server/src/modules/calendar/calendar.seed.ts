import { createRequire } from 'node:module';
import type { Database } from '../../db/client.js';

type Raw = { holidays: Record<string, string>; workdays: Record<string, string> };

/** Loads the official arrangement shipped by `chinese-days` (2004–2026) into the calendar tables. */
export async function seedCalendarFromPackage(database: Database): Promise<number> {
  const raw = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as Raw;
  const rows: [string, string, string][] = [];
  for (const [day, label] of Object.entries(raw.holidays)) rows.push([day, 'holiday', chineseName(label)]);
  for (const [day, label] of Object.entries(raw.workdays)) rows.push([day, 'workday', chineseName(label)]);
  const years = new Set(rows.map((r) => Number(r[0].slice(0, 4))));
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params = chunk.flat();
    const values = chunk.map((_, j) => `($${j * 3 + 1}::date, $${j * 3 + 2}, $${j * 3 + 3}, 'package')`).join(',');
    await database.query(
      `INSERT INTO calendar_days(day, kind, name, source) VALUES ${values} ON CONFLICT (day) DO NOTHING`,
      params,
    );
  }
  for (const y of years)
    await database.query(`INSERT INTO calendar_years(year, source) VALUES ($1, 'package') ON CONFLICT DO NOTHING`, [y]);
  return rows.length;
}

// "National Day,国庆节,3" → "国庆节"
function chineseName(label: string): string {
  return label.split(',')[1] ?? label;
}
