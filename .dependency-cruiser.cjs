/**
 * The layers of src/ and the one direction between them: core ← domain ← api / import ← app.
 * `npm run lint:layers` (part of `npm test`) fails on an import that breaks a rule below, type-only
 * imports included.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports, type-only ones included: no file of it can be read on its own.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      comment: 'core/ (context, clock, errors, SQL helpers) imports no other layer.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(domain|api|import|app|cli)/' },
    },
    {
      name: 'domain-below-api',
      comment: 'domain/ (entities, read models, services) knows nothing of GraphQL, imports or the app.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(api|import|app|cli)/' },
    },
    {
      name: 'domain-without-graphql',
      comment: 'domain/ uses no type-graphql and no DataLoader: those are the API layer’s.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: 'node_modules/(type-graphql|dataloader|graphql)/' },
    },
    {
      name: 'import-below-api',
      comment: 'import/ (the job, its pipeline and profiles) knows nothing of GraphQL or the app.',
      severity: 'error',
      from: { path: '^src/import/' },
      to: { path: '^src/(api|app|cli)/' },
    },
    {
      name: 'api-below-app',
      comment: 'api/ never imports app/ (server, runtime, registries, main).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(app|cli)/' },
    },
    {
      name: 'customer-knows-no-relations',
      comment:
        'Every feature hangs its rows off Customer, so a customer feature that resolved them would know them all: a ' +
        'relation field lives with the feature that owns its rows (`Customer.cards` in api/card/), and api/customer/ ' +
        'imports no other feature. The others may import Customer and its loaders.',
      severity: 'error',
      from: { path: '^src/api/customer/' },
      to: { path: '^src/api/[^/]+/', pathNot: '^src/api/customer/' },
    },
    {
      name: 'cli-is-a-client',
      comment: 'The CLI talks to the server over HTTP: it imports no layer of it.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(domain|api|import|app)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|migrations)/' },
  },
};
