#!/usr/bin/env node
// No circular imports: builds the import graph of the given source folders (relative imports, `import type`
// included, since a type cycle is still a design cycle) and prints every cycle found. Exit 1 if any.
// Usage: node scripts/check-cycles.mjs server/src web/src
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const roots = process.argv.slice(2);
if (!roots.length) roots.push('server/src', 'web/src');
const EXT = /\.(ts|tsx|mts)$/;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (EXT.test(name) && !name.endsWith('.d.ts')) out.push(path.resolve(p));
  }
  return out;
}

/** Resolves a relative specifier the way TypeScript's NodeNext does for our sources (`./x.js` → `./x.ts`). */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const c of [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ]) {
    if (EXT.test(c) && existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

const files = roots.flatMap((r) => walk(r, []));
const graph = new Map();
for (const f of files) {
  const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
  const deps = new Set();
  for (const ref of info.importedFiles) {
    const to = resolve(f, ref.fileName);
    if (to) deps.add(to);
  }
  graph.set(f, [...deps]);
}

/** Tarjan's strongly connected components: every component of more than one node (or a self-loop) is a cycle. */
function cycles(g) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) found.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) strong(v);
  return found.map((comp) => cycleThrough(g, comp[0], comp));
}

/** One shortest cycle through `start` within its component, for a readable message. */
function cycleThrough(g, start, comp) {
  const inComp = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of g.get(v) ?? []) {
      if (w === start) {
        const out = [v];
        for (let p = prev.get(v); p; p = prev.get(p)) out.unshift(p);
        return [...out, start];
      }
      if (inComp.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

// Server modules depend one way: a module-level cycle (a → b for some files, b → a for others) is refused
// too, although no single file cycle exists. Tests and their kits are left out of this one: a test may
// drive a module from above (users' tests sign in through auth).
const TEST_SUPPORT = /\.(test|guard|testkit)\.ts$/;
const MODULE = /[\\/]server[\\/]src[\\/]modules[\\/]([^\\/]+)[\\/]/;
const moduleGraph = new Map();
for (const [f, deps] of graph) {
  const m = MODULE.exec(f)?.[1];
  if (!m || TEST_SUPPORT.test(f)) continue;
  const out = moduleGraph.get(m) ?? new Set();
  moduleGraph.set(m, out);
  for (const d of deps) {
    const n = MODULE.exec(d)?.[1];
    if (n && n !== m) out.add(n);
  }
}
const problems = [
  ...cycles(graph).map((c) => `circular import: ${c.map((f) => path.relative(process.cwd(), f)).join(' → ')}`),
  ...cycles(new Map([...moduleGraph].map(([k, v]) => [k, [...v]]))).map(
    (c) => `circular dependency between server modules: ${c.join(' → ')}`,
  ),
];
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`no circular imports in ${roots.join(', ')} (${files.length} files)`);
