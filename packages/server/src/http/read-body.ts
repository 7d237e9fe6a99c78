import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ApiError } from './api-error.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a request body of at most `maxBytes`, counted after gzip is inflated. The limit stops the
 * read (and the inflation) as soon as it is passed, so a small gzip bomb costs us `maxBytes` at most.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new ApiError(415, 'unsupported_encoding', `Content-Encoding "${encoding}" is not supported; use gzip`);
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await readCapped(request, maxBytes);
  if (encoding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new ApiError(400, 'invalid_gzip', `body is not valid gzip: ${(error as Error).message}`);
  }
}

async function readCapped(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw new ApiError(400, 'body_unreadable', `request body could not be read: ${(error as Error).message}`);
    });
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const only = chunks.length === 1 ? (chunks[0] as Uint8Array) : undefined;
  return only ? Buffer.from(only.buffer, only.byteOffset, only.byteLength) : Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'body_too_large', `request body is over the ${maxBytes}-byte limit (counted after gzip)`);
}
