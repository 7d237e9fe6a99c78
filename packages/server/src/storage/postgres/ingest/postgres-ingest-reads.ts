import type pg from 'pg';
import type { Identifier, IdentityRules } from '../../../identity/identity-rules.js';
import type { ProfileRecord } from '../../../identity/identity-store.js';
import { type IdentityEvent, readIdentityEvent } from '../../../identity/read-identity-event.js';
import { identifiersLookedUp } from '../../../identity/resolve-identity.js';
import { readStamped } from '../../../identity/stamped-values.js';
import type { PrivacyLookup } from '../../../ingest/pipeline.js';
import type { NewEvent } from '../../event-store.js';
import type { IdentifierHasher } from '../../identifier-hasher.js';
import { type ProfileRecordRow, profileRecordColumns, toProfileRecord } from '../../profile-row.js';
import { lockNames, takeLocks } from '../advisory-locks.js';
import {
  type CompanyRecord,
  type IdentityReadAhead,
  identifierKey,
  NotReadAheadError,
} from './identity-working-set.js';

/** Everything a batch reads, read (and locked) before the pipeline runs. */
export interface IngestReadAhead {
  /** `source\0messageId` of the batch's events already stored. */
  readonly stored: ReadonlySet<string>;
  readonly identity: IdentityReadAhead;
  readonly privacy: PrivacyLookup;
}

/** A profile read ahead turned out absorbed or erased by another server's commit: the batch starts again. */
export class StaleReadAheadError extends Error {
  constructor() {
    super('a profile read ahead was absorbed or erased meanwhile');
    this.name = 'StaleReadAheadError';
  }
}

export const storedKey = (event: Pick<NewEvent, 'source' | 'messageId'>): string =>
  `${event.source}\u0000${event.messageId}`;

/**
 * Reads what the batch's events may touch, after taking a transaction-scoped advisory lock for each
 * messageId, each identifier resolution may look up (identifiersLookedUp) and each company, all in
 * ascending key order so that two batches never wait on each other in a circle. While the locks are
 * held no other server stores those messageIds, gives those identifiers an owner or writes those
 * companies. Then the owning profiles are locked (FOR UPDATE, by id) and read: a profile's row lock
 * is what a merge takes, so a profile absorbed meanwhile shows as such, and the batch starts again.
 */
export async function readIngestAhead(
  client: pg.PoolClient,
  batch: readonly ReadEvent[],
  options: {
    readonly hash: IdentifierHasher;
    /** Off only to measure the other way, unique indexes and retries alone (bench:pg-ingest). */
    readonly isLockingAhead?: boolean | undefined;
  },
): Promise<IngestReadAhead> {
  const identifiers = new Map<string, Identifier>();
  const hashed = new Map<string, Identifier>();
  const groupIds = new Set<string>();
  const locks: string[] = [];
  const events = batch.map((entry) => entry.event);
  for (const entry of batch) {
    const { read } = entry;
    for (const identifier of identifiersLookedUp(read)) identifiers.set(identifierKey(identifier), identifier);
    for (const identifier of read.identifiers) hashed.set(options.hash(identifier), identifier);
    if (read.group) groupIds.add(read.group.groupId);
    locks.push(...ingestLockNames(entry));
  }
  if (options.isLockingAhead !== false) await takeLocks(client, locks);

  const wanted = [...identifiers.values()];
  const { rows } = await client.query<FirstRead>(firstReadSql, [
    events.map((event) => event.source),
    events.map((event) => event.messageId),
    wanted.map((identifier) => identifier.type),
    wanted.map((identifier) => identifier.value),
    [...hashed.keys()],
    [...groupIds],
    events.length,
    groupIds.size,
  ]);
  const first = rows[0] as FirstRead;

  const owners = new Map<string, number | null>([...identifiers.keys()].map((key) => [key, null]));
  for (const [type, value, profileId] of first.owners) owners.set(identifierKey({ type, value }), profileId);
  const companies = new Map<string, CompanyRecord | null>([...groupIds].map((groupId) => [groupId, null]));
  for (const [groupId, id, traits, stamps] of first.companies) {
    companies.set(groupId, { id, traits: readStamped(traits, stamps) });
  }
  const profileIds = [...new Set([...owners.values()].filter((id) => id !== null))].sort((a, b) => a - b);
  const companyIds = [...companies.values()].flatMap((company) => (company ? [company.id] : []));
  const owned = await readOwners(client, profileIds, companyIds);

  return {
    stored: new Set(first.stored.map(([source, messageId]) => storedKey({ source, messageId }))),
    identity: {
      owners,
      ...owned,
      companies,
      newProfileIds: first.profile_ids,
      newCompanyIds: first.company_ids ?? [],
    },
    privacy: privacyLookup(first, hashed, options.hash),
  };
}

/** An event with its identity read (readIdentityEvent), read once per event for the slicing and the read-ahead. */
export interface ReadEvent {
  readonly event: NewEvent;
  readonly read: IdentityEvent;
}

export function readEvents(events: readonly NewEvent[], rules: IdentityRules): ReadEvent[] {
  return events.map((event) => ({ event, read: readIdentityEvent(event.fields, rules) }));
}

/** The advisory locks an event's ingest takes: its messageId, what resolution may look up, its company. */
export function ingestLockNames({ event, read }: ReadEvent): string[] {
  return [
    lockNames.event(event.source, event.messageId),
    ...identifiersLookedUp(read).map(lockNames.identifier),
    ...(read.group ? [lockNames.company(read.group.groupId)] : []),
  ];
}

