import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { buildSchema, isEnumType, isInterfaceType, Kind, print, type DocumentNode } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../src/app/emit-schema.js';
import {
  TenancyCardByNumberDocument,
  TenancyCardSeriesByCodeDocument,
  TenancyCustomerByIdentifierDocument,
  TenancyCustomerDocument,
  TenancyCustomersDocument,
  TenancyImportJobDocument,
  TenancyImportJobsDocument,
  TenancyImportProfilesDocument,
  TenancyImportTemplatesDocument,
  TenancyIncentiveByCodeDocument,
  TenancyIncentiveSearchDocument,
  TenancyNodeDocument,
  TenancyTransactionDocument,
  TenancyUserGroupDocument,
  TenancyViewerDocument,
  TenancyOAuthClientsDocument,
  TenancyTimelineViewsDocument,
  TenancyStaffIdentityProviderDocument,
  TenancyMeDocument,
  TenancyCampaignDocument,
  TenancyCampaignsDocument,
  type TenancyCustomersQuery,
} from './generated/graphql.js';
import type { CustomerIdentifierType } from './generated/schema-types.js';
import { globalId, gqlClient, typedRequest, wsClient, wsRequest, type GqlClient, type GraphQLResponse } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCard, createCustomer, createOrg, createRichCustomer, type TestOrg } from './support/world.js';

/*
 * Tenancy: an org's key reaches its own data and nothing of any other org's, by any root query,
 * any nested path and over both transports. Two orgs hold the same kinds of data; every probe
 * with A's key uses B's ids, identifiers and codes, and the same probe with B's key must find them
 * (so the test cannot pass on data that is simply not there).
 */

// ---------------------------------------------------------------------------------------------
// Transports: one typed operation, sent with one org's key.

type Answer<R> = Omit<GraphQLResponse<R>, 'status'>;
type Send = <R, V>(document: TypedDocumentNode<R, V>, variables: V) => Promise<Answer<R>>;

function overHttp(client: GqlClient): Send {
  return (document, variables) => typedRequest(client, document, variables);
}

