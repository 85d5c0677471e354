import type { CustomerRef } from '../../domain/customer/customer.service.js';
import type { ImportIdentifierType } from '../import.options.js';
import type { ReferenceData } from '../checks/reference-data.js';
import { checkIdentifier } from '../checks/validators.js';
import { identifierField } from './catalog.js';
import type { JobContext, RowIssue, RowReader, StageTable } from './profile.js';
import type { MergeRow } from './service-merge.js';
import type { IssueQuery } from './set-checks.js';

/**
 * How the rows of a profile find their customer: each row carries one identifier (the template's
 * identifier type), staged normalised in its `ident` column; SQL joins it to the org's customer,
 * and a service takes it as a `CustomerRef`.
 */

export function identifierType(ctx: JobContext): ImportIdentifierType {
  return ctx.job.options.customerIdentifierType ?? 'MOBILE';
}

/** The row's customer identifier, normalised as its type stores it; null (with an error on the row) when missing or invalid. */
export function prepareIdentifier(ctx: JobContext, refs: ReferenceData, row: RowReader, field = identifierField(ctx.job.options)): string | null {
  return checkIdentifier(row, identifierType(ctx), field, refs, ctx.job.options);
}

/** Joins `alias`, the customer of the org whose identifier of `type` is the SQL expression `value`. */
export function customerByIdentifier(type: ImportIdentifierType, orgId: number, alias: string, value: string, join = 'join'): string {
  switch (type) {
    case 'MOBILE':
      return `${join} customer ${alias} on ${alias}.org_id = ${orgId} and ${alias}.mobile = ${value}`;
    case 'EMAIL':
      return `${join} customer ${alias} on ${alias}.org_id = ${orgId} and ${alias}.email = ${value}`;
    case 'EXTERNAL_ID':
      return `${join} (customer_external_id ${alias}_x join customer ${alias} on ${alias}.id = ${alias}_x.customer_id) on ${alias}_x.org_id = ${orgId} and ${alias}_x.value = ${value}`;
    case 'USER_ID':
      return `${join} customer ${alias} on ${alias}.org_id = ${orgId} and ${alias}.id = (${value})::bigint`;
  }
}

/** Rows whose identifier (staged in `column`) names no customer of the org. */
export function customerNotFound(ctx: JobContext, stage: StageTable, column = 'ident', field = identifierField(ctx.job.options)): IssueQuery {
  const type = identifierType(ctx);
  return {
    code: 'CUSTOMER_NOT_FOUND',
    field,
    value: `s.${column}`,
    message: `'No customer of the org has the ${type.toLowerCase().replace('_', ' ')} ' || s.${column} || '.'`,
    from: `${stage.name} s ${customerByIdentifier(type, ctx.org.id, 'c', `s.${column}`, 'left join')}`,
    where: `s.${column} is not null and c.id is null`,
  };
}

/** The customer a staged identifier names, as the services take it (they report CUSTOMER_NOT_FOUND themselves). */
export function customerRef(ctx: JobContext, ident: string): CustomerRef {
  return { type: identifierType(ctx), value: ident };
}

/** Joins `c`, the customer a staged row's identifier names (none: `c.id` is null), for a merge to read `c.id as customer_id`. */
export function customerOfRow(ctx: JobContext): string {
  return customerByIdentifier(identifierType(ctx), ctx.org.id, 'c', 's.ident', 'left join');
}

/** The error of a merged row whose customer was there when the rows were checked and is not any more. */
export function customerGoneIssue(ctx: JobContext, row: MergeRow & { readonly ident: string }): RowIssue {
  const type = identifierType(ctx).toLowerCase().replace('_', ' ');
  return { row: row.row, line: row.line, kind: 'ERROR', code: 'CUSTOMER_NOT_FOUND', field: identifierField(ctx.job.options), value: row.ident, corrected: null, message: `No customer of the org has the ${type} ${row.ident} any more.` };
}
