import type { ContactsTestApp } from './contact-test-kit.js';

export interface SearchPage {
  data: { id: string }[];
  nextCursor: string | null;
  total: { value: number; isEstimate: boolean };
}

/** Runs a search as admin and answers the page, failing unless the status is 200. */
export async function search(t: Pick<ContactsTestApp, 'send'>, body: Record<string, unknown>): Promise<SearchPage> {
  const response = await t.send('POST', '/v1/contacts/search', body);
  const json = await response.json();
  if (response.status !== 200) throw new Error(`search ${JSON.stringify(body)}: ${JSON.stringify(json)}`);
  return json as SearchPage;
}
