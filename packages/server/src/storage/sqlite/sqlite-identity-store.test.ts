import { testIdentityScenarios } from '../../identity/identity-scenarios.contract.js';
import type { SqliteDatabase } from './open-database.js';
import { openDatabase } from './open-database.js';
import { createSqliteIdentityStore } from './sqlite-identity-store.js';

testIdentityScenarios('SQLite store', () => {
  const db: SqliteDatabase = openDatabase(':memory:');
  const store = createSqliteIdentityStore(db, () => 0);
  const liveProfiles = db.prepare(
    'SELECT id, event_count, first_seen_at, traits FROM profiles WHERE merged_into IS NULL ORDER BY id',
  );
  const identifiersOf = db
    .prepare("SELECT type || ':' || value FROM identifiers WHERE profile_id = ? ORDER BY 1")
    .pluck();
  const companiesOf = db
    .prepare(
      `SELECT c.group_id FROM profile_companies pc JOIN companies c ON c.id = pc.company_id
       WHERE pc.profile_id = ? ORDER BY 1`,
    )
    .pluck();
  return {
    store,
    profiles: () =>
      (liveProfiles.all() as { id: number; event_count: number; first_seen_at: number; traits: string }[]).map(
        (row) => ({
          identifiers: identifiersOf.all(row.id) as string[],
          traits: JSON.parse(row.traits) as Record<string, unknown>,
          companies: companiesOf.all(row.id) as string[],
          eventCount: row.event_count,
          firstSeenAt: row.first_seen_at,
        }),
      ),
    merges: () => db.prepare('SELECT count(*) FROM merges').pluck().get() as number,
    companyTraits: (groupId) => {
      const traits = db.prepare('SELECT traits FROM companies WHERE group_id = ?').pluck().get(groupId);
      return typeof traits === 'string' ? (JSON.parse(traits) as Record<string, unknown>) : undefined;
    },
  };
});
