import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { incentiveSeriesById } from '../incentive/index.js';
import { storeById } from '../org/index.js';
import type { ImportOptions } from '../../import/import.options.js';
import type { ImportTemplateRow } from '../../import/import.rows.js';
import { ImportOptionsOutput, ImportTemplate } from './import.types.js';
import { DEFAULT_DATE_FORMAT } from '../../import/checks/date-formats.js';

/** Options as the schema shows them: every option with its value or default, references as objects. */
export function presentOptions(options: ImportOptions, ctx: RequestContext): ImportOptionsOutput {
  return {
    customerIdentifierType: options.customerIdentifierType ?? null,
    disableUpdate: options.disableUpdate ?? false,
    updatableFields: options.updatableFields ? [...options.updatableFields] : null,
    keepCustomFieldsWhenEmpty: options.keepCustomFieldsWhenEmpty ?? false,
    replacementStore: options.replacementStoreId === undefined ? null : storeById(ctx).load(options.replacementStoreId),
    appendCountryCode: options.appendCountryCode ?? false,
    skipMobileValidation: options.skipMobileValidation ?? false,
    skipEmailValidation: options.skipEmailValidation ?? false,
    storesByExternalId: options.storesByExternalId ?? false,
    validateTransactionNumbers: options.validateTransactionNumbers ?? false,
    skipRedemptionRangeCheck: options.skipRedemptionRangeCheck ?? false,
    replacementCouponSeries: options.replacementCouponSeriesId === undefined ? null : incentiveSeriesById(ctx).load(options.replacementCouponSeriesId),
    dateFormat: options.dateFormat ?? DEFAULT_DATE_FORMAT,
    rowFilter: (options.rowFilter ?? []).map((condition) => ({ ...condition, values: [...condition.values] })),
    linkCustomer: options.linkCustomer ?? false,
  };
}

@Resolver(() => ImportTemplate)
export class ImportTemplateFields {
  @FieldResolver(() => ImportOptionsOutput, { description: "The profile's options as the template sets them." })
  options(@Root() template: ImportTemplateRow, @Ctx() ctx: RequestContext): ImportOptionsOutput {
    return presentOptions(template.options, ctx);
  }
}
