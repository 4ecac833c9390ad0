// ESLint (flat config): typescript-eslint's recommended rules plus the type-aware ones that catch real
// bugs in this code base (an un-awaited promise in a workflow, a handler or a test is lost silently).
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns the stylistic rules off.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const PRODUCT = ['app/**/*.ts', 'api/**/*.ts', 'core/**/*.ts', 'activities/**/*.ts', 'workflows/**/*.ts', 'worker/**/*.ts'];

export default defineConfig(
  { ignores: ['node_modules/', 'core/db/generated/', 'coverage/', '.data/', '.tools/', '.scratch/', 'api/static/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // type-aware: promises must be awaited, returned, or explicitly `void`ed
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Express 5 awaits async handlers itself, so a promise where a callback is expected is fine there
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `any` is allowed where a test reads an untyped JSON body; the compiler is strict everywhere else
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // control characters in patterns are deliberate here (input hygiene in records, PDF text)
      'no-control-regex': 'off',
    },
  },
  {
    files: PRODUCT,
    rules: {
      // `as never` silences the compiler instead of typing the value (issue 11); tests may still use it
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSNeverKeyword.typeAnnotation',
          message: 'No `as never` in product code: give the value its proper type.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
  },
  prettier,
);
