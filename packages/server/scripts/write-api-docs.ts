import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fetchApiDocument, renderApiDocs } from '../src/http/api-docs.js';
import { createTestApp } from '../src/testing/test-app.js';

// `pnpm docs:api`: writes docs/api.md from the /openapi.json of an app on an in-memory database.
const docsFile = fileURLToPath(new URL('../../../docs/api.md', import.meta.url));
const document = await fetchApiDocument(createTestApp().app);
writeFileSync(docsFile, renderApiDocs(document));
console.log(`wrote ${docsFile}`);
