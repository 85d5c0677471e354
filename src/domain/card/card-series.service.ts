/*
 * Card series and generated cards, for `cardSeriesCreate`, `cardsGenerate` and the Card Series
 * import profile.
 *
 * How an import calls them: `createCardSeries(batchCtx, { code, type, prefix, suffix, numberLength,
 * autoGenerate, expiryDays, store: { id } })` for a new series and `updateCardSeries(batchCtx,
 * { code, ...changes })` for an existing one, per row, inside the import's transaction (each call
 * nests in a SAVEPOINT: a DomainError undoes that row alone) or standalone (its own transaction).
 */
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { optionalText, positiveInteger, type FieldPath } from '../../core/input-rules.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { programRules } from '../program/program.service.js';
import { CARD_TYPES, type CardType } from './card.entity.js';
import { CardErrorCode } from './card.errors.js';

export interface CardSeriesInput {
  /** Alphanumeric, at most 50 characters, unique in the org. */
  readonly code: string;
  readonly description?: string | null;
  readonly type: CardType;
  readonly prefix?: string | null;
  readonly suffix?: string | null;
  /** Length of a card number, prefix and suffix included (1–64); needed to generate numbers. */
  readonly numberLength?: number | null;
  readonly autoGenerate?: boolean;
  /** Days a card stays valid after it is issued. */
  readonly expiryDays?: number | null;
  readonly store?: StoreRef | null;
  /** The program its cards earn in; the org's default by default. */
  readonly programId?: number | null;
}

/** Most cards one `cardsGenerate` call makes. */
const MAX_CARDS_PER_GENERATION = 1000;
/** Sequence numbers stay within bigint, whatever the number length. */
const MAX_SEQUENCE = 10n ** 18n - 1n;

function invalid(field: FieldPath, message: string): DomainError {
  return new DomainError(CommonErrorCode.INVALID_INPUT, message, field);
}

function alphanumeric(value: string | null | undefined, field: FieldPath, min: number, max: number): string {
  const text = value?.trim() ?? '';
  if (text.length < min || text.length > max || !/^[A-Za-z0-9]*$/.test(text)) {
    throw invalid(field, `${field.at(-1)} must be ${min === 0 ? 'up to' : `${min} to`} ${max} letters or digits.`);
  }
  return text;
}

/** Checks the numbering rules; returns the series as it will be stored. */
function validSeries(input: CardSeriesInput) {
  const code = alphanumeric(input.code, ['input', 'code'], 1, 50);
  if (!CARD_TYPES.includes(input.type)) throw invalid(['input', 'type'], `type must be one of ${CARD_TYPES.join(', ')}.`);
  const prefix = alphanumeric(input.prefix, ['input', 'prefix'], 0, 20);
  const suffix = alphanumeric(input.suffix, ['input', 'suffix'], 0, 20);
  const numberLength = input.numberLength ?? null;
  if (numberLength !== null) {
    positiveInteger(numberLength, ['input', 'numberLength'], 64);
    if (prefix.length + suffix.length >= numberLength) throw invalid(['input', 'numberLength'], 'numberLength must leave room for at least one digit after the prefix and suffix.');
  }
  const autoGenerate = input.autoGenerate ?? false;
  if (autoGenerate && numberLength === null) throw invalid(['input', 'numberLength'], 'A series that generates card numbers needs a numberLength.');
  const expiryDays = input.expiryDays ?? null;
  if (expiryDays !== null) positiveInteger(expiryDays, ['input', 'expiryDays'], 36_500);
  return { code, description: optionalText(input.description, ['input', 'description'], 500), type: input.type, prefix, suffix, numberLength, autoGenerate, expiryDays };
}

