import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VisitorIdentifierType } from './personalize-store.js';

/**
 * Stream tickets: what `GET /v1/personalize` hands a page to open `/v1/personalize/stream`, so no
 * identity token travels in a URL (EventSource cannot send headers). Signed with a key the server
 * keeps (migration 025), short-lived, and bound to the publishable key, the visitor and the origin.
 */
export interface StreamTicket {
  /** Random: a ticket opens one stream (personalize-routes.ts remembers the nonces used). */
  readonly nonce: string;
  readonly keyId: string;
  readonly type: VisitorIdentifierType;
  readonly value: string;
  readonly isProven: boolean;
  /** The Origin the ticket was issued to ('' for none); the stream must come from the same. */
  readonly origin: string;
  /** Epoch ms: the stream must be opened before this. */
  readonly openBy: number;
  /** Epoch ms: the stream ends then (the identity token's expiry; far off for an anonymousId). */
  readonly endsAt: number;
}

export const TICKET_LIFETIME_MS = 60_000;

export interface TicketCodec {
  sign(ticket: StreamTicket): string;
  /** The ticket, or undefined when forged, altered or past `openBy`. */
  read(text: string, nowMs: number): StreamTicket | undefined;
}

export function createTicketCodec(key: Buffer): TicketCodec {
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    sign(ticket) {
      const payload = Buffer.from(JSON.stringify(ticket)).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    read(text, nowMs) {
      const [payload = '', signature = '', extra] = text.split('.');
      if (extra !== undefined) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const ticket = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as StreamTicket;
        return ticket.openBy > nowMs ? ticket : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
