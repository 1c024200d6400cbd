// `npm run lint`: typescript-eslint with type information (the project's tsconfig.json) over src, test, bench
// and scripts; the two plain .js files (the launcher, the browser script) without types. Runs in .ci/run.
// Every rule turned off or loosened says why on its line.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const unusedVars = {
  // `_name` marks a parameter an interface imposes or an element skipped in a destructuring.
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.test-template/', 'docs/'] },
  js.configs.recommended,
  {
    rules: {
      'no-unused-vars': ['error', unusedVars],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `import('x').T` stays allowed in annotations: a few signatures name a type of a module loaded lazily.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      // A caught value is passed on as it came (`catch (e) { reject(e) }`), Error or not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
      // Off: the house writes `xs[i]!` where a length check the compiler cannot follow makes it safe
      // (noUncheckedIndexedAccess is off, so the rule calls each one unnecessary), and `res.json() as T`
      // counts as unnecessary because the generic takes T from the assertion itself.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Off: `async` marks functions that must return a promise for their interface (Fastify hooks and
      // handlers, injected resolvers and fakes) even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // Off: answers and schema values are JSON of type `unknown`; String() on them is deliberate once their
      // kind is checked, and TypeScript cannot narrow `unknown` away from object. Template literals stay
      // guarded by restrict-template-expressions.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // Tests read JSON responses and parsed documents as `any` and assert on them: a wrong shape fails
      // the assertion, which is the check these rules would otherwise ask a type for.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    files: ['src/core/views/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly' } },
    // ES5 for old browsers: `catch (e)` needs its binding even when unused.
    rules: { 'no-unused-vars': ['error', { ...unusedVars, caughtErrors: 'none' }] },
  },
);
