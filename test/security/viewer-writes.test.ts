import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

/*
 * A VIEWER key reads and changes nothing. Every mutation of the schema (a new one included, with
 * no test of its own) is sent with a VIEWER key and a well-formed input, and must be refused as an
 * auth failure before it does anything: a top-level FORBIDDEN error and no data.
 */

const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));

const SAMPLE_SCALARS: Readonly<Record<string, unknown>> = {
  ID: 'Q3VzdG9tZXI6MQ',
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2026-01-01T00:00:00+00:00',
  JSONObject: {},
};

/** A value of `type` with every required field filled, nothing optional. */
function sampleOf(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleOf(type.ofType);
  if (isListType(type)) return [sampleOf(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(fields.map((field) => [field.name, sampleOf(field.type)]));
  }
  if (isScalarType(type)) {
    if (!(type.name in SAMPLE_SCALARS)) throw new Error(`No sample value for the scalar ${type.name}: add one`);
    return SAMPLE_SCALARS[type.name];
  }
  throw new Error(`Unexpected input type ${String(getNamedType(type))}`);
}

function operationOf(name: string, args: readonly GraphQLArgument[]): { query: string; variables: Record<string, unknown> } {
  const required = args.filter((arg) => isNonNullType(arg.type));
  const declarations = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return {
    query: `mutation${declarations ? ` (${declarations})` : ''} { ${name}${passed ? `(${passed})` : ''} { __typename } }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, sampleOf(arg.type)])),
  };
}

const MUTATIONS = Object.values(schema.getMutationType()!.getFields());

describe('a VIEWER key', () => {
  let server: TestServer;
  let viewer: TestOrg;

  beforeAll(async () => {
    server = await startTestServer();
    viewer = await createOrg(server.em(), { role: 'VIEWER' });
  });
  afterAll(() => server?.stop());

  it.each(MUTATIONS.map((field) => [field.name, field] as const))('is refused %s with FORBIDDEN, before anything happens', async (name, field) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.key}` },
      body: JSON.stringify(operationOf(name, field.args)),
    });
    const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(body.errors?.[0].message).toMatch(/VIEWER/);
    expect(body.data ?? null).toBeNull();
  });
});
