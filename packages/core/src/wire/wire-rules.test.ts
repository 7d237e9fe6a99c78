import { describe, expect, it } from 'vitest';
import { buildEvent } from '../event/build-event.js';
import {
  countCharacters,
  isMessageIdTooLong,
  MAX_MESSAGE_ID_CHARACTERS,
  MAX_REQUEST_BODY_BYTES,
  SDK_BATCH_BYTES,
} from './wire-rules.js';

describe('wire rules', () => {
  it('counts a messageId in characters, so one of 100 emoji (200 UTF-16 units) is within the limit', () => {
    const emoji = '🙂'.repeat(MAX_MESSAGE_ID_CHARACTERS);
    expect(emoji.length).toBe(200);
    expect(countCharacters(emoji)).toBe(100);
    expect(isMessageIdTooLong(emoji)).toBe(false);
    expect(isMessageIdTooLong(`${emoji}a`)).toBe(true);
    expect(isMessageIdTooLong('m'.repeat(MAX_MESSAGE_ID_CHARACTERS + 1))).toBe(true);
  });

  it('lets the SDK build every messageId the server accepts', () => {
    const built = buildEvent({ type: 'track', event: 'Viewed', userId: 'u', messageId: '🙂'.repeat(100) }, {});
    expect(built.ok).toBe(true);
  });

  it('keeps the SDK batch under the server body limit', () => {
    expect(SDK_BATCH_BYTES).toBeLessThan(MAX_REQUEST_BODY_BYTES);
  });
});
