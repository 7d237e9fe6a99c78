import { ApiError } from './api-error.js';

/** Parses a body as JSON whatever its Content-Type says: browsers send text/plain to skip a CORS preflight. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'malformed_json', 'request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'malformed_json', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
