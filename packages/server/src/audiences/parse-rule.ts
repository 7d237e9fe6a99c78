import {
  type AgeWindow,
  type CountOp,
  countOps,
  type Leaf,
  type PropertyTest,
  type Rule,
  ruleLimits,
  type TimePoint,
  type ValueOp,
  type ValueTest,
  valueOps,
} from './audience-rule.js';

/** A rule that cannot be used, named by its place in the request (`rule.all[2].within`). */
export class RuleProblem extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** Reads an untrusted rule; throws RuleProblem naming the first thing wrong. */
export function parseRule(input: unknown, path = 'rule'): Rule {
  const state = { leaves: 0 };
  return readNode(input, path, 1, state);
}

function readNode(input: unknown, path: string, depth: number, state: { leaves: number }): Rule {
  if (!isObject(input)) throw new RuleProblem(path, 'must be an object: all, any, not, or a leaf');
  if (depth > ruleLimits.maxDepth) throw new RuleProblem(path, `nests deeper than ${ruleLimits.maxDepth} levels`);
  for (const kind of ['all', 'any'] as const) {
    if (!(kind in input)) continue;
    onlyKeys(input, [kind], path);
    const children = input[kind];
    if (!Array.isArray(children) || children.length === 0) {
      throw new RuleProblem(`${path}.${kind}`, 'must be a non-empty list of rules');
    }
    return { kind, rules: children.map((child, i) => readNode(child, `${path}.${kind}[${i}]`, depth + 1, state)) };
  }
  if ('not' in input) {
    onlyKeys(input, ['not'], path);
    return { kind: 'not', rule: readNode(input.not, `${path}.not`, depth + 1, state) };
  }
  state.leaves += 1;
  if (state.leaves > ruleLimits.maxLeaves) throw new RuleProblem(path, `more than ${ruleLimits.maxLeaves} leaves`);
  return readLeaf(input, path);
}

function readLeaf(input: Json, path: string): Leaf {
  if ('trait' in input) {
    onlyKeys(input, ['trait', 'op', 'value'], path);
    const trait = readName(input.trait, `${path}.trait`);
    return { kind: 'trait', trait, ...readValueTest(input, path) };
  }
  if ('event' in input) {
    onlyKeys(input, ['event', 'where', 'count', 'within', 'between'], path);
    return {
      kind: 'event',
      event: readName(input.event, `${path}.event`),
      where: readWhere(input.where, `${path}.where`),
      count: readCount(input.count, `${path}.count`),
      window: readWindow(input, path),
    };
  }
  if ('audience' in input) {
    onlyKeys(input, ['audience', 'member'], path);
    const member = input.member ?? true;
    if (typeof member !== 'boolean') throw new RuleProblem(`${path}.member`, 'must be true or false');
    return { kind: 'audience', audience: readName(input.audience, `${path}.audience`), member };
  }
  throw new RuleProblem(path, 'must hold one of all, any, not, trait, event, audience');
}

export function onlyKeys(input: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key))
      throw new RuleProblem(`${path}.${key}`, `is not allowed here (allowed: ${allowed.join(', ')})`);
  }
}

export function readName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new RuleProblem(path, 'must be a non-empty string of at most 200 characters');
  }
  return value;
}

function readValueTest(input: Json, path: string): ValueTest {
  const op = input.op;
  if (typeof op !== 'string' || !(valueOps as readonly string[]).includes(op)) {
    throw new RuleProblem(`${path}.op`, `must be one of ${valueOps.join(', ')}`);
  }
  const value = input.value;
  const at = `${path}.value`;
  switch (op as ValueOp) {
    case 'exists':
    case 'notExists':
      if (value !== undefined) throw new RuleProblem(at, `takes no value with ${op}`);
      return { op: op as ValueOp };
    case 'in':
      if (!Array.isArray(value) || value.length === 0 || value.length > ruleLimits.maxInValues) {
        throw new RuleProblem(at, `must be a list of 1 to ${ruleLimits.maxInValues} values with in`);
      }
      value.forEach((item, i) => {
        if (!isScalar(item)) throw new RuleProblem(`${at}[${i}]`, 'must be a string, number or boolean');
      });
      return { op: 'in', value };
    case 'before':
    case 'after':
      return { op: op as ValueOp, time: readTimePoint(value, at) };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
        throw new RuleProblem(at, `must be a number or a string with ${op}`);
      }
      return { op: op as ValueOp, value };
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      if (typeof value !== 'string' && !(op === 'contains' && isScalar(value))) {
        throw new RuleProblem(at, `must be a string with ${op}`);
      }
      return { op: op as ValueOp, value, folded: String(value).toLowerCase() };
    default:
      if (!isScalar(value)) throw new RuleProblem(at, `must be a string, number or boolean with ${op}`);
      return { op: op as ValueOp, value };
  }
}

