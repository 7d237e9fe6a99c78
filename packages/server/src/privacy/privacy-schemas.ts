import { z } from '@hono/zod-openapi';

const isoTime = z.string().openapi({ format: 'date-time', example: '2026-03-01T12:00:00.000Z' });

export const eraseQuerySchema = z.object({
  suppress: z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'suppress', in: 'query' },
      description: 'Also suppress its identifiers: later events for them are acknowledged and not stored',
      example: 'true',
    }),
});

export const erasureSchema = z
  .object({
    id: z.string().openapi({ description: 'The contact erased', example: 'ct_19cc1e2a3b45d6e7f8091a2b' }),
    erasedAt: isoTime,
    profiles: z.number().int().openapi({ description: 'Profiles removed: the contact and those merged into it' }),
    identifiers: z.number().int().openapi({ description: 'Identifiers removed; each left a keyed-hash tombstone' }),
    events: z.number().int(),
    notes: z.number().int(),
    suppressed: z.boolean(),
  })
  .openapi('Erasure');

export const contactExportSchema = z
  .object({
    exportedAt: isoTime,
    contact: z.record(z.string(), z.unknown()).openapi({ description: 'The contact, as GET /v1/contacts/{ref}' }),
    profileIds: z.array(z.string()).openapi({ description: 'The contact and the profiles merged into it' }),
    notes: z.array(z.record(z.string(), z.unknown())),
    edits: z
      .array(z.object({ id: z.string(), contactId: z.string(), editedAt: isoTime, changes: z.unknown() }))
      .openapi({ description: 'Every edit people made: PATCH, POST and forced merges' }),
    events: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'Every event, oldest first, as stored' }),
  })
  .openapi('ContactExport');

export const suppressionSchema = z
  .object({
    type: z.string().openapi({ example: 'email' }),
    hash: z.string().openapi({ description: 'Keyed hash of the value; the value itself is not kept' }),
    suppressedAt: isoTime,
  })
  .openapi('Suppression');

export const suppressionPageSchema = z
  .object({ data: z.array(suppressionSchema), nextCursor: z.string().nullable() })
  .openapi('SuppressionPage');

export const suppressionRefSchema = z.object({
  ref: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'ref', in: 'path' },
      description: 'The suppressed identifier as `type:value`',
      example: 'email:ada@example.com',
    }),
});
