import { describe, expect, it } from 'vitest';
import { openUiTestApp, visibleText } from '../ui-test-kit.js';

describe('/ui/admin/audit', () => {
  it('shows who did what, newest first, 50 a page, with an Older link to the rest', async () => {
    const t = await openUiTestApp();
    const admin = await t.loginAs('admin');
    for (let index = 1; index <= 52; index++) {
      await t.store.users.audit.record({
        actor: 'admin token',
        action: 'contact.erased',
        target: `ct_${index}`,
        detail: index === 52 ? { note: '<b>bold</b>' } : null,
      });
    }
    const html = await (await admin.get('/ui/admin/audit')).text();
    const text = visibleText(html);
    expect(text).toContain(
      '2026-03-01 12:00 UTC admin token contact.erased ct_52 {&quot;note&quot;:&quot;&lt;b&gt;bold&lt;/b&gt;&quot;}',
    );
    expect(text).toContain('ct_3');
    expect(text).not.toContain('ct_2 ');
    const older = /href="(\/ui\/admin\/audit\?before=\d+)"/.exec(html)?.[1] ?? '';
    expect(older).not.toBe('');
    const next = await (await admin.get(older)).text();
    expect(visibleText(next)).toMatch(/ct_2 .*ct_1 /);
    expect(visibleText(next)).not.toContain('ct_3 ');
    expect(next).not.toContain('>Older<');
  });
});
