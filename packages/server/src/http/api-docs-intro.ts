import { defaultIngestLimits } from '../ingest/limits.js';
import { apiDocumentPath } from './api-router.js';
import type { ApiDocument } from './openapi-types.js';

/** What docs/api.md says before the routes: base URL, credentials, errors, ingestion bodies, paging. */
export function renderIntro(document: ApiDocument): string {
  const errorExample = document.components?.schemas?.Error?.example ?? {
    error: { code: 'invalid_request', message: 'limit: must be at most 500' },
  };
  return `# ${document.info.title}

<!-- Generated from ${apiDocumentPath} by \`pnpm docs:api\`. Do not edit by hand: change the route specs and regenerate. -->

${document.info.description ?? ''}

The server describes itself at \`GET ${apiDocumentPath}\` (OpenAPI ${document.openapi}); this page is written from that
document, and its examples come from the same schemas that validate the requests.

## Base URL

The examples use three shell variables:

\`\`\`sh
export WEFT_URL=http://localhost:8787     # the server (PORT, default 8787; WEFT_PUBLIC_URL when behind a proxy)
export WEFT_WRITE_KEY=...                 # a source's write key: weft-server keys create
export WEFT_ADMIN_TOKEN=...               # an admin token: weft-server keys create --admin
\`\`\`

## Authentication

| routes | credential | how to send it |
|---|---|---|
| Ingestion (\`/v1/batch\`, \`/v1/track\`, … and the short \`/v1/b\`, \`/v1/t\`, …) | write key | HTTP Basic, the key as user name and an empty password (\`curl -u "$WEFT_WRITE_KEY:"\`), as Segment's libraries do; or \`"writeKey"\` in the JSON body where no header can be set (sendBeacon) |
| Contacts, companies and the other admin routes | admin token | \`Authorization: Bearer $WEFT_ADMIN_TOKEN\`; a write key is refused |
| \`/metrics\` | the metrics token (\`WEFT_METRICS_TOKEN\`) or an admin token | \`Authorization: Bearer …\` |
| \`/health\`, \`${apiDocumentPath}\`, the analytics.js settings, \`/v1/m\` | none | |

A missing or refused credential is a 401 with a \`WWW-Authenticate\` header.

## Errors

Every error has one shape, with a stable \`code\` to branch on and a \`message\` for people:

\`\`\`json
${JSON.stringify(errorExample, null, 2)}
\`\`\`

A batch sent to the ingestion routes is not refused for one bad event: the answer is a 200 that lists each refused
event in \`rejected\` (with its index, messageId, code and message) while the other events are stored. Do not resend
rejected events; do resend a request answered 429, 503 or with no answer (events are deduplicated by messageId).
A 413 (\`body_too_large\`, \`too_many_events\`, \`batch_too_large\`) asks the client to split the batch.

## Ingestion bodies

The ingestion routes read the body as JSON whatever its \`Content-Type\` (\`text/plain\` from sendBeacon included),
accept \`Content-Encoding: gzip\`, and limit the body to ${kib(defaultIngestLimits.maxBodyBytes)} after inflating it, an event to
${kib(defaultIngestLimits.maxEventBytes)} and a batch to ${defaultIngestLimits.maxEventsPerRequest} events (the server's defaults):

\`\`\`sh
gzip -c batch.json | curl -X POST "$WEFT_URL/v1/batch" -u "$WEFT_WRITE_KEY:" \\
  -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' --data-binary @-
\`\`\`

## Contact ids
A contact's \`id\` is \`ct_\` followed by 24 lowercase hex digits: 11 of the time it was made (milliseconds)
and 13 random ones (52 bits), such as \`ct_19cc1e2a3b45d6e7f8091a2b\`. Treat it as opaque. It never names another
person: not after the contact is erased, merged into another (its id then answers the survivor, with
\`mergedFrom\`), the server restarts, or a backup is restored. Wherever a route takes a contact
(\`{ref}\`), it takes this id or \`type:value\` of one of the contact's identifiers. The numeric ids of
releases before contact ids were random are refused with a 400, as one may since name someone else.
## Pagination

Lists answer \`{"data": [...], "nextCursor": "..."}\`, in the order of their \`sort\` parameter. Pass \`nextCursor\` back as the
\`cursor\` query parameter (for \`POST /v1/contacts/search\`, as \`cursor\` in the same body) to get the next page; it is
\`null\` on the last page. \`limit\` sets the page size (1–500, 50 by default). A cursor belongs to its sort and
filters: reusing it with others is a 400. Cursors are signed with a key kept in the database, so one
the server did not issue (altered, or from another server) is a 400 \`invalid_cursor\` too; they stay
valid across restarts.`;
}

function kib(bytes: number): string {
  return `${bytes / 1024} KiB`;
}
