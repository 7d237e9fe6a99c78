import { describe, expect, it } from 'vitest';
import { chromiumPath, requireChromium } from './chromium.js';

describe('finding Chromium for the browser tests', () => {
  it('uses WEFT_CHROMIUM when set, else Debian’s /usr/bin/chromium', () => {
    expect(chromiumPath({ WEFT_CHROMIUM: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
  });

  it('fails, saying how to install it, when the binary is missing', () => {
    expect(() => requireChromium('/nonexistent/chromium')).toThrow(
      /Chromium is missing: nothing at \/nonexistent\/chromium.*apt-get install -y chromium.*WEFT_CHROMIUM/,
    );
  });
});
