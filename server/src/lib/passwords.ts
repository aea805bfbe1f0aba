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

export type PasswordRules = { minLength: number; minClasses: number; history: number };
/** The default policy (config: PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES, PASSWORD_HISTORY). */
export const DEFAULT_PASSWORD_RULES: PasswordRules = { minLength: 10, minClasses: 3, history: 5 };

/** How many of the four character classes (lower case, upper case, digits, other) the password uses. */
export function characterClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(pw)).length;
}

/**
 * The password policy: at least `minLength` characters (at most 128), at least `minClasses` of the
 * four character classes, not the username (nor containing it, in any case). Returns a reason or null.
 * "Not one of the last N" needs the stored hashes: see auth.service's checkPasswordHistory.
 */
export function passwordProblem(
  pw: string,
  opts: { username?: string; rules?: PasswordRules } = {},
): { zh: string; en: string } | null {
  const rules = opts.rules ?? DEFAULT_PASSWORD_RULES;
  if (pw.length < rules.minLength || pw.length > 128) {
    return { zh: `密码长度应为 ${rules.minLength}–128 位`, en: `Password must have ${rules.minLength}–128 characters` };
  }
  if (characterClasses(pw) < rules.minClasses) {
    return {
      zh: `密码须包含大写字母、小写字母、数字、符号中的至少 ${rules.minClasses} 类`,
      en: `Password must use at least ${rules.minClasses} of: upper case, lower case, digits, symbols`,
    };
  }
  const name = opts.username?.trim().toLowerCase();
  if (name && name.length >= 3 && pw.toLowerCase().includes(name)) {
    return { zh: '密码不能包含用户名', en: 'Password must not contain the username' };
  }
  return null;
}
