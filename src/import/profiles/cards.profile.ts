import { CardErrorCode } from '../../domain/card/card.errors.js';
import { fitsSeriesNumbering, upsertCard } from '../../domain/card/card.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkStore, maxLength, requireValue } from '../checks/validators.js';
import { identifierField } from './catalog.js';
import { customerNotFound, customerRef, prepareIdentifier } from './customer-match.js';
import type { ImportProfile, JobContext, RowReader, StageTable, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { duplicatesInFile, recordIssuesOf, type IssueQuery } from './set-checks.js';

/**
 * Cards: imports cards (historical card data) into their series, linking each to the customer its
 * row names unless the template turns linkCustomer off (a row without a customer is a card in stock). Each row is checked on its own (series,
 * number following the series' prefix, suffix and length, status label, store, customer
 * identifier, card external id), then across the file (a card number or card external id on two
 * rows rejects both) and against the org (the customer exists; with disableUpdate, an existing
 * card is refused). Each accepted row goes through `upsertCard`, which applies the card rules of
 * `cardIssue` and `cardStatusChange`: a card issued to someone else, a deleted or expired card
 * issued, an external id of another card, a label the card may not take are refused.
 */

const { descriptions } = CardErrorCode;
/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = {
  CARD_IN_OTHER_SERIES: descriptions.CARD_IN_OTHER_SERIES,
  CARD_NOT_ISSUABLE: descriptions.CARD_NOT_ISSUABLE,
  CARD_EXTERNAL_ID_TAKEN: descriptions.CARD_EXTERNAL_ID_TAKEN,
  CARD_STATUS_TRANSITION_INVALID: descriptions.CARD_STATUS_TRANSITION_INVALID,
};

const STAGING = [
  { name: 'card_number', type: 'text' },
  { name: 'series_code', type: 'text' },
  /** The label as the org wrote it (rows may differ in case). */
  { name: 'status_label', type: 'text' },
  { name: 'store_id', type: 'bigint' },
  /** Null when the card is not linked to a customer. */
  { name: 'ident', type: 'text' },
  { name: 'card_external_id', type: 'text' },
] as const;

interface StagedCardRow extends MergeRow {
  readonly cardNumber: string;
  readonly seriesCode: string;
  readonly statusLabel: string;
  readonly storeId: string;
  readonly ident: string | null;
  readonly cardExternalId: string | null;
}

function linksCustomers(ctx: JobContext): boolean {
  return ctx.job.options.linkCustomer !== false;
}

/** The customer to issue the card to: none when the template does not link cards, or the row leaves it empty (a card in stock). */
function checkCustomer(ctx: JobContext, refs: ReferenceData, row: RowReader): string | null {
  return linksCustomers(ctx) && row.value(identifierField(ctx.job.options)) ? prepareIdentifier(ctx, refs, row) : null;
}

/** The card's series and number: the series must be the org's, the number must follow its numbering. */
function checkSeriesAndNumber(refs: ReferenceData, row: RowReader): [string | null, string | null] {
  const number = maxLength(row, 'cardNumber', requireValue(row, 'cardNumber'), 64);
  const code = requireValue(row, 'seriesCode');
  if (code === null) return [number, null];
  const series = refs.cardSeries.get(code);
  if (!series) {
    row.error('CARD_SERIES_UNKNOWN', 'seriesCode', code, `The org has no card series "${code}".`);
    return [number, null];
  }
  if (number !== null && !fitsSeriesNumbering(number, series)) {
    const length = series.numberLength === null ? '' : `, ${series.numberLength} characters long`;
    row.error('CARD_NUMBER_INVALID', 'cardNumber', number, `"${number}" does not follow the series ${code}: starting with "${series.prefix}", ending with "${series.suffix}"${length}.`);
    return [null, code];
  }
  return [number, code];
}

function checkLabel(refs: ReferenceData, row: RowReader): string | null {
  const label = requireValue(row, 'statusLabel');
  if (label === null) return null;
  const known = refs.cardStatusLabels.get(label.toLowerCase());
  if (!known) row.error('CARD_STATUS_LABEL_UNKNOWN', 'statusLabel', label, `The org has no card status label "${label}".`);
  return known?.label ?? null;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  const [number, series] = checkSeriesAndNumber(refs, row);
  return [
    number,
    series,
    checkLabel(refs, row),
    checkStore(row, 'storeCode', refs, ctx.job.options, true),
    checkCustomer(ctx, refs, row),
    maxLength(row, 'cardExternalId', row.value('cardExternalId') || null, 64),
  ];
}

function updateDisabled(ctx: JobContext, stage: StageTable): IssueQuery {
  return {
    code: 'RECORD_UPDATE_DISABLED',
    field: 'cardNumber',
    value: 's.card_number',
    message: `'The card ' || s.card_number || ' exists and this template does not update existing cards.'`,
    from: `${stage.name} s join card c on c.org_id = ${ctx.org.id} and c.number = s.card_number`,
  };
}

export const cardsProfile: ImportProfile = {
  name: 'CARDS',
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
      duplicatesInFile(stage, { code: 'DUPLICATE_CARD_NUMBER_IN_FILE', field: 'cardNumber', columns: ['card_number'], label: 'card number' }),
      duplicatesInFile(stage, { code: 'DUPLICATE_CARD_EXTERNAL_ID_IN_FILE', field: 'cardExternalId', columns: ['card_external_id'], label: 'card external id' }),
    ];
    if (linksCustomers(ctx)) checks.push(customerNotFound(ctx, stage));
    if (ctx.job.options.disableUpdate) checks.push(updateDisabled(ctx, stage));
    await recordIssuesOf(ctx, stage, checks);
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<StagedCardRow>(tx, stage, batch, {
      select: 's.card_number, s.series_code, s.status_label, s.store_id, s.ident, s.card_external_id',
      fields: { externalId: 'cardExternalId' },
      async apply(rowTx, row) {
        await upsertCard(rowTx, {
          cardNumber: row.cardNumber,
          seriesCode: row.seriesCode,
          statusLabel: row.statusLabel,
          customer: row.ident === null ? null : customerRef(rowTx, row.ident),
          externalId: row.cardExternalId,
          store: { id: Number(row.storeId) },
        });
      },
    });
  },
};
