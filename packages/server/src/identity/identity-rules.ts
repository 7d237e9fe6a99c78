import type { WriteKeyKind } from '../auth/secrets.js';
import { identifierTextProblem } from './identifier-text.js';
import type { JoinTypes } from './join-rule.js';

/** An identifier of a person: `user_id:42`, `anonymous_id:…`, `email:ada@example.com`, `crm_id:7`… */
export interface Identifier {
  readonly type: string;
  readonly value: string;
}

/** The rules the resolver applies; loaded from `weft.config.json` (see load-identity-rules.ts). */
export interface IdentityRules {
  /** Most identifiers of a type one profile may hold (types not listed: `defaultLimit`). */
  readonly limits: Readonly<Record<string, number>>;
  readonly defaultLimit: number;
  /** Types from most to least trusted; unlisted types rank after these, `anonymous_id` last. */
  readonly priority: readonly string[];
  /** Values never used as identifiers, compared case-insensitively, also when wrapped in quotes. */
  readonly blockedValues: readonly string[];
  /** Longest identifier value kept. */
  readonly maxValueLength: number;
  /** Caps against mega-profiles. */
  readonly maxIdentifiersPerProfile: number;
  readonly maxMergesPerProfile: number;
  /** Per kind of write key, the identifier types its events may join contacts on (join-rule.ts). */
  readonly joinOn: Readonly<Record<WriteKeyKind, JoinTypes>>;
}

// From the ids PostHog found hard-coded in real customer data, plus Segment's defaults.
export const DEFAULT_BLOCKED_VALUES: readonly string[] = [
  'anonymous',
  'guest',
  'distinctid',
  'distinct_id',
  'id',
  'not_authenticated',
  'email',
  'undefined',
  'true',
  'false',
  'null',
  'none',
  'nan',
  '[object object]',
  '0',
  '-1',
];

export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  limits: { user_id: 1, email: 5, anonymous_id: 100 },
  defaultLimit: 10,
  priority: ['user_id', 'email'],
  blockedValues: DEFAULT_BLOCKED_VALUES,
  maxValueLength: 400,
  maxIdentifiersPerProfile: 1_000,
  maxMergesPerProfile: 100,
  // Today's behaviour: a newsletter signup (client key) joins the contact a CSV import made.
  joinOn: { client: 'all', server: 'all' },
};

export function limitOf(rules: IdentityRules, type: string): number {
  return rules.limits[type] ?? rules.defaultLimit;
}

/** Rank of a type: lower is more trusted. */
export function rankOf(rules: IdentityRules, type: string): number {
  const listed = rules.priority.indexOf(type);
  if (listed !== -1) return listed;
  return type === 'anonymous_id' ? Number.MAX_SAFE_INTEGER : rules.priority.length;
}

/** Why a value may not identify anyone, or undefined when it may. */
export function blockedReason(value: string, rules: IdentityRules): string | undefined {
  const textProblem = identifierTextProblem(value);
  if (textProblem) return textProblem;
  if (value.length > rules.maxValueLength) return `longer than ${rules.maxValueLength} characters`;
  const bare = unquote(value.trim()).trim().toLowerCase();
  if (bare === '') return 'empty';
  if (/^[0-]+$/.test(bare)) return 'only zeros and dashes';
  if (rules.blockedValues.includes(bare)) return 'a placeholder value';
  return undefined;
}

function unquote(value: string): string {
  const match = /^(["'`])(.*)\1$/s.exec(value);
  return match ? (match[2] ?? '') : value;
}
