// Column sets that several modules' tables share (each call makes fresh builders: Drizzle binds a builder to one table).
import { integer, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A file attached to a record and kept in the blob store under its hash (reporting's storeEvidenceFile):
 * the columns beside the record's own reference, as supervision_files, supervision_proposal_files and
 * notice_files have them.
 */
export function storedFileColumns() {
  return {
    id: serial('id').primaryKey(),
    sha256: text('sha256').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    uploadedBy: integer('uploaded_by'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  };
}
