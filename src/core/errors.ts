/**
 * Business failures the caller can act on are data, not exceptions: every mutation payload has
 * `userErrors { code message field }`. Services throw a DomainError; `payload()` turns it into a
 * UserError (and the transaction it was thrown in rolls back, so nothing is half-written).
 * Top-level GraphQL errors stay for malformed requests, auth failures and bugs.
 */

/** A feature's error codes, each with the description clients see in the schema. */
export type ErrorCodeDescriptions<C extends string> = { readonly [K in C]: string };

/** Declares a feature's codes (in `<feature>.errors.ts`); returns `{ CODE: 'CODE' }` for use in code. */
export function errorCodes<const C extends string>(descriptions: ErrorCodeDescriptions<C>): { readonly [K in C]: K } & { readonly descriptions: ErrorCodeDescriptions<C> } {
  const codes = Object.fromEntries(Object.keys(descriptions).map((code) => [code, code])) as { [K in C]: K };
  return Object.assign(codes, { descriptions });
}

/** Codes every feature may use. */
export const CommonErrorCode = errorCodes({
  INVALID_INPUT: 'A value of the input is not acceptable; `field` names it and `message` says why.',
  NOT_FOUND: 'Something the input refers to does not exist in your org; `field` names the reference.',
  IDEMPOTENCY_KEY_REUSED: 'The idempotency key was already used for a different input.',
  CONFLICT: 'The change conflicts with data written at the same time; retry it.',
});

export class DomainError<C extends string = string> extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: C,
    message: string,
    /** Path to the input field at fault, e.g. ['input', 'points']. */
    readonly field: readonly string[] | null = null,
  ) {
    super(message);
  }
}

/** Several business failures found at once (e.g. every problem of a template), reported together. */
export class DomainErrors extends Error {
  override readonly name = 'DomainErrors';

  constructor(readonly errors: readonly DomainError[]) {
    super(errors.map((error) => error.message).join(' '));
  }
}

/** Throws the errors collected, if any: one DomainError alone, several as DomainErrors. */
export function throwIfAny(errors: readonly DomainError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DomainErrors(errors);
}

/** The GraphQL shape of a business failure (see user-error.type.ts). */
export interface UserError {
  readonly code: string;
  readonly message: string;
  readonly field: string[] | null;
}

/** What a mutation returns: its result fields plus `userErrors` (empty on success). */
export type Payload<T extends object> = (T | { [K in keyof T]?: null }) & { userErrors: UserError[] };

function constraintOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; constraint?: unknown; cause?: unknown } | null;
  if (!candidate || typeof candidate !== 'object') return undefined;
  if ((candidate.code === '23505' || candidate.code === '23514') && typeof candidate.constraint === 'string') return candidate.constraint;
  return candidate.cause ? constraintOf(candidate.cause) : undefined;
}

/** Maps a thrown value to user errors, or undefined when it is not a business failure (a bug, an auth failure). */
export function toUserErrors(error: unknown): UserError[] | undefined {
  if (error instanceof DomainErrors) return error.errors.flatMap((one) => toUserErrors(one) ?? []);
  if (error instanceof DomainError) return [{ code: error.code, message: error.message, field: error.field ? [...error.field] : null }];
  return undefined;
}

/**
 * Runs a write whose unique constraint settles a race that the checks before it lost (two requests
 * passed them at once): a violation of `constraint` becomes the business failure `refusal` makes,
 * any other error passes as it is.
 */
export async function refusedOnConflict<T>(constraint: string, refusal: () => DomainError, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (constraintOf(error) === constraint) throw refusal();
    throw error;
  }
}

/** Runs a mutation's service call and shapes its payload: the result, or the user error it failed with. */
export async function payload<T extends object>(work: () => Promise<T>): Promise<Payload<T>> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (error) {
    const userErrors = toUserErrors(error);
    if (!userErrors) throw error;
    return { userErrors } as Payload<T>;
  }
}

/**
 * The caller's role may not do this: an auth failure, reported as a top-level FORBIDDEN error (HTTP
 * 403), not a business one. GraphQL takes the code from `extensions` when it wraps the error.
 */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  readonly extensions = { code: 'FORBIDDEN', http: { status: 403 } } as const;
}
