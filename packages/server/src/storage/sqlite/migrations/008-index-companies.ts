import type { Migration } from './types.js';

export const indexCompanies: Migration = {
  version: 8,
  name: 'index companies',
  up(db) {
    db.exec(`
      -- GET /v1/companies?sort=-lastSeenAt pages by keyset on (last_seen_at, id); sorting by groupId
      -- uses the unique index on group_id.
      CREATE INDEX companies_last_seen ON companies (last_seen_at, id);
      -- A company's contacts: the primary key of profile_companies starts with profile_id.
      CREATE INDEX profile_companies_company ON profile_companies (company_id, profile_id);
    `);
  },
};
