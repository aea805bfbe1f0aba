/**
 * What a phone downloads for a citizen's page: the built web app's HTML, the scripts and styles it
 * names (script, modulepreload, stylesheet), and the chunk graph of the route's page module (static
 * imports followed recursively through Vite's build manifest) — compressed as the server sends them
 * (the .gz / .br files written at build; gzip level 9, brotli 11). Builds web/dist when it is missing.
 *
 * Figures: web.<route>.gzip_kb, web.<route>.brotli_kb, web.<route>.raw_kb, web.<route>.files, and
 * web.public_submit_target (1 when /public/submit is under 250 KB gzipped).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'web/dist');
const TARGET_KB = 250;

/** Route → the page module that renders it (web/src/pages/…/routes.tsx). */
const ROUTES: Record<string, string> = {
  '/public/submit': 'src/pages/cases/PublicSubmitPage.tsx',
  '/public/track': 'src/pages/cases/PublicTrackPage.tsx',
  '/public/results': 'src/pages/performance/PublicResultsPage.tsx',
};

type ManifestChunk = { file: string; imports?: string[]; css?: string[]; isEntry?: boolean };

function ensureBuild(): void {
  if (existsSync(path.join(DIST, '.vite/manifest.json')) && existsSync(path.join(DIST, 'public.html'))) return;
  console.log('# building the web app (vite build)…');
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('vite build failed');
}

/** Bytes of a file as sent: its precompressed twin when there is one, else compressed here (small files). */
function sizes(rel: string): { raw: number; gzip: number; brotli: number } {
  const file = path.join(DIST, rel);
  const raw = statSync(file).size;
  const gz = existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : gzipSync(readFileSync(file), { level: 9 }).length;
  const br = existsSync(`${file}.br`) ? statSync(`${file}.br`).size : gz;
  return { raw, gzip: gz, brotli: br };
}

/** The HTML page the server sends for a route: the citizens' entry for /public/… and /rate/…, else the app's. */
export function htmlOf(route: string): string {
  return /^\/(public|rate)\//.test(route) && existsSync(path.join(DIST, 'public.html')) ? 'public.html' : 'index.html';
}

/** Every file the route needs: its HTML, what that links, its entry's static import graph and the page module's. */
export function routeFiles(route: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(DIST, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const htmlFile = htmlOf(route);
  const html = readFileSync(path.join(DIST, htmlFile), 'utf8');
  const files = new Set<string>([htmlFile]);
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="\/?([^"]+)"/g))
    if (!/^https?:/.test(m[1])) files.add(m[1]);
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || files.has(c.file)) return;
    files.add(c.file);
    for (const css of c.css ?? []) files.add(css);
    for (const i of c.imports ?? []) visit(i);
  };
  if (!manifest[htmlFile]?.isEntry) throw new Error(`${htmlFile} is not an entry of the build`);
  // The entry's script is already in `files` (named by the HTML): walk its imports from the manifest.
  const entry = manifest[htmlFile];
  for (const css of entry.css ?? []) files.add(css);
  for (const i of entry.imports ?? []) visit(i);
  const page = ROUTES[route];
  if (!manifest[page]) throw new Error(`${page} is not a chunk of its own in the build (is it loaded lazily?)`);
  visit(page);
  return [...files];
}

export async function run(): Promise<void> {
  ensureBuild();
  for (const route of Object.keys(ROUTES)) {
    const files = routeFiles(route);
    const total = files
      .map(sizes)
      .reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }), {
        raw: 0,
        gzip: 0,
        brotli: 0,
      });
    const name = route.replace(/^\//, '').replace(/\//g, '_');
    console.log(`BENCH web.${name}.gzip_kb ${(total.gzip / 1024).toFixed(1)} KB`);
    console.log(`BENCH web.${name}.brotli_kb ${(total.brotli / 1024).toFixed(1)} KB`);
    console.log(`BENCH web.${name}.raw_kb ${(total.raw / 1024).toFixed(1)} KB`);
    console.log(`BENCH web.${name}.files ${files.length} files`);
    if (route === '/public/submit')
      console.log(`BENCH web.public_submit_target ${total.gzip / 1024 < TARGET_KB ? 1 : 0} bool`);
  }
}
