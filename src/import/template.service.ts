import { selectRows, toId, writeRows } from '../core/sql/rows.js';
import { inTransaction } from '../core/sql/transaction.js';
import { DomainError, refusedOnConflict, throwIfAny } from '../core/errors.js';
import type { ServiceContext } from '../domain/context.js';
import { recordAudit } from '../domain/audit/audit.service.js';
import { compileUserPattern, MAX_PATTERN_CHARS } from '../core/user-pattern.js';
import { CHANNELS, MESSAGE_PRIORITIES } from '../domain/customer/customer.entity.js';
import { resolveStoreId } from '../domain/org/store.service.js';
import type { ImportProfileName } from './import.entity.js';
import { ImportErrorCode } from './import.errors.js';
import { assertMayImport, type ImportCaller } from './import-rights.js';
import { OPTION_DESCRIPTIONS, ROW_FILTER_PATTERN_SYNTAX, type ImportIdentifierType, type ImportOptionName, type ImportOptions, type RowCondition } from './import.options.js';
import { findField, isMandatory, PROFILE_SPECS, type FieldMapping } from './profiles/catalog.js';
import type { DateFormatName } from './checks/date-formats.js';

/** A template name is unique in its org: the check before a write finds a taken one, this key a race. */
const NAME_KEY = 'import_template_org_name_unique';

function nameTakenError(): DomainError {
  return new DomainError(ImportErrorCode.TEMPLATE_NAME_TAKEN, 'Another import template of your org has this name.', ['input', 'name']);
}

/** Options as callers give them: stores and coupon series by code. */
export interface ImportOptionsInputValue {
  readonly customerIdentifierType?: ImportIdentifierType | null;
  readonly disableUpdate?: boolean | null;
  readonly updatableFields?: readonly string[] | null;
  readonly keepCustomFieldsWhenEmpty?: boolean | null;
  readonly replacementStoreCode?: string | null;
  readonly appendCountryCode?: boolean | null;
  readonly skipMobileValidation?: boolean | null;
  readonly skipEmailValidation?: boolean | null;
  readonly storesByExternalId?: boolean | null;
  readonly validateTransactionNumbers?: boolean | null;
  readonly skipRedemptionRangeCheck?: boolean | null;
  readonly replacementCouponSeriesCode?: string | null;
  readonly dateFormat?: DateFormatName | null;
  readonly rowFilter?: readonly RowConditionInputValue[] | null;
  readonly linkCustomer?: boolean | null;
}

export interface RowConditionInputValue {
  readonly column: string;
  readonly operator: RowCondition['operator'];
  readonly values?: readonly string[] | null;
}

/** Which stored option an input option sets (references by code become ids). */
const INPUT_TO_OPTION: Readonly<Record<keyof ImportOptionsInputValue, ImportOptionName>> = {
  customerIdentifierType: 'customerIdentifierType',
  disableUpdate: 'disableUpdate',
  updatableFields: 'updatableFields',
  keepCustomFieldsWhenEmpty: 'keepCustomFieldsWhenEmpty',
  replacementStoreCode: 'replacementStoreId',
  appendCountryCode: 'appendCountryCode',
  skipMobileValidation: 'skipMobileValidation',
  skipEmailValidation: 'skipEmailValidation',
  storesByExternalId: 'storesByExternalId',
  validateTransactionNumbers: 'validateTransactionNumbers',
  skipRedemptionRangeCheck: 'skipRedemptionRangeCheck',
  replacementCouponSeriesCode: 'replacementCouponSeriesId',
  dateFormat: 'dateFormat',
  rowFilter: 'rowFilter',
  linkCustomer: 'linkCustomer',
};

/** The input option that sets a stored one: the name `importProfiles` lists. */
export function inputOptionName(option: ImportOptionName): string {
  const found = Object.entries(INPUT_TO_OPTION).find(([, stored]) => stored === option);
  if (!found) throw new Error(`No input sets the import option ${option}`);
  return found[0];
}

export interface TemplateDefinition {
  readonly name: string;
  readonly profile: ImportProfileName;
  readonly mapping: readonly FieldMapping[];
  readonly options?: ImportOptionsInputValue | null;
}

const SUBSCRIPTION_FIELD = new RegExp(`^subscription\\.(${CHANNELS.join('|')})\\.(${MESSAGE_PRIORITIES.join('|')})$`);
const FAMILY_NAME = /^(custom|extended)\.[A-Za-z0-9_]{1,64}$/;

