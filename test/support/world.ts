import type { EntityManager } from '@mikro-orm/postgresql';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { selectRows } from '../../src/core/sql/rows.js';
import { toOrgRow } from '../../src/domain/org/org.rows.js';
import type { ServiceContext } from '../../src/domain/context.js';
import { createApiKey, setUpOrg, type OrgSetup } from '../../src/app/seed/org-setup.js';
import type { StaffRole } from '../../src/domain/auth/api-key.entity.js';

export interface TestOrg extends OrgSetup {
  readonly key: string;
}

let orgCounter = 0;

/** An org with reference data and an API key of the given role. */
export async function createOrg(
  em: EntityManager,
  options: { timeZone?: string; role?: StaffRole; baseCountry?: string; countryCallingCode?: string } = {},
): Promise<TestOrg> {
  orgCounter += 1;
  const slug = `org${orgCounter}-${Math.random().toString(36).slice(2, 7)}`;
  const setup = await setUpOrg(em, {
    slug,
    name: `Org ${orgCounter}`,
    timeZone: options.timeZone ?? 'Asia/Singapore',
    baseCountry: options.baseCountry ?? 'SG',
    countryCallingCode: options.countryCallingCode ?? '65',
    mobileRegex: '^65[0-9]{8}$',
  });
  const key = await createApiKey(em, setup.orgId, options.role ?? 'ADMIN');
  return { ...setup, key };
}

async function insertReturningId(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(`${sql} returning id`, params);
  return Number(rows[0].id);
}

export interface CustomerInput {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly mobile?: string | null;
  readonly email?: string | null;
  readonly externalIds?: string[];
}

/** A plain customer enrolled in the org's default program at its base tier. */
export async function createCustomer(em: EntityManager, org: OrgSetup, input: CustomerInput = {}): Promise<number> {
  const id = await insertReturningId(
    em,
    `insert into customer (org_id, first_name, last_name, mobile, email, joined_at, join_store_id, status_label_id, custom_fields, created_at, updated_at)
      values (?, ?, ?, ?, ?, '2021-06-01T00:00:00Z', ?, ?, '{"tier_note":"vip"}', now(), now())`,
    [
      org.orgId,
      input.firstName ?? 'Tom',
      input.lastName ?? 'Sawyer',
      input.mobile === undefined ? null : input.mobile,
      input.email === undefined ? null : input.email,
      org.storeIds[0],
      org.statusLabelIds['active-customer'],
    ],
  );
  for (const value of input.externalIds ?? []) {
    await em.execute('insert into customer_external_id (org_id, customer_id, value, created_at) values (?, ?, ?, now())', [org.orgId, id, value]);
  }
  await em.execute(
    'insert into loyalty_enrollment (org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at) values (?, ?, ?, ?, 0, now())',
    [org.orgId, org.programId, id, org.tierIds[0]],
  );
  return id;
}

export async function createCard(
  em: EntityManager,
  org: OrgSetup,
  customerId: number | null,
  number: string,
  options: { externalId?: string; expired?: boolean } = {},
): Promise<number> {
  return insertReturningId(
    em,
    `insert into card (org_id, series_id, number, external_id, status_label_id, customer_id, issued_at, created_at)
      values (?, ?, ?, ?, ?, ?, now(), now())`,
    [org.orgId, org.cardSeriesId, number, options.externalId ?? null, options.expired ? org.expiredCardLabelId : org.activeCardLabelId, customerId],
  );
}

export interface RichCustomerCounts {
  readonly cards: number;
  readonly transactions: number;
  readonly memberships: number;
  readonly interactions: number;
}

/**
 * A customer with everything the single view shows, in the given numbers: cards, transactions
 * (each with a line item and points), partner memberships with history, interactions, badges,
 * coupons, subscriptions, timeline events and a group. Set-based inserts keep it fast.
 */
