import { CommonErrorCode, DomainError } from './errors.js';

/**
 * Checks every service applies to plain input, the same for a GraphQL mutation and an import
 * row: a value that fails one is an INVALID_INPUT user error naming the field, never a crash.
 */

/** Path of an input field, e.g. ['input', 'points']; imports pass their own paths. */
export type FieldPath = readonly string[];

function invalid(field: FieldPath, message: string): DomainError {
  return new DomainError(CommonErrorCode.INVALID_INPUT, message, field);
}

function nameOf(field: FieldPath): string {
  return field.at(-1) ?? 'value';
}

/** Trimmed, not blank, at most `max` characters. */
export function requiredText(value: string | null | undefined, field: FieldPath, max: number): string {
  const text = value?.trim() ?? '';
  if (!text) throw invalid(field, `${nameOf(field)} is required.`);
  if (text.length > max) throw invalid(field, `${nameOf(field)} must be at most ${max} characters.`);
  return text;
}

/** Trimmed; blank reads as null; at most `max` characters. */
export function optionalText(value: string | null | undefined, field: FieldPath, max: number): string | null {
  const text = value?.trim() ?? '';
  if (!text) return null;
  if (text.length > max) throw invalid(field, `${nameOf(field)} must be at most ${max} characters.`);
  return text;
}

/** A whole number from 1 to `max`. */
export function positiveInteger(value: number, field: FieldPath, max = 2_147_483_647): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalid(field, `${nameOf(field)} must be a whole number from 1 to ${max}.`);
  }
  return value;
}

/** Largest amount a numeric(14,2) column holds. */
const MAX_AMOUNT = 999_999_999_999.99;

/** A positive amount of money with at most two decimals (bill amounts, line amounts). */
export function moneyAmount(value: number, field: FieldPath, options: { allowZero?: boolean; max?: number } = {}): number {
  const cents = Math.round(value * 100);
  const lowest = options.allowZero ? 0 : 0.01;
  const highest = options.max ?? MAX_AMOUNT;
  if (!Number.isFinite(value) || value < lowest || value > highest) {
    throw invalid(field, `${nameOf(field)} must be ${options.allowZero ? 'zero or more' : 'positive'} and at most ${highest}.`);
  }
  if (Math.abs(value * 100 - cents) > 1e-6) throw invalid(field, `${nameOf(field)} may have at most two decimals.`);
  return cents / 100;
}

/** A positive quantity with at most three decimals (a weight, say). */
export function quantity(value: number, field: FieldPath): number {
  const thousandths = Math.round(value * 1000);
  if (!Number.isFinite(value) || value <= 0 || value > 999_999_999) throw invalid(field, `${nameOf(field)} must be positive.`);
  if (Math.abs(value * 1000 - thousandths) > 1e-6) throw invalid(field, `${nameOf(field)} may have at most three decimals.`);
  return thousandths / 1000;
}

/** An instant no later than `now` plus a little clock skew between the caller and us. */
export function notInFuture(instant: Date, now: Date, field: FieldPath, skewMs = 5 * 60_000): Date {
  if (Number.isNaN(instant.getTime())) throw invalid(field, `${nameOf(field)} is not a valid date-time.`);
  if (instant.getTime() > now.getTime() + skewMs) throw invalid(field, `${nameOf(field)} cannot be in the future.`);
  return instant;
}