function fieldIssue(profile: ImportProfileName, key: string): string | undefined {
  const spec = PROFILE_SPECS[profile];
  const field = findField(spec, key);
  if (!field) return `The ${profile} profile has no field "${key}".`;
  if (field.key === 'subscription.' && !SUBSCRIPTION_FIELD.test(key)) {
    return `"${key}" is not a subscription field: write subscription.<CHANNEL>.<PRIORITY>, e.g. subscription.EMAIL.BULK.`;
  }
  if ((field.key === 'custom.' || field.key === 'extended.') && !FAMILY_NAME.test(key)) {
    return `"${key}" is not a valid field name: write ${field.key}<name> with letters, digits and underscores (up to 64).`;
  }
  return undefined;
}

function validateMapping(profile: ImportProfileName, mapping: readonly FieldMapping[], options: ImportOptions): DomainError[] {
  const errors: DomainError[] = [];
  if (mapping.length === 0) errors.push(new DomainError(ImportErrorCode.MAPPING_EMPTY, 'Map at least one CSV header to a field.', ['input', 'mapping']));
  const headers = new Set<string>();
  const fields = new Set<string>();
  mapping.forEach((entry, index) => {
    const at = ['input', 'mapping', String(index)];
    const header = entry.header.trim();
    const field = entry.field.trim();
    if (!header) errors.push(new DomainError('INVALID_INPUT', 'A CSV header may not be empty.', [...at, 'header']));
    else if (headers.has(header.toLowerCase())) errors.push(new DomainError(ImportErrorCode.MAPPING_DUPLICATE_HEADER, `The CSV header "${header}" is mapped more than once.`, [...at, 'header']));
    headers.add(header.toLowerCase());
    const issue = fieldIssue(profile, field);
    if (issue) errors.push(new DomainError(ImportErrorCode.MAPPING_UNKNOWN_FIELD, issue, [...at, 'field']));
    else if (fields.has(field)) errors.push(new DomainError(ImportErrorCode.MAPPING_DUPLICATE_FIELD, `The field "${field}" is mapped from more than one CSV header.`, [...at, 'field']));
    fields.add(field);
  });
  for (const field of PROFILE_SPECS[profile].fields) {
    if (!field.family && isMandatory(field, options) && !fields.has(field.key)) {
      errors.push(
        new DomainError(
          ImportErrorCode.MAPPING_MISSING_MANDATORY_FIELD,
          `The ${profile} profile needs a CSV header mapped to its mandatory field "${field.key}" (${field.label}).`,
          ['input', 'mapping', field.key],
        ),
      );
    }
  }
  return errors;
}

async function couponSeriesIdByCode(ctx: ServiceContext, code: string): Promise<number | undefined> {
  const rows = await selectRows<{ id: string }>(ctx.em, `select id from incentive_series where org_id = ? and kind = 'COUPON' and code = ?`, [ctx.org.id, code]);
  return rows[0] ? toId(rows[0].id) : undefined;
}

/** Checks options against the profile and resolves references; returns the stored form. */
async function resolveOptions(ctx: ServiceContext, profile: ImportProfileName, input: ImportOptionsInputValue): Promise<{ options: ImportOptions; errors: DomainError[] }> {
  const spec = PROFILE_SPECS[profile];
  const errors: DomainError[] = [];
  const options: Record<string, unknown> = { ...spec.defaults };
  for (const [inputKey, value] of Object.entries(input) as [keyof ImportOptionsInputValue, unknown][]) {
    if (value === null || value === undefined) continue;
    const option = INPUT_TO_OPTION[inputKey];
    const at = ['input', 'options', inputKey];
    if (!spec.options.includes(option)) {
      errors.push(new DomainError(ImportErrorCode.OPTION_NOT_APPLICABLE, `The ${profile} profile does not take the option ${inputKey} (${OPTION_DESCRIPTIONS[option]})`, at));
      continue;
    }
    if (inputKey === 'replacementStoreCode') {
      try {
        options.replacementStoreId = await resolveStoreId(ctx, { code: String(value) }, at);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors.push(error);
      }
    } else if (inputKey === 'replacementCouponSeriesCode') {
      const seriesId = await couponSeriesIdByCode(ctx, String(value).trim());
      if (seriesId === undefined) errors.push(new DomainError(ImportErrorCode.COUPON_SERIES_NOT_FOUND, `Your org has no coupon series "${String(value)}".`, at));
      else options.replacementCouponSeriesId = seriesId;
    } else if (inputKey === 'updatableFields') {
      const fields = (value as string[]).map((field) => field.trim());
      fields.forEach((field, index) => {
        const issue = fieldIssue(profile, field);
        if (issue) errors.push(new DomainError(ImportErrorCode.MAPPING_UNKNOWN_FIELD, issue, [...at, String(index)]));
      });
      options.updatableFields = fields;
    } else if (inputKey === 'rowFilter') {
      const conditions = value as RowConditionInputValue[];
      conditions.forEach((condition, index) => errors.push(...conditionErrors(condition, [...at, String(index)])));
      options.rowFilter = conditions.map((condition) => ({ column: condition.column.trim(), operator: condition.operator, values: [...(condition.values ?? [])] }));
    } else {
      options[option] = value;
    }
  }
  return { options: options as ImportOptions, errors };
}

