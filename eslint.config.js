import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * From a module's folder, `../<other>/<file>.js` where `<file>` is neither `index.js` nor the other
 * module's `<m>.schema.js` (its request/response contract, shared with the web app: zod and vocabulary
 * only, it imports no service).
 */
const DEEP_FROM_MODULE = {
  regex: '^\\.\\./(?!\\.\\.?/)[^/]+/(?!index\\.js$)(?![^/]+\\.schema\\.js$)[^/]+$',
  message:
    'Import another module only through its index.ts (../<module>/index.js) or its schema (<module>.schema.js): its public face. See docs/ARCHITECTURE.md, "Adding a module".',
};
/** From outside the modules (app, main, seed, cli, test, bench, e2e), `…/modules/<m>/<file>.js` where `<file>` is not `index.js` or `<m>.schema.js`. */
const DEEP_FROM_OUTSIDE = {
  regex: '(^|/)modules/[^/]+/(?!index\\.js$)(?![^/]+\\.schema\\.js$)[^/]+$',
  message:
    'Use a module through its index.ts (modules/<module>/index.js) or its schema, or the module list (modules/index.js). See docs/ARCHITECTURE.md, "Adding a module".',
};
/** Tests may also use another module's testkit (`<m>.testkit.js`). */
const withTestkits = (regex) => regex.replace('(?!index\\.js$)', '(?!index\\.js$)(?![^/]+\\.testkit\\.js$)');
const MODULES_FROM_BELOW = {
  regex: '(^|/)modules/',
  message:
    'lib, db, platform and engine sit below the modules and must not import them (pass what you need in, or declare a listener slot in platform/module.ts).',
};

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.tmp/**', 'data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['server/src/**/*.ts', 'common/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'],
    languageOptions: { parserOptions: { project: './server/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // Module boundaries (docs/ARCHITECTURE.md, "Adding a module"): a module is used only through its
  // index.ts; tests may also use another module's testkit (`<m>.testkit.ts`); the layers below the
  // modules (lib, db, platform, engine) do not import modules at all (db/schema.ts gathers the tables).
  {
    files: ['server/src/modules/*/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_FROM_MODULE] }] },
  },
  {
    files: ['server/src/modules/*/**/*.{test,guard,testkit}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...DEEP_FROM_MODULE, regex: withTestkits(DEEP_FROM_MODULE.regex) }] },
      ],
    },
  },
  {
    files: [
      'server/src/*.ts',
      'server/src/modules/index.ts',
      'server/src/{seed,cli,test}/**/*.ts',
      'server/src/{lib,platform}/**/*.test.ts',
      'bench/**/*.ts',
      'e2e/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...DEEP_FROM_OUTSIDE, regex: withTestkits(DEEP_FROM_OUTSIDE.regex) }] },
      ],
    },
  },
  {
    files: ['server/src/{lib,db,platform,engine}/**/*.ts'],
    // Tests below the modules may drive a real module through its index (e.g. the job runner with the statistics sync).
    ignores: ['server/src/db/schema.ts', 'server/src/db/*.test.ts', 'server/src/{lib,platform}/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [MODULES_FROM_BELOW] }] },
  },
  {
    // Route tables are in every page's bundle: their pages load lazily (lazyPage), never by a static import.
    files: ['web/src/pages/*/routes.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\./(?!api$).*', message: 'Load pages with lazyPage(() => import(...)) in a routes file.' },
          ],
        },
      ],
    },
  },
  {
    // Pages take every URL (calls, downloads, uploads) from their module's api.ts, never write one (issue 11,
    // "a web data layer").
    files: ['web/src/pages/**/*.{ts,tsx}'],
    ignores: ['web/src/pages/*/api.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Literal[value=/^\\x2Fapi\\x2F/]', 'TemplateElement[value.raw=/^\\x2Fapi\\x2F/]'].map((selector) => ({
          selector,
          message: "Take the URL from the module's api.ts (a typed call, a query hook or a …Url function).",
        })),
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
