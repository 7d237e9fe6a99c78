import type { Page } from '../contacts/contact-reads.js';
import type { Contact } from '../contacts/contact-schemas.js';
import type { ContactQueries } from '../contacts/contact-store.js';
import { noDetails, toContact } from '../contacts/contact-view.js';
import type { CursorCodec } from '../contacts/cursor.js';
import type { AudienceStore } from './audience-store.js';

/** An audience's members as the API and the web UI page through them: each contact, and when it entered. */

export interface AudienceMember {
  readonly contact: Contact;
  readonly enteredAt: number;
  readonly isBackfill: boolean;
}

export interface MemberReads {
  readonly audiences: Pick<AudienceStore, 'members'>;
  readonly contacts: Pick<ContactQueries, 'profilesByIds' | 'detailsOf'>;
  readonly cursors: CursorCodec;
}

const memberSort = 'audience-member';

/** The contacts of these profiles, by profile id (a profile erased since is absent). */
export async function contactsByProfileId(
  contacts: MemberReads['contacts'],
  profileIds: readonly number[],
): Promise<Map<number, Contact>> {
  const rows = await contacts.profilesByIds(profileIds);
  const details = await contacts.detailsOf(profileIds);
  return new Map(rows.map((row) => [row.id, toContact(row, details.get(row.id) ?? noDetails)]));
}

/** A page of members in profile order; a cursor this server did not issue for members is an ApiError. */
export async function memberPage(
  reads: MemberReads,
  audienceId: string,
  request: { readonly limit: number; readonly cursor?: string | undefined },
): Promise<Page<AudienceMember>> {
  const { limit, cursor } = request;
  const after = cursor === undefined ? 0 : reads.cursors.read(cursor, memberSort, 'integer').id;
  const rows = await reads.audiences.members(audienceId, after, limit + 1);
  const page = rows.slice(0, limit);
  const shown = await contactsByProfileId(
    reads.contacts,
    page.map((row) => row.profileId),
  );
  const last = page.at(-1);
  return {
    data: page.flatMap((row) => {
      const contact = shown.get(row.profileId);
      return contact ? [{ contact, enteredAt: row.enteredAt, isBackfill: row.isBackfill }] : [];
    }),
    nextCursor:
      rows.length > limit && last
        ? reads.cursors.encode({ sort: memberSort, key: last.profileId, id: last.profileId })
        : null,
  };
}