function conditionErrors(condition: RowConditionInputValue, at: string[]): DomainError[] {
  const errors: DomainError[] = [];
  if (!condition.column.trim()) errors.push(new DomainError('INVALID_INPUT', 'A row filter condition needs a CSV column.', [...at, 'column']));
  const values = condition.values ?? [];
  const needsValues = !['EMPTY', 'NOT_EMPTY'].includes(condition.operator);
  if (needsValues && values.length === 0) errors.push(new DomainError('INVALID_INPUT', `The ${condition.operator} condition needs at least one value.`, [...at, 'values']));
  if (condition.operator === 'MATCHES') {
    for (const pattern of values) {
      const verdict = compileUserPattern(pattern, ROW_FILTER_PATTERN_SYNTAX);
      if (verdict.ok) continue;
      if (verdict.problem === 'TOO_LONG') errors.push(new DomainError('INVALID_INPUT', `A row filter pattern is at most ${MAX_PATTERN_CHARS} characters.`, [...at, 'values']));
      else if (verdict.problem === 'INVALID') errors.push(new DomainError('INVALID_INPUT', `"${pattern}" is not a valid regular expression.`, [...at, 'values']));
      else errors.push(new DomainError(ImportErrorCode.ROW_FILTER_PATTERN_UNSUPPORTED, `The row filter pattern "${pattern}" cannot be used: ${verdict.reason}.`, [...at, 'values']));
    }
  }
  return errors;
}

function validateName(name: string): DomainError[] {
  const trimmed = name.trim();
  if (!trimmed) return [new DomainError('INVALID_INPUT', 'A template needs a name.', ['input', 'name'])];
  if (trimmed.length > 200) return [new DomainError('INVALID_INPUT', 'A template name is at most 200 characters.', ['input', 'name'])];
  return [];
}

async function nameTaken(ctx: ServiceContext, name: string, exceptId?: number): Promise<boolean> {
  const rows = await selectRows(ctx.em, 'select 1 from import_template where org_id = ? and lower(name) = lower(?) and deleted_at is null and id <> ?', [
    ctx.org.id,
    name.trim(),
    exceptId ?? 0,
  ]);
  return rows.length > 0;
}

/** Validates a whole definition at once, so a caller learns every problem in one round trip. */
async function checkDefinition(ctx: ServiceContext, definition: TemplateDefinition, exceptId?: number): Promise<{ mapping: FieldMapping[]; options: ImportOptions }> {
  const { options, errors } = await resolveOptions(ctx, definition.profile, definition.options ?? {});
  errors.unshift(...validateName(definition.name));
  if (errors.length === 0 && (await nameTaken(ctx, definition.name, exceptId))) {
    errors.push(new DomainError(ImportErrorCode.TEMPLATE_NAME_TAKEN, `Your org already has an import template named "${definition.name.trim()}".`, ['input', 'name']));
  }
  errors.push(...validateMapping(definition.profile, definition.mapping, options));
  throwIfAny(errors);
  return { mapping: definition.mapping.map((entry) => ({ header: entry.header.trim(), field: entry.field.trim() })), options };
}

