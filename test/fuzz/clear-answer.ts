/** What every answer of the server must look like, whatever it was sent. */
export interface ClearAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Describes a request in a failure message, so a failing case can be replayed by hand. */
export type RequestLabel = string;

/**
 * Reads a response and fails unless it is a clear answer: below 500, JSON, and for a 4xx the one
 * error shape `{error: {code, message}}` with both non-empty.
 */
export async function readClearAnswer(response: Response, label: RequestLabel): Promise<ClearAnswer> {
  const text = await response.text();
  const status = response.status;
  if (status >= 500) throw new Error(`${label} answered ${status}: ${text.slice(0, 500)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${label} answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`${label} answered ${status} with ${text.slice(0, 200)}, not a JSON object`);
  }
  if (status >= 400 && !isErrorBody(body)) {
    throw new Error(`${label} answered ${status} without {error: {code, message}}: ${text.slice(0, 300)}`);
  }
  return { status, body: body as Record<string, unknown> };
}

function isErrorBody(body: object): boolean {
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code !== '' && typeof message === 'string' && message.trim() !== '';
}

/** Keys an attack through a prototype key would have left on every object. */
export function prototypePollution(): string[] {
  return [
    ...Object.getOwnPropertyNames(Object.prototype).filter((name) => !objectPrototypeNames.has(name)),
    ...Object.getOwnPropertyNames(Array.prototype).filter((name) => !arrayPrototypeNames.has(name)),
  ];
}

const objectPrototypeNames = new Set(Object.getOwnPropertyNames(Object.prototype));
const arrayPrototypeNames = new Set(Object.getOwnPropertyNames(Array.prototype));