/** `-30d`, `-12h`: an age; anything else must be an ISO 8601 date. */
function readTimePoint(value: unknown, path: string): TimePoint {
  if (typeof value === 'string') {
    const age = readAge(value);
    if (age !== undefined) return { ageMs: age };
    const at = Date.parse(value);
    if (/^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(at)) return { at };
  }
  throw new RuleProblem(path, 'must be an ISO 8601 date or an age before now such as "-30d" or "-12h"');
}

const agePattern = /^-(\d{1,5})([dh])$/;
function readAge(text: string): number | undefined {
  const match = agePattern.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'd' ? dayMs : hourMs);
}

export function readWhere(input: unknown, path: string): PropertyTest[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > ruleLimits.maxWhere) {
    throw new RuleProblem(path, `must be a list of at most ${ruleLimits.maxWhere} conditions`);
  }
  return input.map((condition, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(condition)) throw new RuleProblem(at, 'must be an object { property, op, value }');
    onlyKeys(condition, ['property', 'op', 'value'], at);
    const test = readValueTest(condition, at);
    // An event is counted once, when it is stored: a test that time would change cannot apply to it.
    if (test.time && 'ageMs' in test.time) {
      throw new RuleProblem(`${at}.value`, 'must be a fixed date in where (ages such as "-30d" belong in within)');
    }
    return { property: readName(condition.property, `${at}.property`), ...test };
  });
}

function readCount(input: unknown, path: string): { op: CountOp; n: number } {
  if (input === undefined) return { op: 'gte', n: 1 };
  if (!isObject(input)) throw new RuleProblem(path, 'must be an object { op, n }');
  onlyKeys(input, ['op', 'n'], path);
  if (typeof input.op !== 'string' || !(countOps as readonly string[]).includes(input.op)) {
    throw new RuleProblem(`${path}.op`, `must be one of ${countOps.join(', ')}`);
  }
  if (typeof input.n !== 'number' || !Number.isInteger(input.n) || input.n < 0 || input.n > 1_000_000) {
    throw new RuleProblem(`${path}.n`, 'must be a whole number from 0 to 1000000');
  }
  return { op: input.op as CountOp, n: input.n };
}

export function readWindow(input: Json, path: string): AgeWindow {
  if (input.within !== undefined && input.between !== undefined) {
    throw new RuleProblem(`${path}.between`, 'cannot be given with within');
  }
  if (input.within !== undefined) {
    const at = `${path}.within`;
    const within = input.within;
    if (!isObject(within)) throw new RuleProblem(at, 'must be { days } or { hours }');
    onlyKeys(within, ['days', 'hours'], at);
    const keys = Object.keys(within);
    if (keys.length !== 1) throw new RuleProblem(at, 'must be { days } or { hours }');
    const unit = keys[0] as 'days' | 'hours';
    const amount = within[unit];
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) {
      throw new RuleProblem(`${at}.${unit}`, 'must be a whole number of at least 1');
    }
    return { newest: 0, oldest: checkedSpan(amount * (unit === 'days' ? dayMs : hourMs), `${at}.${unit}`) };
  }
  if (input.between !== undefined) {
    const at = `${path}.between`;
    const between = input.between;
    if (!isObject(between)) throw new RuleProblem(at, 'must be { from: "-90d", to: "-30d" }');
    onlyKeys(between, ['from', 'to'], at);
    const from = typeof between.from === 'string' ? readAge(between.from) : undefined;
    if (from === undefined) throw new RuleProblem(`${at}.from`, 'must be an age such as "-90d" or "-12h"');
    const to = typeof between.to === 'string' ? readAge(between.to) : undefined;
    if (to === undefined) throw new RuleProblem(`${at}.to`, 'must be an age such as "-30d" or "-12h"');
    if (to >= from) throw new RuleProblem(`${at}.to`, 'must be more recent than from (e.g. from "-90d", to "-30d")');
    return { newest: to, oldest: checkedSpan(from, `${at}.from`) };
  }
  return { newest: 0, oldest: Number.POSITIVE_INFINITY };
}

function checkedSpan(ms: number, path: string): number {
  if (ms > ruleLimits.maxWindowMs) throw new RuleProblem(path, 'must be at most 730 days');
  return ms;
}
