import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A refusal a page shows as an error page (or a form shows beside its fields), with its status. */
export class UiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
    this.name = 'UiError';
  }
}
