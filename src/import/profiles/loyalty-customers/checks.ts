import { lifetimeCredit } from '../../../domain/points/ledger.js';
import type { ImportIdentifierType } from '../../import.options.js';
import { identifierField, maps, mayUpdate } from '../catalog.js';
import { customerByIdentifier, identifierType } from '../customer-match.js';
import type { JobContext, StageTable } from '../profile.js';
import { duplicatesInFile, recordIssuesOf, type IssueQuery } from '../set-checks.js';
import { buildOwners, buildRowTable, keepsExternalIdOwners, matchTable, ownersTable } from './tables.js';

/** The staged column holding each identifier type's value (a user id is no column of its own). */
const IDENTIFIER_COLUMNS: Record<ImportIdentifierType, string | undefined> = { MOBILE: 'mobile', EMAIL: 'email', EXTERNAL_ID: 'external_id', USER_ID: undefined };

export async function check(ctx: JobContext, stage: StageTable): Promise<void> {
  const org = ctx.org.id;
  const type = identifierType(ctx);
  const match = matchTable(stage);
  const options = ctx.job.options;
  const owners = keepsExternalIdOwners(ctx);
  // Which existing customer each row is about (or none: a new customer), and who holds each row's
  // external id: two joins of every staged row, side by side.
  await Promise.all([
    buildRowTable(
      ctx,
      match,
      `select s.row, c.id as customer_id, c.mobile, sl.standard_status, c.fraud_status
       from ${stage.name} s ${customerByIdentifier(type, org, 'c', 's.ident')} left join status_label sl on sl.id = c.status_label_id
       where s.ident is not null`,
    ),
    owners ? buildOwners(ctx, stage) : undefined,
  ]);

  // A column the template does not map is staged empty: its checks would read every row for nothing.
  const checks: IssueQuery[] = [];
  for (const [column, field, code, label] of [
    ['mobile', 'mobile', 'DUPLICATE_MOBILE_IN_FILE', 'mobile'],
    ['email', 'email', 'DUPLICATE_EMAIL_IN_FILE', 'email'],
    ['external_id', 'externalId', 'DUPLICATE_EXTERNAL_ID_IN_FILE', 'external id'],
  ] as const) {
    if (maps(ctx.job, field)) checks.push(duplicatesInFile(stage, { code, field, columns: [column], label }));
  }
  if (type === 'USER_ID') {
    checks.push({
      code: 'CUSTOMER_NOT_FOUND',
      field: 'userId',
      value: 's.ident',
      message: `'No customer has the user id ' || s.ident || ': rows identified by user id only update existing customers.'`,
      from: `${stage.name} s left join ${match} m on m.row = s.row`,
      where: 's.ident is not null and m.row is null',
    });
  }
  if (options.disableUpdate) {
    checks.push({
      code: 'CUSTOMER_UPDATE_DISABLED',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' already exists and this template does not update existing customers.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
    });
  }
  checks.push(
    {
      code: 'CUSTOMER_INACTIVE',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' is ' || lower(m.standard_status) || ' and cannot be changed by an import.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: `m.standard_status in ('SUSPENDED', 'DELETED')`,
    },
    {
      code: 'CUSTOMER_FRAUD',
      field: identifierField(options),
      value: 's.ident',
      message: `'Customer ' || m.customer_id || ' is marked as fraud and cannot be changed by an import.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: `(m.standard_status in ('FRAUD_SUSPECTED', 'FRAUD_CONFIRMED') or m.fraud_status in ('MARKED', 'CONFIRMED', 'RECONFIRMED'))`,
    },
    {
      code: 'MOBILE_CHANGE_NOT_ALLOWED',
      field: 'mobile',
      value: 's.mobile',
      message: `'Customer ' || m.customer_id || ' has the mobile ' || m.mobile || '; an import cannot change it to ' || s.mobile || '.'`,
      from: `${stage.name} s join ${match} m on m.row = s.row`,
      where: 's.mobile is not null and m.mobile is not null and m.mobile <> s.mobile',
    },
  );
  // Another customer's mobile, email or external id. Not for the column the rows are matched by:
  // the customer holding a row's identifier is the row's own customer (the keys are unique).
  const ownColumn = IDENTIFIER_COLUMNS[type];
  const belongsToOther: IssueQuery[] = [
    {
      code: 'MOBILE_BELONGS_TO_OTHER_CUSTOMER',
      field: 'mobile',
      value: 's.mobile',
      message: `'The mobile ' || s.mobile || ' is already registered to another customer.'`,
      from: `${stage.name} s join customer o on o.org_id = ${org} and o.mobile = s.mobile left join ${match} m on m.row = s.row`,
      where: 'o.id is distinct from m.customer_id',
    },
    {
      code: 'EMAIL_BELONGS_TO_OTHER_CUSTOMER',
      field: 'email',
      value: 's.email',
      message: `'The email ' || s.email || ' is already registered to another customer.'`,
      from: `${stage.name} s join customer o on o.org_id = ${org} and o.email = s.email left join ${match} m on m.row = s.row`,
      where: 'o.id is distinct from m.customer_id',
    },
    {
      code: 'EXTERNAL_ID_BELONGS_TO_OTHER_CUSTOMER',
      field: 'externalId',
      value: 's.external_id',
      message: `'The external id ' || s.external_id || ' is already associated with another customer.'`,
      // The owners found above (built whenever this check runs): `s` has the staged row's row, line and external id.
      from: `${ownersTable(stage)} s left join ${match} m on m.row = s.row`,
      where: 's.customer_id is distinct from m.customer_id',
    },
  ];
  checks.push(...belongsToOther.filter((query) => query.value !== `s.${ownColumn}` && maps(ctx.job, query.field)));
  checks.push(
    {
      code: 'JOIN_DATE_MISSING',
      field: 'joinedAt',
      value: 'null',
      message: `'A new customer needs a join date.'`,
      from: `${stage.name} s left join ${match} m on m.row = s.row`,
      where: 's.joined_empty and m.row is null',
    },
    {
      code: 'PARENT_IS_SELF',
      field: 'parent',
      value: 's.parent_ident',
      message: `'A customer cannot be its own fleet parent.'`,
      from: `${stage.name} s`,
      where: 's.parent_ident = s.ident',
    },
    {
      code: 'PARENT_NOT_FOUND',
      field: 'parent',
      value: 's.parent_ident',
      message: `'The fleet parent ' || s.parent_ident || ' is neither a customer of the org nor a customer of this file.'`,
      from: `${stage.name} s`,
      where: `s.parent_ident is not null and s.parent_ident <> coalesce(s.ident, '')
        and not exists (select 1 from ${stage.name} p where p.ident = s.parent_ident)
        and not exists (select 1 from ${stage.name} x ${customerByIdentifier(type, org, 'p', 'x.parent_ident')} where x.row = s.row)`,
    },
  );
  const pointsCheck = pointsChangeOfExistingCustomers(ctx, stage);
  if (pointsCheck) checks.push(pointsCheck);
  await recordIssuesOf(ctx, stage, checks);
}

/**
 * Rows that would give an existing customer other points than its ledger holds (in the default
 * program), where the template may update them. The same values are fine: a file imported again.
 */
function pointsChangeOfExistingCustomers(ctx: JobContext, stage: StageTable): IssueQuery | undefined {
  const balance = mayUpdate(ctx.job, 'loyaltyPoints');
  const lifetime = mayUpdate(ctx.job, 'lifetimePoints');
  if (!balance && !lifetime) return undefined;
  return {
    code: 'POINTS_CHANGE_NOT_ALLOWED',
    field: 'loyaltyPoints',
    value: `concat_ws(' / ', s.loyalty_points, s.lifetime_points)`,
    message: `'Customer ' || m.customer_id || ' has ' || p.balance || ' points (' || p.lifetime || ' lifetime) in its ledger: an import carries points over for new customers only.'`,
    from: `${stage.name} s join ${matchTable(stage)} m on m.row = s.row
           join loyalty_program lp on lp.org_id = ${ctx.org.id} and lp.is_default
           cross join lateral (
             select coalesce(sum(x.points), 0) as balance, coalesce(sum(x.points) filter (where ${lifetimeCredit('x')}), 0) as lifetime
             from points_ledger_entry x where x.org_id = ${ctx.org.id} and x.program_id = lp.id and x.customer_id = m.customer_id
           ) p`,
    where: `(${balance} and s.loyalty_points is distinct from p.balance and s.loyalty_points is not null)
         or (${lifetime} and s.lifetime_points is distinct from p.lifetime and s.lifetime_points is not null)`,
  };
}
