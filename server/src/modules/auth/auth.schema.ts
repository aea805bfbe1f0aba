import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../platform/access.js';

export const ZLogin = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type TLogin = z.infer<typeof ZLogin>;

export const ZChangePassword = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(128),
});
export type TChangePassword = z.infer<typeof ZChangePassword>;

export const ZMe = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.enum(PERMISSIONS)),
  csrfToken: z.string(),
  /** The admin set this password: every other API answers 403 PASSWORD_CHANGE_REQUIRED until it is changed. */
  mustChangePassword: z.boolean(),
});
export type TMe = z.infer<typeof ZMe>;
