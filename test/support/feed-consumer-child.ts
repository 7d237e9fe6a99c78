// A consumer of the change feed, for the kill tests: follows GET /v1/changes/stream and appends one
// JSON line per change received ({ id, cursor, type, contactId, messageId }) to FILE. On start it
// resumes after the last line FILE holds (Last-Event-ID); when the stream ends or fails it
// reconnects after the last change it recorded. Args: <url> <file>. Env: ADMIN_TOKEN.
// Prints `connected after=<cursor|start>` for every stream it opens, `lost` when one ends. Exits by itself after 50 s.
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readSse } from '../../packages/server/src/testing/sse-reader.js';

const [url, file] = process.argv.slice(2);
if (!url || !file) throw new Error('usage: feed-consumer-child <url> <file>');
const token = process.env.ADMIN_TOKEN ?? '';
// A consumer that outlives a failed test would never be reaped otherwise.
const lifetimeMs = 50_000;
// The feed sends a comment every 15 s: a stream silent for longer is dead.
const silenceMs = 20_000;
const startedAt = Date.now();

let lastCursor = recordedCursor(file);
const out = openSync(file, 'a');

while (Date.now() - startedAt < lifetimeMs) {
  try {
    await follow();
  } catch {
    // The server is gone (killed or restarting): connect again.
  }
  await sleep(50);
}
closeSync(out);

async function follow(): Promise<void> {
  const response = await fetch(`${url}/v1/changes/stream`, {
    headers: { Authorization: `Bearer ${token}`, ...(lastCursor ? { 'Last-Event-ID': lastCursor } : {}) },
  });
  if (response.status !== 200 || !response.body) {
    // A refused cursor is the consumer's bug, not an outage: retrying would hide it.
    process.stderr.write(`refused ${response.status} ${await response.text()}\n`);
    process.exit(2);
  }
  process.stdout.write(`connected after=${lastCursor ?? 'start'}\n`);
  const stream = readSse(response.body);
  try {
    await record(stream);
  } finally {
    process.stdout.write('lost\n');
  }
}

/** Appends each change of `stream` to the file until the stream ends or goes silent. */
async function record(stream: ReturnType<typeof readSse>): Promise<void> {
  for (;;) {
    const message = await stream.next(silenceMs);
    if (!message) return;
    if (!message.id || !message.data) continue;
    const change = JSON.parse(message.data) as {
      id: string;
      type: string;
      contactId: string | null;
      data: Record<string, unknown>;
    };
    const line = {
      id: change.id,
      cursor: message.id,
      type: change.type,
      contactId: change.contactId,
      messageId: change.data.messageId ?? null,
    };
    // One write per line: once it returns the line is the kernel's, so a SIGKILL cannot lose it
    // (fsync would only matter for a machine crash, which these tests do not simulate).
    writeSync(out, `${JSON.stringify(line)}\n`);
    lastCursor = message.id;
  }
}

/** The cursor of the last whole line of `path`; a line cut short by a kill is dropped from the file. */
function recordedCursor(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  const last = text.slice(0, end).trimEnd().split('\n').at(-1);
  return last ? (JSON.parse(last) as { cursor: string }).cursor : undefined;
}
