/**
 * What an identifier's text may hold, wherever one arrives (an event, a contact created by hand, a
 * ref). An identifier is a key, so it is refused rather than repaired: replacing a lone surrogate
 * with U+FFFD made `a\ud800` and `a\ud801` one contact, and a control character is invisible in
 * every screen that shows it (and a NUL cuts it short in C code that reads it).
 */
export function identifierTextProblem(value: string): string | undefined {
  // One test for the usual case, an identifier with neither.
  if (!unfit.test(value)) return undefined;
  if (loneSurrogate.test(value)) return 'holds a lone UTF-16 surrogate (\\ud800-\\udfff)';
  return 'holds a control character (U+0000-U+001F or U+007F)';
}

// With the u flag a surrogate pair is one code point above U+FFFF, so only a lone half matches.
const loneSurrogate = /[\ud800-\udfff]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const unfit = /[\u0000-\u001f\u007f\ud800-\udfff]/u;
