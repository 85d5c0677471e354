import { CardErrorCode } from '../../domain/card/card.errors.js';
import { CARD_TYPES, type CardType } from '../../domain/card/card.entity.js';
import { createCardSeries, updateCardSeries, type CardSeriesChange } from '../../domain/card/card-series.service.js';
import { loadReferenceData, type ReferenceData } from '../checks/reference-data.js';
import { checkBoolean, checkInteger, checkStore, maxLength, requireChoice, requireValue } from '../checks/validators.js';
import { mayUpdate } from './catalog.js';
import type { ImportProfile, JobContext, RowReader, StageTable, StagedValue } from './profile.js';
import { mergeRowByRow, SERVICE_BATCH_ROWS, type MergeRow } from './service-merge.js';
import { duplicatesInFile, recordIssuesWhere, type IssueQuery } from './set-checks.js';

/**
 * Card Series: creates card series, and updates existing ones in the fields the template allows.
 * Each row is checked on its own (code, type, store; numbers and booleans read), then across the
 * file (a code on two rows rejects both) and against the org (with disableUpdate, an existing
 * series is refused). A new series is created by `createCardSeries` (the service behind
 * `cardSeriesCreate`), an existing one changed by `updateCardSeries`: the numbering rules
 * (prefix and suffix leave room within the length, a generating series has a length) and the
 * numbering of a series with cards staying put are theirs. An empty cell leaves a field as it is.
 */

/** The codes of the services this profile merges through that its rows may carry. */
const DOMAIN_ISSUE_CODES = {
  CARD_SERIES_CODE_TAKEN: CardErrorCode.descriptions.CARD_SERIES_CODE_TAKEN,
  CARD_SERIES_NUMBERING_IN_USE: CardErrorCode.descriptions.CARD_SERIES_NUMBERING_IN_USE,
};

const SERIES_CODE = /^[A-Za-z0-9]{1,50}$/;

const STAGING = [
  { name: 'series_code', type: 'text' },
  { name: 'card_type', type: 'text' },
  { name: 'store_id', type: 'bigint' },
  { name: 'description', type: 'text' },
  { name: 'expiry_days', type: 'int' },
  { name: 'prefix', type: 'text' },
  { name: 'suffix', type: 'text' },
  { name: 'number_length', type: 'int' },
  { name: 'auto_generate', type: 'boolean' },
] as const;

interface SeriesRow extends MergeRow {
  readonly seriesCode: string;
  readonly cardType: CardType;
  readonly storeId: string;
  readonly description: string | null;
  readonly expiryDays: number | null;
  readonly prefix: string | null;
  readonly suffix: string | null;
  readonly numberLength: number | null;
  readonly autoGenerate: boolean | null;
  readonly existingId: string | null;
}

function checkSeriesCode(row: RowReader): string | null {
  const code = requireValue(row, 'seriesCode');
  if (code !== null && !SERIES_CODE.test(code)) {
    row.error('CARD_SERIES_CODE_INVALID', 'seriesCode', code, `"${code}" is not a card series code: letters and digits only, up to 50.`);
    return null;
  }
  return code;
}

function prepareRow(ctx: JobContext, refs: ReferenceData, row: RowReader): StagedValue[] {
  return [
    checkSeriesCode(row),
    requireChoice(row, 'cardType', CARD_TYPES),
    checkStore(row, 'storeCode', refs, ctx.job.options, true),
    maxLength(row, 'description', row.value('description') || null, 500),
    checkInteger(row, 'expiryDays', 'VALUE_INVALID'),
    row.value('prefix') || null,
    row.value('suffix') || null,
    checkInteger(row, 'numberLength', 'VALUE_INVALID'),
    checkBoolean(row, 'autoGenerate'),
  ];
}

function updateDisabled(ctx: JobContext, stage: StageTable): IssueQuery {
  return {
    code: 'RECORD_UPDATE_DISABLED',
    field: 'seriesCode',
    value: 's.series_code',
    message: `'The card series ' || s.series_code || ' exists and this template does not update existing series.'`,
    from: `${stage.name} s join card_series cs on cs.org_id = ${ctx.org.id} and cs.code = s.series_code`,
  };
}

/** What a row changes on an existing series: the fields the template may update and the row fills. */
function changesOf(tx: JobContext, row: SeriesRow): CardSeriesChange {
  const may = (field: string, value: unknown): boolean => value !== null && mayUpdate(tx.job, field);
  return {
    code: row.seriesCode,
    ...(may('cardType', row.cardType) && { type: row.cardType }),
    ...(may('description', row.description) && { description: row.description }),
    ...(may('expiryDays', row.expiryDays) && { expiryDays: row.expiryDays }),
    ...(may('prefix', row.prefix) && { prefix: row.prefix }),
    ...(may('suffix', row.suffix) && { suffix: row.suffix }),
    ...(may('numberLength', row.numberLength) && { numberLength: row.numberLength }),
    ...(may('autoGenerate', row.autoGenerate) && { autoGenerate: row.autoGenerate ?? false }),
    ...(may('storeCode', row.storeId) && { store: { id: Number(row.storeId) } }),
  };
}

export const cardSeriesProfile: ImportProfile = {
  name: 'CARD_SERIES',
  domainIssueCodes: DOMAIN_ISSUE_CODES,
  stagingColumns: STAGING,
  batchRows: SERVICE_BATCH_ROWS,
  dryRunMerges: true,
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  async check(ctx, stage) {
    await recordIssuesWhere(ctx, stage, duplicatesInFile(stage, { code: 'DUPLICATE_SERIES_CODE_IN_FILE', field: 'seriesCode', columns: ['series_code'], label: 'card series code' }));
    if (ctx.job.options.disableUpdate) await recordIssuesWhere(ctx, stage, updateDisabled(ctx, stage));
  },
  mergeBatch(tx, stage, batch) {
    return mergeRowByRow<SeriesRow>(tx, stage, batch, {
      select: `s.series_code, s.card_type, s.store_id, s.description, s.expiry_days, s.prefix, s.suffix, s.number_length, s.auto_generate, cs.id as existing_id`,
      joins: `left join card_series cs on cs.org_id = ${tx.org.id} and cs.code = s.series_code`,
      fields: { code: 'seriesCode', type: 'cardType' },
      async apply(rowTx, row) {
        if (row.existingId !== null) {
          const change = changesOf(rowTx, row);
          if (Object.keys(change).length > 1) await updateCardSeries(rowTx, change);
          return;
        }
        await createCardSeries(rowTx, {
          code: row.seriesCode,
          type: row.cardType,
          description: row.description,
          prefix: row.prefix,
          suffix: row.suffix,
          numberLength: row.numberLength,
          autoGenerate: row.autoGenerate ?? false,
          expiryDays: row.expiryDays,
          store: { id: Number(row.storeId) },
        });
      },
    });
  },
};
