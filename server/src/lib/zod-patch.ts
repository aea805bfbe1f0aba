import type { z } from 'zod';

/** The params of the issue `nonEmptyPatch` raises, so the error hook words it in Chinese and English. */
export const EMPTY_PATCH = 'xn_empty_patch';

/**
 * A PATCH body must change something: `{}` (or only undefined fields) is a 400 naming the body,
 * instead of reaching an UPDATE with no columns (which the query builder refuses with a 500).
 */
export function nonEmptyPatch<T extends z.ZodObject>(schema: T): T {
  return schema.refine((o: Record<string, unknown>) => Object.values(o).some((v) => v !== undefined), {
    message: 'at least one field to change is required',
    params: { code: EMPTY_PATCH },
  });
}
