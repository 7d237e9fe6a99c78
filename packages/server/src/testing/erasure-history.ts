/**
 * A contact with a history, written through the public HTTP API only, so that the same scenario
 * runs against this server and against an earlier release (scripts/make-erasure-fixture.ts made
 * the committed database of the previous release with it). The contact is created anonymously,
 * identifies, changes its name, email and traits many times (its rows move between pages), gets
 * notes, manual edits, a company and events with properties, and absorbs a second contact. Around
 * it live filler contacts, so that its rows share pages with rows that stay, and one kept contact
 * whose values must survive the erasure (the scan's control).
 *
 * Erased values are built from the letters g–z only: no hex digest, random id or UUID can hold one,
 * so a value found in the file is the value, not a coincidence.
 */

export type Credential = 'write' | 'admin';

export interface HistoryClient {
  /** Sends one request; `body` is JSON. Answers the status and the parsed body. */
  request(method: string, path: string, credential: Credential, body?: unknown): Promise<HistoryAnswer>;
}

export interface HistoryAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A client of a server listening at `url`, over fetch. */
export function createFetchClient(url: string, secrets: { writeKey: string; adminToken: string }): HistoryClient {
  return {
    async request(method, path, credential, body) {
      const authorization =
        credential === 'write'
          ? `Basic ${Buffer.from(`${secrets.writeKey}:`).toString('base64')}`
          : `Bearer ${secrets.adminToken}`;
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
  };
}

export interface ErasureHistory {
  /** A ref naming the contact to erase (it absorbed the second one). */
  readonly erasedRef: string;
  readonly keptRef: string;
  /** Every value written for the erased contact and the one merged into it. */
  readonly erasedValues: readonly string[];
  /** Its names and emails, whose trigrams the contact text index held. */
  readonly erasedText: readonly string[];
  /** Values of the kept contact and of the company: found before and after the erasure. */
  readonly keptValues: readonly string[];
}

export interface HistoryOptions {
  /** Releases before note editing existed skip the edits. */
  readonly editNotes: boolean;
  readonly fillers?: number;
  readonly renames?: number;
}

const letters = 'ghijklmnopqrstuvwxyz';

/** A word of g–z letters for `n` (distinct n, distinct words), prefixed to be found in a scan. */
export function word(n: number, length = 6): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < length; i++) {
    out += letters[rest % letters.length];
    rest = Math.floor(rest / letters.length);
  }
  return out;
}

/**
 * Three characters no other text of the history holds, ending every name of the erased person: the
 * trigram index stores the trigram `ꙮꙮꙮ` as a whole term, found in the raw bytes while any
 * segment of the index still holds it, even only beside a delete marker.
 */
export const erasedTrigram = 'ꙮꙮꙮ';

