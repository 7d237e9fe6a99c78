/**
 * The grammar of an audience rule (docs/audiences.md): a tree of `all | any | not` over three kinds
 * of leaf. parse-rule.ts reads untrusted JSON into these types; evaluate-rule.ts answers them.
 */

export const valueOps = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'startsWith',
  'endsWith',
  'in',
  'exists',
  'notExists',
  'before',
  'after',
] as const;
export type ValueOp = (typeof valueOps)[number];

export const countOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type CountOp = (typeof countOps)[number];

/** A value test: a contact's trait or field, or an event's property. */
export interface ValueTest {
  readonly op: ValueOp;
  /** A string, number or boolean; a list of them for in; absent for exists, notExists, before and after. */
  readonly value?: unknown;
  /** For before and after: a fixed instant, or an age relative to now (`-30d`). */
  readonly time?: TimePoint;
  /** For contains, startsWith and endsWith: the value lower-cased once, not on every evaluation. */
  readonly folded?: string;
}

/** An instant (epoch ms) or an age before now (ms): `after -30d` is "less than 30 days ago". */
export type TimePoint = { readonly at: number } | { readonly ageMs: number };

/** `{ trait, op, value }`: `trait` names a contact field, `traits.<key>` (or a bare key), or `computed.<key>`. */
export interface TraitLeaf extends ValueTest {
  readonly kind: 'trait';
  readonly trait: string;
}

/** An age range in milliseconds: an event counts when its age (now − its hour's end) is in [newest, oldest). */
export interface AgeWindow {
  readonly newest: number;
  /** Infinity for no limit (the leaf counts every event ever stored). */
  readonly oldest: number;
}

export interface PropertyTest extends ValueTest {
  /** A dotted path into the event's `properties`. */
  readonly property: string;
}

/** `{ event, where, count, within | between }`: how many of a track event, within an age window. */
export interface EventLeaf {
  readonly kind: 'event';
  readonly event: string;
  readonly where: readonly PropertyTest[];
  readonly count: { readonly op: CountOp; readonly n: number };
  readonly window: AgeWindow;
}

/** `{ audience, member }`: whether the contact is (or is not) a member of another audience. */
export interface AudienceLeaf {
  readonly kind: 'audience';
  readonly audience: string;
  readonly member: boolean;
}

export type Leaf = TraitLeaf | EventLeaf | AudienceLeaf;
export type Rule =
  | { readonly kind: 'all'; readonly rules: readonly Rule[] }
  | { readonly kind: 'any'; readonly rules: readonly Rule[] }
  | { readonly kind: 'not'; readonly rule: Rule }
  | Leaf;

/** Bounds that keep one rule cheap to evaluate on every event. */
export const ruleLimits = {
  /** Leaves in one rule. */
  maxLeaves: 50,
  /** Nesting of all/any/not. */
  maxDepth: 8,
  /** Audiences nested through `{ audience }` leaves, this one included. */
  maxAudienceDepth: 8,
  /** Conditions in one `where`. */
  maxWhere: 10,
  /** Values an `in` may list. */
  maxInValues: 100,
  /** The longest window: 2 years. */
  maxWindowMs: 730 * 24 * 3_600_000,
} as const;

/** Every leaf of a rule, in order. */
export function leavesOf(rule: Rule): Leaf[] {
  switch (rule.kind) {
    case 'all':
    case 'any':
      return rule.rules.flatMap(leavesOf);
    case 'not':
      return leavesOf(rule.rule);
    default:
      return [rule];
  }
}
