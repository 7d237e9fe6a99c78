import { errorSchema } from '../contacts/contact-schemas.js';

/** The pieces every route spec repeats, so each spec file says only what is its own. */

/** A JSON response (or request body) of `schema`. */
export const json = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Routes that need the admin token as a Bearer. */
export const adminSecurity = [{ adminToken: [] }];

const unauthorized = json(errorSchema, 'Missing, unknown or revoked admin token');

/** The 400 and 401 of an admin route; `withBody` when a body is validated too. */
export function adminRefusals(withBody: boolean) {
  return {
    400: json(
      errorSchema,
      withBody
        ? 'The body or a parameter is invalid; the message names the field'
        : 'A parameter is invalid; the message names it',
    ),
    401: unauthorized,
  };
}

export const contactNotFound = { 404: json(errorSchema, 'No contact matches') };
