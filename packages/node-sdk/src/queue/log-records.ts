import type { QueueItem } from '@weft/core';

// One record per line, appended: `{"put":[item…]}` or `{"remove":[id…]}`. A later record wins.
type LogRecord = { put: QueueItem[] } | { remove: string[] };

export function encodePut(items: QueueItem[]): string {
  return `${JSON.stringify({ put: items })}\n`;
}

export function encodeRemove(ids: string[]): string {
  return `${JSON.stringify({ remove: ids })}\n`;
}

export interface ReplayedLog {
  items: Map<string, QueueItem>;
  /**
   * Lines that were not a whole record: the last one when a crash cut a write short (its put
   * never settled, so nothing acknowledged is lost), or garbage from a damaged disk.
   */
  skippedLines: number;
}

/** Replays a log's records in order. */
export function replayLog(text: string): ReplayedLog {
  const items = new Map<string, QueueItem>();
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const record = parseRecord(line);
    if (!record) {
      skippedLines++;
      continue;
    }
    if ('put' in record) for (const item of record.put) items.set(item.id, item);
    else for (const id of record.remove) items.delete(id);
  }
  return { items, skippedLines };
}

function parseRecord(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // A cut-off JSON object never parses: its closing brace is the last byte written.
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.put) && record.put.every(isQueueItem)) return { put: record.put };
  if (Array.isArray(record.remove) && record.remove.every((id) => typeof id === 'string')) {
    return { remove: record.remove };
  }
  return undefined;
}

function isQueueItem(value: unknown): value is QueueItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.id === 'string' &&
    typeof item.json === 'string' &&
    typeof item.bytes === 'number' &&
    typeof item.attempts === 'number' &&
    typeof item.retryTimeMs === 'number' &&
    typeof item.enqueuedAt === 'number'
  );
}
