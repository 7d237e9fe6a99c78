/**
 * The synchronous form of an engine-neutral store interface: what SQLite code implements and calls
 * inside its transactions. better-sqlite3 answers at once, and an `await` inside one of its
 * transactions would commit early and let other requests interleave, so SQLite code stays
 * synchronous and only the store's outer face (answeredAsync) speaks promises.
 */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};

/** Puts a synchronous implementation behind the promises of its interface; a throw becomes a rejection. */
export function answeredAsync<T extends object>(sync: Synchronous<T>): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(sync)) {
    wrapped[name] =
      typeof member === 'function'
        ? (...args: unknown[]) => {
            try {
              return Promise.resolve(member(...args));
            } catch (error) {
              return Promise.reject(error);
            }
          }
        : member;
  }
  return wrapped as T;
}
