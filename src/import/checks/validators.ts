import { DomainError } from '../../core/errors.js';
import { notInFuture } from '../../core/input-rules.js';
import { normaliseMobile } from '../../domain/customer/customer.service.js';
import type { ImportIdentifierType, ImportOptions } from '../import.options.js';
import type { RowReader } from '../profiles/profile.js';
import { parseDateTime, DEFAULT_DATE_FORMAT, DATE_FORMATS } from './date-formats.js';
import type { ReferenceData } from './reference-data.js';

/**
 * Per-row checks shared by the profiles. Each reads one field, reports what is wrong (or what it
 * corrected) on the row, and returns the clean value, or null when the field is empty or invalid.
 */

/** A simple, widely used address pattern (what HTML's type=email accepts). */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
/** Letters (any script, with their marks), spaces, apostrophes, hyphens and periods. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.\-]*$/u;

export function requireValue(row: RowReader, field: string, label = field): string | null {
  const value = row.value(field);
  if (value === undefined || value === '') {
    row.error('VALUE_MISSING', field, value, `${label} is empty.`);
    return null;
  }
  return value;
}

export function maxLength(row: RowReader, field: string, value: string | null, limit: number): string | null {
  if (value !== null && value.length > limit) {
    row.error('VALUE_TOO_LONG', field, value, `${field} is longer than ${limit} characters.`);
    return null;
  }
  return value;
}

/**
 * A mobile as digits with country code. Spaces, dashes, brackets and a leading + are removed;
 * with appendCountryCode, the org's calling code is prefixed when the number only matches the
 * org's pattern with it; unless skipMobileValidation, the result must match the pattern.
 */
export function checkMobile(row: RowReader, field: string, refs: ReferenceData, options: ImportOptions): string | null {
  const raw = row.value(field);
  if (!raw) return null;
  let mobile = normaliseMobile(raw);
  if (mobile !== raw) row.correct('MOBILE_NORMALISED', field, raw, mobile, `The mobile was written as ${mobile}.`);
  if (!/^[0-9]{4,20}$/.test(mobile)) {
    row.error('INVALID_MOBILE', field, raw, `"${raw}" is not a mobile number.`);
    return null;
  }
  const pattern = refs.mobilePattern;
  if (options.appendCountryCode && !pattern.test(mobile)) {
    const prefixed = `${refs.countryCallingCode}${mobile}`;
    if (pattern.test(prefixed) || options.skipMobileValidation) {
      row.correct('COUNTRY_CODE_APPENDED', field, mobile, prefixed, `The country code ${refs.countryCallingCode} was prefixed: ${prefixed}.`);
      mobile = prefixed;
    }
  }
  if (!options.skipMobileValidation && !pattern.test(mobile)) {
    row.error('INVALID_MOBILE', field, raw, `The mobile ${mobile} does not match the org's mobile pattern ${pattern.source}.`);
    return null;
  }
  return mobile.length > 20 ? (row.error('VALUE_TOO_LONG', field, raw, 'A mobile has at most 20 digits.'), null) : mobile;
}

export function checkEmail(row: RowReader, field: string, options: ImportOptions): string | null {
  const raw = row.value(field);
  if (!raw) return null;
  const email = raw.toLowerCase();
  if (email !== raw) row.correct('EMAIL_LOWERCASED', field, raw, email, `The email was written as ${email}.`);
  if (email.length > 254 || (!options.skipEmailValidation && !EMAIL.test(email))) {
    row.error('INVALID_EMAIL', field, raw, `"${raw}" is not a valid email address.`);
    return null;
  }
  return email;
}

export function checkName(row: RowReader, field: string): string | null {
  const value = row.value(field);
  if (!value) return null;
  if (!NAME.test(value)) {
    row.error('NAME_HAS_SPECIAL_CHARACTERS', field, value, `"${value}" has characters other than letters, spaces, apostrophes, hyphens and periods.`);
    return null;
  }
  return maxLength(row, field, value, 100);
}

/** A date in the template's format, in the org's zone unless it carries an offset; null (and an error) when it does not parse. */
export function checkDate(row: RowReader, field: string, value: string, refs: ReferenceData, options: ImportOptions, invalidCode = 'VALUE_INVALID'): Date | null {
  const format = options.dateFormat ?? DEFAULT_DATE_FORMAT;
  const parsed = parseDateTime(value, format, refs.timeZone);
  if (!parsed) {
    row.error(invalidCode, field, value, `"${value}" is not a date in the format ${DATE_FORMATS[format].pattern} (e.g. ${DATE_FORMATS[format].sample}).`);
    return null;
  }
  return parsed;
}

/**
 * A mandatory date-time in the template's format (DATE_INVALID otherwise). With `notAfter`, it may
 * not lie later than that: the services' own rule (`notInFuture`), so a row fails here, not at merge.
 */
