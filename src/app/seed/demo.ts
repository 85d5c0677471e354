import type { EntityManager } from '@mikro-orm/postgresql';
import { BadgeDefinition, EarnedBadge } from '../../domain/badge/badge.entity.js';
import { Card, CardSeries, CardStatusLabel } from '../../domain/card/card.entity.js';
import { ChannelSubscription, Customer, CustomerExternalId, StatusLabel } from '../../domain/customer/customer.entity.js';
import { Incentive, IncentiveSeries } from '../../domain/incentive/incentive.entity.js';
import { Interaction } from '../../domain/interaction/interaction.entity.js';
import { Org, Store } from '../../domain/org/org.entity.js';
import { MembershipActivity, ProgramMembership, SupplementaryProgram } from '../../domain/partner-program/partner-program.entity.js';
import { LoyaltyEnrollment, PointsLedgerEntry } from '../../domain/points/points.entity.js';
import { LoyaltyProgram, Tier } from '../../domain/program/program.entity.js';
import { TimelineEvent } from '../../domain/timeline/timeline.entity.js';
import { Transaction, TransactionLineItem } from '../../domain/transaction/transaction.entity.js';
import { UserGroup, UserGroupMember } from '../../domain/user-group/user-group.entity.js';
import { seedDemoCampaigns } from './demo-campaigns.js';
import { createApiKey, setUpOrg } from './org-setup.js';
import { CUSTOMER_SCOPES } from '../../domain/oauth/customer-grant.js';

const FIRST_NAMES = ['Tom', 'Ada', 'Wei', 'Priya', 'Sofia', 'Kenji', 'Amara', 'Lucas', 'Mei', 'Omar'];
const LAST_NAMES = ['Sawyer', 'Lovelace', 'Tan', 'Nair', 'Rossi', 'Sato', 'Okafor', 'Silva', 'Lim', 'Haddad'];
const DAY_MS = 86_400_000;

/** Whether the database holds any org yet (the demo is seeded only into an empty database). */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(Org, {})) === 0;
}

/**
 * The demo org's partner app (`examples/partner-app/`): a public client whose redirect URI is the
 * example's own callback server. Its first customer (mobile 6591000000) can sign in with it.
 */
export const DEMO_OAUTH_CLIENT = { clientId: 'demo-partner-app', redirectUri: 'http://127.0.0.1:8765/callback' } as const;

/**
 * A small, complete demo org (Asia/Singapore): 40 customers with cards, transactions, points,
 * badges, coupons, partner memberships, SMS interactions and timelines, plus a family group, and
 * two running campaigns with customers at every stage (`demo-campaigns.ts`).
 * Returns an ADMIN API key for it.
 */