/** Creates a card series; returns its id. */
export function createCardSeries(ctx: ServiceContext, input: CardSeriesInput): Promise<{ seriesId: number }> {
  return inTransaction(ctx, async (tx) => {
    const series = validSeries(input);
    const storeId = input.store ? await resolveStoreId(tx, input.store) : null;
    const program = await programRules(tx, input.programId);
    const [created] = await writeRows<{ id: string }>(
      tx.em,
      `insert into card_series (org_id, code, description, type, prefix, suffix, number_length, auto_generate, expiry_days, store_id, program_id, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (org_id, code) do nothing returning id`,
      [tx.org.id, series.code, series.description, series.type, series.prefix, series.suffix, series.numberLength, series.autoGenerate, series.expiryDays, storeId, program.id, tx.clock.now()],
    );
    if (!created) throw new DomainError(CardErrorCode.CARD_SERIES_CODE_TAKEN, `The org already has a card series "${series.code}".`, ['input', 'code']);
    const seriesId = toId(created.id);
    await recordAudit(tx, { action: 'cardSeriesCreate', subjectType: 'CardSeries', subjectId: seriesId, details: { ...series, storeId, programId: program.id } });
    return { seriesId };
  });
}

export interface CardSeriesChange {
  /** The series, by code. */
  readonly code: string;
  /** New values: a property left out keeps its value; null clears a nullable one. */
  readonly description?: string | null;
  readonly type?: CardType;
  readonly prefix?: string | null;
  readonly suffix?: string | null;
  readonly numberLength?: number | null;
  readonly autoGenerate?: boolean;
  readonly expiryDays?: number | null;
  readonly store?: StoreRef | null;
}

/** A changed value, or the current one when the change leaves it out. */
function changed<V>(value: V | undefined, current: V): V {
  return value === undefined ? current : value;
}

/**
 * Changes a card series. The result must pass the rules of a new series; its numbering (prefix,
 * suffix, length) cannot change once it has cards, whose numbers follow it.
 */
export function updateCardSeries(ctx: ServiceContext, change: CardSeriesChange): Promise<{ seriesId: number }> {
  return inTransaction(ctx, async (tx) => {
    const code = alphanumeric(change.code, ['input', 'code'], 1, 50);
    const [current] = await selectRows(tx.em, 'select * from card_series where org_id = ? and code = ? for update', [tx.org.id, code]);
    if (!current) throw new DomainError(CardErrorCode.CARD_SERIES_NOT_FOUND, `The org has no card series "${code}".`, ['input', 'code']);
    const series = validSeries({
      code,
      description: changed(change.description, current.description as string | null),
      type: changed(change.type, current.type as CardType),
      prefix: changed(change.prefix, String(current.prefix)),
      suffix: changed(change.suffix, String(current.suffix)),
      numberLength: changed(change.numberLength, current.numberLength === null ? null : Number(current.numberLength)),
      autoGenerate: changed(change.autoGenerate, Boolean(current.autoGenerate)),
      expiryDays: changed(change.expiryDays, current.expiryDays === null ? null : Number(current.expiryDays)),
    });
    const seriesId = toId(current.id);
    const renumbered = series.prefix !== current.prefix || series.suffix !== current.suffix || series.numberLength !== (current.numberLength === null ? null : Number(current.numberLength));
    if (renumbered && (await selectRows(tx.em, 'select 1 from card where org_id = ? and series_id = ? limit 1', [tx.org.id, seriesId])).length > 0) {
      throw new DomainError(CardErrorCode.CARD_SERIES_NUMBERING_IN_USE, `The card series "${code}" has cards: its prefix, suffix and length cannot change.`, ['input', 'numberLength']);
    }
    const storeId = change.store === undefined ? current.storeId : change.store === null ? null : await resolveStoreId(tx, change.store);
    await tx.em.execute(
      `update card_series set description = ?, type = ?, prefix = ?, suffix = ?, number_length = ?, auto_generate = ?, expiry_days = ?, store_id = ?
        where id = ?`,
      [series.description, series.type, series.prefix, series.suffix, series.numberLength, series.autoGenerate, series.expiryDays, storeId, seriesId],
    );
    const fields = Object.keys(change).filter((key) => key !== 'code' && change[key as keyof CardSeriesChange] !== undefined);
    await recordAudit(tx, { action: 'cardSeriesUpdate', subjectType: 'CardSeries', subjectId: seriesId, details: { ...series, storeId, fields } });
    return { seriesId };
  });
}

interface GeneratingSeries {
  readonly id: number;
  readonly prefix: string;
  readonly suffix: string;
  /** Digits between prefix and suffix. */
  readonly digits: number;
}