export async function createRichCustomer(em: EntityManager, org: OrgSetup, counts: RichCustomerCounts, tag: string): Promise<number> {
  const customerId = await createCustomer(em, org, { firstName: 'Rich', lastName: tag, mobile: null, email: `${tag}@example.com`, externalIds: [`X-${tag}`] });
  const o = org.orgId;
  const run = (sql: string, params: unknown[]): Promise<unknown> => em.execute(sql, params);
  await run(
    `insert into card (org_id, series_id, number, status_label_id, customer_id, issued_at, created_at)
      select ?, ?, ? || '-' || g, ?, ?, now(), now() from generate_series(1, ?) g`,
    [o, org.cardSeriesId, `C-${tag}`, org.activeCardLabelId, customerId, counts.cards],
  );
  await run(
    `insert into transaction (org_id, customer_id, store_id, bill_number, bill_date, amount, occurred_at, created_at)
      select ?, ?, ?, ? || '-' || g, date '2022-01-01' + g, 10 + g, timestamptz '2022-01-01T10:00:00Z' + g * interval '1 day', now()
      from generate_series(1, ?) g`,
    [o, customerId, org.storeIds[0], `B-${tag}`, counts.transactions],
  );
  await run(
    `insert into transaction_line_item (org_id, transaction_id, sku, quantity, amount)
      select org_id, id, 'SKU-1', 1, amount from transaction where customer_id = ?`,
    [customerId],
  );
  await run(
    `insert into points_ledger_entry (org_id, program_id, customer_id, transaction_id, kind, points, source, expires_at, created_at)
      select org_id, ?, customer_id, id, 'EARN', floor(amount)::int, 'test', now() + interval '365 days', now() from transaction where customer_id = ?`,
    [org.programId, customerId],
  );
  const programId = await insertReturningId(em, `insert into supplementary_program (org_id, code, name, type, created_at) values (?, ?, 'Partner', 'EXTERNAL', now())`, [
    o,
    `P-${tag}`,
  ]);
  await run(
    `insert into program_membership (org_id, program_id, customer_id, membership_id, tier_name, status, started_at, ended_at, last_updated_at, last_activity, last_activity_at)
      select ?, ?, ?, ? || '-' || g, 'Blue', 'ACTIVE', timestamptz '2022-01-01T00:00:00Z' + g * interval '1 day', null, now(), 'JOINED', now() from generate_series(1, ?) g`,
    [o, programId, customerId, `M-${tag}`, counts.memberships],
  );
  await run(
    `insert into membership_activity (org_id, membership_id, kind, description, tier_name, occurred_at)
      select org_id, id, 'JOINED', 'Joined', 'Blue', started_at from program_membership where customer_id = ?`,
    [customerId],
  );
  await run(
    `insert into interaction (org_id, customer_id, channel, sender_id, content, status, sent_at, created_at)
      select ?, ?, case when g % 2 = 0 then 'SMS' else 'EMAIL' end, 'SENDER', 'Hello ' || g, 'DELIVERED', timestamptz '2022-03-01T04:30:00Z' + g * interval '1 hour', now()
      from generate_series(1, ?) g`,
    [o, customerId, counts.interactions],
  );
  const badgeId = await insertReturningId(em, `insert into badge_definition (org_id, meta_id, name, created_at) values (?, ?, 'Welcome', now())`, [o, `B-${tag}`]);
  await run(
    `insert into earned_badge (org_id, badge_id, customer_id, earned_at, expires_at, created_at) values (?, ?, ?, '2021-01-01T00:00:00Z', '2030-01-01T00:00:00Z', now())`,
    [o, badgeId, customerId],
  );
  const seriesId = await insertReturningId(em, `insert into incentive_series (org_id, kind, code, max_redemptions_per_code, holder_only, created_at) values (?, 'COUPON', ?, 1, true, now())`, [
    o,
    `S-${tag}`,
  ]);
  await run(`insert into incentive (org_id, series_id, kind, code, status, holder_id, redemption_count, issued_at) values (?, ?, 'COUPON', ?, 'ACTIVE', ?, 0, now())`, [
    o,
    seriesId,
    `CODE-${tag}`,
    customerId,
  ]);
  await run(`insert into channel_subscription (org_id, customer_id, channel, priority, account, status, updated_at) values (?, ?, 'EMAIL', 'BULK', '', 'OPTIN', now())`, [
    o,
    customerId,
  ]);
  await run(
    `insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at)
      select ?, ?, 'PURCHASED', 'Purchase ' || g, '{}', timestamptz '2022-01-01T00:00:00Z' + g * interval '1 day' from generate_series(1, 20) g`,
    [o, customerId],
  );
  const groupId = await insertReturningId(em, `insert into user_group (org_id, name, primary_member_id, created_at) values (?, ?, ?, now())`, [o, `Group ${tag}`, customerId]);
  await run(`insert into user_group_member (org_id, group_id, customer_id, joined_at) values (?, ?, ?, now())`, [o, groupId, customerId]);
  return customerId;
}

