import { expect } from 'vitest';
import { basicAuth, testAdminToken, testWriteKey } from '../support/server-process.js';

/** Who a hostile request claims to be. */
export type Caller = 'anyone' | 'write key' | 'admin';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export interface HostileClient {
  send(method: string, path: string, options?: SendOptions): Promise<Answer>;
}

export interface SendOptions {
  readonly as?: Caller;
  /** JSON text as is, or a value to stringify. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export function createHostileClient(url: string): HostileClient {
  return {
    async send(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.as === 'write key') headers.Authorization = basicAuth(testWriteKey);
      if (options.as === 'admin') headers.Authorization = `Bearer ${testAdminToken}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
  };
}

/**
 * What every answer to hostile input must be: no 5xx, and a refusal that is the one error shape
 * with a code and a message that says something.
 */
export function expectClearAnswer(answer: Answer, label: string): void {
  expect(answer.status, `${label}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  if (answer.status >= 400 && answer.status !== 404) {
    expect(answer.json, `${label}: a refusal is JSON`).toEqual({
      error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.stringMatching(/\S/) },
    });
  }
}

/** The error a refusal names, as `code: message`. */
export function refusal(answer: Answer): string {
  const { error } = answer.json as { error: { code: string; message: string } };
  return `${error.code}: ${error.message}`;
}

/** The ingest answer's rejections as `index code message`. */
export function rejections(answer: Answer): string[] {
  const { rejected } = answer.json as { rejected: { index: number; code: string; message: string }[] };
  return rejected.map((rejection) => `${rejection.index} ${rejection.code} ${rejection.message}`);
}