export async function seedDemo(em: EntityManager, now = new Date()): Promise<string> {
  const setup = await setUpOrg(em, {
    slug: 'demo-coffee',
    name: 'Demo Coffee',
    timeZone: 'Asia/Singapore',
    baseCountry: 'SG',
    countryCallingCode: '65',
    mobileRegex: '^65[89][0-9]{7}$',
  });
  const org = em.getReference(Org, setup.orgId);
  const program = em.getReference(LoyaltyProgram, setup.programId);
  const store = em.getReference(Store, setup.storeIds[0]);
  const series = em.getReference(CardSeries, setup.cardSeriesId);
  const activeCard = em.getReference(CardStatusLabel, setup.activeCardLabelId);
  const expiredCard = em.getReference(CardStatusLabel, setup.expiredCardLabelId);
  const tiers = setup.tierIds.map((id) => em.getReference(Tier, id));

  const coffeeClub = em.create(SupplementaryProgram, { org, code: 'AIRMILES', name: 'Air Miles Partner', type: 'EXTERNAL' });
  const welcome = em.create(BadgeDefinition, { org, metaId: 'WELCOME', name: 'Welcome', description: 'Joined the program' });
  const regular = em.create(BadgeDefinition, { org, metaId: 'REGULAR', name: 'Regular', description: 'Ten visits' });
  const coupons = em.create(IncentiveSeries, {
    org,
    kind: 'COUPON',
    code: 'FREECOFFEE',
    description: 'One free coffee',
    validFrom: new Date(now.getTime() - 30 * DAY_MS),
    validUntil: new Date(now.getTime() + 60 * DAY_MS),
    maxRedemptionsPerCode: 1,
    holderOnly: true,
  });

  const customers = [];
  for (let i = 0; i < 40; i += 1) {
    const joinedAt = new Date(now.getTime() - (400 - i * 7) * DAY_MS);
    const customer = em.create(Customer, {
      org,
      firstName: FIRST_NAMES[i % 10],
      lastName: LAST_NAMES[Math.floor(i / 4) % 10],
      mobile: `659${String(1000000 + i).padStart(7, '0')}`,
      email: `member${i + 1}@example.com`,
      joinedAt,
      joinStore: store,
      statusLabel: em.getReference(StatusLabel, setup.statusLabelIds[i % 10 === 9 ? 'on-hold' : 'active-customer']),
      fraudStatus: i % 13 === 12 ? 'MARKED' : null,
      fraudReason: i % 13 === 12 ? 'Unusual redemption pattern' : null,
      customFields: { favourite_drink: ['latte', 'espresso', 'mocha'][i % 3] },
    });
    customers.push(customer);
    em.create(CustomerExternalId, { org, customer, value: `DC${String(i + 1).padStart(5, '0')}` });
    em.create(Card, { org, series, number: `GOLD${String(100000000000 + i)}`, externalId: `CARD-${i + 1}`, statusLabel: activeCard, customer, issuedAt: joinedAt });
    if (i % 5 === 0) {
      em.create(Card, { org, series, number: `GOLD${String(200000000000 + i)}`, statusLabel: expiredCard, customer, issuedAt: joinedAt });
    }
    em.create(ChannelSubscription, { org, customer, channel: 'MOBILE', priority: 'TRANS', status: 'OPTIN' });
    em.create(ChannelSubscription, { org, customer, channel: 'EMAIL', priority: 'BULK', status: i % 2 ? 'OPTIN' : 'OPTOUT' });

    let purchases = 0;
    for (let t = 0; t < 5 + (i % 6); t += 1) {
      const occurredAt = new Date(joinedAt.getTime() + (t + 1) * 9 * DAY_MS);
      const amount = 12 + ((i * 7 + t * 13) % 40);
      purchases += amount;
      const transaction = em.create(Transaction, {
        org,
        customer,
        store,
        billNumber: `B${i + 1}-${t + 1}`,
        billDate: occurredAt.toISOString().slice(0, 10),
        amount,
        occurredAt,
      });
      em.create(TransactionLineItem, { org, transaction, sku: 'LATTE-L', description: 'Large latte', quantity: 1, amount });
      em.create(PointsLedgerEntry, {
        org,
        program,
        customer,
        transaction,
        kind: 'EARN',
        points: Math.floor(amount),
        source: 'demo-seed',
        expiresAt: new Date(occurredAt.getTime() + 365 * DAY_MS),
      });
      em.create(TimelineEvent, { org, customer, type: 'PURCHASED', summary: `Spent ${amount} at ${store.id}`, occurredAt });
    }
    em.create(LoyaltyEnrollment, { org, program, customer, tier: tiers[purchases > 400 ? 1 : 0], lifetimePurchases: purchases, enrolledAt: joinedAt });
    em.create(EarnedBadge, { org, badge: welcome, customer, earnedAt: joinedAt, expiresAt: new Date(joinedAt.getTime() + 730 * DAY_MS) });
    if (i % 4 === 0) em.create(EarnedBadge, { org, badge: regular, customer, earnedAt: new Date(now.getTime() - 10 * DAY_MS), expiresAt: new Date(now.getTime() + 355 * DAY_MS) });
    em.create(Incentive, { org, series: coupons, kind: 'COUPON', code: `FREE-${String(i + 1).padStart(4, '0')}`, holder: customer });
    em.create(Interaction, {
      org,
      customer,
      channel: 'SMS',
      senderId: 'DEMOCOFFEE',
      content: `Hi ${customer.firstName}, your free coffee is waiting!`,
      status: 'DELIVERED',
      sentAt: new Date(now.getTime() - (i + 1) * 3_600_000),
    });
    if (i % 3 === 0) {
      const startedAt = new Date(joinedAt.getTime() + 20 * DAY_MS);
      const membership = em.create(ProgramMembership, {
        org,
        program: coffeeClub,
        customer,
        membershipId: `AM${100000 + i}`,
        tierName: 'Blue',
        startedAt,
        lastUpdatedAt: startedAt,
        lastActivity: 'JOINED',
        lastActivityAt: startedAt,
      });
      em.create(MembershipActivity, { org, membership, kind: 'JOINED', description: 'Linked Air Miles account', tierName: 'Blue', occurredAt: startedAt });
    }
  }

  const family = em.create(UserGroup, { org, name: 'The Sawyer family', externalId: 'FAM-1', primaryMember: customers[0] });
  for (const member of customers.slice(0, 3)) em.create(UserGroupMember, { org, group: family, customer: member });
  em.create(LoyaltyEnrollment, { org, program, group: family, tier: tiers[0], lifetimePurchases: 0 });
  await em.flush();
  await seedDemoCampaigns(em, setup.orgId, customers.map((customer) => customer.id), setup.storeIds, now);
  await em.execute(
    `insert into oauth_client (org_id, client_id, name, type, secret_hash, redirect_uris, allowed_scopes, created_at, updated_at)
      values (?, ?, 'Demo partner app', 'PUBLIC', null, ?::jsonb, ?::jsonb, ?, ?)`,
    [setup.orgId, DEMO_OAUTH_CLIENT.clientId, JSON.stringify([DEMO_OAUTH_CLIENT.redirectUri]), JSON.stringify(CUSTOMER_SCOPES), now, now],
  );
  return createApiKey(em, setup.orgId, 'ADMIN', 'Demo admin key');
}
