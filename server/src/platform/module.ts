/**
 * The manifest every domain module exports from its `index.ts`: what the composition root
 * (`modules/index.ts`) needs to wire the module in — routes, tables, the permissions it checks, jobs,
 * reactions to other modules' events, demo seeds. Nothing outside a module's folder names its files:
 * app.ts, main.ts, seeds, the permission guard and the guard tests loop over the module list.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/client.js';
import type { Permission } from './access.js';
import type { JobDefinition } from './jobs/types.js';

/** A routes plugin and where it is mounted: `/api` for the app's API, another prefix for a public API (e.g. `/open311/v2`). */
export type ModuleRoutes = { plugin: FastifyPluginAsyncZod | FastifyPluginAsync; prefix: '/api' | `/${string}` };

/**
 * Typed reactions to other modules' events. The module that emits an event declares its slot here by
 * declaration merging (`declare module '../../platform/module.js' { interface ModuleListeners { … } }`),
 * so the slot's type lives with the event; a reacting module sets it in its manifest, and the module list
 * wires it (`listenersOf`). No module registers a listener as a side effect of being imported.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ModuleListeners {}

/** A demo seed: runs once (recorded in app_settings as `seed.<key>`), after the seeds named in `after`. */
export type SeedDefinition = { key: string; run: (database: Database) => Promise<void>; after?: readonly string[] };

export type ModuleManifest = {
  /** The module's folder name under server/src/modules. */
  name: string;
  routes: readonly ModuleRoutes[];
  /** The module's Drizzle tables (`import * as tables from './<m>.table.js'`); every one is in db/schema.ts. */
  tables: Readonly<Record<string, unknown>>;
  /** Every permission the module's routes and services check (the permission guard test holds the routes to it). */
  permissions: readonly Permission[];
  /** Periodic or queued work, run by the job runner (platform/jobs). */
  jobs?: readonly JobDefinition[];
  listeners?: Partial<ModuleListeners>;
  /** Demo seeds, run in module-list order unless `after` says otherwise. */
  seeds?: readonly SeedDefinition[];
};

/** Declares a module; the identity function gives the manifest its type where it is written. */
export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  return manifest;
}

let wired: readonly ModuleManifest[] = [];

/** Makes the modules' listeners the ones `listenersOf` returns (the module list calls it once, when it is loaded). */
export function wireListeners(modules: readonly ModuleManifest[]): void {
  wired = modules;
}

/** The listeners of one slot, in module-list order. */
export function listenersOf<K extends keyof ModuleListeners>(slot: K): NonNullable<ModuleListeners[K]>[] {
  return wired.flatMap((m) => (m.listeners?.[slot] ? [m.listeners[slot] as NonNullable<ModuleListeners[K]>] : []));
}

/** Every job of the modules, in module-list order; the job runner takes them from here. */
export function collectJobs(modules: readonly ModuleManifest[]): JobDefinition[] {
  const jobs = modules.flatMap((m) => m.jobs ?? []);
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.name)) throw new Error(`job ${j.name} is declared twice`);
    names.add(j.name);
  }
  return jobs;
}

/**
 * The demo seeds in the order they run: module-list order, except that a seed waits for the seeds
 * named in its `after`. Throws on an unknown or circular `after`.
 */
export function seedOrder(modules: readonly ModuleManifest[]): SeedDefinition[] {
  const pending = modules.flatMap((m) => m.seeds ?? []);
  const keys = new Set(pending.map((s) => s.key));
  for (const s of pending)
    for (const a of s.after ?? []) if (!keys.has(a)) throw new Error(`seed ${s.key} waits for unknown seed ${a}`);
  const done = new Set<string>();
  const out: SeedDefinition[] = [];
  while (pending.length) {
    const i = pending.findIndex((s) => (s.after ?? []).every((a) => done.has(a)));
    if (i < 0) throw new Error(`seeds wait for each other: ${pending.map((s) => s.key).join(', ')}`);
    const [s] = pending.splice(i, 1);
    done.add(s.key);
    out.push(s);
  }
  return out;
}
