import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', globalThis: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/verifier/**/*.ts'],
    // The verifier must share no code with the server it checks.
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/registry/**'], message: 'The verifier imports nothing from apps/registry.' }] }],
    },
  },
  {
    files: ['apps/witness/**/*.ts'],
    // The witness, run by an oversight body on its own machine, shares no code with the log it watches.
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/registry/**', '**/verifier/**'], message: 'The witness imports only @custodia/tlog.' }] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      // The C2SP formats forbid control characters: the parsers test for them on purpose.
      'no-control-regex': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', '**/apps/**'], message: 'Libraries are pure: no NestJS, no database, no app code.' }] }],
    },
  },
  {
    files: ['apps/registry/src/public/assets/**/*.js'],
    // The portal's one script runs in the reader's browser, with no build step.
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', crypto: 'readonly', fetch: 'readonly', atob: 'readonly', btoa: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' },
    },
  },
);