export function checkRequiredDate(row: RowReader, field: string, refs: ReferenceData, options: ImportOptions, notAfter?: Date): Date | null {
  const value = requireValue(row, field);
  if (value === null) return null;
  const date = checkDate(row, field, value, refs, options, 'DATE_INVALID');
  if (date && notAfter) {
    try {
      notInFuture(date, notAfter, [field]);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      row.error('DATE_IN_FUTURE', field, value, `${value} is in the future.`);
      return null;
    }
  }
  return date;
}

/** A whole number within bounds; null when empty; an error when not a number. */
export function checkInteger(row: RowReader, field: string, code: string, min = 0, max = 2_000_000_000): number | null {
  const value = row.value(field);
  if (!value) return null;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    row.error(code, field, value, `"${value}" is not a whole number between ${min} and ${max}.`);
    return null;
  }
  return Number(value);
}

/** A decimal amount with at most 2 decimals; null when empty; an error when not one. */
export function checkAmount(row: RowReader, field: string, { positive = false, max = 1e12 } = {}): number | null {
  const value = row.value(field);
  if (!value) return null;
  if (!/^-?\d+(\.\d{1,2})?$/.test(value) || Number(value) > max || (positive ? Number(value) <= 0 : Number(value) < 0)) {
    row.error('VALUE_INVALID', field, value, `"${value}" is not ${positive ? 'a positive' : 'an'} amount with at most 2 decimals.`);
    return null;
  }
  return Number(value);
}

export function checkBoolean(row: RowReader, field: string): boolean | null {
  const value = row.value(field);
  if (!value) return null;
  const lower = value.toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(lower)) return true;
  if (['false', 'no', '0', 'n'].includes(lower)) return false;
  row.error('VALUE_INVALID', field, value, `"${value}" is not true or false.`);
  return null;
}

export function checkChoice<const T extends string>(row: RowReader, field: string, choices: readonly T[], code = 'VALUE_INVALID', aliases: Readonly<Record<string, T>> = {}): T | null {
  const value = row.value(field);
  if (!value) return null;
  const upper = value.toUpperCase();
  const choice = aliases[value.toLowerCase()] ?? choices.find((candidate) => candidate === upper);
  if (!choice) {
    row.error(code, field, value, `"${value}" is not one of ${choices.join(', ')}.`);
    return null;
  }
  return choice;
}

/** A mandatory value that must be one of `choices` (VALUE_MISSING when empty, `code` when another value). */
export function requireChoice<const T extends string>(row: RowReader, field: string, choices: readonly T[], code = 'VALUE_INVALID', aliases: Readonly<Record<string, T>> = {}): T | null {
  return requireValue(row, field) === null ? null : checkChoice(row, field, choices, code, aliases);
}

/**
 * The store a row names, by code (or external id with storesByExternalId). An unknown or empty
 * store is replaced by the template's replacement store when it has one (a correction), else an error.
 */
export function checkStore(row: RowReader, field: string, refs: ReferenceData, options: ImportOptions, mandatory: boolean): number | null {
  const value = row.value(field) ?? '';
  if (!value && !mandatory) return null;
  const found = value ? (options.storesByExternalId ? refs.storesByExternalId.get(value) : refs.storesByCode.get(value)) : undefined;
  if (found !== undefined) return found;
  if (options.replacementStoreId !== undefined && refs.storeCodeById.has(options.replacementStoreId)) {
    const replacement = refs.storeCodeById.get(options.replacementStoreId)!;
    row.correct('STORE_REPLACED', field, value, replacement, `${value ? `The unknown store "${value}"` : 'The missing store'} was replaced by ${replacement}.`);
    return options.replacementStoreId;
  }
  row.error('STORE_UNKNOWN', field, value, value ? `The org has no store ${options.storesByExternalId ? 'with external id' : ''} "${value}".`.replace('  ', ' ') : 'The row names no store.');
  return null;
}

/** The customer identifier of a row, normalised as the identifier type stores it; null (with an error) when missing or invalid. */
export function checkIdentifier(row: RowReader, type: ImportIdentifierType, field: string, refs: ReferenceData, options: ImportOptions): string | null {
  const value = row.value(field);
  if (!value) {
    row.error('VALUE_MISSING', field, value, `The customer identifier (${field}) is empty.`);
    return null;
  }
  switch (type) {
    case 'MOBILE':
      return checkMobile(row, field, refs, options);
    case 'EMAIL':
      return checkEmail(row, field, options);
    case 'EXTERNAL_ID':
      return maxLength(row, field, value, 100);
    case 'USER_ID':
      if (!/^[1-9][0-9]{0,15}$/.test(value)) {
        row.error('VALUE_INVALID', field, value, `"${value}" is not a user id.`);
        return null;
      }
      return value;
  }
}
