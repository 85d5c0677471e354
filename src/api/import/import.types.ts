import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { IncentiveSeries } from '../incentive/incentive.types.js';
import { Store } from '../org/org.types.js';
import { IMPORT_JOB_STATES, IMPORT_PROFILES, type ImportProfileName } from '../../import/import.entity.js';
import { IMPORT_IDENTIFIER_TYPES, ROW_FILTER_OPERATORS, type ImportIdentifierType, type RowFilterOperator } from '../../import/import.options.js';
import { PROFILE_SPECS } from '../../import/profiles/catalog.js';
import { DATE_FORMATS, type DateFormatName } from '../../import/checks/date-formats.js';

export const ImportProfileEnum = graphqlEnum(
  IMPORT_PROFILES,
  'ImportProfile',
  'What an import loads: each profile has its own fields and options (see `importProfiles`).',
  Object.fromEntries(IMPORT_PROFILES.map((profile) => [profile, PROFILE_SPECS[profile].description])) as Record<ImportProfileName, string>,
);
export const ImportJobStateEnum = graphqlEnum(IMPORT_JOB_STATES, 'ImportJobState', 'Where an import job is; the last four are final.', {
  QUEUED: 'Waiting for a worker.',
  PARSING: 'Reading the file: each row is checked on its own (and corrected where the template allows) and staged.',
  VALIDATING: 'Checks across rows (values duplicated in the file) and against existing data.',
  STAGED: 'Every check done; the accepted rows wait to be merged.',
  MERGING: 'Writing the accepted rows into the main tables, batch by batch.',
  COMPLETED: 'Every row was accepted (a dry run: would be).',
  COMPLETED_WITH_ERRORS: 'Done; some rows were rejected (see `errors` and the report).',
  FAILED: 'The file could not be read, or the job kept failing (then it may be replayed for 7 days).',
  CANCELLED: 'Cancelled; batches merged before that stay merged.',
});
export const ImportIdentifierTypeEnum = graphqlEnum(IMPORT_IDENTIFIER_TYPES, 'ImportIdentifierType', 'How the rows of an import identify their customer.', {
  USER_ID: 'The customer id: such rows only update existing customers.',
  MOBILE: 'The mobile number.',
  EMAIL: 'The email address.',
  EXTERNAL_ID: 'An external id.',
});
export const RowFilterOperatorEnum = graphqlEnum(ROW_FILTER_OPERATORS, 'RowFilterOperator', 'How a row filter condition compares a column with its values.', {
  EQUALS: 'The value is the first of `values`.',
  NOT_EQUALS: 'The value is not the first of `values`.',
  IN: 'The value is one of `values`.',
  NOT_IN: 'The value is none of `values`.',
  EMPTY: 'The value is empty.',
  NOT_EMPTY: 'The value is not empty.',
  MATCHES: 'The value matches one of the regular expressions in `values`.',
});

export const ImportDateFormatEnum = Object.fromEntries(Object.keys(DATE_FORMATS).map((name) => [name, name])) as { [K in DateFormatName]: K };
registerEnumType(ImportDateFormatEnum, {
  name: 'ImportDateFormat',
  description:
    "How an import's date columns are written. Seconds and the time may be left out; a value with an offset (Z, +08:00) is read at that offset, any other in the org time zone.",
  valuesConfig: Object.fromEntries(
    Object.entries(DATE_FORMATS).map(([name, format]) => [name, { description: `\`${format.pattern}\`, e.g. \`${format.sample}\`.` }]),
  ),
});

@ObjectType({ description: 'Which CSV column feeds which field of the profile.' })
export class ImportFieldMapping {
  @Field(() => String, { description: 'The CSV header.' })
  header!: string;

  @Field(() => String, { description: 'The profile field, e.g. `mobile`, `custom.shoe_size`, `subscription.EMAIL.BULK`.' })
  field!: string;
}

@ObjectType({ description: 'A condition of a row filter.' })
export class ImportRowCondition {
  @Field(() => String, { description: 'The CSV header whose value is compared.' })
  column!: string;

  @Field(() => RowFilterOperatorEnum, { description: 'How it is compared.' })
  operator!: RowFilterOperator;

