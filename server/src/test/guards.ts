/**
 * What a module gives the guard tests, in `modules/<m>/<m>.guard.ts` (`export const guard: ModuleGuard`).
 * The guard tests loop over the module list (modules/index.ts) and load each module's guard file:
 *
 * - bad-input.test.ts: every POST/PUT/PATCH route of the module's plugins needs bad bodies in
 *   `badInput.writes` (or a reason in `badInput.notCovered`), every route with an id in its path an
 *   unknown-id case in `badInput.unknownIds`. A route without one fails the test, and so does a module
 *   with such routes and no guard file, or a case for a route the module does not have.
 * - scope.test.ts: every module with routes says what a user of another unit must not reach
 *   (`scope` probes), or why nothing of it is unit-owned (`scope.none`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import type { Client, TestEnv } from './helpers.js';

/** Who sends a request: a signed-in user of one role (see bad-input.test.ts), or nobody. */
export type Who =
  | 'anon'
  | 'admin'
  | 'reporter'
  | 'leader'
  | 'office'
  | 'assessor'
  | 'agent'
  | 'handler'
  | 'supervisor'
  | 'dleader'
  | 'clerk'
  | 'evaluator';

/** One part of a multipart/form-data body: a text field, or a file when filename is given. */
export type Part = { name: string; value: string | Buffer; filename?: string; type?: string };

/** A bad request: a JSON body, or (for upload routes) a multipart form. `ownMessage`: the module words the English message itself (it need not repeat the field name). */
export type BadBody = { body?: unknown; form?: Part[]; field: string; ownMessage?: true };
export type WriteCase = { who: Who; url: () => string; bad: BadBody[] };

/**
 * A valid request per route whose path carries an id, aimed at an id that does not exist: must be 404.
 * `who` is a user allowed to use the route (default admin). `upsert` marks a path naming a record the
 * request creates (a calendar date or year), where only the malformed-id check applies. `unknown` is the
 * unknown value when 999999 is not a valid one; `query` a query string the route needs.
 */
export type IdCase = { who?: Who; body?: unknown; form?: Part[]; upsert?: true; unknown?: string; query?: string };

/** What the bad-input test hands each module's cases: records to aim at, the test password, small files. */
export type BadInputKit = {
  ids: { unit: number; category: number; user: number };
  TEST_PASSWORD: string;
  /** A one-page PDF as the `file` part of a form. */
  pdf: Part[];
  /** A 1×1 PNG as the `file` part of a form. */
  png: Part[];
};

export type BadInputCases = {
  /** "METHOD /path" of every POST/PUT/PATCH route → its bad bodies. */
  writes: Record<string, WriteCase>;
  /** "METHOD /path" of every route with an id in its path → a valid request aimed at an unknown id. */
  unknownIds: Record<string, IdCase>;
  /** Routes the write check skips, each with the reason (their ids are still checked). */
  notCovered?: Record<string, string>;
  /** Route prefixes of this module the checks skip entirely, each with the reason. */
  notCoveredPrefixes?: Record<string, string>;
};

/** The world the unit-scope probes run in: units A (with a community below) and B, and a user of B. */
export type ScopeWorld = { unitA: number; communityA: number; unitB: number; communityB: number; userB: number };

/** A request by a user of unit A against unit B's data, and a snapshot of the B rows it must not change. */
export type ForeignUnitProbe = {
  name: string;
  send(c: Client, w: ScopeWorld): Promise<LightMyRequestResponse>;
  /** Reads the rows of B the request targets, to compare before and after. */
  snapshot(w: ScopeWorld): Promise<unknown>;
};

/**
 * The module-data world: a year in force with approved plans for departments A and B (reporting's
 * testkit world) and B's records, made by the modules' `setup` through their own APIs (`rec`).
 */
export type ModuleDataKit = {
  env: TestEnv;
  /** Reporting's testkit world (year, leaves, units A and B). */
  mw: { yearId: number; unitA: number; unitB: number; leafValue: number };
  /** B's records, by name (e.g. `submission`, `case`), filled by the modules' setup. */
  rec: Record<string, number>;
  /** Users of unit A. */
  as: Record<'reporter' | 'leader' | 'handler', Client>;
  /** A reporter of B and the office-wide agent, for setting up B's records. */
  reporterB: Client;
  agent: Client;
  q: Query;
};

export type ModuleDataProbe = {
  name: string;
  who: 'reporter' | 'leader' | 'handler';
  send(c: Client): Promise<LightMyRequestResponse>;
  snapshot(): Promise<unknown>;
  /** Bulk routes answer 200 with each refused id under `failed` (as not found) instead of a 403/404. */
  bulk?: true;
};

/** A query on the test database (for snapshots). */
export type Query = (sql: string, params: unknown[]) => Promise<unknown[]>;

export type ScopeCases = {
  /** Writes and reads by users of A against B's units and users (no module data needed). */
  foreignUnit?(q: Query): { writes?: ForeignUnitProbe[]; reads?: Omit<ForeignUnitProbe, 'snapshot'>[] };
  /** B's module records, and what users of A must not do with them. */
  moduleData?: {
    /** Makes B's records through the module's API (runs in module-list order). */
    setup?(k: ModuleDataKit): Promise<void>;
    writes?(k: ModuleDataKit): ModuleDataProbe[];
    reads?(k: ModuleDataKit): Omit<ModuleDataProbe, 'snapshot'>[];
    /** URLs B's own users still reach (the refusals are about scope, not broken records). */
    ownReads?(k: ModuleDataKit): { who: 'reporter' | 'handler'; url: string }[];
  };
  /** Why the module has no unit-owned data to probe. */
  none?: string;
};

export type ModuleGuard = {
  badInput?: (kit: BadInputKit) => BadInputCases;
  scope: ScopeCases;
};

/** The guard of a module, or null when the module has no guard file. */
export async function loadGuard(name: string): Promise<ModuleGuard | null> {
  if (!existsSync(fileURLToPath(new URL(`../modules/${name}/${name}.guard.ts`, import.meta.url)))) return null;
  const mod = (await import(`../modules/${name}/${name}.guard.ts`)) as { guard?: ModuleGuard };
  return mod.guard ?? null;
}
