import { Writable } from 'node:stream';
import type pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/app/env.js';
import { appLog, createLogger, REDACTED, withRequestLogger } from '../src/app/logger.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

type Line = Record<string, unknown>;

/** The JSON lines a process wrote so far (anything else it printed, such as its banner, left out). */
function jsonLines(output: string): Line[] {
  return output.split('\n').flatMap((text) => {
    if (!text.startsWith('{')) return [];
    try {
      return [JSON.parse(text) as Line];
    } catch {
      return [];
    }
  });
}

async function lineOf(api: ApiProcess, reqId: string): Promise<Line[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = jsonLines(api.output()).filter((line) => line.reqId === reqId);
    if (lines.length > 0 || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A logger writing into an array, as the server's is configured. */
function capture(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const config = readConfig({ LOG_FORMAT: 'json' });
  return { logger: createLogger({ level: config.logLevel, format: config.logFormat, destination: sink }), lines };
}

describe('request logs', () => {
  let server: TestServer;
  let org: TestOrg;
  let api: ApiProcess;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    api = await startApiProcess(server.databaseUrl, { LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'development' });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await server?.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${org.key}`, ...headers }, body });

  it('writes one JSON line per request: id, org, caller, operation, outcome, duration and SQL statements, never the key', async () => {
    const response = await post(JSON.stringify({ query: 'query LogProbe { customers(first: 1) { edges { node { id } } } }' }), { 'x-request-id': 'trace-abc.123' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
    const lines = await lineOf(api, 'trace-abc.123');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      reqId: 'trace-abc.123',
      method: 'POST',
      path: '/graphql',
      status: 200,
      org: org.orgId,
      caller: 'api-key',
      operation: 'LogProbe',
      operationType: 'query',
      outcome: 'ok',
      sqlStatements: expect.any(Number),
      durationMs: expect.any(Number),
      msg: expect.stringMatching(/^POST \/graphql 200 \d+ ms$/),
    });
    expect(api.output()).not.toContain(org.key);
  });

  it('makes up its own id for a request that brings none or a hostile one', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': `${'x'.repeat(65)} "injected"` });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await lineOf(api, id);
    expect(line).toMatchObject({ operation: 'anonymous', outcome: 'ok', status: 200 });
    expect(api.output()).not.toContain('injected');
  });

  it('logs a client error as one warning with its code, no stack; GraphQL errors as the outcome', async () => {
    const malformed = await post('{"query": ', { 'x-request-id': 'bad-json-1' });
    expect(malformed.status).toBe(400);
    const lines = await lineOf(api, 'bad-json-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, status: 400, errorCode: 'MALFORMED_JSON', path: '/graphql' });
    expect(lines[0]).not.toHaveProperty('err');
    expect(api.output()).not.toMatch(/SyntaxError|at JSON\.parse/);

    await fetch(`${api.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer lg_wrong', 'x-request-id': 'bad-key-1' }, body: '{}' });
    expect((await lineOf(api, 'bad-key-1'))[0]).toMatchObject({ level: 40, status: 401, errorCode: 'UNAUTHENTICATED', caller: 'none' });
    expect(api.output()).not.toContain('lg_wrong');

    await post(JSON.stringify({ query: 'query TooMany { customers(first: 1000) { edges { node { id } } } }' }), { 'x-request-id': 'gql-errors-1' });
    expect((await lineOf(api, 'gql-errors-1'))[0]).toMatchObject({ level: 30, status: 200, operation: 'TooMany', outcome: 'errors' });
  });
});

describe('the app log', () => {
  it('writes an error with its stack, within a request with its id, and other messages as one line', () => {
    const { logger, lines } = capture();
    const log = appLog(logger);
    log('Import 7 attempt 1 failed', new Error('the disk is full'), { jobId: 7 });
    withRequestLogger(logger.child({ reqId: 'r-1' }), () => log('Refused something'));
    expect(lines[0]).toMatchObject({ level: 50, msg: 'Import 7 attempt 1 failed', jobId: 7, err: { message: 'the disk is full', stack: expect.stringContaining('logging.test.ts') } });
    expect(lines[1]).toMatchObject({ level: 40, msg: 'Refused something', reqId: 'r-1' });
    expect(lines[1]).not.toHaveProperty('err');
  });

  it('redacts keys, tokens, codes, mobiles and emails wherever the fields appear', () => {
    const { logger, lines } = capture();
    logger.info({ headers: { authorization: 'Bearer lg_secret' }, mobile: '6591234567', customer: { email: 'ann@example.com', otp: '123456' }, token: 'tok' }, 'probe');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['lg_secret', '6591234567', 'ann@example.com', '123456', '"tok"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ headers: { authorization: REDACTED }, mobile: REDACTED, customer: { email: REDACTED, otp: REDACTED }, token: REDACTED });
  });
});
