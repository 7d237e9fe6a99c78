// Stands in for the `uuid` package in dist/weft.min.js only (see scripts/iife-config.js): the
// one call core makes, `v7({msecs, seq, random})`, byte for byte the same (uuid-v7.test.ts
// compares them), in a tenth of the gzipped size.

export interface V7Options {
  msecs: number;
  seq: number;
  random: Uint8Array;
}

export function v7({ msecs, seq, random }: V7Options): string {
  const r = (index: number) => random[index] ?? 0;
  const bytes = [
    msecs / 2 ** 40,
    msecs / 2 ** 32,
    msecs / 2 ** 24,
    msecs / 2 ** 16,
    msecs / 2 ** 8,
    msecs,
    0x70 | (seq >>> 28),
    seq >>> 20,
    0x80 | ((seq >>> 14) & 0x3f),
    seq >>> 6,
    (seq << 2) | (r(10) & 3),
    r(11),
    r(12),
    r(13),
    r(14),
    r(15),
  ];
  let text = '';
  bytes.forEach((byte, index) => {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    // `& 0xff` truncates as uuid's own code does (ToInt32, then the low byte).
    text += ((byte & 0xff) | 0x100).toString(16).slice(1);
  });
  return text;
}
