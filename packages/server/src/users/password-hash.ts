import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords kept as scrypt hashes, memory-hard: `scrypt$N$r$p$salt$hash` (base64url), so that the
 * cost can rise later and old hashes still verify with the parameters they were made with.
 */

// N=2^15, r=8: 32 MiB and ~50-100 ms a hash on this class of machine (OWASP's scrypt minimum is N=2^17
// with r=8 for 128 MiB; 2^15 keeps a login burst on a 2-core box from holding gigabytes).
const defaults = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyLength = 32;
export const minPasswordLength = 12;
export const maxPasswordLength = 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions & { N: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...options, maxmem: 256 * options.N * options.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, defaults);
  return ['scrypt', defaults.N, defaults.r, defaults.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || password.length > maxPasswordLength) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is refused, or undefined when it will do. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < minPasswordLength) return `password: at least ${minPasswordLength} characters`;
  if (password.length > maxPasswordLength) return `password: at most ${maxPasswordLength} characters`;
  return undefined;
}

/** Spent on a login for an unknown email, so that the answer's timing does not tell which emails exist. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNobody(password: string): Promise<false> {
  dummyHash ??= hashPassword('not a password anyone has');
  await verifyPassword(password, await dummyHash);
  return false;
}
