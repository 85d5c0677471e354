import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey, type StaffRole } from '../../domain/auth/api-key.entity.js';
import { generateApiKey, hashApiKey } from '../../domain/auth/auth.service.js';
import { CardSeries, CardStatusLabel } from '../../domain/card/card.entity.js';
import { StatusLabel } from '../../domain/customer/customer.entity.js';
import { Org, Store } from '../../domain/org/org.entity.js';
import { LoyaltyProgram, Tier } from '../../domain/program/program.entity.js';

export interface OrgSetupInput {
  readonly slug: string;
  readonly name: string;
  readonly timeZone: string;
  readonly baseCountry: string;
  readonly countryCallingCode: string;
  readonly mobileRegex: string;
}

export interface OrgSetup {
  readonly orgId: number;
  readonly programId: number;
  readonly tierIds: readonly number[];
  readonly storeIds: readonly number[];
  readonly cardSeriesId: number;
  readonly activeCardLabelId: number;
  readonly expiredCardLabelId: number;
  readonly statusLabelIds: Readonly<Record<string, number>>;
}

/**
 * A ready-to-use org: stores, a default program with three tiers, customer status labels, card
 * status labels and a card series. Used by the demo seed and by tests.
 */
export async function setUpOrg(em: EntityManager, input: OrgSetupInput): Promise<OrgSetup> {
  const org = em.create(Org, { ...input, defaultSenderId: input.slug.toUpperCase().slice(0, 11) });
  const stores = ['Orchard', 'Marina', 'Airport'].map((name, index) =>
    em.create(Store, { org, code: `${input.slug}-s${index + 1}`, externalId: `EXT-${input.slug}-${index + 1}`, name: `${input.name} ${name}` }),
  );
  const program = em.create(LoyaltyProgram, { org, name: `${input.name} Rewards`, isDefault: true, pointsPerCurrencyUnit: 1, pointsExpiryDays: 365 });
  const tiers = [
    { name: 'Silver', rank: 0, purchaseThreshold: 0, pointsMultiplier: 1 },
    { name: 'Gold', rank: 1, purchaseThreshold: 1000, pointsMultiplier: 1.5 },
    { name: 'Platinum', rank: 2, purchaseThreshold: 5000, pointsMultiplier: 2 },
  ].map((tier) => em.create(Tier, { org, program, ...tier }));
  const statusLabels = [
    { label: 'active-customer', standardStatus: 'ACTIVE' as const },
    { label: 'on-hold', standardStatus: 'SUSPENDED' as const },
    { label: 'closed', standardStatus: 'DELETED' as const },
    { label: 'staff', standardStatus: 'INTERNAL' as const },
  ].map((label) => em.create(StatusLabel, { org, ...label }));
  const activeLabel = em.create(CardStatusLabel, { org, label: 'Active', systemStatus: 'ACTIVE' });
  const expiredLabel = em.create(CardStatusLabel, { org, label: 'Expired', systemStatus: 'EXPIRED' });
  em.create(CardStatusLabel, { org, label: 'Not issued', systemStatus: 'NOT_ISSUED' });
  const series = em.create(CardSeries, {
    org,
    code: 'GOLDPHY',
    description: 'Gold physical card',
    type: 'PHYSICAL',
    prefix: 'GOLD',
    suffix: '',
    numberLength: 16,
    autoGenerate: true,
    expiryDays: 1000,
    store: stores[0],
    program,
  });
  await em.flush();
  return {
    orgId: org.id,
    programId: program.id,
    tierIds: tiers.map((tier) => tier.id),
    storeIds: stores.map((store) => store.id),
    cardSeriesId: series.id,
    activeCardLabelId: activeLabel.id,
    expiredCardLabelId: expiredLabel.id,
    statusLabelIds: Object.fromEntries(statusLabels.map((label) => [label.label, label.id])),
  };
}

/** Creates a staff API key; returns the key itself (only its hash is stored). */
export async function createApiKey(em: EntityManager, orgId: number, role: StaffRole, name = `${role.toLowerCase()} key`): Promise<string> {
  const key = generateApiKey();
  em.create(ApiKey, { org: em.getReference(Org, orgId), name, role, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8) });
  await em.flush();
  return key;
}
