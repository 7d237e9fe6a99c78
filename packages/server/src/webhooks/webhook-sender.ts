import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { type AddressPolicy, BlockedAddressError, guardedLookup } from './ssrf-guard.js';

/** What one attempt came to: a status (0 when none was received), and why it failed, if it did. */
export interface AttemptOutcome {
  readonly status: number;
  /** The first bytes of the response body (up to 1 KB), for the deliveries view. */
  readonly snippet: string;
  readonly retryAfter?: string;
  readonly error?: string;
  readonly durationMs: number;
}

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type SendWebhook = (request: WebhookRequest) => Promise<AttemptOutcome>;

const snippetBytes = 1024;
/** An attempt the receiver has not answered within this is a failure. */
export const webhookTimeoutMs = 15_000;

/**
 * POSTs a webhook: to an address the policy allows only (checked after resolution, connected to
 * as checked), within `timeoutMs`, never following a redirect (a 3xx is an answer like any other).
 */
export function createWebhookSender(options: {
  readonly policy: AddressPolicy;
  readonly timeoutMs: number;
  readonly resolve?: Parameters<typeof guardedLookup>[1];
}): SendWebhook {
  const lookup = guardedLookup(options.policy, options.resolve);
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  return (request) =>
    new Promise((resolve) => {
      const started = performance.now();
      const done = (outcome: Omit<AttemptOutcome, 'durationMs'>) =>
        resolve({ ...outcome, durationMs: Math.round(performance.now() - started) });
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return done({ status: 0, snippet: '', error: 'the url cannot be read' });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return done({ status: 0, snippet: '', error: `${url.protocol} is not http or https` });
      }
      const host = url.hostname.replace(/^\[|\]$/g, '');
      // A numeric host is never looked up: it is checked as it stands.
      if (isIP(host) !== 0 && !options.policy.isAllowed(host)) {
        return done({ status: 0, snippet: '', error: new BlockedAddressError(`${host} may not be reached`).message });
      }
      const send = url.protocol === 'https:' ? https.request : http.request;
      const outgoing = send(url, {
        method: 'POST',
        agent: agents[url.protocol],
        lookup: lookup as never,
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'Weft-Webhooks/1',
        },
        timeout: options.timeoutMs,
      });
      const timer = setTimeout(
        () => outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < snippetBytes) {
            chunks.push(chunk.subarray(0, snippetBytes - kept));
            kept += Math.min(chunk.length, snippetBytes - kept);
          }
        });
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          done({
            status: response.statusCode ?? 0,
            snippet: Buffer.concat(chunks).toString('utf8'),
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          done({ status: response.statusCode ?? 0, snippet: '', error: error.message });
        });
      });
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        done({ status: 0, snippet: '', error: error.message });
      });
      outgoing.end(request.body);
    });
}