export async function createTemplate(ctx: ServiceContext & ImportCaller, definition: TemplateDefinition): Promise<number> {
  assertMayImport(ctx, definition);
  return inTransaction(ctx, async (tx) => {
    const { mapping, options } = await checkDefinition(tx, definition);
    const now = tx.clock.now();
    const rows = await refusedOnConflict(NAME_KEY, nameTakenError, () =>
      writeRows<{ id: string }>(
        tx.em,
        `insert into import_template (org_id, name, profile, mapping, options, created_by, created_at, updated_at)
          values (?, ?, ?, ?, ?, ?, ?, ?) returning id`,
        [tx.org.id, definition.name.trim(), definition.profile, JSON.stringify(mapping), JSON.stringify(options), tx.actor, now, now],
      ),
    );
    const id = toId(rows[0].id);
    await recordAudit(tx, { action: 'importTemplateCreate', subjectType: 'ImportTemplate', subjectId: id, details: { name: definition.name.trim(), profile: definition.profile } });
    return id;
  });
}

interface StoredTemplate {
  readonly id: string;
  readonly name: string;
  readonly profile: ImportProfileName;
  readonly mapping: FieldMapping[];
}

async function lockTemplate(ctx: ServiceContext, id: number | undefined, field: string[]): Promise<StoredTemplate> {
  const rows =
    id === undefined
      ? []
      : await selectRows<StoredTemplate>(ctx.em, 'select id, name, profile, mapping from import_template where org_id = ? and id = ? and deleted_at is null for update', [
          ctx.org.id,
          id,
        ]);
  if (!rows[0]) throw new DomainError(ImportErrorCode.TEMPLATE_NOT_FOUND, 'No import template with this id in your org.', field);
  return rows[0];
}

export interface TemplateChange {
  readonly id: number | undefined;
  readonly name?: string | null;
  readonly mapping?: readonly FieldMapping[] | null;
  /** Replaces every option when given. */
  readonly options?: ImportOptionsInputValue | null;
}

/** Renames a template or replaces its mapping or options; running jobs keep what they started with. */
export async function updateTemplate(ctx: ServiceContext & ImportCaller, change: TemplateChange): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const current = await lockTemplate(tx, change.id, ['input', 'id']);
    const id = toId(current.id);
    const stored = await selectRows<{ options: Record<string, unknown> }>(tx.em, 'select options from import_template where id = ?', [id]);
    const definition: TemplateDefinition = {
      name: change.name ?? current.name,
      profile: current.profile,
      mapping: change.mapping ?? current.mapping,
      options: change.options ?? (await storedOptionsAsInput(tx, stored[0].options as ImportOptions)),
    };
    assertMayImport(ctx, definition);
    const { mapping, options } = await checkDefinition(tx, definition, id);
    await refusedOnConflict(NAME_KEY, nameTakenError, () =>
      tx.em.execute('update import_template set name = ?, mapping = ?, options = ?, updated_at = ? where id = ?', [
        definition.name.trim(),
        JSON.stringify(mapping),
        JSON.stringify(options),
        tx.clock.now(),
        id,
      ]),
    );
    await recordAudit(tx, { action: 'importTemplateUpdate', subjectType: 'ImportTemplate', subjectId: id, details: { changed: Object.keys(change).filter((key) => key !== 'id') } });
    return id;
  });
}

/** The stored options in input form (references back to codes), to re-validate them unchanged. */
async function storedOptionsAsInput(ctx: ServiceContext, options: ImportOptions): Promise<ImportOptionsInputValue> {
  const { replacementStoreId, replacementCouponSeriesId, ...rest } = options;
  const input: Record<string, unknown> = { ...rest };
  if (replacementStoreId !== undefined) {
    const rows = await selectRows<{ code: string }>(ctx.em, 'select code from store where id = ?', [replacementStoreId]);
    input.replacementStoreCode = rows[0]?.code;
  }
  if (replacementCouponSeriesId !== undefined) {
    const rows = await selectRows<{ code: string }>(ctx.em, 'select code from incentive_series where id = ?', [replacementCouponSeriesId]);
    input.replacementCouponSeriesCode = rows[0]?.code;
  }
  return input as ImportOptionsInputValue;
}

/** Retires a template: it no longer lists or starts jobs; jobs that ran with it keep their copy. */
export async function deleteTemplate(ctx: ServiceContext, id: number | undefined): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const current = await lockTemplate(tx, id, ['input', 'id']);
    const templateId = toId(current.id);
    await tx.em.execute('update import_template set deleted_at = ? where id = ?', [tx.clock.now(), templateId]);
    await recordAudit(tx, { action: 'importTemplateDelete', subjectType: 'ImportTemplate', subjectId: templateId, details: { name: current.name } });
    return templateId;
  });
}
