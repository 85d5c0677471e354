import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { ImportProfileName } from '../../../import/import.entity.js';
import type { ImportIdentifierType, RowFilterOperator } from '../../../import/import.options.js';
import type { ImportTemplateRow } from '../../../import/import.rows.js';
import { ImportDateFormatEnum, ImportIdentifierTypeEnum, ImportProfileEnum, ImportTemplate, RowFilterOperatorEnum } from '../import.types.js';
import type { DateFormatName } from '../../../import/checks/date-formats.js';

@InputType({ description: 'Maps one CSV header to a field of the profile.' })
export class ImportFieldMappingInput {
  @Field(() => String, { description: 'The CSV header (compared without surrounding spaces).' })
  header!: string;

  @Field(() => String, { description: 'The profile field (see `importProfiles`), e.g. `mobile` or `custom.shoe_size`.' })
  field!: string;
}

@InputType({ description: 'A condition of a row filter: rows that do not match are skipped.' })
export class ImportRowConditionInput {
  @Field(() => String, { description: 'The CSV header whose value is compared.' })
  column!: string;

  @Field(() => RowFilterOperatorEnum, { description: 'How it is compared.' })
  operator!: RowFilterOperator;

  @Field(() => [String], { nullable: true, description: 'What it is compared with (a regular expression for MATCHES); none for EMPTY and NOT_EMPTY.' })
  values?: string[] | null;
}

@InputType({ description: 'Options of a template; only those its profile takes may be set (see `importProfiles`).' })
export class ImportOptionsInput {
  @Field(() => ImportIdentifierTypeEnum, { nullable: true, description: 'Which identifier rows use to find (or create) their customer.' })
  customerIdentifierType?: ImportIdentifierType | null;

  @Field(() => Boolean, { nullable: true, description: 'Do not change existing records: their rows are rejected.' })
  disableUpdate?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Only these fields may change on existing records.' })
  updatableFields?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Empty CSV values do not erase existing custom or extended fields.' })
  keepCustomFieldsWhenEmpty?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Code (or external id) of a store to use instead of an unknown store.' })
  replacementStoreCode?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Prefix the org's calling code to mobiles without one." })
  appendCountryCode?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Do not check mobiles against the org's pattern." })
  skipMobileValidation?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Do not check emails against the standard pattern.' })
  skipEmailValidation?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Store columns hold the stores' external ids." })
  storesByExternalId?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Coupon redemptions: transaction numbers must be bills of the row's customer. Transactions: bill numbers must be well formed and new for their store and day.",
  })
  validateTransactionNumbers?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Do not check the coupon series' redemption range." })
  skipRedemptionRangeCheck?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Code of a coupon series to use instead of an unknown one.' })
  replacementCouponSeriesCode?: string | null;

  @Field(() => ImportDateFormatEnum, { nullable: true, description: 'How date columns are written (default YMD_DASH).' })
  dateFormat?: DateFormatName | null;

  @Field(() => [ImportRowConditionInput], { nullable: true, description: 'Import only rows matching every condition.' })
  rowFilter?: ImportRowConditionInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Card imports: link each card to the customer its row identifies.' })
  linkCustomer?: boolean | null;
}

@InputType({ description: 'A new import template.' })
export class ImportTemplateCreateInput {
  @Field(() => String, { description: 'Name, unique in the org.' })
  name!: string;

  @Field(() => ImportProfileEnum, { description: 'What it imports.' })
  profile!: ImportProfileName;

  @Field(() => [ImportFieldMappingInput], { description: 'CSV header → field; every mandatory field of the profile must be mapped.' })
  mapping!: ImportFieldMappingInput[];

  @Field(() => ImportOptionsInput, { nullable: true, description: "The profile's options." })
  options?: ImportOptionsInput | null;
}

@InputType({ description: 'Changes to an import template; what is left out stays as it is.' })
export class ImportTemplateUpdateInput {
  @Field(() => ID, { description: 'The template.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new name.' })
  name?: string | null;

  @Field(() => [ImportFieldMappingInput], { nullable: true, description: 'A new mapping (replaces the whole mapping).' })
  mapping?: ImportFieldMappingInput[] | null;

  @Field(() => ImportOptionsInput, { nullable: true, description: 'New options (replace every option).' })
  options?: ImportOptionsInput | null;
}

@InputType({ description: 'The template to retire.' })
export class ImportTemplateDeleteInput {
  @Field(() => ID, { description: 'The template.' })
  id!: string;
}

@ObjectType({ description: 'Result of creating or changing an import template.' })
export class ImportTemplatePayload {
  @Field(() => ImportTemplate, { nullable: true, description: 'The template; null when the change failed.' })
  template?: ImportTemplateRow | null;

  @Field(() => [UserErrorType], { description: 'Every problem found; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `importTemplateDelete`.' })
export class ImportTemplateDeletePayload {
  @Field(() => ID, { nullable: true, description: 'Id of the retired template.' })
  deletedTemplateId?: string | null;

  @Field(() => [UserErrorType], { description: 'Why it failed; empty on success.' })
  userErrors!: UserError[];
}
