import { describe, expect, it } from 'vitest';
import { curlExample, exampleOf } from './api-examples.js';
import type { ApiDocument, OperationObject } from './openapi-types.js';

const document: ApiDocument = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {},
  components: {
    schemas: {
      Owner: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      Tagged: { type: 'object', properties: { tag: { type: 'string' } }, example: { tag: 'vip' } },
    },
    securitySchemes: {
      adminToken: { type: 'http', scheme: 'bearer' },
      writeKey: { type: 'http', scheme: 'basic' },
    },
  },
};

describe('exampleOf', () => {
  it('uses the example a schema gives, through a reference', () => {
    expect(exampleOf({ $ref: '#/components/schemas/Tagged' }, document)).toEqual({ tag: 'vip' });
  });

  it('builds one from the types when no example is given: required fields, and optional ones that have one', () => {
    const schema = {
      type: 'object',
      required: ['name', 'count', 'stage', 'at', 'owner', 'labels', 'note'],
      properties: {
        name: { type: 'string' },
        count: { type: 'integer', minimum: 5 },
        stage: { type: ['string', 'null'], enum: ['lead', 'customer', null] },
        at: { type: 'string', format: 'date-time' },
        owner: { $ref: '#/components/schemas/Owner' },
        labels: { type: 'array', items: { type: 'string' } },
        note: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
        skipped: { type: 'string' },
        shown: { type: 'string', example: 'here' },
        tagged: { $ref: '#/components/schemas/Tagged' },
      },
    };
    expect(exampleOf(schema, document)).toEqual({
      name: 'example',
      count: 5,
      stage: 'lead',
      at: '2026-03-01T12:00:00.000Z',
      owner: { id: 'example' },
      labels: ['example'],
      note: true,
      shown: 'here',
      tagged: { tag: 'vip' },
    });
  });
});

describe('curlExample', () => {
  it('fills path and query parameters, the credential and a body derived from the schema', () => {
    const operation: OperationObject = {
      security: [{ adminToken: [] }],
      parameters: [
        { name: 'ref', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'mode', in: 'query', required: true, schema: { type: 'string', enum: ['hard', 'soft'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer' } },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Owner' } } },
      },
      responses: { 200: { description: 'ok' } },
    };
    expect(curlExample('post', '/v1/things/{ref}/move', operation, document)).toBe(
      [
        'curl -X POST "$WEFT_URL/v1/things/example/move?mode=hard" \\',
        '  -H "Authorization: Bearer $WEFT_ADMIN_TOKEN" \\',
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"id":"example"}'`,
      ].join('\n'),
    );
  });

  it('sends a write key as the Basic user name, and quotes what the shell would misread', () => {
    const operation: OperationObject = {
      security: [{ writeKey: [] }, {}],
      parameters: [{ name: 'ref', in: 'path', required: true, schema: { type: 'string', example: 'a b"$c' } }],
      requestBody: { content: { 'text/plain': { example: { name: "O'Brien" } } } },
      responses: { 200: { description: 'ok' } },
    };
    expect(curlExample('post', '/v1/{ref}', operation, document)).toBe(
      [
        'curl -X POST "$WEFT_URL/v1/a%20b%22%24c" \\',
        '  -u "$WEFT_WRITE_KEY:" \\',
        "  -H 'Content-Type: text/plain' \\",
        `  -d '{"name":"O'\\''Brien"}'`,
      ].join('\n'),
    );
  });
});
