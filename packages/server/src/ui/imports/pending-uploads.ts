import { randomBytes } from 'node:crypto';

/**
 * Files uploaded for a preview, kept until the import starts so that no one uploads a file twice:
 * in memory, each under a random token the mapping form carries, for its uploader only. Bounded:
 * a few per user, a total count and size (the oldest go first), and each expires.
 */

export interface PendingUpload {
  readonly fileName: string;
  readonly text: string;
}

export interface PendingUploads {
  /** Keeps the upload and answers its token. */
  put(userId: string, upload: PendingUpload): string;
  /** The upload, if its uploader asks for it before it expires. */
  get(userId: string, token: string): PendingUpload | undefined;
  remove(token: string): void;
}

export interface PendingUploadLimits {
  readonly maxPerUser: number;
  readonly maxCount: number;
  /** Of all uploads together, measured in UTF-8 bytes as they arrived. */
  readonly maxBytes: number;
  readonly ttlMs: number;
}

export const DEFAULT_PENDING_LIMITS: PendingUploadLimits = {
  maxPerUser: 2,
  maxCount: 10,
  // Two files at the largest size an import takes (imports/import-csv.ts, MAX_FILE_BYTES).
  maxBytes: 100 * 1024 * 1024,
  ttlMs: 30 * 60 * 1000,
};

interface Entry extends PendingUpload {
  readonly userId: string;
  readonly bytes: number;
  readonly storedAt: number;
}

export function createPendingUploads(now: () => number, limits: Partial<PendingUploadLimits> = {}): PendingUploads {
  const { maxPerUser, maxCount, maxBytes, ttlMs } = { ...DEFAULT_PENDING_LIMITS, ...limits };
  // A Map iterates in insertion order: the first entry is the oldest.
  const entries = new Map<string, Entry>();
  const totalBytes = () => [...entries.values()].reduce((sum, entry) => sum + entry.bytes, 0);
  const oldest = (filter: (entry: Entry) => boolean) => [...entries].find(([, entry]) => filter(entry))?.[0];

  function expire(): void {
    for (const [token, entry] of entries) if (now() - entry.storedAt >= ttlMs) entries.delete(token);
  }

  return {
    put(userId, upload) {
      expire();
      const entry: Entry = { ...upload, userId, bytes: Buffer.byteLength(upload.text), storedAt: now() };
      const mine = () => [...entries.values()].filter((other) => other.userId === userId).length;
      while (entries.size > 0 && mine() >= maxPerUser) entries.delete(oldest((other) => other.userId === userId) ?? '');
      while (entries.size > 0 && (entries.size >= maxCount || totalBytes() + entry.bytes > maxBytes)) {
        entries.delete(oldest(() => true) ?? '');
      }
      const token = randomBytes(18).toString('base64url');
      entries.set(token, entry);
      return token;
    },
    get(userId, token) {
      expire();
      const entry = entries.get(token);
      return entry && entry.userId === userId ? { fileName: entry.fileName, text: entry.text } : undefined;
    },
    remove(token) {
      entries.delete(token);
    },
  };
}
