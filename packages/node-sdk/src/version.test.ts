import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY_NAME, VERSION } from './version.js';

describe('library metadata', () => {
  it('matches package.json, so context.library tells the truth', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect({ name: LIBRARY_NAME, version: VERSION }).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('has no runtime dependency besides @weft/core', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@weft/core']);
  });
});
