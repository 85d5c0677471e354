import { toDate } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import { quantity } from '../../core/input-rules.js';
import { TransactionErrorCode } from '../../domain/transaction/transaction.errors.js';
import { addTransaction, businessDayOf, MAX_BILL_AMOUNT } from '../../domain/transaction/transaction.service.js';
import { UserGroupErrorCode } from '../../domain/user-group/user-group.errors.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkAmount, checkRequiredDate, checkStore, maxLength, requireValue } from '../checks/validators.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StageTable, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { duplicatesInFile, recordIssuesOf, type IssueQuery } from './set-checks.js';

/**
 * Transactions: one row is one purchase (with at most one line item, and optionally the group it
 * was made for). Each row is checked on its own (customer identifier, bill number and amount, the
 * date in the template's format, read in the org's time zone unless it carries an offset, store,
 * line item), then across the file (a bill number twice for one store and business day rejects
 * both rows) and against the org (customer, group). Each accepted row is recorded by
 * `addTransaction`, the service behind `transactionAdd`: points by the program's rule and tier,
 * lifetime purchases, tier upgrades. A bill is unique per store and business day: that is what
 * makes a row merged again write nothing (TRANSACTION_DUPLICATE), and why a dry run merges and
 * rolls back (a row's points and tier depend on the rows before it).
 *
 * validateTransactionNumbers, for transactions: bill numbers must be well formed (letters, digits
 * and - _ / . , starting with a letter or digit: BILL_NUMBER_INVALID), and a bill the store
 * already has that day is reported while validating (TRANSACTION_DUPLICATE), so a file's report
 * names them before anything is merged.
 */

/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = {
  TRANSACTION_DUPLICATE: TransactionErrorCode.descriptions.TRANSACTION_DUPLICATE,
  CUSTOMER_NOT_IN_GROUP: UserGroupErrorCode.descriptions.CUSTOMER_NOT_IN_GROUP,
};

const WELL_FORMED_BILL_NUMBER = /^[A-Za-z0-9][A-Za-z0-9\-_/.]*$/;
const LINE_ITEM_FIELDS = ['itemSku', 'itemDescription', 'itemQuantity', 'itemAmount'] as const;

const STAGING = [
  { name: 'ident', type: 'text' },
  { name: 'bill_number', type: 'text' },
  { name: 'bill_amount', type: 'numeric' },
  { name: 'occurred_at', type: 'timestamptz' },
  /** The business day, for the uniqueness of bills. */
  { name: 'bill_date', type: 'date' },
  { name: 'store_id', type: 'bigint' },
  { name: 'group_external_id', type: 'text' },
  { name: 'item_sku', type: 'text' },
  { name: 'item_description', type: 'text' },
  { name: 'item_quantity', type: 'numeric' },
  { name: 'item_amount', type: 'numeric' },
] as const;

interface StagedTransactionRow extends MergeRow {
  readonly ident: string;
  readonly billNumber: string;
  readonly billAmount: string;
  readonly billDate: Date | string;
  readonly storeId: string;
  readonly groupExternalId: string | null;
  readonly groupId: string | null;
  readonly itemSku: string | null;
  readonly itemDescription: string | null;
  readonly itemQuantity: string | null;
  readonly itemAmount: string | null;
}

function checkBillNumber(ctx: JobContext, row: RowReader): string | null {
  const bill = maxLength(row, 'billNumber', requireValue(row, 'billNumber'), 100);
  if (bill !== null && ctx.job.options.validateTransactionNumbers && !WELL_FORMED_BILL_NUMBER.test(bill)) {
    row.error('BILL_NUMBER_INVALID', 'billNumber', bill, `"${bill}" is not a well-formed bill number: letters, digits and - _ / . only, starting with a letter or digit.`);
    return null;
  }
  return bill;
}