function overWebSocket(client: Client): Send {
  return <R, V>(document: TypedDocumentNode<R, V>, variables: V) => wsRequest<R>(client, print(document), variables as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// The two tenants.

/** Every type that implements Node, and the table its rows live in. */
const NODE_TABLES = {
  Org: 'org',
  Customer: 'customer',
  Card: 'card',
  CardSeries: 'card_series',
  Store: 'store',
  LoyaltyProgram: 'loyalty_program',
  Tier: 'tier',
  UserGroup: 'user_group',
  Transaction: '"transaction"',
  Incentive: 'incentive',
  IncentiveSeries: 'incentive_series',
  IncentiveRedemption: 'incentive_redemption',
  Badge: 'badge_definition',
  EarnedBadge: 'earned_badge',
  SupplementaryProgram: 'supplementary_program',
  ProgramMembership: 'program_membership',
  Interaction: 'interaction',
  TimelineEvent: 'timeline_event',
  ImportTemplate: 'import_template',
  ImportJob: 'import_job',
  PointsLedgerEntry: 'points_ledger_entry',
  Campaign: 'campaign',
} as const;
type NodeType = keyof typeof NODE_TABLES;
const NODE_TYPES = Object.keys(NODE_TABLES) as NodeType[];

/** Identifiers that every org uses for a customer of its own (the "twin"): a caller must find its own. */
const TWIN = {
  mobile: '6590000000',
  email: 'twin@example.com',
  externalId: 'TWIN',
  cardNumber: 'TWIN-CARD',
  cardExternalId: 'TWIN-CX',
  couponCode: 'TWIN-CODE',
  /** Every org is set up with this card series. */
  cardSeriesCode: 'GOLDPHY',
} as const;

interface Tenant {
  readonly org: TestOrg;
  /** In every identifier only this org uses (emails, codes, card numbers, names). */
  readonly tag: string;
  readonly http: Send;
  /** A customer with everything: cards, transactions, badges, a coupon with a redemption, memberships, messages, a group. */
  readonly richId: number;
  /** A customer with a mobile, an external id and a card with an external id; child of the rich one and in its group. */
  readonly plainId: number;
  readonly plainMobile: string;
  readonly twinId: number;
  /** Global ids of the objects the root queries look up. */
  readonly gid: Readonly<Record<'org' | 'rich' | 'plain' | 'twin' | 'plainCard' | 'richCard' | 'twinCard' | 'ownSeries' | 'sharedSeries' | 'group' | 'groupTransaction' | 'richTransaction' | 'coupon' | 'promo' | 'twinCoupon' | 'importTemplate' | 'importJob' | 'campaign', string>>;
  /** The org's partner app (OAuth client). */
  readonly oauthClientId: string;
  /** Every global id of the org's rows, by type, read from the database. */
  readonly idsByType: ReadonlyMap<NodeType, readonly string[]>;
  readonly allIds: ReadonlySet<string>;
}

async function insertId(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(`${sql} returning id`, params);
  return Number(rows[0].id);
}

async function idOf(em: EntityManager, table: string, orgId: number, where: string, params: unknown[]): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(`select id from ${table} where org_id = ? and ${where}`, [orgId, ...params]);
  expect(rows, `one ${table} row where ${where}`).toHaveLength(1);
  return Number(rows[0].id);
}

async function createTenant(server: TestServer, tag: string, plainMobile: string): Promise<Tenant> {
  const em = server.em();
  const org = await createOrg(em);
  const o = org.orgId;

  const richId = await createRichCustomer(em, org, { cards: 2, transactions: 3, memberships: 2, interactions: 2 }, tag);
  const plainId = await createCustomer(em, org, {
    firstName: 'Plain',
    lastName: tag,
    mobile: plainMobile,
    email: `plain-${tag}@example.com`,
    externalIds: [`EXT-${tag}`],
  });
  const plainCardId = await createCard(em, org, plainId, `N-${tag}`, { externalId: `CX-${tag}` });
  const twinId = await createCustomer(em, org, { firstName: 'Twin', lastName: tag, mobile: TWIN.mobile, email: TWIN.email, externalIds: [TWIN.externalId] });
  const twinCardId = await createCard(em, org, twinId, TWIN.cardNumber, { externalId: TWIN.cardExternalId });

  // The plain customer is a child of the rich one (fleet) and a member of its group.
  await em.execute('update customer set parent_id = ? where id = ?', [richId, plainId]);
  const groupId = await idOf(em, 'user_group', o, 'primary_member_id = ?', [richId]);
  await em.execute('insert into user_group_member (org_id, group_id, customer_id, joined_at) values (?, ?, ?, now())', [o, groupId, plainId]);
  await em.execute(
    'insert into loyalty_enrollment (org_id, program_id, group_id, tier_id, lifetime_purchases, enrolled_at) values (?, ?, ?, ?, 50, now())',
    [o, org.programId, groupId, org.tierIds[1]],
  );
  // A purchase made for the group, with its points.
  const groupTransactionId = await insertId(
    em,
    `insert into "transaction" (org_id, customer_id, group_id, store_id, bill_number, bill_date, amount, occurred_at, created_at)
      values (?, ?, ?, ?, ?, '2022-02-01', 50, '2022-02-01T10:00:00Z', now())`,
    [o, plainId, groupId, org.storeIds[1], `G-${tag}`],
  );
  await em.execute(
    `insert into points_ledger_entry (org_id, program_id, group_id, transaction_id, kind, points, source, expires_at, created_at)
      values (?, ?, ?, ?, 'EARN', 50, 'test', '2023-02-01T00:00:00Z', now())`,
    [o, org.programId, groupId, groupTransactionId],
  );

  // The rich customer's coupon is redeemed once; a promo code is issued to nobody; the twin holds a coupon.
  const couponId = await idOf(em, 'incentive', o, 'code = ?', [`CODE-${tag}`]);
  await em.execute(
    `insert into incentive_redemption (org_id, incentive_id, sequence, customer_id, transaction_number, bill_amount, store_id, redeemed_at, created_at)
      values (?, ?, 1, ?, ?, 11, ?, now(), now())`,
    [o, couponId, richId, `B-${tag}-1`, org.storeIds[1]],
  );
  const promoSeriesId = await insertId(
    em,
    `insert into incentive_series (org_id, kind, code, max_redemptions_per_code, holder_only, created_at) values (?, 'PROMO_CODE', ?, 100, false, now())`,
    [o, `PS-${tag}`],
  );
  const promoId = await insertId(
    em,
    `insert into incentive (org_id, series_id, kind, code, status, holder_id, redemption_count, issued_at) values (?, ?, 'PROMO_CODE', ?, 'ACTIVE', null, 0, now())`,
    [o, promoSeriesId, `PROMO-${tag}`],
  );
  const twinSeriesId = await insertId(
    em,
    `insert into incentive_series (org_id, kind, code, max_redemptions_per_code, holder_only, created_at) values (?, 'COUPON', 'TWIN-SERIES', 1, true, now())`,
    [o],
  );
  const twinCouponId = await insertId(
    em,
    `insert into incentive (org_id, series_id, kind, code, status, holder_id, redemption_count, issued_at) values (?, ?, 'COUPON', ?, 'ACTIVE', ?, 0, now())`,
    [o, twinSeriesId, TWIN.couponCode, twinId],
  );
  // A registration event of the rich customer (not a Node: found by its reference, which carries the tag).
  await em.execute(
    `insert into customer_lifecycle_event (org_id, customer_id, source_id, activity, state, added_by, reference_id, updated_on, created_at)
      values (?, ?, 'WECHAT', 'FOLLOW', 'ACTIVE', 'bot', ?, now(), now())`,
    [o, richId, `REF-${tag}`],
  );
  // A card series of this org alone (every org also has GOLDPHY).
  const ownSeriesId = await insertId(
    em,
    `insert into card_series (org_id, code, type, prefix, suffix, auto_generate, program_id, store_id, created_at) values (?, ?, 'DIGITAL', '', '', false, ?, ?, now())`,
    [o, `SER-${tag}`, org.programId, org.storeIds[2]],
  );

  // An import template and a job of it, with a row error carrying the org's tag.
  const templateId = await insertId(
    em,
    `insert into import_template (org_id, name, profile, mapping, options, created_by, created_at, updated_at)
      values (?, ?, 'CUSTOMER_STATUS', '[{"header":"Mobile","field":"mobile"},{"header":"Label","field":"statusLabel"}]', ?, 'test', now(), now())`,
    [o, `Template ${tag}`, JSON.stringify({ replacementStoreId: org.storeIds[1] })],
  );
  const fileId = await insertId(em, `insert into import_file (org_id, name, size_bytes, complete, created_at) values (?, ?, 0, true, now())`, [o, `file-${tag}.csv`]);
  const importJobId = await insertId(
    em,
    `insert into import_job (org_id, template_id, template_name, profile, mapping, options, file_id, state, created_by, created_at, updated_at)
      select org_id, id, name, profile, mapping, options, ?, 'COMPLETED_WITH_ERRORS', 'test', now(), now() from import_template where id = ?`,
    [fileId, templateId],
  );
  await em.execute(
    `insert into import_row_issue (job_id, row, line, kind, code, field, value, message) values (?, 1, 2, 'ERROR', 'STATUS_LABEL_UNKNOWN', 'statusLabel', ?, ?)`,
    [importJobId, `label-${tag}`, `No label label-${tag}`],
  );

  // A partner app and a staff identity provider, each named with the org's tag.
  const oauthClientId = `lgc_app-${tag}`;
  await em.execute(
    `insert into oauth_client (org_id, client_id, name, type, secret_hash, redirect_uris, allowed_scopes, created_at, updated_at)
      values (?, ?, ?, 'PUBLIC', null, ?::jsonb, '["profile"]'::jsonb, now(), now())`,
    [o, oauthClientId, `App ${tag}`, JSON.stringify([`https://app-${tag}.example/callback`])],
  );
  await em.execute(
    `insert into staff_identity_provider (org_id, issuer, audience, allowed_email_domains, role_claim, role_mapping, default_role, created_at, updated_at)
      values (?, ?, ?, ?::jsonb, 'groups', '[]'::jsonb, 'VIEWER', now(), now())`,
    [o, `https://idp-${tag}.example`, `console-${tag}`, JSON.stringify([`${tag}.example`])],
  );

  // A campaign of the org's own tiers, which the rich customer completed (a CAMPAIGN lot) and the plain one is in the middle of.
  const campaignId = await insertId(
    em,
    `insert into campaign (org_id, code, name, starts_at, ends_at, requires_opt_in, eligible_tier_ids, eligible_statuses, goal_kind, goal_target, reward_program_id, reward_points, created_at, updated_at)
      values (?, ?, ?, now() - interval '1 day', null, false, ?::jsonb, '["ACTIVE"]'::jsonb, 'SPEND', 100, ?, 10, now(), now())`,
    [o, `CAMP-${tag}`, `Campaign ${tag}`, JSON.stringify([org.tierIds[0], org.tierIds[1]]), org.programId],
  );
  await em.execute(
    `insert into campaign_progress (org_id, campaign_id, customer_id, value, joined_at, completed_at, updated_at) values (?, ?, ?, 120, null, now(), now()), (?, ?, ?, 40, null, null, now())`,
    [o, campaignId, richId, o, campaignId, plainId],
  );
  await em.execute(
    `insert into points_ledger_entry (org_id, program_id, customer_id, campaign_id, kind, points, source, expires_at, created_at)
      values (?, ?, ?, ?, 'CAMPAIGN', 10, ?, now() + interval '365 days', now())`,
    [o, org.programId, richId, campaignId, `campaign:${campaignId}`],
  );

  // A timeline view named with the org's tag.
  await em.execute(`insert into timeline_view (org_id, name, event_types, window_days, created_at) values (?, ?, '["JOINED"]'::jsonb, 30, now())`, [o, `View ${tag}`]);

  const idsByType = new Map<NodeType, string[]>();
  for (const type of NODE_TYPES) {
    const sql = type === 'Org' ? 'select id from org where id = ?' : `select id from ${NODE_TABLES[type]} where org_id = ? order by id`;
    const rows = await em.execute<{ id: string }[]>(sql, [o]);
    idsByType.set(
      type,
      rows.map((row) => globalId(type, Number(row.id))),
    );
  }

  return {
    org,
    tag,
    http: overHttp(gqlClient(server.url, org.key)),
    richId,
    plainId,
    plainMobile,
    twinId,
    gid: {
      org: globalId('Org', o),
      rich: globalId('Customer', richId),
      plain: globalId('Customer', plainId),
      twin: globalId('Customer', twinId),
      plainCard: globalId('Card', plainCardId),
      richCard: globalId('Card', await idOf(em, 'card', o, 'number = ?', [`C-${tag}-1`])),
      twinCard: globalId('Card', twinCardId),
      ownSeries: globalId('CardSeries', ownSeriesId),
      sharedSeries: globalId('CardSeries', org.cardSeriesId),
      group: globalId('UserGroup', groupId),
      groupTransaction: globalId('Transaction', groupTransactionId),
      richTransaction: globalId('Transaction', await idOf(em, '"transaction"', o, 'bill_number = ?', [`B-${tag}-1`])),
      coupon: globalId('Incentive', couponId),
      promo: globalId('Incentive', promoId),
      twinCoupon: globalId('Incentive', twinCouponId),
      importTemplate: globalId('ImportTemplate', templateId),
      importJob: globalId('ImportJob', importJobId),
      campaign: globalId('Campaign', campaignId),
    },
    oauthClientId,
    idsByType,
    allIds: new Set([...idsByType.values()].flat()),
  };
}

/**
 * Everything in a response that belongs to `owner`: its global ids, and any value carrying its
 * tag (emails, card numbers, codes, names). Errors and extensions are searched too.
 */
function tracesOf(owner: Tenant, response: unknown): string[] {
  const traces: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (owner.allIds.has(value) || value.includes(owner.tag)) traces.push(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(response);
  return traces;
}

/** Every string in a response (to see which ids it holds). */
function stringsOf(response: unknown): Set<string> {
  const strings = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(response);
  return strings;
}

// ---------------------------------------------------------------------------------------------
// Every root query, as a table of cases.

interface RootCase {
  readonly name: string;
  readonly document: DocumentNode;
  /** Sends the query for `owner`'s object with the caller's transport; `found` are the global ids it answered. */
  ask(send: Send, owner: Tenant): Promise<{ found: string[]; response: Answer<unknown> }>;
  /** What an org finds when it asks for its own object. */
  owned(tenant: Tenant): string[];
  /**
   * The argument is one every org may use (an identifier of the twins, a shared series code) or
   * there is none: another org then finds its own object (`owned(caller)`) instead of nothing.
   */
  readonly shared: boolean;
}

function rootCase<R, V>(spec: {
  name: string;
  document: TypedDocumentNode<R, V>;
  variables: (owner: Tenant) => V;
  found: (data: R) => (string | null | undefined)[];
  owned: (tenant: Tenant) => string[];
  shared?: boolean;
}): RootCase {
  return {
    name: spec.name,
    document: spec.document,
    shared: spec.shared ?? false,
    owned: spec.owned,
    async ask(send, owner) {
      const response = await send(spec.document, spec.variables(owner));
      const found = response.data ? spec.found(response.data).filter((id): id is string => typeof id === 'string') : [];
      return { found, response };
    },
  };
}

const customerIds = (data: TenancyCustomersQuery): string[] => data.customers.nodes.map((customer) => customer.id);

/** The plain customer's identifier of each type: a value only its org uses (or its user id). */
const PLAIN_IDENTIFIERS: Record<CustomerIdentifierType, (tenant: Tenant) => string> = {
  USER_ID: (t) => String(t.plainId),
  MOBILE: (t) => t.plainMobile,
  EMAIL: (t) => `plain-${t.tag}@example.com`,
  EXTERNAL_ID: (t) => `EXT-${t.tag}`,
  CARD_NUMBER: (t) => `N-${t.tag}`,
  CARD_EXTERNAL_ID: (t) => `CX-${t.tag}`,
};

/** The twin's identifier of each type: the same value in every org (a user id never is). */
const TWIN_IDENTIFIERS: Record<Exclude<CustomerIdentifierType, 'USER_ID'>, string> = {
  MOBILE: TWIN.mobile,
  EMAIL: TWIN.email,
  EXTERNAL_ID: TWIN.externalId,
  CARD_NUMBER: TWIN.cardNumber,
  CARD_EXTERNAL_ID: TWIN.cardExternalId,
};

const ROOT_CASES: RootCase[] = [
  rootCase({
    name: 'importTemplates',
    document: TenancyImportTemplatesDocument,
    variables: () => ({}),
    found: (data) => data.importTemplates.nodes.map((template) => template.id),
    owned: (t) => [t.gid.importTemplate],
    shared: true,
  }),
  rootCase({
    name: 'importJob(id:) with its template and errors',
    document: TenancyImportJobDocument,
    variables: (owner) => ({ id: owner.gid.importJob }),
    found: (data) => [data.importJob?.id],
    owned: (t) => [t.gid.importJob],
  }),
  rootCase({
    name: 'importJobs',
    document: TenancyImportJobsDocument,
    variables: () => ({}),
    found: (data) => data.importJobs.nodes.map((job) => job.id),
    owned: (t) => [t.gid.importJob],
    shared: true,
  }),
  rootCase({
    name: 'importProfiles (no org data)',
    document: TenancyImportProfilesDocument,
    variables: () => ({}),
    found: () => [],
    owned: () => [],
    shared: true,
  }),
  rootCase({
    name: 'oauthClients',
    document: TenancyOAuthClientsDocument,
    variables: () => ({}),
    found: (data) => data.oauthClients.map((client) => client.clientId),
    owned: (t) => [t.oauthClientId],
    shared: true,
  }),
  rootCase({
    name: 'timelineViews',
    document: TenancyTimelineViewsDocument,
    variables: () => ({}),
    found: (data) => data.timelineViews.map((view) => view.name),
    owned: (t) => [`View ${t.tag}`],
    shared: true,
  }),
  rootCase({
    name: 'campaign(id:) with its tiers and program',
    document: TenancyCampaignDocument,
    variables: (owner) => ({ id: owner.gid.campaign }),
    found: (data) => [data.campaign?.id],
    owned: (t) => [t.gid.campaign],
  }),
  rootCase({
    name: 'campaigns',
    document: TenancyCampaignsDocument,
    variables: () => ({}),
    found: (data) => data.campaigns.nodes.map((campaign) => campaign.id),
    owned: (t) => [t.gid.campaign],
    shared: true,
  }),
  rootCase({
    name: 'staffIdentityProvider',
    document: TenancyStaffIdentityProviderDocument,
    variables: () => ({}),
    found: (data) => (data.staffIdentityProvider ? [data.staffIdentityProvider.issuer] : []),
    owned: (t) => [`https://idp-${t.tag}.example`],
    shared: true,
  }),
  rootCase({
    // A staff key is no customer: null for every org (customers' tokens: test/customer-token.test.ts).
    name: 'me (with a staff key)',
    document: TenancyMeDocument,
    variables: () => ({}),
    found: (data) => (data.me ? [data.me.id] : []),
    owned: () => [],
  }),
  rootCase({
    name: 'viewer',
    document: TenancyViewerDocument,
    variables: () => ({}),
    found: (data) => [data.viewer.org.id],
    owned: (t) => [t.gid.org],
    shared: true,
  }),
  rootCase({
    name: 'node(id: customer)',
    document: TenancyNodeDocument,
    variables: (owner) => ({ id: owner.gid.rich }),
    found: (data) => [data.node?.id],
    owned: (t) => [t.gid.rich],
  }),
  rootCase({
    name: 'customer(id:) with its whole graph',
    document: TenancyCustomerDocument,
    variables: (owner) => ({ id: owner.gid.rich }),
    found: (data) => [data.customer?.id],
    owned: (t) => [t.gid.rich],
  }),
  ...Object.entries(PLAIN_IDENTIFIERS).map(([type, value]) =>
    rootCase({
      name: `customerByIdentifier(${type})`,
      document: TenancyCustomerByIdentifierDocument,
      variables: (owner) => ({ type: type as CustomerIdentifierType, value: value(owner) }),
      found: (data) => [data.customerByIdentifier?.id],
      owned: (t) => [t.gid.plain],
    }),
  ),
  ...Object.entries(TWIN_IDENTIFIERS).map(([type, value]) =>
    rootCase({
      name: `customerByIdentifier(${type}) that both orgs use`,
      document: TenancyCustomerByIdentifierDocument,
      variables: () => ({ type: type as CustomerIdentifierType, value }),
      found: (data) => [data.customerByIdentifier?.id],
      owned: (t) => [t.gid.twin],
      shared: true,
    }),
  ),
  rootCase({
    name: 'customers without search',
    document: TenancyCustomersDocument,
    variables: () => ({ first: 100 }),
    found: customerIds,
    owned: (t) => [...t.idsByType.get('Customer')!],
    shared: true,
  }),
  ...(
    [
      ['email', (t: Tenant) => `plain-${t.tag}@example.com`],
      ['mobile', (t: Tenant) => t.plainMobile],
      ['external id', (t: Tenant) => `EXT-${t.tag}`],
      ['full name', (t: Tenant) => `Plain ${t.tag}`],
    ] as const
  ).map(([what, search]) =>
    rootCase({
      name: `customers(search: ${what})`,
      document: TenancyCustomersDocument,
      variables: (owner) => ({ first: 100, search: search(owner) }),
      found: customerIds,
      owned: (t) => [t.gid.plain],
    }),
  ),
  rootCase({
    name: 'customers(search: last name of all three)',
    document: TenancyCustomersDocument,
    variables: (owner) => ({ first: 100, search: owner.tag }),
    found: customerIds,
    owned: (t) => [t.gid.rich, t.gid.plain, t.gid.twin],
  }),
  rootCase({
    name: 'customers(search: email) that both orgs use',
    document: TenancyCustomersDocument,
    variables: () => ({ first: 100, search: TWIN.email }),
    found: customerIds,
    owned: (t) => [t.gid.twin],
    shared: true,
  }),
  rootCase({
    name: 'cardByNumber (card with an external id)',
    document: TenancyCardByNumberDocument,
    variables: (owner) => ({ number: `N-${owner.tag}` }),
    found: (data) => [data.cardByNumber?.id],
    owned: (t) => [t.gid.plainCard],
  }),
  rootCase({
    name: 'cardByNumber (card of the rich customer)',
    document: TenancyCardByNumberDocument,
    variables: (owner) => ({ number: `C-${owner.tag}-1` }),
    found: (data) => [data.cardByNumber?.id],
    owned: (t) => [t.gid.richCard],
  }),
  rootCase({
    name: 'cardByNumber that both orgs use',
    document: TenancyCardByNumberDocument,
    variables: () => ({ number: TWIN.cardNumber }),
    found: (data) => [data.cardByNumber?.id],
    owned: (t) => [t.gid.twinCard],
    shared: true,
  }),
  rootCase({
    name: 'cardSeriesByCode',
    document: TenancyCardSeriesByCodeDocument,
    variables: (owner) => ({ code: `SER-${owner.tag}` }),
    found: (data) => [data.cardSeriesByCode?.id],
    owned: (t) => [t.gid.ownSeries],
  }),
  rootCase({
    name: 'cardSeriesByCode that both orgs use',
    document: TenancyCardSeriesByCodeDocument,
    variables: () => ({ code: TWIN.cardSeriesCode }),
    found: (data) => [data.cardSeriesByCode?.id],
    owned: (t) => [t.gid.sharedSeries],
    shared: true,
  }),
  rootCase({
    name: 'userGroup(id:) with members, transactions and standing',
    document: TenancyUserGroupDocument,
    variables: (owner) => ({ id: owner.gid.group }),
    found: (data) => [data.userGroup?.id],
    owned: (t) => [t.gid.group],
  }),
  rootCase({
    name: 'transaction(id:) of a group',
    document: TenancyTransactionDocument,
    variables: (owner) => ({ id: owner.gid.groupTransaction }),
    found: (data) => [data.transaction?.id],
    owned: (t) => [t.gid.groupTransaction],
  }),
  rootCase({
    name: 'transaction(id:) of a customer',
    document: TenancyTransactionDocument,
    variables: (owner) => ({ id: owner.gid.richTransaction }),
    found: (data) => [data.transaction?.id],
    owned: (t) => [t.gid.richTransaction],
  }),
  rootCase({
    name: 'incentiveByCode(COUPON) with its redemption',
    document: TenancyIncentiveByCodeDocument,
    variables: (owner) => ({ kind: 'COUPON' as const, code: `CODE-${owner.tag}` }),
    found: (data) => [data.incentiveByCode?.id],
    owned: (t) => [t.gid.coupon],
  }),
  rootCase({
    name: 'incentiveByCode(PROMO_CODE) held by nobody',
    document: TenancyIncentiveByCodeDocument,
    variables: (owner) => ({ kind: 'PROMO_CODE' as const, code: `PROMO-${owner.tag}` }),
    found: (data) => [data.incentiveByCode?.id],
    owned: (t) => [t.gid.promo],
  }),
  rootCase({
    name: 'incentiveByCode(COUPON) that both orgs use',
    document: TenancyIncentiveByCodeDocument,
    variables: () => ({ kind: 'COUPON' as const, code: TWIN.couponCode }),
    found: (data) => [data.incentiveByCode?.id],
    owned: (t) => [t.gid.twinCoupon],
    shared: true,
  }),
  rootCase({
    name: 'incentiveSearch(COUPON) with its redemption',
    document: TenancyIncentiveSearchDocument,
    variables: (owner) => ({ kind: 'COUPON' as const, code: `CODE-${owner.tag}` }),
    found: (data) => [data.incentiveSearch.__typename === 'Incentive' ? data.incentiveSearch.id : null],
    owned: (t) => [t.gid.coupon],
  }),
  rootCase({
    name: 'incentiveSearch(COUPON) that both orgs use',
    document: TenancyIncentiveSearchDocument,
    variables: () => ({ kind: 'COUPON' as const, code: TWIN.couponCode }),
    found: (data) => [data.incentiveSearch.__typename === 'Incentive' ? data.incentiveSearch.id : null],
    owned: (t) => [t.gid.twinCoupon],
    shared: true,
  }),
];

/** The root fields a document selects. */
function rootFieldsOf(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION
      ? definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []))
      : [],
  );
}

