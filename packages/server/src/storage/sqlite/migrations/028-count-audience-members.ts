import type { Migration } from './types.js';

export const countAudienceMembers: Migration = {
  version: 28,
  name: 'count audience members',
  up(db) {
    db.exec(`
      -- Each audience's member count, kept by triggers on audience_members: counting an audience of a
      -- million members took 50-100 ms a read (1.1 s cold), on every audiences page and API list.
      CREATE TABLE audience_member_counts (
        audience_id TEXT    PRIMARY KEY,
        n           INTEGER NOT NULL
      );
      INSERT INTO audience_member_counts (audience_id, n)
        SELECT audience_id, count(*) FROM audience_members GROUP BY audience_id;
      -- INSERT OR IGNORE into audience_members fires nothing when the row is there: no double count.
      CREATE TRIGGER audience_member_counts_on_insert AFTER INSERT ON audience_members BEGIN
        INSERT OR IGNORE INTO audience_member_counts (audience_id, n) VALUES (NEW.audience_id, 0);
        UPDATE audience_member_counts SET n = n + 1 WHERE audience_id = NEW.audience_id;
      END;
      CREATE TRIGGER audience_member_counts_on_delete AFTER DELETE ON audience_members BEGIN
        UPDATE audience_member_counts SET n = n - 1 WHERE audience_id = OLD.audience_id;
      END;
    `);
  },
};
