import type { AudienceDefinition, AudiencePhase } from '../audiences/audience-set.js';
import type { AudienceProfile } from '../audiences/audience-state.js';
import { type ComputedTraitDefinition, parseComputedCalculation } from '../audiences/computed-trait.js';
import type { ContactSnapshot } from '../audiences/contact-values.js';
import { parseRule } from '../audiences/parse-rule.js';

/** An audience's row, as both engines keep it. */
export interface AudienceRow {
  id: string;
  name: string;
  description: string | null;
  rule: string;
  phase: AudiencePhase;
  position: number;
  created_at: number;
  updated_at: number;
}

/** A computed trait's row, as both engines keep it. */
export interface ComputedTraitRow {
  id: string;
  name: string;
  description: string | null;
  calculation: string;
  phase: AudiencePhase;
  position: number;
  created_at: number;
  updated_at: number;
}

export function toAudienceDefinition(row: Pick<AudienceRow, 'id' | 'name' | 'rule' | 'phase'>): AudienceDefinition {
  return { id: row.id, name: row.name, rule: parseRule(JSON.parse(row.rule)), phase: row.phase };
}

export function toComputedDefinition(
  row: Pick<ComputedTraitRow, 'id' | 'name' | 'calculation' | 'phase'>,
): ComputedTraitDefinition {
  return { id: row.id, name: row.name, phase: row.phase, ...parseComputedCalculation(JSON.parse(row.calculation)) };
}

/** A contact's audience record (audience_profiles), as both engines keep it. */
export interface AudienceRecordRow {
  hours: string;
  members: string;
  computed: string;
  due_at: number | null;
  seen_at: number | null;
}

export function toAudienceProfile(row: AudienceRecordRow): AudienceProfile {
  return {
    hours: JSON.parse(row.hours) as AudienceProfile['hours'],
    members: JSON.parse(row.members) as AudienceProfile['members'],
    computed: JSON.parse(row.computed) as AudienceProfile['computed'],
    dueAt: row.due_at,
    seenAt: row.seen_at,
  };
}

/** The columns of a profile a contact snapshot is made of. */
export const snapshotColumns = `id, public_id, traits, contact_email, contact_name, lifecycle_stage, owner, tags,
  first_seen_at, last_seen_at, event_count, created_at`;

export interface SnapshotRow {
  id: number;
  public_id: string;
  traits: string;
  contact_email: string;
  contact_name: string;
  lifecycle_stage: string | null;
  owner: string | null;
  tags: string;
  first_seen_at: number;
  last_seen_at: number;
  event_count: number;
  created_at: number;
}

/** What audience rules read of a contact, from its row ('' keys are none). */
export function toContactSnapshot(row: SnapshotRow): ContactSnapshot {
  return {
    profileId: row.id,
    contactId: row.public_id,
    traits: JSON.parse(row.traits) as Record<string, unknown>,
    fields: {
      email: row.contact_email === '' ? null : row.contact_email,
      name: row.contact_name === '' ? null : row.contact_name,
      lifecycleStage: row.lifecycle_stage,
      owner: row.owner,
      tags: JSON.parse(row.tags) as unknown,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      eventCount: row.event_count,
      createdAt: row.created_at,
    },
  };
}
