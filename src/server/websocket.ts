import type { MikroORM } from '@mikro-orm/postgresql';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { AppRuntime } from './runtime.js';
import { OPERATION_LIMITS, operationLimitRules } from '../graphql/armor.js';
import { costLimitError, operationCost } from '../graphql/cost.js';
import { formatErrorFor } from '../graphql/errors.js';
import type { ApiKeyAuthenticator } from '../modules/auth/auth.service.js';
import { bearerToken } from '../modules/auth/auth.service.js';
import { createRequestContext, type Caller } from './context.js';

interface WsOptions {
  readonly schema: GraphQLSchema;
  readonly wsServer: WebSocketServer;
  readonly orm: MikroORM;
  readonly authenticator: ApiKeyAuthenticator;
  readonly runtime: AppRuntime;
  readonly production: boolean;
  readonly log: (message: string, error?: unknown) => void;
}

/** The key from `connection_init`: `{ authorization: "Bearer <key>" }` (any capitalisation). */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const entry = Object.entries(params).find(([key]) => key.toLowerCase() === 'authorization');
  return bearerToken(entry?.[1]);
}

function parseWithLimits(query: string): DocumentNode | readonly GraphQLError[] {
  try {
    return parse(query, { maxTokens: OPERATION_LIMITS.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('Could not parse the operation')];
  }
}

/**
 * graphql-ws on the same path as HTTP. A connection authenticates once, in `connection_init`
 * (a missing or bad key closes the socket with 4403); each operation then gets its own context
 * and EntityManager fork, and the same validation limits as HTTP.
 */
export function attachGraphqlWs(options: WsOptions): Disposable {
  const { schema, orm, authenticator } = options;
  const callers = new WeakMap<object, Caller>();
  const formatError = formatErrorFor(options.production, (error) => options.log('Unexpected error in a WebSocket operation', error));

  return useServer(
    {
      schema,
      isProd: options.production,
      async onConnect(ctx) {
        const caller = await authenticator.authenticate(tokenOf(ctx.connectionParams));
        if (!caller) return false;
        callers.set(ctx, caller);
        return true;
      },
      onSubscribe(ctx, _id, payload) {
        const caller = callers.get(ctx);
        if (!caller) return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        const document = parseWithLimits(payload.query);
        if (!('kind' in document)) return document;
        const errors = validate(schema, document, [...specifiedRules, ...operationLimitRules()]);
        if (errors.length > 0) return errors;
        if (!getOperationAST(document, payload.operationName)) {
          return [new GraphQLError('Could not determine which operation to run')];
        }
        const cost = operationCost(schema, document, payload.operationName, payload.variables);
        if (cost > OPERATION_LIMITS.maxCost) return [costLimitError(OPERATION_LIMITS.maxCost, cost)];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createRequestContext(caller, orm.em.fork({ clear: true }), { statements: 0 }, options.runtime),
        };
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) };
      },
    },
    options.wsServer,
  );
}
