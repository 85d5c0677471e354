import { createMethodMiddlewareDecorator } from 'type-graphql';
import type { StaffRole } from '../domain/auth/api-key.entity.js';
import { assertCanWrite, assertRole } from '../domain/auth/roles.js';
import type { RequestContext } from './context.js';

/*
 * Who may call a root field is declared on it, and checked before its arguments are read or its
 * body runs. The checks are the ones `POST /imports` and the import rights use, so a refusal is
 * the same top-level FORBIDDEN error (HTTP 403), with the same message, wherever it comes from.
 */

/** Only keys that may change data (every role but VIEWER). */
export function AllowWriters(): MethodDecorator {
  return createMethodMiddlewareDecorator<RequestContext>(async ({ context }, next) => {
    assertCanWrite(context);
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
