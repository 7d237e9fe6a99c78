import type { PersonalizePolicy, PublishableKey } from '../personalize/publishable-key.js';

/** A publishable key as both engines keep it: its policy as JSON. */
export interface PublishableKeyRow {
  id: string;
  key: string;
  name: string;
  policy: string;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

export function toPublishableKey(row: PublishableKeyRow): PublishableKey {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    policy: JSON.parse(row.policy) as PersonalizePolicy,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}
