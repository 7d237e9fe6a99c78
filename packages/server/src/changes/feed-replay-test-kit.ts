import type { ContactsTestApp } from '../contacts/contact-test-kit.js';

/** What a feed consumer keeps, and how it reads: the shared part of the feed's replay tests. */

export interface FeedChange {
  readonly id: string;
  readonly type: string;
  readonly contactId: string | null;
  readonly data: Record<string, unknown>;
  readonly cursor: string;
}

/** A contact as a consumer holds it. */
export interface Replayed {
  fields: Record<string, unknown>;
  traits: Record<string, unknown>;
  identities: Set<string>;
  companies: Set<string>;
}

/** A contact as GET /v1/contacts answers it (the parts a consumer keeps). */
export interface LiveContact {
  id: string;
  lifecycleStage: unknown;
  owner: unknown;
  tags: unknown;
  traits: Record<string, unknown>;
  identities: Identity[];
  companies: { groupId: string }[];
}

type ValueChanges = Record<string, { readonly new: unknown }>;
type Identity = { readonly type: string; readonly value: string };

const noFields = { lifecycleStage: null, owner: null, tags: [] };
export const identityKey = (identity: Identity) => `${identity.type}:${identity.value}`;

export function replayedOf(contact: LiveContact): Replayed {
  return {
    fields: { lifecycleStage: contact.lifecycleStage, owner: contact.owner, tags: contact.tags },
    traits: { ...contact.traits },
    identities: new Set(contact.identities.map(identityKey)),
    companies: new Set(contact.companies.map((company) => company.groupId)),
  };
}

/**
 * Applies changes in feed order to what a consumer holds. `strict` (replay from the start): every
 * change must name a contact the feed created, and none is created twice. Not strict (replay onto a
 * snapshot taken after the starting cursor): a change of a contact the snapshot no longer holds is
 * skipped, and a creation replaces what the snapshot held, the later changes following it.
 */
export function replay(
  changes: readonly FeedChange[],
  options: { readonly strict: boolean; readonly onto?: Map<string, Replayed> } = { strict: true },
): Map<string, Replayed> {
  const contacts = options.onto ?? new Map<string, Replayed>();
  const contactOf = (change: FeedChange) => {
    const contact = contacts.get(change.contactId ?? '');
    if (!contact && options.strict) {
      throw new Error(`${change.id} (${change.type}) names ${change.contactId}, which the feed never created`);
    }
    return contact;
  };
  for (const change of changes) {
    const data = change.data;
    switch (change.type) {
      case 'contact.created':
        if (options.strict && contacts.has(change.contactId ?? ''))
          throw new Error(`${change.contactId} created twice`);
        contacts.set(change.contactId ?? '', {
          fields: { ...noFields, ...(data.fields as Record<string, unknown> | undefined) },
          traits: { ...(data.traits as Record<string, unknown>) },
          identities: new Set((data.identities as Identity[]).map(identityKey)),
          companies: new Set(data.companies as string[]),
        });
        break;
      case 'contact.updated': {
        const contact = contactOf(change);
        if (!contact) break;
        for (const [key, value] of Object.entries((data.fields ?? {}) as ValueChanges)) contact.fields[key] = value.new;
        for (const [key, value] of Object.entries((data.traits ?? {}) as ValueChanges)) contact.traits[key] = value.new;
        const companies = data.companies as { added: string[] } | undefined;
        for (const groupId of companies?.added ?? []) contact.companies.add(groupId);
        break;
      }
      case 'contact.identified':
        for (const identity of data.identities as Identity[]) contactOf(change)?.identities.add(identityKey(identity));
        break;
      case 'contact.merged': {
        const survivor = contactOf(change);
        for (const absorbedId of data.absorbed as string[]) {
          const absorbed = contacts.get(absorbedId);
          if (!absorbed && options.strict) {
            throw new Error(`${change.id} merges ${absorbedId}, which the feed does not hold`);
          }
          for (const identity of absorbed?.identities ?? []) survivor?.identities.add(identity);
          for (const groupId of absorbed?.companies ?? []) survivor?.companies.add(groupId);
          contacts.delete(absorbedId);
        }
        break;
      }
      case 'contact.deleted':
        contacts.delete(change.contactId ?? '');
        break;
    }
  }
  return contacts;
}

/** Every live contact, page by page. */
export async function liveContacts(t: Pick<ContactsTestApp, 'getJson'>): Promise<LiveContact[]> {
  const all: LiveContact[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: LiveContact[]; nextCursor: string | null } = await t.getJson(
      `/v1/contacts?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** The feed after `after` (from the start when empty), read in pages of `pageSize`. */
export async function readWholeFeed(
  t: Pick<ContactsTestApp, 'getJson'>,
  pageSize: number,
  after = '',
): Promise<FeedChange[]> {
  const all: FeedChange[] = [];
  let position = after;
  for (;;) {
    const page: { data: FeedChange[]; cursor: string; hasMore: boolean } = await t.getJson(
      `/v1/changes?limit=${pageSize}${position ? `&after=${position}` : ''}`,
    );
    all.push(...page.data);
    position = page.cursor;
    if (!page.hasMore) return all;
  }
}

/** Expects what a consumer holds to be the live contacts, field by field. */
export function differences(replayed: Map<string, Replayed>, live: readonly LiveContact[]): string[] {
  const found: string[] = [];
  const sorted = (values: Iterable<string>) => JSON.stringify([...values].sort());
  const liveIds = live.map((contact) => contact.id);
  if (sorted(replayed.keys()) !== sorted(liveIds)) {
    found.push(`contacts: replayed ${sorted(replayed.keys())}, live ${sorted(liveIds)}`);
  }
  for (const contact of live) {
    const mine = replayed.get(contact.id);
    if (!mine) continue;
    const expected = replayedOf(contact);
    if (JSON.stringify(mine.fields) !== JSON.stringify(expected.fields))
      found.push(`${contact.id} fields: ${JSON.stringify(mine.fields)} ≠ ${JSON.stringify(expected.fields)}`);
    if (JSON.stringify(sortKeys(mine.traits)) !== JSON.stringify(sortKeys(expected.traits)))
      found.push(`${contact.id} traits: ${JSON.stringify(mine.traits)} ≠ ${JSON.stringify(expected.traits)}`);
    if (sorted(mine.identities) !== sorted(expected.identities))
      found.push(`${contact.id} identities: ${sorted(mine.identities)} ≠ ${sorted(expected.identities)}`);
    if (sorted(mine.companies) !== sorted(expected.companies))
      found.push(`${contact.id} companies: ${sorted(mine.companies)} ≠ ${sorted(expected.companies)}`);
  }
  return found;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