interface FirstRead {
  readonly stored: [string, string][];
  readonly owners: [string, string, number][];
  readonly any_erasure: boolean;
  readonly any_suppression: boolean;
  readonly erased: [string, number][];
  readonly suppressed: string[];
  readonly companies: [string, number, string, string][];
  readonly profile_ids: number[];
  readonly company_ids: number[] | null;
}

/** The privacy lists' columns of a read: any entries at all, and the entries for the hashes in `param`. */
const privacyColumns = (param: string) => `EXISTS (SELECT 1 FROM erasures) AS any_erasure,
  EXISTS (SELECT 1 FROM suppressions) AS any_suppression,
  (SELECT coalesce(json_agg(json_build_array(identifier_hash, erased_at)), '[]') FROM erasures
     WHERE identifier_hash = ANY (${param}::text[])) AS erased,
  (SELECT coalesce(json_agg(identifier_hash), '[]') FROM suppressions WHERE identifier_hash = ANY (${param}::text[])) AS suppressed`;

// One round trip for all a batch reads before it knows its profiles; ids are taken for as many
// profiles and companies as it could create (unused ones are gaps).
const firstReadSql = `SELECT
  (SELECT coalesce(json_agg(json_build_array(e.source, e.message_id)), '[]') FROM events e
     JOIN unnest($1::text[], $2::text[]) AS w (source, message_id) USING (source, message_id)) AS stored,
  (SELECT coalesce(json_agg(json_build_array(i.type, i.value, i.profile_id)), '[]') FROM identifiers i
     JOIN unnest($3::text[], $4::text[]) AS w (type, value) USING (type, value)) AS owners,
  ${privacyColumns('$5')},
  (SELECT coalesce(json_agg(json_build_array(group_id, id, traits, trait_stamps)), '[]') FROM companies
     WHERE group_id = ANY ($6::text[])) AS companies,
  (SELECT json_agg(nextval('profiles_id_seq')) FROM generate_series(1, $7::int)) AS profile_ids,
  (SELECT json_agg(nextval('companies_id_seq')) FROM generate_series(1, $8::int)) AS company_ids`;

/** Locks and reads the owning profiles, then (under those locks) their identifier counts and links. */
export async function readOwners(
  client: pg.PoolClient,
  profileIds: readonly number[],
  companyIds: readonly number[],
): Promise<Pick<IdentityReadAhead, 'profiles' | 'counts' | 'links'>> {
  const profiles = new Map<number, ProfileRecord>();
  const counts = new Map<number, Map<string, number>>();
  const links = new Map<number, Set<number>>();
  if (profileIds.length === 0) return { profiles, counts, links };
  const locked = await client.query<ProfileRecordRow & { merged_into: number | null }>(
    `SELECT ${profileRecordColumns}, merged_into FROM profiles WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE`,
    [profileIds],
  );
  // Absorbed, or erased, by another server's commit since its owner was read.
  if (locked.rows.length < profileIds.length) throw new StaleReadAheadError();
  for (const row of locked.rows) {
    if (row.merged_into !== null) throw new StaleReadAheadError();
    profiles.set(row.id, toProfileRecord(row));
    counts.set(row.id, new Map());
    links.set(row.id, new Set());
  }
  // A statement of its own: it sees what was committed before the row locks were granted.
  const { rows } = await client.query<{ counts: [number, string, number][]; links: [number, number][] }>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_array(profile_id, type, n)), '[]') FROM
          (SELECT profile_id, type, count(*) AS n FROM identifiers WHERE profile_id = ANY ($1::bigint[])
           GROUP BY profile_id, type) AS c) AS counts,
       (SELECT coalesce(json_agg(json_build_array(profile_id, company_id)), '[]') FROM profile_companies
          WHERE profile_id = ANY ($1::bigint[]) AND company_id = ANY ($2::bigint[])) AS links`,
    [profileIds, companyIds],
  );
  const read = rows[0] as { counts: [number, string, number][]; links: [number, number][] };
  for (const [profileId, type, n] of read.counts) counts.get(profileId)?.set(type, n);
  for (const [profileId, companyId] of read.links) links.get(profileId)?.add(companyId);
  return { profiles, counts, links };
}

/** What the privacy gate needs read ahead: whether any list has entries, and the entries for the batch's hashes. */
export type PrivacyRead = Pick<FirstRead, 'any_erasure' | 'any_suppression' | 'erased' | 'suppressed'>;

/** Reads the privacy lists' entries for these keyed hashes (what an import reads ahead; ingest reads them in its first read). */
export async function readPrivacy(client: pg.PoolClient, hashes: readonly string[]): Promise<PrivacyRead> {
  const { rows } = await client.query<PrivacyRead>(`SELECT ${privacyColumns('$1')}`, [hashes]);
  return rows[0] as PrivacyRead;
}

/** The privacy gate's answers for the identifiers read ahead, by keyed hash. */
export function privacyLookup(
  first: PrivacyRead,
  hashed: ReadonlyMap<string, Identifier>,
  hash: IdentifierHasher,
): PrivacyLookup {
  const erased = new Map(first.erased);
  const suppressed = new Set(first.suppressed);
  const known = (identifier: Identifier) => {
    const key = hash(identifier);
    if (!hashed.has(key)) throw new NotReadAheadError(`privacy state for a ${identifier.type}`);
    return key;
  };
  return {
    hasAny: () => ({ erasures: first.any_erasure, suppressions: first.any_suppression }),
    erasedAt: (identifier) => erased.get(known(identifier)),
    isSuppressed: (identifier) => suppressed.has(known(identifier)),
  };
}
