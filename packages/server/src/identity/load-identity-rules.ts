import { existsSync, readFileSync } from 'node:fs';
import { isWriteKeyKind, type WriteKeyKind } from '../auth/secrets.js';
import { ConfigError } from '../config/load-config.js';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './identity-rules.js';
import type { JoinTypes } from './join-rule.js';

/**
 * Reads the `identity` section of the config file (`WEFT_CONFIG`, default `./weft.config.json`
 * when it exists) over the defaults. Every field is optional; a wrong one is named in the error.
 */
export function loadIdentityRules(path: string | undefined): IdentityRules {
  const file = path ?? './weft.config.json';
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`WEFT_CONFIG names ${path}, which does not exist`);
    return DEFAULT_IDENTITY_RULES;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const identity = isObject(parsed) ? parsed.identity : undefined;
  if (identity === undefined) return DEFAULT_IDENTITY_RULES;
  return parseIdentityRules(identity, `${file}: identity`);
}

/** Validates an `identity` section (pure, for tests). */
export function parseIdentityRules(section: unknown, where = 'identity'): IdentityRules {
  if (!isObject(section)) throw new ConfigError(`${where} must be an object`);
  const rules = { ...DEFAULT_IDENTITY_RULES };
  const {
    limits,
    defaultLimit,
    priority,
    blockedValues,
    maxValueLength,
    maxIdentifiersPerProfile,
    maxMergesPerProfile,
    joinOn,
  } = section;
  if (limits !== undefined) {
    if (!isObject(limits)) throw new ConfigError(`${where}.limits must be an object of type → number`);
    for (const [type, limit] of Object.entries(limits)) positiveInteger(limit, `${where}.limits.${type}`);
    rules.limits = { ...DEFAULT_IDENTITY_RULES.limits, ...(limits as Record<string, number>) };
  }
  if (priority !== undefined) rules.priority = stringList(priority, `${where}.priority`);
  if (blockedValues !== undefined) {
    rules.blockedValues = stringList(blockedValues, `${where}.blockedValues`).map((value) => value.toLowerCase());
  }
  if (defaultLimit !== undefined) rules.defaultLimit = positiveInteger(defaultLimit, `${where}.defaultLimit`);
  if (maxValueLength !== undefined) rules.maxValueLength = positiveInteger(maxValueLength, `${where}.maxValueLength`);
  if (maxIdentifiersPerProfile !== undefined) {
    rules.maxIdentifiersPerProfile = positiveInteger(maxIdentifiersPerProfile, `${where}.maxIdentifiersPerProfile`);
  }
  if (maxMergesPerProfile !== undefined) {
    rules.maxMergesPerProfile = positiveInteger(maxMergesPerProfile, `${where}.maxMergesPerProfile`);
  }
  if (joinOn !== undefined) rules.joinOn = parseJoinOn(joinOn, `${where}.joinOn`);
  return rules;
}

/** `{ "client": ["anonymous_id", "user_id"], "server": "all" }`; a kind left out keeps the default. */
function parseJoinOn(value: unknown, where: string): IdentityRules['joinOn'] {
  if (!isObject(value))
    throw new ConfigError(`${where} must be an object of write key kind → "all" or a list of types`);
  const joinOn: Record<WriteKeyKind, JoinTypes> = { ...DEFAULT_IDENTITY_RULES.joinOn };
  for (const [kind, types] of Object.entries(value)) {
    if (!isWriteKeyKind(kind)) throw new ConfigError(`${where}.${kind}: a write key kind is client or server`);
    joinOn[kind] = types === 'all' ? 'all' : stringList(types, `${where}.${kind}`);
  }
  return joinOn;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${where} must be a whole number of at least 1, not ${JSON.stringify(value)}`);
  }
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ConfigError(`${where} must be a list of strings`);
  }
  return value;
}
