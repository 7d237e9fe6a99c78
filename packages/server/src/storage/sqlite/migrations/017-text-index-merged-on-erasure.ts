import type { Migration } from './types.js';

/**
 * The trigram index (014) stops deleting in place. FTS5's secure-delete made every change of a
 * contact's email or name rewrite the index pages holding its old trigrams, and a row written in
 * the same transaction had to be flushed first: a new contact identified with an email and a name
 * cost about 2 ms of ingest (`pnpm bench:stages crm`), against some 0.1 ms for everything else.
 *
 * A deleted row's trigrams now stay in the index as delete markers until segments merge. Erasure
 * does not wait for that: before it rewrites the file it merges the whole index into one segment
 * (privacy/purge-file.ts), which drops every entry of a deleted row.
 */
export const mergeTextIndexOnErasure: Migration = {
  version: 17,
  name: 'text index merged on erasure',
  up(db) {
    db.exec(`INSERT INTO contact_text (contact_text, rank) VALUES ('secure-delete', 0);`);
  },
};
