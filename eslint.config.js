// Lint rules that guard the Temporal contract: workflow code must stay deterministic.
const tseslint = require('typescript-eslint');

const nodeBuiltins = require('node:module').builtinModules;

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', '.test-data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflows replay from history: no I/O, no Node modules. (Date and Math.random are replaced
    // by the SDK's deterministic versions inside the workflow sandbox; uuid4() says so explicitly.)
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]),
            'mongoose', 'nodemailer', 'express', 'pino', 'luxon', 'handlebars',
            '@temporalio/client', '@temporalio/worker', '@temporalio/activity',
          ].map((name) => ({ name, message: 'Workflow code must stay deterministic: do I/O in activities.', allowTypeImports: true })),
          patterns: [{ group: ['**/activities/**', '!**/activities/**/contract'], message: 'Import activities as types only.', allowTypeImports: true }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the workflow-safe random from @temporalio/workflow (uuid4) instead.' },
      ],
    },
  },
);
