import type { PostgresMigration } from './types.js';

/**
 * What contact search reads traits with (contacts/postgres-search-filters.ts). weft_json_at follows
 * a path of object keys only, as SQLite's json_extract with quoted labels does: a key never indexes
 * an array ("0" of a list is not its first item), where PostgreSQL's #> would.
 */
export const addSearchFunctions: PostgresMigration = {
  version: 11,
  name: 'add search functions',
  async up(client) {
    await client.query(`
      CREATE FUNCTION weft_json_at(value JSONB, path TEXT[]) RETURNS JSONB
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        key TEXT;
      BEGIN
        FOREACH key IN ARRAY path LOOP
          IF jsonb_typeof(value) IS DISTINCT FROM 'object' THEN
            RETURN NULL;
          END IF;
          value := value -> key;
        END LOOP;
        RETURN value;
      END $$;
    `);
  },
};
