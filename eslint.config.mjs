// Stays JavaScript: ESLint loads a TypeScript config only with jiti, which the project does not install.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'cdktf.out/',
      'coverage/',
      '.gen/',
      'build/',
      '.cdk8s.out/',
      '.stryker-tmp/',
      'reports/',
      'examples/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Constructs are instantiated for their side effect on the construct tree.
      'no-new': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Public APIs stay free of `any`; tests read loosely typed YAML.
    files: ['lib/**/*.ts', 'apps/**/*.ts', 'infra/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The tool configurations that stay JavaScript (see test/layout.test.ts): run by Node, jest
    // and StrykerJS.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Formatting is Prettier's (npm run format); no ESLint rule argues with it.
  prettier,
);
