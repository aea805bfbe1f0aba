import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.br` and `.gz` beside every text file of the build (best compression, once, at build time);
 * the server sends them as they are (@fastify/static `preCompressed`), so no request pays for it.
 */
function precompress(): Plugin {
  return {
    name: 'xn-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? path.resolve(import.meta.dirname, 'dist');
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|mjs|css|html|svg|json|txt)$/.test(name)) continue;
        const file = path.join(dir, name);
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
      }
    },
  };
}

export default defineConfig({
  root: path.resolve(import.meta.dirname),
  plugins: [react(), precompress()],
  resolve: {
    alias: {
      '@server': path.resolve(import.meta.dirname, '../server/src'),
      '@common': path.resolve(import.meta.dirname, '../common'),
    },
  },
  // Pages are loaded per route (React.lazy in each module's routes.tsx); no chunk should come near this.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    manifest: true,
    // Two entries: the signed-in app and the citizens' pages (public.html, without the console's code).
    rollupOptions: {
      input: {
        main: path.resolve(import.meta.dirname, 'index.html'),
        public: path.resolve(import.meta.dirname, 'public.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/open311': 'http://localhost:3000' } },
});
