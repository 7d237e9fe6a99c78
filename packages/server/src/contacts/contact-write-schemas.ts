import { z } from '@hono/zod-openapi';
import { defaultIngestLimits } from '../ingest/limits.js';
import { sanitizeTree } from '../ingest/sanitize-tree.js';
import { lifecycleStages } from './contact-schemas.js';

/** Bodies of the routes that change contacts; strict, so a misspelt field is a 400, not ignored. */

// A lone UTF-16 surrogate (JSON's "\ud800") would reach a TEXT column as bytes that are not UTF-8
// and read back as U+FFFD: an identifier nobody could name again. Refused, naming the field.
const loneSurrogate = /\p{Surrogate}/u;
const text = () => z.string().refine((value) => !loneSurrogate.test(value), 'contains a lone UTF-16 surrogate');

export const tags = z
  .array(text().trim().min(1).max(100))
  .max(50)
  // Order kept, repeats dropped: a tag is a set member, and a client re-sending one is no error.
  .transform((list) => [...new Set(list)])
  .openapi({ description: 'Replaces the tags; up to 50 non-empty strings, repeats dropped', example: ['vip'] });
export const owner = text().trim().min(1).max(200).nullable().openapi({ description: 'null clears it' });
const lifecycleStage = z.enum(lifecycleStages).nullable().openapi({ description: 'null clears it' });
const traits = z
  // zod drops a `__proto__` key here, so one never reaches stamped-values (ingest strips it too).
  .record(z.string().min(1).max(200), z.unknown())
  .refine((record) => Object.keys(record).length <= 100, 'at most 100 traits per request')
  .superRefine(refuseUnstorable)
  .openapi({
    description:
      'Sets each key (other traits are kept), stamped with the time of the edit and messageId manual:<n>; ' +
      'null sets the trait to null. An event timestamped after the edit overrides it; an older one does not.',
    example: { plan: 'enterprise' },
  });

/**
 * Ingest's rules for a JSON tree, on the traits people write: the body is level 1 as an event is,
 * so the same depth limit holds (SQLite's JSON functions fail past 1,000 levels, which answered
 * 500), and a number JSON gives as infinite is refused rather than stored as null.
 */
function refuseUnstorable(record: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const problem = sanitizeTree(record, defaultIngestLimits.maxEventDepth - 1, 'traits');
  if (problem?.code === 'too_deep') {
    ctx.addIssue({ code: 'custom', message: `nested deeper than ${defaultIngestLimits.maxEventDepth} levels` });
  } else if (problem) {
    ctx.addIssue({
      code: 'custom',
      path: problem.path.split('.').slice(1),
      message: 'a number too large to store (such as 1e999)',
    });
  }
}

/** What a person may set on a contact, by PATCH or when creating it. */
const editableFields = {
  lifecycleStage: lifecycleStage.optional(),
  owner: owner.optional(),
  tags: tags.optional(),
  traits: traits.optional(),
};

export const patchContactSchema = z.strictObject(editableFields).openapi('ContactPatch');
export type ContactPatch = z.infer<typeof patchContactSchema>;

export const createContactSchema = z
  .strictObject({
    email: text()
      .trim()
      .max(400)
      .regex(/^[^@\s]+@[^@\s]+$/, 'expected an email address')
      .optional()
      .openapi({ description: 'Trimmed and lower-cased, as identity stores it', example: 'ada@example.com' }),
    userId: text().trim().min(1).max(400).optional().openapi({ example: 'u_42' }),
    ...editableFields,
  })
  .openapi('NewContact');
export type NewContact = z.infer<typeof createContactSchema>;

export const contactExistsSchema = z
  .object({
    error: z.object({ code: z.literal('contact_exists'), message: z.string() }),
    existingId: z.string().openapi({ description: 'The id of the contact already holding the email or userId' }),
  })
  .openapi('ContactExists');

export const newNoteSchema = z
  .strictObject({
    body: text().min(1).max(10_000),
    author: text().trim().min(1).max(200).optional(),
  })
  .openapi('NewNote');

export const noteEditSchema = z.strictObject({ body: text().min(1).max(10_000) }).openapi('NoteEdit');

export const noteSchema = z
  .object({
    id: z.string(),
    contactId: z
      .string()
      .openapi({ description: 'The profile it was written on; may since have merged into this one' }),
    body: z.string(),
    author: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().nullable().openapi({ format: 'date-time', description: 'When its text was last edited' }),
  })
  .openapi('Note');
export type Note = z.infer<typeof noteSchema>;

export const notePageSchema = z
  .object({ data: z.array(noteSchema), nextCursor: z.string().nullable() })
  .openapi('NotePage');
