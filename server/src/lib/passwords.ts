import { hash, verify } from '@node-rs/argon2';

// OWASP-recommended argon2id parameters (19 MiB, 2 passes).
const OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTS);
}

/** Checks a password against an argon2 hash; false for a malformed hash. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false; // a malformed stored hash never matches
  }
}

/** Password rule: 8–128 characters with letters and digits. Returns a reason or null. */
export function passwordProblem(pw: string): { zh: string; en: string } | null {
  if (pw.length < 8 || pw.length > 128) return { zh: '密码长度应为 8–128 位', en: 'Password must have 8–128 characters' };
  if (!/[A-Za-z]/.test(pw) || !/\d/.test(pw)) return { zh: '密码须同时包含字母和数字', en: 'Password must contain letters and digits' };
  return null;
}
