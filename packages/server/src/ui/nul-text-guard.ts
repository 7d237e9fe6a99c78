import type { MiddlewareHandler } from 'hono';
import type { UiEnv } from './ui-env.js';
import { UiError } from './ui-error.js';

/**
 * Refuses a page address or a form field holding U+0000 (`%00`), which no store may be handed
 * (PostgreSQL refuses it in text; http/nul-text.ts is the API's rule). Only url-encoded forms are
 * read here, from a copy of the request: they are small (the form limit runs first), and the CSV
 * upload, the one multipart form, is read by the import, not here.
 */
export function refuseNulText(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    if (/%00/i.test(c.req.url)) throw new UiError(400, 'This address holds a character that cannot be stored (%00).');
    const type = c.req.header('Content-Type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      // A copy: the CSRF check and the handler read the request's own body after this. Every
      // entry, a repeated name's too: a record of the form would keep only its last value.
      for (const [field, value] of await c.req.raw.clone().formData()) {
        if (field.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) {
          throw new UiError(
            400,
            `The field “${field}” holds a character that cannot be stored (U+0000). Remove it and try again.`,
          );
        }
      }
    }
    await next();
  };
}
