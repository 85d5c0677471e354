import type { MikroORM } from '@mikro-orm/postgresql';
import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { MessageType, stringifyMessage, type Context, type Disposable } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { AppRuntime } from './runtime.js';
import { OPERATION_LIMITS, operationLimitRules } from '../../api/armor.js';
import { costLimitError, operationCost } from '../../api/cost.js';
import { formatErrorFor, withoutSchemaHints } from '../../api/errors.js';
import type { ApiKeyAuthenticator, KeyHolder } from '../../domain/auth/auth.service.js';
import { bearerToken, isApiKey, sameRights } from '../../domain/auth/auth.service.js';
import type { Caller } from '../../domain/auth/caller.js';
import type { CustomerAuthenticator } from '../../domain/auth/customer-auth.js';
import type { StaffAuthenticator } from '../../domain/auth/staff-oidc.js';
import type { CustomerGrant } from '../../domain/oauth/customer-grant.js';
import type { OrgRow } from '../../domain/org/org.rows.js';
import { createCustomerRequestContext, createRequestContext } from '../../api/context.js';
import { customerAccessProblems, customerForbidden } from '../../api/customer-access.js';
import { clientAddress } from './http-auth.js';

interface WsOptions {
  readonly schema: GraphQLSchema;
  readonly wsServer: WebSocketServer;
  readonly orm: MikroORM;
  readonly authenticator: ApiKeyAuthenticator;
  /** Customers' access tokens, when the authorization server is on. */
  readonly customers?: CustomerAuthenticator;
  /** Staff members' tokens of their org's identity provider. */
  readonly staff?: StaffAuthenticator;
  readonly runtime: AppRuntime;
  readonly production: boolean;
  readonly log: (message: string, error?: unknown) => void;
  /** How often the keys of open sockets are read again (revocations and role changes). */
  readonly recheckMs: number;
}

/** Operations one socket may run at once (each subscription holds memory and a listener). */
export const MAX_OPERATIONS_PER_SOCKET = 50;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_THROTTLED = 4429;
const KEY_CHANGED = 'The API key of this connection was revoked or its role changed: reconnect with a valid key.';

type WsContext = Context<Record<string, unknown> | undefined, Extra & Partial<Record<PropertyKey, never>>>;

/** The key or customer token from `connection_init`: `{ authorization: "Bearer <token>" }` (any capitalisation). */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const entry = Object.entries(params).find(([key]) => key.toLowerCase() === 'authorization');
  return bearerToken(entry?.[1], 2_000);
}

/** A socket opened with a customer's access token: the token, checked again while the socket is open. */
interface CustomerSocket {
  readonly token: string;
  readonly grant: CustomerGrant;
  readonly org: OrgRow;
}

/** A socket opened with a staff member's identity-provider token: checked again while the socket is open (it expires). */
interface StaffSocket {
  readonly token: string;
  readonly caller: Caller;
}

