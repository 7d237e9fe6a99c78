// Stands in for core's `formatUuidV7` in dist/weft.min.js only (see scripts/iife-config.js): the
// same text for the same inputs (uuid-v7.test.ts compares both with the `uuid` package), smaller
// and slower, since core's keeps a hex table and the last time part for speed.

// Core passes whole milliseconds below 2^48, a 32-bit counter and 16 random bytes from `offset`.
// Layout (RFC 9562): 48 bits of time, version 7, the counter's top 12 bits, variant 0b10, its
// next 14 bits, then its last 6 bits, 2 random bits and 5 random bytes.
export function formatUuidV7(msecs: number, seq: number, random: Uint8Array, offset: number): string {
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
  const time = hex(msecs, 12);
  const tail = [(seq << 2) | ((random[offset + 10] ?? 0) & 3), ...random.subarray(offset + 11, offset + 16)];
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex((seq >>> 20) & 0xfff, 3)}-${hex(0x8000 | ((seq >>> 6) & 0x3fff), 4)}-${tail.map((byte) => hex(byte & 0xff, 2)).join('')}`;
}
