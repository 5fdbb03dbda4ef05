// Lint: typescript-eslint's recommended type-aware-free rules plus the package boundaries of
// docs/architecture.md. A package may import only the packages below it:
//   model ← checks ← server ← cli      model ← client ← web, cli
import tseslint from 'typescript-eslint';

/** Which workspace packages each package may import (anything else of ours is forbidden). */
const allowed = {
  model: [],
  checks: ['model'],
  server: ['model', 'checks'],
  client: ['model'],
  web: ['client', 'model'],
  cli: ['model', 'checks', 'server', 'client'],
};
const all = Object.keys(allowed);

/** The import patterns packages/<pkg> may not use. */
function forbidden(pkg) {
  const ok = allowed[pkg];
  return [
          ...all
            .filter((p) => p !== pkg && !ok.includes(p))
            .map((p) => ({
              group: [`@meshboard/${p}`, `@meshboard/${p}/*`],
              message: `packages/${pkg} must not import @meshboard/${p} (see docs/architecture.md).`,
            })),
          {
            group: ['../../*/src/*', '../../../*/src/*'],
            message: 'Import another package through its public entry point (@meshboard/<name>).',
          },
  ];
}

const boundaries = all.map((pkg) => ({
  files: [`packages/${pkg}/**/*.{ts,tsx}`],
  rules: { 'no-restricted-imports': ['error', { patterns: forbidden(pkg) }] },
}));

/** model is pure: no I/O, no clock, no environment (ARCHITECTURE.md); its tests may read fixtures. */
const pureModel = {
  files: ['packages/model/src/**/*.ts'],
  ignores: ['packages/model/src/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden('model'),
          { group: ['node:*', 'fs', 'path', 'pg', '@duckdb/*'], message: 'packages/model does no I/O.' },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'process', message: 'packages/model reads no environment.' },
      { name: 'fetch', message: 'packages/model does no I/O.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/web/dist/**', 'bench/results/**', '.meshboard/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  ...boundaries,
  pureModel,
);
