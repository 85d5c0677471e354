import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../src/app/emit-schema.js';
import { printAppSchema } from '../src/app/schema.js';
import { gqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg } from './support/world.js';

describe('schema and migrations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('schema/schema.graphql is the schema the code builds (run `npm run schema:emit` if this fails)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await printAppSchema());
  });

  it('the migrations produce exactly the schema the entities describe (run `npm run migration:create` if this fails)', async () => {
    // The test database was built by running every migration; a diff against the entities must be empty.
    const diff = await server.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('names every option importProfiles lists as the template input names it', async () => {
    const { buildSchema, isInputObjectType } = await import('graphql');
    const input = buildSchema(await printAppSchema()).getType('ImportOptionsInput');
    if (!isInputObjectType(input)) throw new Error('ImportOptionsInput is missing');
    const org = await createOrg(server.em());
    const response = await gqlClient(server.url, org.key).request<{ importProfiles: { options: string[] }[] }>('{ importProfiles { options } }');
    const listed = [...new Set(response.data?.importProfiles.flatMap((profile) => profile.options))];
    expect(listed.length).toBeGreaterThan(5);
    expect(listed.filter((name) => !(name in input.getFields()))).toEqual([]);
  });

  it('keeps the design card\'s type names', async () => {
    const { buildSchema } = await import('graphql');
    const schema = buildSchema(await printAppSchema());
    for (const name of ['Customer', 'Card', 'CardSeries', 'UserGroup', 'Transaction', 'Incentive', 'Badge', 'SupplementaryProgram', 'Interaction']) {
      expect(schema.getType(name), name).toBeDefined();
    }
  });

  it('describes every type, field, argument and enum value', async () => {
    const sdl = await printAppSchema();
    const { buildSchema, isObjectType, isInterfaceType, isEnumType, isInputObjectType } = await import('graphql');
    const schema = buildSchema(sdl);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});