  @Field(() => [String], { description: 'What it is compared with (a regular expression for MATCHES).' })
  values!: string[];
}

@ObjectType('ImportOptions', { description: "A template's options; each does what the reference's option table says. Options a profile does not take are left at their defaults." })
export class ImportOptionsOutput {
  @Field(() => ImportIdentifierTypeEnum, { nullable: true, description: 'Which identifier rows use to find their customer.' })
  customerIdentifierType!: ImportIdentifierType | null;

  @Field(() => Boolean, { description: 'Existing records are not changed: their rows are rejected.' })
  disableUpdate!: boolean;

  @Field(() => [String], { nullable: true, description: 'Fields an import may change on existing records; null for every mapped field.' })
  updatableFields!: string[] | null;

  @Field(() => Boolean, { description: 'Empty CSV values do not erase existing custom or extended fields.' })
  keepCustomFieldsWhenEmpty!: boolean;

  @Field(() => Store, { nullable: true, description: 'The store used instead of an unknown store.' })
  replacementStore!: unknown;

  @Field(() => Boolean, { description: "The org's calling code is prefixed to mobiles without one." })
  appendCountryCode!: boolean;

  @Field(() => Boolean, { description: "Mobiles are not checked against the org's pattern." })
  skipMobileValidation!: boolean;

  @Field(() => Boolean, { description: 'Emails are not checked against the standard pattern.' })
  skipEmailValidation!: boolean;

  @Field(() => Boolean, { description: "Store columns hold the stores' external ids." })
  storesByExternalId!: boolean;

  @Field(() => Boolean, { description: "Coupon redemptions: transaction numbers must be bills of the row's customer. Transactions: bill numbers must be well formed and new for their store and day." })
  validateTransactionNumbers!: boolean;

  @Field(() => Boolean, { description: "The coupon series' redemption range is not checked." })
  skipRedemptionRangeCheck!: boolean;

  @Field(() => IncentiveSeries, { nullable: true, description: 'The coupon series used instead of an unknown one.' })
  replacementCouponSeries!: unknown;

  @Field(() => ImportDateFormatEnum, { description: 'How date columns are written.' })
  dateFormat!: DateFormatName;

  @Field(() => [ImportRowCondition], { description: 'Only rows matching every condition are imported.' })
  rowFilter!: ImportRowCondition[];

  @Field(() => Boolean, { description: 'Card imports link each card to its customer.' })
  linkCustomer!: boolean;
}

@ObjectType({ implements: Node, description: 'How an import reads a CSV: a profile, a mapping from CSV headers to its fields, and options.' })
export class ImportTemplate extends Node {
  @Field(() => String, { description: 'Name, unique in the org.' })
  name!: string;

  @Field(() => ImportProfileEnum, { description: 'What it imports.' })
  profile!: ImportProfileName;

  @Field(() => [ImportFieldMapping], { description: 'CSV header → profile field.' })
  mapping!: ImportFieldMapping[];

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt!: Date;
}

export const ImportTemplateConnection = connectionType(ImportTemplate, 'ImportTemplate');

@ObjectType({ description: 'A field of an import profile: a target a template can map a CSV header to.' })
export class ImportProfileField {
  @Field(() => String, { description: 'The key used in mappings; for families (ending in `.`) append a name.' })
  key!: string;

  @Field(() => String, { description: "The field's name in the reference documents." })
  label!: string;

  @Field(() => String, { description: 'What it holds and how it is read.' })
  description!: string;

  @Field(() => Boolean, { description: "Whether a template must map it (with the profile's default options)." })
  mandatory!: boolean;

  @Field(() => Boolean, { description: 'Whether the key is a prefix of a family of fields (custom., extended., subscription.).' })
  family!: boolean;
}

@ObjectType({ description: 'An import profile: what it loads, its fields and the options it takes.' })
export class ImportProfileDescription {
  @Field(() => ImportProfileEnum, { description: 'The profile.' })
  profile!: ImportProfileName;

  @Field(() => String, { description: 'What it does.' })
  description!: string;

  @Field(() => [ImportProfileField], { description: 'Its fields.' })
  fields!: ImportProfileField[];

  @Field(() => [String], { description: 'Names of the `ImportOptionsInput` fields it takes.' })
  options!: string[];
}
