import { z } from 'zod';

const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const account = z.object({
  username,
  displayName: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(128),
});

/** First start: the district (root unit) and the three administrator accounts (三员). */
export const ZSetup = z.object({
  token: z.string().trim().min(16).max(128),
  districtName: z.string().trim().min(1).max(100),
  districtCode: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ - only')
    .default('DISTRICT'),
  admin: account,
  securityAdmin: account,
  auditAdmin: account,
});
export type TSetup = z.infer<typeof ZSetup>;

export const ZSetupStatus = z.object({
  /** No user exists yet: the setup page (with the token printed at start-up) creates the first accounts. */
  setupRequired: z.boolean(),
  /** The demo seed is on: its accounts' passwords are public (README). */
  demo: z.boolean(),
  passwordPolicy: z.object({ minLength: z.number(), minClasses: z.number(), history: z.number() }),
});

export const ZSetupResult = z.object({
  users: z.array(z.object({ id: z.number(), username: z.string(), roles: z.array(z.string()) })),
});
export type TSetupStatus = z.infer<typeof ZSetupStatus>;
