import { createHmac } from 'node:crypto';
import { type EngineAudienceTestApp, openAudienceTestApp } from '../audiences/engine-audience-test-kit.js';
import type { TestAppOptions } from '../testing/test-app.js';

export const identitySecret = 'test-identity-secret-of-32-characters!!';
export const shopOrigin = 'https://shop.example';

/** An audience test app with a publishable key, and helpers to ask GET /v1/personalize. */
export interface PersonalizeTestApp extends EngineAudienceTestApp {
  /** Makes a publishable key over the admin API; answers it. */
  makeKey(policy: Record<string, unknown>, name?: string): Promise<{ id: string; key: string }>;
  /** GET /v1/personalize with `query`, from `origin` (shop's unless null), with a token when given. */
  ask(
    query: Record<string, string>,
    options?: { origin?: string | null; token?: string; etag?: string },
  ): Promise<Response>;
  /** `ask` that expects 200 and answers the body. */
  answer(query: Record<string, string>, options?: { origin?: string | null; token?: string }): Promise<Answer>;
}

export interface Answer {
  audiences: { id: string; name: string }[];
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
  streamTicket?: string;
}

export async function openPersonalizeTestApp(options: TestAppOptions = {}): Promise<PersonalizeTestApp> {
  const app = await openAudienceTestApp({ personalize: { identitySecret }, ...options });
  async function ask(
    query: Record<string, string>,
    { origin = shopOrigin, token, etag }: { origin?: string | null; token?: string; etag?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (origin !== null) headers.Origin = origin;
    if (token !== undefined) headers['X-Weft-Identity-Token'] = token;
    if (etag !== undefined) headers['If-None-Match'] = etag;
    return app.app.request(`/v1/personalize?${new URLSearchParams(query)}`, { headers });
  }
  return {
    ...app,
    async makeKey(policy, name = 'shop') {
      const response = await app.send('POST', '/v1/publishable-keys', { name, origins: [shopOrigin], ...policy });
      const body = (await response.json()) as { id: string; key: string };
      if (response.status !== 201)
        throw new Error(`POST /v1/publishable-keys: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    ask,
    async answer(query, options) {
      const response = await ask(query, options);
      const body = await response.json();
      if (response.status !== 200) throw new Error(`GET /v1/personalize: ${response.status} ${JSON.stringify(body)}`);
      return body as Answer;
    },
  };
}

/** An HS256 JWT as an app's backend signs one (written here from the spec, apart from the server's check). */
export function signToken(claims: Record<string, unknown>, secret = identitySecret, alg = 'HS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
