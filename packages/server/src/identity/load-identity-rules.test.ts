import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_RULES } from './identity-rules.js';
import { loadIdentityRules, parseIdentityRules } from './load-identity-rules.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function configFile(content: string): string {
  dir = mkdtempSync(join(tmpdir(), 'weft-config-'));
  const path = join(dir, 'weft.config.json');
  writeFileSync(path, content);
  return path;
}

describe('identity rules from the config file', () => {
  it('overrides only what the file sets', () => {
    const rules = loadIdentityRules(configFile('{"identity":{"limits":{"email":2},"blockedValues":["Test-User"]}}'));
    expect(rules.limits).toEqual({ user_id: 1, email: 2, anonymous_id: 100 });
    expect(rules.blockedValues).toEqual(['test-user']);
    expect(rules.maxMergesPerProfile).toBe(DEFAULT_IDENTITY_RULES.maxMergesPerProfile);
  });

  it('reads which identifier types each kind of write key may join on', () => {
    const rules = parseIdentityRules({ joinOn: { client: ['anonymous_id', 'user_id'] } });
    expect(rules.joinOn).toEqual({ client: ['anonymous_id', 'user_id'], server: 'all' });
  });

  it('uses the defaults when the file has no identity section', () => {
    expect(loadIdentityRules(configFile('{}'))).toEqual(DEFAULT_IDENTITY_RULES);
  });

  it('refuses a WEFT_CONFIG path that does not exist', () => {
    expect(() => loadIdentityRules('/nowhere/weft.config.json')).toThrow(/does not exist/);
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadIdentityRules(configFile('{ nope'))).toThrow(/weft.config.json is not valid JSON/);
  });

  it.each([
    [{ limits: { email: 0 } }, 'identity.limits.email must be a whole number'],
    [{ limits: [] }, 'identity.limits must be an object'],
    [{ priority: 'user_id' }, 'identity.priority must be a list of strings'],
    [{ blockedValues: [1] }, 'identity.blockedValues must be a list of strings'],
    [{ maxMergesPerProfile: 2.5 }, 'identity.maxMergesPerProfile must be a whole number'],
    [{ joinOn: ['client'] }, 'identity.joinOn must be an object'],
    [{ joinOn: { browser: 'all' } }, 'identity.joinOn.browser: a write key kind is client or server'],
    [{ joinOn: { client: 'anonymous_id' } }, 'identity.joinOn.client must be a list of strings'],
  ])('names the field at fault in %j', (section, message) => {
    expect(() => parseIdentityRules(section)).toThrow(message);
  });
});
