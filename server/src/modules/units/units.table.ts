import type { UnitKind } from '../../../../common/units.js';
import { boolean, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const unitCategories = pgTable('unit_categories', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  sort: integer('sort').notNull().default(0),
});

export { UNIT_KINDS, type UnitKind } from '../../../../common/units.js';

export const units = pgTable('units', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<UnitKind>().notNull(),
  parentId: integer('parent_id'),
  categoryId: integer('category_id'),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const unitLeaders = pgTable(
  'unit_leaders',
  { userId: integer('user_id').notNull(), unitId: integer('unit_id').notNull() },
  (t) => [primaryKey({ columns: [t.userId, t.unitId] })],
);