/** Pages through all of an org's customers, each with its whole graph. */
async function everyCustomer(send: Send): Promise<Answer<TenancyCustomersQuery>[]> {
  const pages: Answer<TenancyCustomersQuery>[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Answer<TenancyCustomersQuery> = await send(TenancyCustomersDocument, { first: 2, after });
    expect(page.errors).toBeUndefined();
    pages.push(page);
    const info = page.data!.customers.pageInfo;
    if (!info.hasNextPage) return pages;
    after = info.endCursor;
  }
}

// ---------------------------------------------------------------------------------------------

describe('tenancy: an org never sees another org’s data', () => {
  let server: TestServer;
  let A: Tenant;
  let B: Tenant;

  beforeAll(async () => {
    server = await startTestServer();
    A = await createTenant(server, 'alpha', '6581000001');
    B = await createTenant(server, 'bravo', '6582000002');
  });
  afterAll(() => server?.stop());

  describe('the cases cover the whole schema', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));

    it('every root query field has a case (add one here for a new root query)', () => {
      const covered = new Set(ROOT_CASES.flatMap((c) => rootFieldsOf(c.document)));
      expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual([...covered].sort());
    });

    it('every CustomerIdentifierType has a case', () => {
      const type = schema.getType('CustomerIdentifierType');
      expect(isEnumType(type)).toBe(true);
      const values = isEnumType(type) ? type.getValues().map((value) => value.name) : [];
      expect(values.sort()).toEqual(Object.keys(PLAIN_IDENTIFIERS).sort());
    });

    it('every type implementing Node has a case, and the test data holds rows of each', () => {
      const node = schema.getType('Node');
      expect(isInterfaceType(node)).toBe(true);
      const implementations = isInterfaceType(node) ? schema.getPossibleTypes(node).map((type) => type.name) : [];
      expect(implementations.sort()).toEqual([...NODE_TYPES].sort());
      for (const type of NODE_TYPES) {
        expect(B.idsByType.get(type), `B has ${type} rows`).not.toHaveLength(0);
        expect(A.idsByType.get(type), `A has ${type} rows`).not.toHaveLength(0);
      }
    });
  });

  describe.each(ROOT_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('finds the owner’s object with the owner’s key', async () => {
      const { found, response } = await c.ask(B.http, B);
      expect(response.errors).toBeUndefined();
      expect(found).toEqual(c.owned(B));
    });

    it(c.shared ? 'gives another org its own object, nothing of the owner’s' : 'gives another org nothing', async () => {
      const { found, response } = await c.ask(A.http, B);
      expect(response.errors).toBeUndefined();
      expect(found).toEqual(c.shared ? c.owned(A) : []);
      expect(tracesOf(B, response)).toEqual([]);
    });
  });

  describe('node(id:) with every global id of the other org', () => {
    it.each(NODE_TYPES)('%s', async (type) => {
      const ids = B.idsByType.get(type)!;
      await Promise.all(
        ids.map(async (id) => {
          const own = await B.http(TenancyNodeDocument, { id });
          expect(own.errors).toBeUndefined();
          // The owner's key proves the id is real.
          expect(own.data?.node).toEqual({ __typename: type, id });

          const other = await A.http(TenancyNodeDocument, { id });
          expect(other.errors).toBeUndefined();
          expect(other.data?.node, `A must not reach B's ${type} ${id}`).toBeNull();
        }),
      );
    });
  });

  describe('nested paths', () => {
    it('A’s customers, paged with their whole graph, are exactly A’s and reference nothing of B', async () => {
      const pages = await everyCustomer(A.http);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.flatMap((page) => customerIds(page.data!))).toEqual(A.idsByType.get('Customer'));
      expect(tracesOf(B, pages)).toEqual([]);
    });

    it('the same query with B’s key reaches B’s rows of every type in the graph, so the check above can see them', async () => {
      const pages = await everyCustomer(B.http);
      const reached = stringsOf(pages);
      // Imports are not part of a customer's graph; their root queries are checked above.
      const graphTypes = NODE_TYPES.filter((type) => !['Org', 'ImportTemplate', 'ImportJob'].includes(type));
      for (const type of graphTypes) {
        expect(
          B.idsByType.get(type)!.filter((id) => reached.has(id)),
          `B's customer graph holds B's ${type} rows`,
        ).not.toHaveLength(0);
      }
      expect(reached.has(`REF-${B.tag}`), "B's customer graph holds B's registration event").toBe(true);
      expect(tracesOf(A, pages)).toEqual([]);
    });

    it('each of A’s customers, read by id, references nothing of B', async () => {
      for (const id of A.idsByType.get('Customer')!) {
        const response = await A.http(TenancyCustomerDocument, { id });
        expect(response.errors).toBeUndefined();
        expect(response.data?.customer?.id).toBe(id);
        expect(tracesOf(B, response)).toEqual([]);
      }
    });

    it('keeps concurrent requests of the two orgs apart', async () => {
      const callers = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? A : B));
      const answers = await Promise.all(callers.map((caller) => caller.http(TenancyCustomersDocument, { first: 100 })));
      answers.forEach((answer, i) => {
        const caller = callers[i];
        const other = caller === A ? B : A;
        expect(answer.errors).toBeUndefined();
        expect(customerIds(answer.data!)).toEqual(caller.idsByType.get('Customer'));
        expect(tracesOf(other, answer)).toEqual([]);
      });
    });
  });

  describe('over WebSocket', () => {
    const OVER_WEBSOCKET = new Set([
      'viewer',
      'node(id: customer)',
      'customer(id:) with its whole graph',
      'customerByIdentifier(EMAIL)',
      'customerByIdentifier(CARD_NUMBER) that both orgs use',
      'customers without search',
      'customers(search: email)',
      'incentiveByCode(COUPON) with its redemption',
      'incentiveSearch(COUPON) with its redemption',
    ]);
    let socketA: Client;
    let socketB: Client;

    beforeAll(() => {
      socketA = wsClient(server.wsUrl, A.org.key);
      socketB = wsClient(server.wsUrl, B.org.key);
    });
    afterAll(async () => {
      await socketA?.dispose();
      await socketB?.dispose();
    });

    it('the cases picked for WebSocket exist', () => {
      expect(ROOT_CASES.filter((c) => OVER_WEBSOCKET.has(c.name))).toHaveLength(OVER_WEBSOCKET.size);
    });

    it.each(ROOT_CASES.filter((c) => OVER_WEBSOCKET.has(c.name)).map((c) => [c.name, c] as const))(
      '%s: B’s socket finds it, A’s socket (open at the same time) gets nothing of B',
      async (_name, c) => {
        const [own, other] = await Promise.all([c.ask(overWebSocket(socketB), B), c.ask(overWebSocket(socketA), B)]);
        expect(own.response.errors).toBeUndefined();
        expect(own.found).toEqual(c.owned(B));
        expect(other.response.errors).toBeUndefined();
        expect(other.found).toEqual(c.shared ? c.owned(A) : []);
        expect(tracesOf(B, other.response)).toEqual([]);
      },
    );

    it('node(id:) over A’s socket is null for an id of B of every type', async () => {
      const send = overWebSocket(socketA);
      for (const type of NODE_TYPES) {
        const id = B.idsByType.get(type)![0];
        const answer = await send(TenancyNodeDocument, { id });
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.node, `A's socket must not reach B's ${type}`).toBeNull();
      }
    });

    it('A’s customers with their whole graph over A’s socket reference nothing of B', async () => {
      const pages = await everyCustomer(overWebSocket(socketA));
      expect(pages.flatMap((page) => customerIds(page.data!))).toEqual(A.idsByType.get('Customer'));
      expect(tracesOf(B, pages)).toEqual([]);
    });
  });
});
