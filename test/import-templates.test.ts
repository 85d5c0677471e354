import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportProfilesDocument,
  ImportTemplateCreateDocument,
  ImportTemplateDeleteDocument,
  ImportTemplatesDocument,
  ImportTemplateUpdateDocument,
} from './generated/graphql.js';
import type { ImportTemplateCreateInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

const CUSTOMERS: ImportTemplateCreateInput = {
  name: 'Weekly CRM customers',
  profile: 'LOYALTY_CUSTOMERS',
  mapping: [
    { header: 'Mobile', field: 'mobile' },
    { header: 'Email', field: 'email' },
    { header: 'First Name', field: 'firstName' },
    { header: 'Till IUN Or Store Ext Id', field: 'storeCode' },
    { header: 'Shoe size', field: 'custom.shoe_size' },
    { header: 'Email bulk', field: 'subscription.EMAIL.BULK' },
  ],
};

describe('import templates', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
  });
  afterAll(() => server?.stop());

  it('describes every profile with its fields, mandatory ones marked, and its options', async () => {
    const response = await typedRequest(client, ImportProfilesDocument, {});
    expect(response.errors).toBeUndefined();
    const profiles = response.data!.importProfiles;
    expect(profiles.map((profile) => profile.profile)).toEqual([
      'LOYALTY_CUSTOMERS', 'CARDS', 'CARD_SERIES', 'COUPON_REDEMPTIONS', 'CUSTOMER_STATUS',
      'ENTITY_LIFE_CYCLE', 'USER_SUBSCRIPTIONS', 'FRAUD_STATUS', 'EARNED_BADGES', 'TRANSACTIONS',
    ]);
    const badges = profiles.find((profile) => profile.profile === 'EARNED_BADGES')!;
    expect(badges.fields.filter((field) => field.mandatory).map((field) => field.key)).toEqual(['badgeMetaId', 'customerId', 'earnEventDate', 'earnExpiresOn']);
    const customers = profiles.find((profile) => profile.profile === 'LOYALTY_CUSTOMERS')!;
    expect(customers.fields.filter((field) => field.mandatory).map((field) => field.key)).toEqual(['mobile', 'storeCode']);
    expect(customers.options).toContain('replacementStoreCode');
  });

  it('creates a template with its mapping and options, references shown as objects', async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: {
        ...CUSTOMERS,
        options: {
          appendCountryCode: true,
          dateFormat: 'DMY_SLASH',
          updatableFields: ['firstName', 'email'],
          rowFilter: [{ column: 'Country', operator: 'IN', values: ['SG', 'MY'] }],
        },
      },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.importTemplateCreate.userErrors).toEqual([]);
    const template = response.data!.importTemplateCreate.template!;
    expect(template).toMatchObject({
      name: 'Weekly CRM customers',
      profile: 'LOYALTY_CUSTOMERS',
      mapping: CUSTOMERS.mapping,
      options: {
        customerIdentifierType: 'MOBILE',
        appendCountryCode: true,
        dateFormat: 'DMY_SLASH',
        updatableFields: ['firstName', 'email'],
        rowFilter: [{ column: 'Country', operator: 'IN', values: ['SG', 'MY'] }],
        replacementStore: null,
        disableUpdate: false,
      },
    });
  });

  it('resolves a replacement store given by code', async () => {
    const stores = await server.em().execute<{ code: string }[]>('select code from store where org_id = ? order by id', [org.orgId]);
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: { ...CUSTOMERS, name: 'With a replacement store', options: { replacementStoreCode: stores[1].code } },
    });
    expect(response.data?.importTemplateCreate.template?.options.replacementStore).toEqual({ code: stores[1].code });
  });

  it('refuses a template without a mandatory field, naming the field, and writes nothing', async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: {
        name: 'No store',
        profile: 'LOYALTY_CUSTOMERS',
        mapping: [{ header: 'Email', field: 'email' }],
        options: { customerIdentifierType: 'EMAIL' },
      },
    });
    expect(response.data?.importTemplateCreate).toEqual({
      template: null,
      userErrors: [
        {
          code: 'MAPPING_MISSING_MANDATORY_FIELD',
          message: 'The LOYALTY_CUSTOMERS profile needs a CSV header mapped to its mandatory field "storeCode" (Till IUN Or Store Ext Id (Store Code)).',
          field: ['input', 'mapping', 'storeCode'],
        },
      ],
    });
    const rows = await server.em().execute('select 1 from import_template where org_id = ? and name = ?', [org.orgId, 'No store']);
    expect(rows).toEqual([]);
  });

  it("makes the options' identifier type mandatory", async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: { name: 'By external id', profile: 'CUSTOMER_STATUS', mapping: [{ header: 'Label', field: 'statusLabel' }, { header: 'Mobile', field: 'mobile' }], options: { customerIdentifierType: 'EXTERNAL_ID' } },
    });
    expect(response.data?.importTemplateCreate.userErrors.map((error) => [error.code, error.field])).toEqual([
      ['MAPPING_MISSING_MANDATORY_FIELD', ['input', 'mapping', 'externalId']],
    ]);
  });

  it('reports every problem of a definition at once', async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: {
        name: '  ',
        profile: 'CARD_SERIES',
        mapping: [
          { header: 'Code', field: 'seriesCode' },
          { header: 'code', field: 'cardType' },
          { header: 'Store', field: 'storeCode' },
          { header: 'Colour', field: 'colour' },
        ],
        options: { appendCountryCode: true, rowFilter: [{ column: 'Type', operator: 'MATCHES', values: ['(unclosed'] }] },
      },
    });
    expect(response.data?.importTemplateCreate.userErrors.map((error) => error.code)).toEqual([
      'INVALID_INPUT',
      'OPTION_NOT_APPLICABLE',
      'INVALID_INPUT',
      'MAPPING_DUPLICATE_HEADER',
      'MAPPING_UNKNOWN_FIELD',
    ]);
  });

  it('refuses a second template of the same name (whatever the case)', async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, { input: { ...CUSTOMERS, name: 'WEEKLY crm customers' } });
    expect(response.data?.importTemplateCreate.userErrors.map((error) => error.code)).toEqual(['TEMPLATE_NAME_TAKEN']);
  });

  it('creates one template of a name that several requests ask for at once; the others are told it is taken', async () => {
    // Each insert waits a moment before it is written, so every request checks the name before any
    // commits: the unique key decides, as when requests race.
    const em = server.em();
    await em.execute(`create function slow_template_insert() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.3); return new; end $$`);
    await em.execute(`create trigger slow_template_insert before insert on import_template for each row when (new.name = 'Raced for') execute function slow_template_insert()`);
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () => typedRequest(client, ImportTemplateCreateDocument, { input: { ...CUSTOMERS, name: 'Raced for' } })));
      expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);
      const outcomes = responses.map((response) => response.data?.importTemplateCreate.userErrors.map((error) => error.code).join() || 'CREATED');
      expect(outcomes.sort()).toEqual(['CREATED', 'TEMPLATE_NAME_TAKEN', 'TEMPLATE_NAME_TAKEN', 'TEMPLATE_NAME_TAKEN', 'TEMPLATE_NAME_TAKEN']);
    } finally {
      await em.execute('drop trigger if exists slow_template_insert on import_template');
    }
  });

  it('updates, lists and retires a template', async () => {
    const created = await typedRequest(client, ImportTemplateCreateDocument, {
      input: { name: 'Statuses', profile: 'CUSTOMER_STATUS', mapping: [{ header: 'Mobile', field: 'mobile' }, { header: 'Label', field: 'statusLabel' }] },
    });
    const id = created.data!.importTemplateCreate.template!.id;

    const renamed = await typedRequest(client, ImportTemplateUpdateDocument, { input: { id, name: 'Statuses v2', options: { appendCountryCode: true } } });
    expect(renamed.data?.importTemplateUpdate.userErrors).toEqual([]);
    expect(renamed.data?.importTemplateUpdate.template).toMatchObject({ name: 'Statuses v2', options: { appendCountryCode: true }, mapping: [{ header: 'Mobile', field: 'mobile' }, { header: 'Label', field: 'statusLabel' }] });

    const broken = await typedRequest(client, ImportTemplateUpdateDocument, { input: { id, mapping: [{ header: 'Mobile', field: 'mobile' }] } });
    expect(broken.data?.importTemplateUpdate.userErrors.map((error) => error.field)).toEqual([['input', 'mapping', 'statusLabel']]);

    const listed = await typedRequest(client, ImportTemplatesDocument, { profile: 'CUSTOMER_STATUS' });
    expect(listed.data?.importTemplates.nodes).toEqual([{ id, name: 'Statuses v2', profile: 'CUSTOMER_STATUS' }]);

    const deleted = await typedRequest(client, ImportTemplateDeleteDocument, { input: { id } });
    expect(deleted.data?.importTemplateDelete).toEqual({ deletedTemplateId: id, userErrors: [] });
    const after = await typedRequest(client, ImportTemplatesDocument, { profile: 'CUSTOMER_STATUS' });
    expect(after.data?.importTemplates.nodes).toEqual([]);
    const again = await typedRequest(client, ImportTemplateDeleteDocument, { input: { id } });
    expect(again.data?.importTemplateDelete.userErrors.map((error) => error.code)).toEqual(['TEMPLATE_NOT_FOUND']);
  });

  it("does not reach another org's templates, and a VIEWER cannot create one", async () => {
    const created = await typedRequest(client, ImportTemplateCreateDocument, { input: { ...CUSTOMERS, name: 'Mine' } });
    const id = created.data!.importTemplateCreate.template!.id;
    const other = await createOrg(server.em());
    const stranger = gqlClient(server.url, other.key);
    const update = await typedRequest(stranger, ImportTemplateUpdateDocument, { input: { id, name: 'Theirs now' } });
    expect(update.data?.importTemplateUpdate.userErrors.map((error) => error.code)).toEqual(['TEMPLATE_NOT_FOUND']);

    const viewer = await createOrg(server.em(), { role: 'VIEWER' });
    const refused = await typedRequest(gqlClient(server.url, viewer.key), ImportTemplateCreateDocument, { input: CUSTOMERS });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
