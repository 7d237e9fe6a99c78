import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from './ui-test-kit.js';

// notices.ts: a link someone else crafted may not put words of its own in the UI's voice.
const words = 'Your account is locked. Call +1 555 0100 to unlock it';

describe('a crafted link to a page that does not exist', () => {
  it.each(['/ui/companies/', '/ui/audiences/', '/ui/imports/'])(
    'shows a not-found page without the words from its address (%s)',
    async (base) => {
      const t = await openUiTestApp();
      const client = await t.loginAs('viewer');
      const answer = await client.get(`${base}${encodeURIComponent(words)}`);
      expect(answer.status).toBe(404);
      expect(visibleText(await answer.text())).not.toContain('Call +1 555');
    },
  );
});
