import type { Contact } from './contact-schemas.js';

/** A `profiles` row as contact-queries.ts reads it. */
export interface ProfileRow {
  readonly id: number;
  /** The id the API shows (identity/contact-id.ts); `id` never leaves the server. */
  readonly public_id: string;
  readonly merged_into: number | null;
  readonly first_seen_at: number;
  readonly last_seen_at: number;
  readonly event_count: number;
  readonly traits: string;
  readonly lifecycle_stage: string | null;
  readonly owner: string | null;
  readonly tags: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly contact_email: string;
}

export interface IdentifierRow {
  readonly type: string;
  readonly value: string;
  readonly first_seen_at: number;
}

export interface CompanyRow {
  readonly group_id: string;
  readonly traits: string;
}

export interface MergeRow {
  readonly absorbed_public_id: string;
  readonly message_id: string;
  readonly merged_at: number;
}

/** What belongs to one profile besides its row; identifiers oldest first. */
export interface ProfileDetails {
  readonly identifiers: readonly IdentifierRow[];
  readonly companies: readonly CompanyRow[];
  readonly merges: readonly MergeRow[];
}

export const noDetails: ProfileDetails = { identifiers: [], companies: [], merges: [] };

/**
 * Rows → the API's contact. Named fields are Segment's well-known traits; the same fall-backs are
 * written in SQL in migration 005 (for sorting and search), so change both together.
 */
export function toContact(row: ProfileRow, details: ProfileDetails): Contact {
  const traits = parseObject(row.traits);
  const firstName = textTrait(traits, 'firstName');
  const lastName = textTrait(traits, 'lastName');
  const joinedName = [firstName, lastName].filter((part) => part !== null).join(' ');
  // Identity lower-cases email identifiers; ordered oldest first, so the first is the first seen.
  const firstEmail = details.identifiers.find((identifier) => identifier.type === 'email')?.value ?? null;
  return {
    id: row.public_id,
    email: textTrait(traits, 'email') ?? firstEmail,
    name: textTrait(traits, 'name') ?? (joinedName === '' ? null : joinedName),
    firstName,
    lastName,
    phone: textTrait(traits, 'phone'),
    title: textTrait(traits, 'title'),
    companies: details.companies.map((company) => ({
      groupId: company.group_id,
      name: textTrait(parseObject(company.traits), 'name'),
    })),
    lifecycleStage: row.lifecycle_stage as Contact['lifecycleStage'],
    owner: row.owner,
    tags: parseTags(row.tags),
    traits,
    identities: details.identifiers.map((identifier) => ({
      type: identifier.type,
      value: identifier.value,
      firstSeenAt: iso(identifier.first_seen_at),
    })),
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
    eventCount: row.event_count,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    merges: details.merges.map((merge) => ({
      absorbedId: merge.absorbed_public_id,
      messageId: merge.message_id,
      at: iso(merge.merged_at),
    })),
  };
}

/** A trimmed, non-empty string trait; a number or an object is not a name or an email. */
function textTrait(traits: Record<string, unknown>, key: string): string | null {
  const value = traits[key];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function parseObject(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function parseTags(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : [];
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