async function generatingSeries(tx: ServiceContext, seriesCode: string): Promise<GeneratingSeries> {
  const [row] = await selectRows(tx.em, 'select id, prefix, suffix, number_length, auto_generate from card_series where org_id = ? and code = ?', [tx.org.id, seriesCode.trim()]);
  if (!row) throw new DomainError(CardErrorCode.CARD_SERIES_NOT_FOUND, `The org has no card series "${seriesCode.trim()}".`, ['input', 'seriesCode']);
  if (!row.autoGenerate || row.numberLength === null) {
    throw new DomainError(CardErrorCode.CARD_SERIES_NOT_AUTO_GENERATED, `The card series "${seriesCode.trim()}" does not generate card numbers.`, ['input', 'seriesCode']);
  }
  const prefix = String(row.prefix);
  const suffix = String(row.suffix);
  return { id: toId(row.id), prefix, suffix, digits: Number(row.numberLength) - prefix.length - suffix.length };
}

/**
 * Reserves `count` sequence numbers of the series in one conditional UPDATE: concurrent
 * generations get disjoint ranges, and none runs past the numbers the length allows.
 */
async function reserveNumbers(tx: ServiceContext, series: GeneratingSeries, count: number): Promise<bigint> {
  const capacity = 10n ** BigInt(series.digits) - 1n;
  const last = capacity < MAX_SEQUENCE ? capacity : MAX_SEQUENCE;
  const [reserved] = await writeRows(
    tx.em,
    `update card_series set next_number = next_number + ?::bigint where id = ? and next_number + ?::bigint - 1 <= ?::bigint
      returning next_number - ?::bigint as first`,
    [count, series.id, count, last.toString(), count],
  );
  if (!reserved) throw new DomainError(CardErrorCode.CARD_SERIES_EXHAUSTED, `The series has fewer than ${count} card numbers left.`, ['input', 'count']);
  return BigInt(String(reserved.first));
}

/**
 * Generates `count` NOT_ISSUED cards, numbered prefix + zero-padded sequence + suffix to the
 * series' length. A number some card already has (e.g. imported) is skipped and the next one taken.
 */
export function generateCards(ctx: ServiceContext, input: { readonly seriesCode: string; readonly count: number }): Promise<{ seriesId: number; cardIds: number[] }> {
  return inTransaction(ctx, async (tx) => {
    const count = positiveInteger(input.count, ['input', 'count'], MAX_CARDS_PER_GENERATION);
    const series = await generatingSeries(tx, input.seriesCode);
    const [label] = await selectRows(tx.em, `select id from card_status_label where org_id = ? and system_status = 'NOT_ISSUED' order by id limit 1`, [tx.org.id]);
    if (!label) throw new DomainError(CardErrorCode.CARD_STATUS_LABEL_NOT_FOUND, 'The org has no card status label for NOT_ISSUED.', ['input', 'seriesCode']);
    const cardIds: number[] = [];
    // Each round fills what collisions with existing numbers left out; a handful always suffices
    // unless the series is nearly full, which the reservation then reports.
    for (let round = 0; cardIds.length < count && round < 10; round += 1) {
      const wanted = count - cardIds.length;
      const first = await reserveNumbers(tx, series, wanted);
      const inserted = await writeRows<{ id: string }>(
        tx.em,
        `insert into card (org_id, series_id, number, status_label_id, created_at)
          select ?, ?, ? || lpad(n::text, ?, '0') || ?, ?, ? from generate_series(?::bigint, ?::bigint) as n order by n
          on conflict (org_id, number) do nothing returning id`,
        [tx.org.id, series.id, series.prefix, series.digits, series.suffix, label.id, tx.clock.now(), first.toString(), (first + BigInt(wanted) - 1n).toString()],
      );
      cardIds.push(...inserted.map((row) => toId(row.id)));
    }
    if (cardIds.length < count) throw new DomainError(CardErrorCode.CARD_SERIES_EXHAUSTED, 'The series has too few free card numbers left.', ['input', 'count']);
    cardIds.sort((a, b) => a - b);
    await recordAudit(tx, { action: 'cardsGenerate', subjectType: 'CardSeries', subjectId: series.id, details: { count, firstCardId: cardIds[0], lastCardId: cardIds.at(-1) } });
    return { seriesId: series.id, cardIds };
  });
}
