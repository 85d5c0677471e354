/*
 * Cards: issuing one to a customer and changing its status, for `cardIssue`, `cardStatusChange`
 * and the Card import profile.
 *
 * How an import calls them: `upsertCard(batchCtx, { cardNumber, seriesCode, statusLabel, customer:
 * { id } (or none), externalId, store: { id } })` per row (a card not there yet is created in
 * `seriesCode`), inside the import's transaction (each call nests in a SAVEPOINT: a DomainError
 * undoes that row alone) or standalone (its own transaction). It applies the rules of `issueCard`
 * and `changeCardStatus`, which share them. Issuing a card again to the customer holding it changes nothing.
 */
import { selectRows, toId, toNullableId } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError, refusedOnConflict } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { optionalText, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import type { CardSystemStatus } from './card.entity.js';
import { CardErrorCode } from './card.errors.js';

/**
 * The loyalty program of the card a customer reference names (CARD_NUMBER or CARD_EXTERNAL_ID, a
 * card of any status), via its series; undefined for other references.
 */
export async function programOfCard(ctx: ServiceContext, ref: CustomerRef): Promise<number | undefined> {
  if ('id' in ref || (ref.type !== 'CARD_NUMBER' && ref.type !== 'CARD_EXTERNAL_ID')) return undefined;
  const column = ref.type === 'CARD_NUMBER' ? 'number' : 'external_id';
  const rows = await selectRows(
    ctx.em,
    `select s.program_id from card c join card_series s on s.id = c.series_id and s.org_id = c.org_id where c.org_id = ? and c.${column} = ?`,
    [ctx.org.id, ref.value.trim()],
  );
  return rows[0] ? toId(rows[0].programId) : undefined;
}

interface LockedCard {
  readonly id: number;
  readonly seriesCode: string;
  readonly customerId: number | null;
  readonly systemStatus: CardSystemStatus;
  readonly expiryDays: number | null;
}

/** The card with this number, row-locked until the transaction ends; undefined when there is none. */
async function lockCard(tx: ServiceContext, number: string): Promise<LockedCard | undefined> {
  const [row] = await selectRows(
    tx.em,
    `select c.id, c.customer_id, csl.system_status, s.code as series_code, s.expiry_days
      from card c join card_status_label csl on csl.id = c.status_label_id join card_series s on s.id = c.series_id
      where c.org_id = ? and c.number = ? for update of c`,
    [tx.org.id, number],
  );
  if (!row) return undefined;
  return {
    id: toId(row.id),
    seriesCode: String(row.seriesCode),
    customerId: toNullableId(row.customerId),
    systemStatus: row.systemStatus as CardSystemStatus,
    expiryDays: row.expiryDays === null ? null : Number(row.expiryDays),
  };
}

function cardNotFound(number: string): DomainError {
  return new DomainError(CardErrorCode.CARD_NOT_FOUND, `The org has no card "${number}".`, ['input', 'cardNumber']);
}

/** A status label of the org by name, or its first label over `systemStatus` when no name is given. */
async function statusLabel(tx: ServiceContext, name: string | null, systemStatus: CardSystemStatus): Promise<{ id: number; systemStatus: CardSystemStatus }> {
  const [row] = name
    ? await selectRows(tx.em, 'select id, system_status from card_status_label where org_id = ? and label = ?', [tx.org.id, name])
    : await selectRows(tx.em, 'select id, system_status from card_status_label where org_id = ? and system_status = ? order by id limit 1', [tx.org.id, systemStatus]);
  if (!row) {
    throw new DomainError(CardErrorCode.CARD_STATUS_LABEL_NOT_FOUND, name ? `The org has no card status label "${name}".` : `The org has no card status label for ${systemStatus}.`, [
      'input',
      'statusLabel',
    ]);
  }
  return { id: toId(row.id), systemStatus: row.systemStatus as CardSystemStatus };
}

/** How a series numbers its cards. */
export interface CardNumbering {
  readonly prefix: string;
  readonly suffix: string;
  /** Length of a whole number, prefix and suffix included; null for any length. */
  readonly numberLength: number | null;
}

/** Whether a card number follows its series' prefix, suffix and length (imports check rows with it too). */
export function fitsSeriesNumbering(number: string, series: CardNumbering): boolean {
  return number.startsWith(series.prefix) && number.endsWith(series.suffix) && (series.numberLength === null || number.length === series.numberLength);
}

/** A card not in the org yet, created NOT_ISSUED in the series, after checking its number fits. */
async function createCardInSeries(tx: ServiceContext, number: string, seriesCode: string): Promise<LockedCard> {
  const [series] = await selectRows(tx.em, 'select id, prefix, suffix, number_length, expiry_days from card_series where org_id = ? and code = ?', [tx.org.id, seriesCode]);
  if (!series) throw new DomainError(CardErrorCode.CARD_SERIES_NOT_FOUND, `The org has no card series "${seriesCode}".`, ['input', 'seriesCode']);
  const numbering = { prefix: String(series.prefix), suffix: String(series.suffix), numberLength: series.numberLength === null ? null : Number(series.numberLength) };
  if (!fitsSeriesNumbering(number, numbering)) throw new DomainError(CardErrorCode.CARD_NUMBER_INVALID_FOR_SERIES, `"${number}" does not fit the numbering of series "${seriesCode}".`, ['input', 'cardNumber']);
  const label = await statusLabel(tx, null, 'NOT_ISSUED');
  await tx.em.execute(`insert into card (org_id, series_id, number, status_label_id, created_at) values (?, ?, ?, ?, ?) on conflict (org_id, number) do nothing`, [
    tx.org.id,
    series.id,
    number,
    label.id,
    tx.clock.now(),
  ]);
  // Ours, or one a concurrent request created meanwhile: either way, the card that is there now.
  const created = await lockCard(tx, number);
  if (!created) throw cardNotFound(number);
  return created;
}

export interface CardIssue {
  readonly cardNumber: string;
  readonly customer: CustomerRef;
  /** When the card is not in the org yet: the series to create it in (imports). */
  readonly seriesCode?: string | null;
  /** The org's external reference of the card. */
  readonly externalId?: string | null;
  /** The label to give the card; the org's first ACTIVE label by default. */
  readonly statusLabel?: string | null;
}

/** A card may be issued to `customerId` unless someone else holds it, or it is deleted or expired. */
function assertIssuable(card: LockedCard, number: string, customerId: number): void {
  if (card.customerId !== null && card.customerId !== customerId) {
    throw new DomainError(CardErrorCode.CARD_ALREADY_ISSUED, `The card "${number}" is issued to another customer.`, ['input', 'cardNumber']);
  }
  if (card.systemStatus === 'DELETED' || card.systemStatus === 'EXPIRED') {
    throw new DomainError(CardErrorCode.CARD_NOT_ISSUABLE, `The card "${number}" is ${card.systemStatus.toLowerCase()}.`, ['input', 'cardNumber']);
  }
}

/** The unique key of cards' external ids: the check before a write finds a taken one, this key a race. */
const EXTERNAL_ID_KEY = 'card_org_id_external_id_unique';

function externalIdTaken(): DomainError {
  return new DomainError(CardErrorCode.CARD_EXTERNAL_ID_TAKEN, 'Another card of the org already has that external id.', ['input', 'externalId']);
}

async function assertExternalIdFree(tx: ServiceContext, externalId: string, cardId: number): Promise<void> {
  const [taken] = await selectRows(tx.em, 'select 1 from card where org_id = ? and external_id = ? and id <> ?', [tx.org.id, externalId, cardId]);
  if (taken) throw new DomainError(CardErrorCode.CARD_EXTERNAL_ID_TAKEN, `Another card has the external id "${externalId}".`, ['input', 'externalId']);
}

/** A card issued now is valid for its series' expiry days (forever without them). */
function expiryOfIssue(card: LockedCard, issuedAt: Date): Date | null {
  return card.expiryDays === null ? null : new Date(issuedAt.getTime() + card.expiryDays * 86_400_000);
}

/**
 * Issues a card to a customer: links it, gives it an active label, and starts its validity
 * (expiring after the series' expiry days). Deleted and expired cards cannot be issued; a card
 * issued to someone else is refused.
 */
export function issueCard(ctx: ServiceContext, input: CardIssue): Promise<{ cardId: number; customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    const number = requiredText(input.cardNumber, ['input', 'cardNumber'], 64);
    const externalId = optionalText(input.externalId, ['input', 'externalId'], 64);
    const labelName = optionalText(input.statusLabel, ['input', 'statusLabel'], 100);
    const seriesCode = optionalText(input.seriesCode, ['input', 'seriesCode'], 50);
    const customerId = await resolveCustomerId(tx, input.customer);
    const card = (await lockCard(tx, number)) ?? (seriesCode ? await createCardInSeries(tx, number, seriesCode) : undefined);
    if (!card) throw cardNotFound(number);
    if (card.customerId === customerId) return { cardId: card.id, customerId };
    assertIssuable(card, number, customerId);
    if (externalId) await assertExternalIdFree(tx, externalId, card.id);
    const label = await statusLabel(tx, labelName, 'ACTIVE');
    const now = tx.clock.now();
    await refusedOnConflict(EXTERNAL_ID_KEY, externalIdTaken, () =>
      tx.em.execute('update card set customer_id = ?, status_label_id = ?, issued_at = ?, expires_at = ?, external_id = coalesce(?, external_id) where id = ?', [
        customerId,
        label.id,
        now,
        expiryOfIssue(card, now),
        externalId,
        card.id,
      ]),
    );
    await recordAudit(tx, { action: 'cardIssue', subjectType: 'Card', subjectId: card.id, details: { customerId, number, statusLabelId: label.id } });
    return { cardId: card.id, customerId };
  });
}

