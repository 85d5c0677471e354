import { selectRows, toId } from '../../core/sql/rows.js';
import { storedUserPattern, type UserPattern } from '../../core/user-pattern.js';
import { MOBILE_PATTERN_SYNTAX } from '../../domain/org/org.rows.js';
import type { JobContext } from '../profiles/profile.js';

/**
 * The org's small reference tables, loaded once per run so each row is checked in memory:
 * stores, status labels, tiers, card series and labels, coupon series, badges, org units.
 */
export interface ReferenceData {
  readonly timeZone: string;
  readonly countryCallingCode: string;
  readonly mobilePattern: UserPattern;
  readonly storesByCode: ReadonlyMap<string, number>;
  readonly storesByExternalId: ReadonlyMap<string, number>;
  readonly storeCodeById: ReadonlyMap<number, string>;
  /** By label, as written (labels are case-sensitive, like the org set them up). */
  readonly statusLabels: ReadonlyMap<string, { readonly id: number; readonly standardStatus: string }>;
  readonly defaultProgramId: number;
  /** Tiers of the default program by lower-cased name. */
  readonly tiersByName: ReadonlyMap<string, number>;
  readonly baseTierId: number;
  readonly cardSeries: ReadonlyMap<string, { readonly id: number; readonly prefix: string; readonly suffix: string; readonly numberLength: number | null }>;
  /** Card status labels by lower-cased label (rows may write `active` for `Active`), with the label as the org wrote it. */
  readonly cardStatusLabels: ReadonlyMap<string, { readonly id: number; readonly label: string }>;
  readonly couponSeries: ReadonlyMap<string, number>;
  readonly couponSeriesCodeById: ReadonlyMap<number, string>;
  readonly badges: ReadonlyMap<string, number>;
  readonly orgUnits: ReadonlyMap<string, number>;
}

export async function loadReferenceData(ctx: JobContext): Promise<ReferenceData> {
  const org = ctx.org.id;
  const [stores, labels, tiers, series, cardLabels, coupons, badges, units] = await Promise.all([
    selectRows<{ id: string; code: string; externalId: string | null }>(ctx.em, 'select id, code, external_id from store where org_id = ?', [org]),
    selectRows<{ id: string; label: string; standardStatus: string }>(ctx.em, 'select id, label, standard_status from status_label where org_id = ?', [org]),
    selectRows<{ id: string; name: string; rank: number; programId: string }>(
      ctx.em,
      'select t.id, t.name, t.rank, t.program_id from tier t join loyalty_program p on p.id = t.program_id where p.org_id = ? and p.is_default order by t.rank',
      [org],
    ),
    selectRows<{ id: string; code: string; prefix: string; suffix: string; numberLength: number | null }>(
      ctx.em,
      'select id, code, prefix, suffix, number_length from card_series where org_id = ?',
      [org],
    ),
    selectRows<{ id: string; label: string }>(ctx.em, 'select id, label from card_status_label where org_id = ?', [org]),
    selectRows<{ id: string; code: string }>(ctx.em, `select id, code from incentive_series where org_id = ? and kind = 'COUPON'`, [org]),
    selectRows<{ id: string; metaId: string }>(ctx.em, 'select id, meta_id from badge_definition where org_id = ?', [org]),
    selectRows<{ id: string; code: string }>(ctx.em, 'select id, code from org_unit where org_id = ?', [org]),
  ]);
  return {
    timeZone: ctx.org.timeZone,
    countryCallingCode: ctx.org.countryCallingCode,
    mobilePattern: storedUserPattern(ctx.org.mobileRegex, MOBILE_PATTERN_SYNTAX, "org's mobile pattern"),
    storesByCode: new Map(stores.map((store) => [store.code, toId(store.id)])),
    storesByExternalId: new Map(stores.filter((store) => store.externalId).map((store) => [store.externalId!, toId(store.id)])),
    storeCodeById: new Map(stores.map((store) => [toId(store.id), store.code])),
    statusLabels: new Map(labels.map((label) => [label.label, { id: toId(label.id), standardStatus: label.standardStatus }])),
    defaultProgramId: tiers[0] ? toId(tiers[0].programId) : 0,
    tiersByName: new Map(tiers.map((tier) => [tier.name.toLowerCase(), toId(tier.id)])),
    baseTierId: tiers[0] ? toId(tiers[0].id) : 0,
    cardSeries: new Map(series.map((one) => [one.code, { id: toId(one.id), prefix: one.prefix, suffix: one.suffix, numberLength: one.numberLength }])),
    cardStatusLabels: new Map(cardLabels.map((label) => [label.label.toLowerCase(), { id: toId(label.id), label: label.label }])),
    couponSeries: new Map(coupons.map((one) => [one.code, toId(one.id)])),
    couponSeriesCodeById: new Map(coupons.map((one) => [toId(one.id), one.code])),
    badges: new Map(badges.map((badge) => [badge.metaId, toId(badge.id)])),
    orgUnits: new Map(units.map((unit) => [unit.code, toId(unit.id)])),
  };
}
