import { createMethodMiddlewareDecorator } from 'type-graphql';
import type { StaffRole } from '../domain/auth/api-key.entity.js';
import { assertCanWrite, assertRole } from '../domain/auth/roles.js';
import type { RequestContext } from './context.js';

/*
 * Who may call a root field is declared on it, and checked before its arguments are read or its
 * body runs. The checks are the ones `POST /imports` and the import rights use, so a refusal is
 * the same top-level FORBIDDEN error (HTTP 403), with the same message, wherever it comes from.
 */

/**
 * Only keys that may change data (every role but VIEWER), and customers' tokens: those reach a
 * mutation only when `customer-access.ts` opens it to them, with its scope, checked before
 * anything runs; the mutation then acts on the token's customer alone (`ownCustomerId`).
 */
export function AllowWriters(): MethodDecorator {
  return createMethodMiddlewareDecorator<RequestContext>(async ({ context }, next) => {
    if (!context.customer) assertCanWrite(context);
    return next();
  });
}

/** Only the roles listed; `what` ends the refusal's sentence ("Only ADMIN keys can {what}; …"). */
export function AllowRoles(roles: readonly StaffRole[], what: string): MethodDecorator {
  return createMethodMiddlewareDecorator<RequestContext>(async ({ context }, next) => {
    assertRole(context, roles, what);
    return next();
  });
}
