// ESLint (flat config) with typescript-eslint. The TypeScript rules that need types run against
// tsconfig.test.json (src/, nodes/ and test/); they are the ones that catch real bugs: a promise
// nobody awaits or catches, a promise passed where a callback's result is ignored, awaiting what
// is not a promise. Layout is left to the authors: no formatting rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'examples/', 'node_modules/', 'coverage/', 'series/', '.demo/', '.node-red-test/'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A node module's `export =` carries the types other nodes import in a merged namespace.
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // Tests read flows, HA payloads and the editor's RED object as untyped JSON.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Scripts, benches and test peers: plain ES modules run by Node.
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Editor code, run in the browser by Node-RED's editor (jQuery and RED are its globals).
    files: ['resources/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, $: 'readonly', RED: 'readonly' } },
  },
);
