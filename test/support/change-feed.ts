import type { ChangeRecord } from './feed-delivery.js';
import { testAdminToken } from './server-process.js';

const headers = { Authorization: `Bearer ${testAdminToken}` };

interface FeedPage {
  readonly data: {
    id: string;
    cursor: string;
    type: string;
    contactId: string | null;
    data: { messageId?: string };
  }[];
  readonly cursor: string;
  readonly hasMore: boolean;
}

/** GET /v1/changes/head: the cursor after the newest change. */
export async function feedHead(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/changes/head`, { headers });
  if (response.status !== 200) throw new Error(`GET /v1/changes/head answered ${response.status}`);
  return ((await response.json()) as { cursor: string }).cursor;
}

/** Every change GET /v1/changes holds, read page by page from the start. */
export async function readWholeFeed(url: string): Promise<ChangeRecord[]> {
  const changes: ChangeRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after } : {}) });
    const response = await fetch(`${url}/v1/changes?${query}`, { headers });
    if (response.status !== 200) throw new Error(`GET /v1/changes answered ${response.status}`);
    const page = (await response.json()) as FeedPage;
    for (const { id, cursor, type, contactId, data } of page.data) {
      changes.push({ id, cursor, type, contactId, messageId: data.messageId ?? null });
    }
    if (!page.hasMore) return changes;
    after = page.cursor;
  }
}
