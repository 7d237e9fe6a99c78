/** What a search filter may name: the fields and ops of POST /v1/contacts/search, and its limits. */

/** Values an `in` filter may list. */
export const maxInValues = 100;

export const filterOps = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
  'startsWith',
  'exists',
  'notExists',
] as const;
export type FilterOp = (typeof filterOps)[number];

export const filterFields = [
  'email',
  'name',
  'lifecycleStage',
  'owner',
  'tags',
  'company',
  'audience',
  'firstSeenAt',
  'lastSeenAt',
  'eventCount',
  'traits.<name>',
  'computed.<name>',
] as const;

export interface Filter {
  readonly field: string;
  readonly op: string;
  readonly value?: unknown;
}