/** A further loyalty program of the org, with a base tier unless `withoutTiers`. */
export async function createProgram(
  em: EntityManager,
  org: OrgSetup,
  options: { name: string; pointsPerCurrencyUnit?: number; pointsExpiryDays?: number; withoutTiers?: boolean },
): Promise<number> {
  const programId = await insertReturningId(
    em,
    `insert into loyalty_program (org_id, name, is_default, points_per_currency_unit, points_expiry_days, created_at) values (?, ?, false, ?, ?, now())`,
    [org.orgId, options.name, options.pointsPerCurrencyUnit ?? 1, options.pointsExpiryDays ?? 365],
  );
  if (!options.withoutTiers) {
    await em.execute(`insert into tier (org_id, program_id, name, rank, purchase_threshold, points_multiplier) values (?, ?, 'Base', 0, 0, 1)`, [org.orgId, programId]);
  }
  return programId;
}

/** A card series of the org linked to `programId`. */
export async function createCardSeries(em: EntityManager, org: OrgSetup, code: string, programId: number): Promise<number> {
  return insertReturningId(
    em,
    `insert into card_series (org_id, code, type, prefix, suffix, number_length, auto_generate, program_id, created_at) values (?, ?, 'PHYSICAL', '', '', 16, false, ?, now())`,
    [org.orgId, code, programId],
  );
}

/** A card of the given series issued to `customerId` (null: to nobody), active unless `expired`. */
export async function createCardInSeries(
  em: EntityManager,
  org: OrgSetup,
  seriesId: number,
  customerId: number | null,
  number: string,
  options: { externalId?: string; expired?: boolean } = {},
): Promise<number> {
  return insertReturningId(
    em,
    `insert into card (org_id, series_id, number, external_id, status_label_id, customer_id, issued_at, created_at) values (?, ?, ?, ?, ?, ?, now(), now())`,
    [org.orgId, seriesId, number, options.externalId ?? null, options.expired ? org.expiredCardLabelId : org.activeCardLabelId, customerId],
  );
}

/** How many ledger entries a customer has (in every program, or in one). */
export async function ledgerEntries(em: EntityManager, customerId: number, programId?: number): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `select count(*) as n from points_ledger_entry where customer_id = ?${programId === undefined ? '' : ' and program_id = ?'}`,
    programId === undefined ? [customerId] : [customerId, programId],
  );
  return Number(rows[0].n);
}

/** What services take, as an import job would build it: the org, an actor of its own, a fork and a clock. */
export async function serviceContext(server: { em(): EntityManager }, org: OrgSetup, actor: string, clock: Clock = systemClock): Promise<ServiceContext> {
  const em = server.em();
  const [row] = await selectRows(em, 'select * from org where id = ?', [org.orgId]);
  const orgRow = toOrgRow(row);
  return { org: orgRow, actor, timeZone: orgRow.timeZone, em, clock };
}

export interface IncentiveSeriesInput {
  readonly code: string;
  readonly kind?: 'COUPON' | 'PROMO_CODE' | 'GIFT_VOUCHER';
  readonly maxRedemptionsPerCode?: number;
  readonly maxRedemptionsPerCustomer?: number | null;
  readonly holderOnly?: boolean;
  readonly validFrom?: Date | null;
  readonly validUntil?: Date | null;
  readonly redemptionFrom?: Date | null;
  readonly redemptionUntil?: Date | null;
}

/** An incentive series of the org: single-use, holder-only coupons unless told otherwise. */
export async function createIncentiveSeries(em: EntityManager, org: OrgSetup, input: IncentiveSeriesInput): Promise<number> {
  return insertReturningId(
    em,
    `insert into incentive_series (org_id, kind, code, valid_from, valid_until, redemption_from, redemption_until, max_redemptions_per_code, max_redemptions_per_customer, holder_only, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
    [
      org.orgId,
      input.kind ?? 'COUPON',
      input.code,
      input.validFrom ?? null,
      input.validUntil ?? null,
      input.redemptionFrom ?? null,
      input.redemptionUntil ?? null,
      input.maxRedemptionsPerCode ?? 1,
      input.maxRedemptionsPerCustomer ?? null,
      input.holderOnly ?? true,
    ],
  );
}

/** A code of a series, held by `holderId` (null: by nobody). */
export async function createIncentive(
  em: EntityManager,
  org: OrgSetup,
  seriesId: number,
  code: string,
  holderId: number | null,
  options: { kind?: 'COUPON' | 'PROMO_CODE' | 'GIFT_VOUCHER'; status?: 'ACTIVE' | 'REDEEMED' | 'EXPIRED' | 'REVOKED'; validUntil?: Date } = {},
): Promise<number> {
  return insertReturningId(
    em,
    `insert into incentive (org_id, series_id, kind, code, status, holder_id, valid_until, redemption_count, issued_at) values (?, ?, ?, ?, ?, ?, ?, 0, now())`,
    [org.orgId, seriesId, options.kind ?? 'COUPON', code, options.status ?? 'ACTIVE', holderId, options.validUntil ?? null],
  );
}