export interface CardUpsert {
  readonly cardNumber: string;
  /** The card's series: a new card is created in it; an existing card must belong to it. */
  readonly seriesCode: string;
  /** One of the org's card status labels. */
  readonly statusLabel: string;
  /** The customer to issue the card to; none leaves it with the customer it has, if any. */
  readonly customer?: CustomerRef | null;
  readonly externalId?: string | null;
  /** The store (till) the card is tagged to; none keeps the one it has. Also on the audit entry. */
  readonly store?: StoreRef | null;
}

/**
 * Adds a card to its series, or updates the card already there, as the Card import brings it. A
 * new number must fit the series' numbering (it starts NOT_ISSUED); an existing card must belong
 * to the series. With a customer, the card is issued to them as `issueCard` issues it; then it
 * takes the label, which must be one it may take (`cardStatusChange`'s rules).
 */
export function upsertCard(ctx: ServiceContext, input: CardUpsert): Promise<{ cardId: number; customerId: number | null; created: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const number = requiredText(input.cardNumber, ['input', 'cardNumber'], 64);
    const seriesCode = requiredText(input.seriesCode, ['input', 'seriesCode'], 50);
    const labelName = requiredText(input.statusLabel, ['input', 'statusLabel'], 100);
    const externalId = optionalText(input.externalId, ['input', 'externalId'], 64);
    const customerId = input.customer ? await resolveCustomerId(tx, input.customer) : null;
    const storeId = input.store ? await resolveStoreId(tx, input.store) : null;
    const label = await statusLabel(tx, labelName, 'ACTIVE');
    const existing = await lockCard(tx, number);
    if (existing && existing.seriesCode !== seriesCode) {
      throw new DomainError(CardErrorCode.CARD_IN_OTHER_SERIES, `The card "${number}" belongs to the series "${existing.seriesCode}".`, ['input', 'seriesCode']);
    }
    const card = existing ?? (await createCardInSeries(tx, number, seriesCode));
    const issuing = customerId !== null && card.customerId !== customerId;
    if (issuing) assertIssuable(card, number, customerId);
    assertStatusTransition({ ...card, customerId: customerId ?? card.customerId }, label.systemStatus);
    if (externalId) await assertExternalIdFree(tx, externalId, card.id);
    const now = tx.clock.now();
    await refusedOnConflict(EXTERNAL_ID_KEY, externalIdTaken, () =>
      tx.em.execute(
        `update card set status_label_id = ?, external_id = coalesce(?, external_id), customer_id = ?, store_id = coalesce(?, store_id),
          issued_at = case when ? then ? else issued_at end, expires_at = case when ? then ? else expires_at end
          where id = ?`,
        [label.id, externalId, customerId ?? card.customerId, storeId, issuing, now, issuing, expiryOfIssue(card, now), card.id],
      ),
    );
    await recordAudit(tx, {
      action: 'cardUpsert',
      subjectType: 'Card',
      subjectId: card.id,
      details: { number, created: !existing, from: existing?.systemStatus ?? null, statusLabelId: label.id, to: label.systemStatus, issuedTo: issuing ? customerId : null, storeId },
    });
    return { cardId: card.id, customerId: customerId ?? card.customerId, created: !existing };
  });
}

