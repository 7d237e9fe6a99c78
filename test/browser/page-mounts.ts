import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const testRoot = fileURLToPath(new URL('../', import.meta.url));

/** What the static server serves to the browser tests: URL prefix → folder. */
export const pageMounts = {
  '/pages/': join(testRoot, 'browser/pages'),
  // The script-tag build of @weft/browser (weft.min.js).
  '/sdk/': join(testRoot, '../packages/browser-sdk/dist'),
  // Segment's standalone build; its lazy chunks load from <cdn>/analytics-next/bundles/.
  '/vendor/analytics-next/bundles/': join(testRoot, 'node_modules/@segment/analytics-next/dist/umd'),
};