export async function writeErasureHistory(client: HistoryClient, options: HistoryOptions): Promise<ErasureHistory> {
  const erased: string[] = [];
  const erasedText: string[] = [];
  const kept: string[] = [];
  const send = async (method: string, path: string, credential: Credential, body?: unknown) => {
    const answer = await client.request(method, path, credential, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  const batch = (events: unknown[]) => send('POST', '/v1/batch', 'write', { batch: events });
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();

  // Fillers first, so the erased contact's rows land between rows that stay.
  const fillers = options.fillers ?? 150;
  for (let start = 0; start < fillers; start += 50) {
    const events = [];
    for (let n = start; n < Math.min(fillers, start + 50); n++) {
      events.push({
        type: 'identify',
        userId: `filler-${n}`,
        traits: { email: `filler-${n}@example.com`, name: `Filler Number ${n}`, plan: 'free', seats: n },
        timestamp: at(0),
      });
    }
    await batch(events);
  }

  const keptName = 'Keeper Abcdef';
  await batch([
    {
      type: 'identify',
      userId: 'keep-user-1234',
      traits: { email: 'keep-1234@example.com', name: keptName, motto: 'kept-motto-5678' },
      timestamp: at(1),
    },
  ]);
  kept.push('keep-user-1234', 'keep-1234@example.com', keptName, 'kept-motto-5678');

  // The erased person: anonymous first, then known, then renamed again and again.
  const anonymousId = `anon-${word(1)}`;
  const userId = `user-${word(2)}`;
  erased.push(anonymousId, userId);
  const pageProperty = `page-${word(3)}`;
  erased.push(pageProperty);
  await batch([
    { type: 'page', anonymousId, name: 'Pricing', properties: { path: `/${pageProperty}` }, timestamp: at(2) },
  ]);
  const renames = options.renames ?? 30;
  for (let i = 0; i < renames; i++) {
    const name = `${capital(word(100 + i))} ${capital(word(200 + i, 7))} ${erasedTrigram}`;
    const email = `${word(300 + i)}@${word(400 + i)}.example`;
    const favourite = `fav-${word(500 + i)}`;
    // Traits of a size that changes with i, so the row grows and shrinks as it is rewritten.
    const padding = word(600 + i, 8 + ((i * 37) % 120));
    erased.push(name, email, favourite, padding);
    erasedText.push(name, email);
    await batch([
      {
        type: 'identify',
        anonymousId,
        userId,
        traits: { name, email, favourite, padding },
        timestamp: at(3 + i),
      },
      {
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: { item: `item-${word(700 + i)}`, total: 10 + i },
        timestamp: at(3 + i),
      },
    ]);
    erased.push(`item-${word(700 + i)}`);
  }

  // A second contact of the same person, merged into the first by an admin.
  const secondUserId = `second-${word(800)}`;
  const secondEmail = `${word(801)}@${word(802)}.example`;
  const secondName = `${capital(word(803))} ${capital(word(804))}`;
  erased.push(secondUserId, secondEmail, secondName);
  erasedText.push(secondEmail, secondName);
  await batch([
    {
      type: 'identify',
      userId: secondUserId,
      traits: { email: secondEmail, name: secondName, hobby: `hobby-${word(805)}` },
      timestamp: at(40),
    },
  ]);
  erased.push(`hobby-${word(805)}`);
  await send('POST', '/v1/contacts/merge', 'admin', {
    primary: `user_id:${userId}`,
    secondary: `user_id:${secondUserId}`,
  });

  // A company it belongs to: the company stays, the link goes.
  const companyName = 'Kept Company Ltd';
  await batch([{ type: 'group', userId, groupId: 'kept-company-9', traits: { name: companyName }, timestamp: at(41) }]);
  kept.push(companyName);

  // Edits by people, then notes.
  for (let i = 0; i < 5; i++) {
    const edited = `edited-${word(900 + i)}`;
    erased.push(edited);
    await send('PATCH', `/v1/contacts/user_id:${userId}`, 'admin', {
      traits: { stage: edited },
      owner: `owner-${word(950 + i)}`,
    });
    erased.push(`owner-${word(950 + i)}`);
  }
  for (let i = 0; i < 3; i++) {
    const body = `Called about ${word(1000 + i)}; follow up with ${word(1100 + i)}`;
    erased.push(body);
    const note = (await send('POST', `/v1/contacts/user_id:${userId}/notes`, 'admin', { body })) as { id: string };
    if (options.editNotes) {
      const edited = `Edited: ${word(1200 + i)} said ${word(1300 + i)}`;
      erased.push(edited);
      await send('PATCH', `/v1/contacts/user_id:${userId}/notes/${note.id}`, 'admin', { body: edited });
    }
  }

  return {
    erasedRef: `user_id:${userId}`,
    keptRef: 'user_id:keep-user-1234',
    erasedValues: erased,
    erasedText,
    keptValues: kept,
  };
}

function capital(text: string): string {
  return `${text[0]?.toUpperCase()}${text.slice(1)}`;
}
