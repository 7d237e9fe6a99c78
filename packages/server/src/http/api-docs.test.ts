import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.js';
import { fetchApiDocument, renderApiDocs } from './api-docs.js';
import { listOperations } from './openapi-types.js';

const docsFile = new URL('../../../../docs/api.md', import.meta.url);

describe('docs/api.md', () => {
  it('is what `pnpm docs:api` writes from the current /openapi.json', async () => {
    const expected = renderApiDocs(await fetchApiDocument(createTestApp().app));
    const written = readFileSync(docsFile, 'utf8');
    expect(written, 'docs/api.md is out of date: run `pnpm docs:api`').toBe(expected);
  });

  it('shows a curl example, with its credential, for every operation', async () => {
    const document = await fetchApiDocument(createTestApp().app);
    const sections = renderApiDocs(document).split(/^### /m).slice(1);
    for (const { method, path, operation } of listOperations(document)) {
      const heading = `${method.toUpperCase()} ${path}`;
      const section = sections.find((s) => s.startsWith(`${heading}\n`));
      expect(section, heading).toBeDefined();
      const curl = section?.match(/```sh\n(curl [\s\S]*?)\n```/)?.[1] ?? '';
      const firstPathSegment = path.split('/')[1] ?? '';
      expect(curl, heading).toMatch(new RegExp(`"\\$WEFT_URL/${firstPathSegment}`));
      if (method !== 'get') expect(curl, heading).toContain(`-X ${method.toUpperCase()}`);
      const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
      if (schemes.includes('writeKey')) expect(curl, heading).toContain('-u "$WEFT_WRITE_KEY:"');
      if (schemes.includes('adminToken')) expect(curl, heading).toContain('Authorization: Bearer $WEFT_ADMIN_TOKEN');
      if (operation.requestBody?.required) expect(curl, heading).toMatch(/-d '[[{]|--data-binary @/);
    }
  });
});
