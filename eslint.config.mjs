// @ts-check
/**
 * Lint: typescript-eslint's recommended rules, no import cycles, and the layering of the monorepo:
 * kernel <- access / auth / audit <- domain <- apps. A library reaches another only through its
 * barrel (`@app/<lib>`), never by a relative path into its folder. Formatting is Prettier's
 * (`npm run format`); eslint-config-prettier turns off the rules that would fight it.
 */
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

const lib = (name) => `./libs/${name}/src`;
/** What each layer may not import (resolved paths, so `@app/domain` counts as libs/domain). */
const zones = [
  { target: lib('kernel'), from: ['./libs/access', './libs/auth', './libs/audit', './libs/domain', './apps'], message: 'the kernel depends on nothing' },
  { target: lib('access'), from: ['./libs/auth', './libs/audit', './libs/domain', './apps'], message: 'libs/access depends on the kernel only' },
  { target: lib('audit'), from: ['./libs/access', './libs/auth', './libs/domain', './apps'], message: 'libs/audit depends on the kernel only' },
  { target: lib('auth'), from: ['./libs/audit', './libs/domain', './apps'], message: 'libs/auth depends on the kernel and libs/access only' },
  { target: lib('domain'), from: ['./apps'], message: 'the domain does not know the apps' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/reports/**', 'migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The web workspace (apps/web): a browser app, type-checked by its own tsconfig; hooks by React's rules.
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './apps/web/tsconfig.json' })] },
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        Request: 'readonly',
        Response: 'readonly',
        FormData: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  prettier,
);