function parseWithLimits(query: string): DocumentNode | readonly GraphQLError[] {
  try {
    return parse(query, { maxTokens: OPERATION_LIMITS.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('Could not parse the operation')];
  }
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/**
 * Ends every operation of a socket with an error saying why, then closes it with 4403: what a
 * client sees when the key it connected with is revoked or changes role.
 */
async function closeForKeyChange(ctx: WsContext): Promise<void> {
  const { socket } = ctx.extra;
  const error = { message: KEY_CHANGED, extensions: { code: 'FORBIDDEN' } };
  for (const id of Object.keys(ctx.subscriptions)) {
    await new Promise<void>((resolve) => socket.send(stringifyMessage({ id, type: MessageType.Error, payload: [error] }), () => resolve()));
  }
  socket.close(CLOSE_FORBIDDEN, 'API key revoked or changed');
}

/**
 * graphql-ws on the same path as HTTP. A connection authenticates in `connection_init` (a missing
 * or bad key closes the socket with 4403); each operation then gets its own context, with the key
 * checked again (so a revoked or demoted key loses its rights, and org settings are read as they
 * are now), its own EntityManager fork, and the same validation limits as HTTP. Every few seconds
 * the keys of all open sockets are read again in one statement: a socket whose key was revoked or
 * changed role has its subscriptions ended and is closed with 4403.
 */
export function attachGraphqlWs(options: WsOptions): Disposable & { stats(): { connections: number; operations: number } } {
  const { schema, orm, authenticator } = options;
  const holders = new Map<WsContext, KeyHolder>();
  /** Every connection that passed `connection_init`, for the metrics. */
  const connected = new Set<WsContext>();
  const accepted = (ctx: WsContext): true => {
    connected.add(ctx);
    return true;
  };
  const customerSockets = new Map<WsContext, CustomerSocket>();
  const staffSockets = new Map<WsContext, StaffSocket>();
  const formatError = formatErrorFor(options.production, (error) => options.log('Unexpected error in a WebSocket operation', error));
  const rules: ValidationRule[] = [...specifiedRules, ...operationLimitRules(), ...(options.production ? [NoSchemaIntrospectionCustomRule] : [])];

  /** Closes the sockets whose customer token was revoked or expired (one check a token). */
  async function recheckCustomerSockets(): Promise<void> {
    if (!options.customers) return;
    for (const [ctx, socket] of customerSockets) {
      if (await options.customers.recheck(socket.token)) continue;
      customerSockets.delete(ctx);
      await closeForKeyChange(ctx);
    }
  }

  /** Closes the sockets whose staff token expired, or whose org's provider changed their rights or went. */
  async function recheckStaffSockets(): Promise<void> {
    if (!options.staff) return;
    for (const [ctx, socket] of staffSockets) {
      const now = await options.staff.recheck(socket.token);
      if (now && sameRights(socket.caller, now)) continue;
      staffSockets.delete(ctx);
      await closeForKeyChange(ctx);
    }
  }

  async function recheckOpenSockets(): Promise<void> {
    await recheckCustomerSockets();
    await recheckStaffSockets();
    if (holders.size === 0) return;
    const current = await authenticator.recheck([...holders.values()].map((holder) => holder.keyHash));
    for (const [ctx, holder] of holders) {
      const now = current.get(holder.keyHash);
      if (now && sameRights(holder.caller, now)) continue;
      holders.delete(ctx);
      await closeForKeyChange(ctx);
    }
  }
  let rechecking = false;
  const timer = setInterval(() => {
    if (rechecking) return;
    rechecking = true;
    recheckOpenSockets()
      .catch((error: unknown) => options.log('Could not check the API keys of open WebSockets', error))
      .finally(() => (rechecking = false));
  }, options.recheckMs);
  timer.unref();

  const server = useServer(
    {
      schema,
      isProd: options.production,
      async onConnect(ctx) {
        const token = tokenOf(ctx.connectionParams);
        if (options.staff && token !== undefined && !isApiKey(token)) {
          const staff = await options.staff.authenticate(token, clientAddress(ctx.extra.request));
          if (staff.kind === 'throttled') {
            ctx.extra.socket.close(CLOSE_THROTTLED, `Too many bad tokens: retry in ${staff.retryAfterSeconds} s`);
            return false;
          }
          if (staff.kind === 'refused') return false;
          if (staff.kind === 'ok') {
            staffSockets.set(ctx, { token, caller: staff.caller });
            return accepted(ctx);
          }
        }
        if (options.customers && token !== undefined && !isApiKey(token)) {
          const customer = await options.customers.authenticate(token, clientAddress(ctx.extra.request));
          if (customer.kind === 'throttled') {
            ctx.extra.socket.close(CLOSE_THROTTLED, `Too many bad tokens: retry in ${customer.retryAfterSeconds} s`);
            return false;
          }
          if (customer.kind !== 'ok') return false;
          customerSockets.set(ctx, { token, grant: customer.grant, org: customer.org });
          return accepted(ctx);
        }
        const outcome = await authenticator.authenticate(token, clientAddress(ctx.extra.request));
        if (outcome.kind === 'throttled') {
          ctx.extra.socket.close(CLOSE_THROTTLED, `Too many bad API keys: retry in ${outcome.retryAfterSeconds} s`);
          return false;
        }
        if (outcome.kind !== 'ok') return false;
        holders.set(ctx, { caller: outcome.caller, keyHash: outcome.keyHash });
        return accepted(ctx);
      },
      onClose(ctx) {
        connected.delete(ctx);
        holders.delete(ctx);
        customerSockets.delete(ctx);
        staffSockets.delete(ctx);
      },
      async onSubscribe(ctx, _id, payload) {
        // Counted before anything is awaited: operations arriving together each see the ones before.
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_SOCKET) {
          return [new GraphQLError(`A connection runs at most ${MAX_OPERATIONS_PER_SOCKET} operations at once: complete some, or open another connection.`, { extensions: { code: 'TOO_MANY_OPERATIONS' } })];
        }
        const customerSocket = customerSockets.get(ctx);
        const holder = holders.get(ctx);
        const staffSocket = staffSockets.get(ctx);
        if (!holder && !customerSocket && !staffSocket) return [forbidden(KEY_CHANGED)];
        const caller = holder ? await authenticator.callerOf(holder.keyHash) : staffSocket ? await options.staff?.recheck(staffSocket.token) : undefined;
        const grant = customerSocket && options.customers ? await options.customers.recheck(customerSocket.token) : null;
        const connectedAs = holder?.caller ?? staffSocket?.caller;
        if (connectedAs ? !caller || !sameRights(connectedAs, caller) : !grant) {
          holders.delete(ctx);
          customerSockets.delete(ctx);
          staffSockets.delete(ctx);
          await closeForKeyChange(ctx);
          return [forbidden(KEY_CHANGED)];
        }
        const document = parseWithLimits(payload.query);
        if (!('kind' in document)) return document;
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return options.production ? errors.map(withoutSchemaHints) : errors;
        if (!getOperationAST(document, payload.operationName)) {
          return [new GraphQLError('Could not determine which operation to run')];
        }
        const cost = operationCost(schema, document, payload.operationName, payload.variables);
        if (cost > OPERATION_LIMITS.maxCost) return [costLimitError(OPERATION_LIMITS.maxCost, cost)];
        if (grant && customerSocket) {
          const problems = customerAccessProblems(schema, document, grant);
          if (problems.length > 0) return [customerForbidden(problems)];
          return {
            schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue: createCustomerRequestContext(grant, customerSocket.org, orm.em.fork({ clear: true }), { statements: 0 }, options.runtime),
          };
        }
        if (!caller) return [forbidden(KEY_CHANGED)];
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
  return {
    stats() {
      let operations = 0;
      for (const ctx of connected) operations += Object.keys(ctx.subscriptions).length;
      return { connections: connected.size, operations };
    },
    async dispose() {
      clearInterval(timer);
      await server.dispose();
    },
  };
}
