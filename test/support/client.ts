import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, parse, print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly data?: TData | null;
  readonly errors?: { message: string; extensions?: { code?: string } & Record<string, unknown>; path?: (string | number)[] }[];
  readonly extensions?: { sqlStatements?: number } & Record<string, unknown>;
}

const OPERATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../operations');

function fragmentsByName(): Map<string, string> {
  const fragments = new Map<string, string>();
  for (const file of readdirSync(OPERATIONS_DIR).filter((name) => name.endsWith('.graphql'))) {
    const document = parse(readFileSync(path.join(OPERATIONS_DIR, file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, print(definition));
    }
  }
  return fragments;
}

/** The text of an operation kept in test/operations/<name>.graphql, with the fragments it spreads. */
export function operation(name: string): string {
  const fragments = fragmentsByName();
  let document = readFileSync(path.join(OPERATIONS_DIR, `${name}.graphql`), 'utf8');
  const included = new Set([...document.matchAll(/^fragment\s+(\w+)/gm)].map((match) => match[1]));
  for (;;) {
    const missing = [...document.matchAll(/\.\.\.(\w+)/g)].map((match) => match[1]).find((name) => !included.has(name) && fragments.has(name));
    if (!missing) return document;
    included.add(missing);
    document += `\n${fragments.get(missing)}`;
  }
}

export interface GqlClient {
  request<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
}

/** A GraphQL-over-HTTP client that sends the staff key as a bearer token. */
export function gqlClient(url: string, apiKey?: string): GqlClient {
  return {
    async request<TData>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>> {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
      return { status: response.status, ...body };
    },
  };
}

/**
 * Sends a typed document (see test/generated/graphql.ts, made by `npm run codegen`): the variables
 * and the data are typed by the operation.
 */
export function typedRequest<TResult, TVariables>(
  client: GqlClient,
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<GraphQLResponse<TResult>> {
  return client.request<TResult>(print(document), variables as Record<string, unknown> | undefined);
}

/** A graphql-ws client; `connectionParams` carry the key like a real client's would. */
export function wsClient(url: string, apiKey?: string): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    // Connection failures reach the subscribers (and tests assert on them); don't also print them.
    onNonLazyError: () => undefined,
    connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
  });
}

/** Runs one query over a graphql-ws client and returns its single result. */
export function wsRequest<TData = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Omit<GraphQLResponse<TData>, 'status'>> {
  return new Promise((resolve, reject) => {
    let result: Omit<GraphQLResponse<TData>, 'status'> | undefined;
    client.subscribe<TData>(
      { query, variables },
      {
        next: (value) => (result = value as Omit<GraphQLResponse<TData>, 'status'>),
        error: (error: unknown) =>
          Array.isArray(error) ? resolve({ errors: error as GraphQLResponse['errors'] }) : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

export function globalId(typeName: string, id: number): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}
