import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { readCsvFile, readCsvPreview } from './import-csv.js';

describe('reading an uploaded CSV', () => {
  it('numbers lines as a spreadsheet does, CRLF or LF, a quoted cell across lines included', async () => {
    const text = 'email,note\r\na@x.io,"one\r\ntwo"\r\n\r\nb@x.io,plain\r\n';
    const read = await readCsvFile(text);
    expect(read).toEqual({
      columns: ['email', 'note'],
      lines: [
        { line: 2, cells: ['a@x.io', 'one\ntwo'] },
        { line: 5, cells: ['b@x.io', 'plain'] },
      ],
    });
    expect(readCsvPreview(text)).toEqual(read);
  });

  it('reads a CRLF that falls across two slices of a large file as one line break', async () => {
    // The first slice is 256 KiB: put its last character on the CR of a CRLF.
    const header = 'email,pad\r\n';
    const row = (n: number, pad: number) => `p${n}@x.io,${'z'.repeat(pad)}\r\n`;
    let text = header;
    let n = 0;
    while (text.length + 40 < 256 * 1024) text += row(n++, 20);
    const fill = 256 * 1024 - text.length - `p${n}@x.io,`.length - 1;
    text += row(n++, fill);
    expect(text[256 * 1024 - 1]).toBe('\r');
    text += row(n++, 5);
    const { lines } = await readCsvFile(text);
    expect(lines).toHaveLength(n);
    expect(lines.at(-1)).toEqual({ line: n + 1, cells: [`p${n - 1}@x.io`, 'zzzzz'] });
    expect(lines.every((line) => !line.cells[1]?.includes('\r'))).toBe(true);
  });

  it('lets the event loop run while it parses a large file', async () => {
    const rows = Array.from({ length: 40_000 }, (_, n) => `person-${n}@example.com,Person ${n},pro`);
    const text = ['email,name,plan', ...rows].join('\n');
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const { lines } = await readCsvFile(text);
    clearInterval(ticker);
    expect(lines).toHaveLength(40_000);
    expect(turns).toBeGreaterThan(2);
  });

  it('refuses what is not CSV, an empty file and a header naming a column twice, by name', async () => {
    await expect(readCsvFile('email\n"unclosed')).rejects.toThrow(/not CSV/);
    await expect(readCsvFile('')).rejects.toThrow(/empty/);
    await expect(readCsvFile('email,email\na,b')).rejects.toBeInstanceOf(ApiError);
  });
});