export interface CardStatusChange {
  readonly cardNumber: string;
  /** One of the org's card status labels. */
  readonly statusLabel: string;
  readonly reason?: string | null;
}

/** Which system statuses a card may move to from where it is. */
function assertStatusTransition(card: LockedCard, to: CardSystemStatus): void {
  const refuse = (message: string): never => {
    throw new DomainError(CardErrorCode.CARD_STATUS_TRANSITION_INVALID, message, ['input', 'statusLabel']);
  };
  if (card.systemStatus === 'DELETED' && to !== 'DELETED') refuse('A deleted card stays deleted.');
  if (to === 'NOT_ISSUED' && card.customerId !== null) refuse('An issued card cannot become not issued.');
  if (to === 'ACTIVE' && card.customerId === null) refuse('A card must be issued to a customer before it is active.');
}

/** Gives a card another of the org's status labels; returns the card's id. */
export function changeCardStatus(ctx: ServiceContext, input: CardStatusChange): Promise<{ cardId: number }> {
  return inTransaction(ctx, async (tx) => {
    const number = requiredText(input.cardNumber, ['input', 'cardNumber'], 64);
    const labelName = requiredText(input.statusLabel, ['input', 'statusLabel'], 100);
    const reason = optionalText(input.reason, ['input', 'reason'], 500);
    const card = await lockCard(tx, number);
    if (!card) throw cardNotFound(number);
    const label = await statusLabel(tx, labelName, 'ACTIVE');
    assertStatusTransition(card, label.systemStatus);
    await tx.em.execute('update card set status_label_id = ? where id = ?', [label.id, card.id]);
    await recordAudit(tx, { action: 'cardStatusChange', subjectType: 'Card', subjectId: card.id, details: { from: card.systemStatus, label: labelName, to: label.systemStatus, reason } });
    return { cardId: card.id };
  });
}
