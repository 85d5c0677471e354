import type { StaffRole } from '../domain/auth/api-key.entity.js';
import { assertRole, WRITERS } from '../domain/auth/roles.js';
import type { ImportProfileName } from './import.entity.js';
import type { ImportOptionName } from './import.options.js';
import { PROFILE_SPECS } from './profiles/catalog.js';

/** The caller of an import service: who acts decides what a template may do. */
export interface ImportCaller {
  readonly role: StaffRole;
}

/**
 * An import makes the same changes as a mutation, so it takes the roles of that mutation: a file
 * must not do what its key could not do one row at a time.
 */
const PROFILE_ROLES: Readonly<Record<ImportProfileName, { readonly roles: readonly StaffRole[]; readonly what: string }>> = {
  LOYALTY_CUSTOMERS: { roles: WRITERS, what: 'import customers' },
  CARDS: { roles: WRITERS, what: 'import cards (as cardIssue and cardStatusChange)' },
  // Card series are configuration: cardSeriesCreate is for ADMIN and INTEGRATION keys.
  CARD_SERIES: { roles: ['ADMIN', 'INTEGRATION'], what: 'import card series (as cardSeriesCreate)' },
  COUPON_REDEMPTIONS: { roles: WRITERS, what: 'import coupon redemptions (as couponRedeem)' },
  CUSTOMER_STATUS: { roles: WRITERS, what: 'import customer statuses (as customerStatusUpdate)' },
  ENTITY_LIFE_CYCLE: { roles: WRITERS, what: 'import customer life-cycle events' },
  USER_SUBSCRIPTIONS: { roles: WRITERS, what: 'import subscriptions (as customerSubscriptionUpdate)' },
  FRAUD_STATUS: { roles: WRITERS, what: 'import fraud statuses (as customerFraudStatusUpdate)' },
  EARNED_BADGES: { roles: WRITERS, what: 'import earned badges (as badgeIssue)' },
  TRANSACTIONS: { roles: WRITERS, what: 'import transactions (as transactionAdd)' },
};

/** Options that switch a check off: what the API checks for everyone, only an ADMIN may waive. */
const RELAXING_OPTIONS: readonly ImportOptionName[] = ['skipMobileValidation', 'skipEmailValidation', 'skipRedemptionRangeCheck'];

/** Fields that open points balances (new customers' ledgers): points are money, so ADMIN only, as org settings are. */
const OPENING_BALANCE_FIELDS: readonly string[] = ['loyaltyPoints', 'lifetimePoints'];

/** What of a template decides who may save or run it; options in stored or input form (the relaxing ones have the same names). */
export interface ImportDefinitionRights {
  readonly profile: ImportProfileName;
  readonly mapping: readonly { readonly field: string }[];
  readonly options?: Partial<Readonly<Record<ImportOptionName, unknown>>> | null;
}

/**
 * Refuses (top-level FORBIDDEN, as a mutation refuses a role) a template its caller may not save
 * or run: checked when a template is created or changed, and again when a job is started or
 * replayed, since a template an ADMIN saved can be run by any writer key.
 */
export function assertMayImport(caller: ImportCaller, definition: ImportDefinitionRights): void {
  const profile = PROFILE_ROLES[definition.profile];
  assertRole(caller, profile.roles, profile.what);
  const applicable = PROFILE_SPECS[definition.profile].options;
  for (const option of RELAXING_OPTIONS) {
    if (applicable.includes(option) && definition.options?.[option] === true) {
      assertRole(caller, ['ADMIN'], `import with ${option} (it switches a check off)`);
    }
  }
  if (definition.profile === 'LOYALTY_CUSTOMERS') {
    const opening = definition.mapping.map((entry) => entry.field.trim()).filter((field) => OPENING_BALANCE_FIELDS.includes(field));
    if (opening.length > 0) assertRole(caller, ['ADMIN'], `import opening points balances (${opening.join(', ')})`);
  }
}
