import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers (docs/ARCHITECTURE.md): imports point one way, from functions/ down to core/.
 * `banned` lists the folders a layer must not import, as relative paths from anywhere below it.
 */
const layers = [
  {
    files: ['shared/core/**', 'shared/config.ts'],
    banned: ['config', 'formats', 'domain', 'ports', 'workflows', 'services', 'adapters', 'app', 'http'],
  },
  {
    files: ['shared/formats/**'],
    banned: ['config', 'domain', 'ports', 'workflows', 'services', 'adapters', 'app', 'http'],
  },
  { files: ['shared/domain/**'], banned: ['ports', 'workflows', 'services', 'adapters', 'app', 'http'] },
  { files: ['shared/ports/**'], banned: ['workflows', 'services', 'adapters', 'app', 'http'] },
  { files: ['shared/workflows/**'], banned: ['ports', 'services', 'adapters', 'app', 'http'] },
  { files: ['shared/services/**'], banned: ['adapters', 'app', 'http'] },
  { files: ['shared/adapters/**'], banned: ['workflows', 'services', 'app', 'http'] },
  { files: ['shared/app/**'], banned: ['http'] },
  { files: ['shared/http/**'], banned: ['adapters'] },
  { files: ['functions/**'], banned: ['ports', 'services', 'adapters'] },
];
const everywhere = ['host', 'functions'];
const layerRules = layers.map(({ files, banned }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [...banned, ...everywhere]
          .filter((folder) => !(folder === 'functions' && files[0].startsWith('functions/')))
          .map((folder) => ({
            regex: `^(\\.\\.?/)+(shared/)?${folder}(/|$)`,
            message: `${files[0].replace('/**', '/')} must not import ${folder}/: imports point one way (docs/ARCHITECTURE.md).`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.config.js', '*.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    // Jest matchers (expect.any, expect.objectContaining) are typed `any`; handlers under test are async by contract.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
