import { z } from 'zod';
import { ROLES } from '../../platform/access.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';

export const ZUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.number(),
  phone: z.string().nullable(),
  active: z.boolean(),
  roles: z.array(z.enum(ROLES)),
  leaderUnitIds: z.array(z.number()),
  locked: z.boolean(),
  /** Set by an admin create or reset: the user must pick a new password at the next sign-in. */
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type TUser = z.infer<typeof ZUser>;

const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

export const ZUserCreate = z.object({
  username,
  displayName: z.string().trim().min(1).max(50),
  password: z.string().min(8).max(128),
  unitId: z.number().int().positive().max(2147483647),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, 'an 11-digit mobile number')
    .nullable()
    .default(null),
  /** Granted by the security admin (roles.grant); the system admin creates accounts without roles. */
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
  leaderUnitIds: z.array(z.number().int().positive().max(2147483647)).max(1000).default([]),
});
export type TUserCreate = z.infer<typeof ZUserCreate>;

export const ZUserUpdate = nonEmptyPatch(
  z.object({
    displayName: z.string().trim().min(1).max(50).optional(),
    unitId: z.number().int().positive().max(2147483647).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^1\d{10}$/, 'an 11-digit mobile number')
      .nullable()
      .optional(),
    roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
    active: z.boolean().optional(),
    leaderUnitIds: z.array(z.number().int().positive().max(2147483647)).max(1000).optional(),
    /** Admin reset: sets a new password and unlocks the account. */
    password: z.string().min(8).max(128).optional(),
  }),
);
export type TUserUpdate = z.infer<typeof ZUserUpdate>;

export const ZUserQuery = z.object({
  unitId: z.coerce.number().int().positive().optional(),
  role: z.enum(ROLES).optional(),
  q: z.string().max(64).optional(),
});
