// Lint: TypeScript rules plus the import boundaries of ARCHITECTURE.md —
// core imports no domain; a service reaches another domain only through its index.ts;
// a resolver calls only its own domain's services; object types keep type-graphql's per-field
// resolvers off, and field resolvers take their parent with @Parent().
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const domains = (dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/__generated__/**', '.data/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Plain fields read their value straight off the parent; a type-graphql resolver per
      // scalar field would also keep graphql-jit from inlining the read.
      'no-restricted-syntax': ['error', {
        selector: "Decorator > CallExpression[callee.name='ObjectType']:not(:has(Property[key.name='simpleResolvers']))",
        message: 'Declare @ObjectType({ simpleResolvers: true, ... })',
      }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        // src/core/<area>/x.ts reaches a domain with ../../<domain>; ../jobs is core's own jobs module.
        patterns: [{ regex: '(^(\\.\\./){2,}|/src/)(entities|services|resolvers|jobs)(/|$)', message: 'core/ imports no domain (ARCHITECTURE.md)' }],
      }],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^\\.\\./[^./][^/]*/(?!index$).+', message: 'Reach another domain through services/<domain>/index.ts' },
          { regex: '/resolvers(/|$)', message: 'Services do not import resolvers' },
        ],
      }],
    },
  },
  ...domains('src/resolvers').map((domain) => ({
    files: [`src/resolvers/${domain}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: `^\\.\\./\\.\\./services/(?!${domain}(/|$))`, message: `A ${domain} resolver calls only ${domain} services` }],
        paths: [{ name: 'type-graphql', importNames: ['Root'], message: 'Use @Parent() from schema/common: @Root() builds an entity instance per row' }],
      }],
    },
  })),
);