/** The row's line item, if it has one: a SKU, then a quantity (1 by default) and an amount (the bill's by default). */
function lineItemOf(row: RowReader, billAmount: number | null): [string | null, string | null, number | null, number | null] {
  if (!LINE_ITEM_FIELDS.some((field) => row.value(field))) return [null, null, null, null];
  const sku = maxLength(row, 'itemSku', requireValue(row, 'itemSku'), 100);
  const description = maxLength(row, 'itemDescription', row.value('itemDescription') || null, 500);
  const rawQuantity = row.value('itemQuantity');
  let itemQuantity: number | null = 1;
  if (rawQuantity) {
    try {
      itemQuantity = quantity(/^[0-9.]+$/.test(rawQuantity) ? Number(rawQuantity) : Number.NaN, ['itemQuantity']);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      row.error('VALUE_INVALID', 'itemQuantity', rawQuantity, `"${rawQuantity}" is not a quantity: ${error.message}`);
      itemQuantity = null;
    }
  }
  return [sku, description, itemQuantity, checkAmount(row, 'itemAmount') ?? billAmount];
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const options = ctx.job.options;
  const billAmount = requireValue(row, 'billAmount') === null ? null : checkAmount(row, 'billAmount', { positive: true, max: MAX_BILL_AMOUNT });
  const occurredAt = checkRequiredDate(row, 'billDate', refs, options, ctx.clock.now());
  return [
    prepareIdentifier(ctx, refs, row),
    checkBillNumber(ctx, row),
    billAmount,
    occurredAt,
    occurredAt && businessDayOf(occurredAt, refs.timeZone),
    checkStore(row, 'storeCode', refs, options, true),
    maxLength(row, 'groupExternalId', row.value('groupExternalId') || null, 100),
    ...lineItemOf(row, billAmount),
  ];
}

function groupNotFound(ctx: JobContext, stage: StageTable): IssueQuery {
  return {
    code: 'GROUP_NOT_FOUND',
    field: 'groupExternalId',
    value: 's.group_external_id',
    message: `'The org has no user group with the external id ' || s.group_external_id || '.'`,
    from: `${stage.name} s left join user_group g on g.org_id = ${ctx.org.id} and g.external_id = s.group_external_id`,
    where: 's.group_external_id is not null and g.id is null',
  };
}

/** validateTransactionNumbers: the store already has the bill that day (the service would refuse it while merging). */
function billAlreadyThere(ctx: JobContext, stage: StageTable): IssueQuery {
  return {
    code: 'TRANSACTION_DUPLICATE',
    field: 'billNumber',
    value: 's.bill_number',
    message: `'The store already has the bill ' || s.bill_number || ' on ' || to_char(s.bill_date, 'YYYY-MM-DD') || '.'`,
    from: `${stage.name} s join "transaction" t on t.org_id = ${ctx.org.id} and t.store_id = s.store_id and t.bill_number = s.bill_number and t.bill_date = s.bill_date`,
  };
}

export const transactionsProfile: ImportProfile = {
  name: 'TRANSACTIONS',
  domainIssueCodes: DOMAIN_ISSUE_CODES,
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    const checks = [
      customerNotFound(ctx, stage),
      duplicatesInFile(stage, {
        code: 'DUPLICATE_BILL_IN_FILE',
        field: 'billNumber',
        columns: ['store_id', 'bill_number', 'bill_date'],
        label: 'bill',
        value: `s.bill_number || ' of ' || to_char(s.bill_date, 'YYYY-MM-DD')`,
      }),
      groupNotFound(ctx, stage),
    ];
    if (ctx.job.options.validateTransactionNumbers) checks.push(billAlreadyThere(ctx, stage));
    await recordIssuesOf(ctx, stage, checks);
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<StagedTransactionRow>(tx, stage, batch, {
      select: `s.ident, s.bill_number, s.bill_amount, s.occurred_at as bill_date, s.store_id, s.group_external_id, g.id as group_id,
               s.item_sku, s.item_description, s.item_quantity, s.item_amount`,
      joins: `left join user_group g on g.org_id = ${tx.org.id} and g.external_id = s.group_external_id`,
      fields: {
        amount: 'billAmount',
        occurredAt: 'billDate',
        groupId: 'groupExternalId',
        'lineItems.sku': 'itemSku',
        'lineItems.description': 'itemDescription',
        'lineItems.quantity': 'itemQuantity',
        'lineItems.amount': 'itemAmount',
      },
      dateFields: ['billDate'],
      async apply(rowTx, row) {
        if (row.groupExternalId !== null && row.groupId === null) {
          throw new DomainError(UserGroupErrorCode.USER_GROUP_NOT_FOUND, `The org has no user group "${row.groupExternalId}".`, ['input', 'groupId']);
        }
        await addTransaction(rowTx, {
          customer: customerRef(rowTx, row.ident),
          store: { id: Number(row.storeId) },
          billNumber: row.billNumber,
          amount: Number(row.billAmount),
          occurredAt: toDate(row.billDate),
          lineItems: row.itemSku === null ? [] : [{ sku: row.itemSku, description: row.itemDescription, quantity: Number(row.itemQuantity), amount: Number(row.itemAmount) }],
          groupId: row.groupId === null ? null : Number(row.groupId),
          source: rowTx.actor,
          // History: a purchase of any past date, not only within the org's window for clients.
          allowBackdating: true,
        });
      },
    });
  },
};
