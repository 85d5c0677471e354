import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/seed/org-setup.js';
import {
  ImportOpeningPointsCapUpdateDocument,
  ImportReplayDocument,
  ImportStartDocument,
  ImportTemplateCreateDocument,
  ImportTemplateUpdateDocument,
  ImportedCustomerDocument,
} from '../generated/graphql.js';
import type { ImportFieldMappingInput, ImportOptionsInput, ImportProfile, ImportTemplateCreateInput } from '../generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient, type GraphQLResponse } from '../support/client.js';
import { createTemplate, csv, errorsByRow, finishedJob, startInlineImport, storeCodeOf } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

/*
 * Imports obey the rules of the mutations that make the same changes: a template's profile takes
 * the roles of its mutation, options that switch a check off and opening points balances take an
 * ADMIN key, both when a template is saved and when a job is started or replayed (a template an
 * ADMIN saved is there for every writer key), and opening balances stay under an org setting.
 */

const CARD_SERIES_MAPPING: ImportFieldMappingInput[] = [
  { header: 'Code', field: 'seriesCode' },
  { header: 'Type', field: 'cardType' },
  { header: 'Store', field: 'storeCode' },
];
const CUSTOMER_MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Email', field: 'email' },
  { header: 'Store', field: 'storeCode' },
];
const OPENING_MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Store', field: 'storeCode' },
  { header: 'Loyalty Points', field: 'loyaltyPoints' },
  { header: 'Lifetime Points', field: 'lifetimePoints' },
];
const REDEMPTION_MAPPING: ImportFieldMappingInput[] = [
  { header: 'Series', field: 'seriesCode' },
  { header: 'Code', field: 'couponCode' },
  { header: 'Store', field: 'storeCode' },
  { header: 'Mobile', field: 'mobile' },
  { header: 'Date', field: 'redeemedAt' },
  { header: 'Bill', field: 'transactionNumber' },
  { header: 'Amount', field: 'billAmount' },
];

function localId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

function forbidden(response: GraphQLResponse<unknown>): string {
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  return response.errors![0].message;
}

describe('import rights follow the mutations', () => {
  let server: TestServer;
  let org: TestOrg;
  let admin: GqlClient;
  let memberCare: GqlClient;
  let memberCareKey: string;
  let integration: GqlClient;
  let store: string;
  let counter = 0;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em(), { role: 'ADMIN' });
    admin = gqlClient(server.url, org.key);
    memberCareKey = await createApiKey(server.em(), org.orgId, 'MEMBER_CARE');
    memberCare = gqlClient(server.url, memberCareKey);
    integration = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'INTEGRATION'));
    store = await storeCodeOf(server, org);
  });
  afterAll(() => server?.stop());

  function templateInput(profile: ImportProfile, mapping: ImportFieldMappingInput[], options?: ImportOptionsInput): ImportTemplateCreateInput {
    counter += 1;
    return { name: `${profile} ${counter}`, profile, mapping, ...(options ? { options } : {}) };
  }

  function create(client: GqlClient, profile: ImportProfile, mapping: ImportFieldMappingInput[], options?: ImportOptionsInput) {
    return typedRequest(client, ImportTemplateCreateDocument, { input: templateInput(profile, mapping, options) });
  }

  function startInline(client: GqlClient, templateId: string, body: string) {
    return typedRequest(client, ImportStartDocument, { input: { templateId, csv: body } });
  }

  async function postImport(key: string, templateId: string, body: string): Promise<Response> {
    return fetch(`${new URL(server.url).origin}/imports?templateId=${templateId}`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body });
  }

  async function storedFiles(): Promise<number> {
    const rows = await server.em().execute<{ n: number }[]>('select count(*)::int as n from import_file where org_id = ?', [org.orgId]);
    return rows[0].n;
  }

  async function jobsOf(templateId: string): Promise<number> {
    const rows = await server.em().execute<{ n: number }[]>('select count(*)::int as n from import_job where template_id = ?', [localId(templateId)]);
    return rows[0].n;
  }

  /** Refused at importStart (inline) and at POST /imports, before a file is stored or a job made. */
  async function expectStartRefused(templateId: string, body: string): Promise<void> {
    const files = await storedFiles();
    forbidden(await startInline(memberCare, templateId, body));
    const response = await postImport(memberCareKey, templateId, body);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await storedFiles()).toBe(files);
    expect(await jobsOf(templateId)).toBe(0);
  }

  it('takes the roles of cardSeriesCreate for Card Series: ADMIN or INTEGRATION, not MEMBER_CARE', async () => {
    expect(forbidden(await create(memberCare, 'CARD_SERIES', CARD_SERIES_MAPPING))).toBe(
      'Only ADMIN or INTEGRATION keys can import card series (as cardSeriesCreate); this key is MEMBER_CARE.',
    );
    const byIntegration = await create(integration, 'CARD_SERIES', CARD_SERIES_MAPPING);
    expect(byIntegration.data?.importTemplateCreate.userErrors).toEqual([]);

    // A template an ADMIN (or INTEGRATION) key saved is still not a MEMBER_CARE key's to run or change.
    const templateId = byIntegration.data!.importTemplateCreate.template!.id;
    await expectStartRefused(templateId, csv([['Code', 'Type', 'Store'], ['MCSERIES', 'PHYSICAL', store]]));
    forbidden(await typedRequest(memberCare, ImportTemplateUpdateDocument, { input: { id: templateId, name: 'Renamed by member care' } }));
    const series = await server.em().execute('select 1 from card_series where org_id = ? and code = ?', [org.orgId, 'MCSERIES']);
    expect(series).toEqual([]);
  });

  it('refuses a MEMBER_CARE key the replay of a Card Series job', async () => {
    const templateId = await createTemplate(admin, templateInput('CARD_SERIES', CARD_SERIES_MAPPING));
    const jobId = await startInlineImport(admin, templateId, csv([['Code', 'Type', 'Store'], ['REPLAYED', 'PHYSICAL', store]]));
    await finishedJob(server, admin, org.key, jobId);
    // A failed, replayable job (as after its automatic retries); making one fail for real is import-jobs.test.ts's.
    const id = localId(jobId);
    await server.em().execute(`update import_job set state = 'FAILED', replayable = true, failure_code = 'JOB_FAILED' where id = ?`, [id]);

    forbidden(await typedRequest(memberCare, ImportReplayDocument, { input: { id: jobId } }));
    const [job] = await server.em().execute<{ state: string }[]>('select state from import_job where id = ?', [id]);
    expect(job.state).toBe('FAILED');
    expect((await typedRequest(admin, ImportReplayDocument, { input: { id: jobId } })).data?.importReplay.userErrors).toEqual([]);
  });

  it.each([
    ['skipMobileValidation', 'LOYALTY_CUSTOMERS', CUSTOMER_MAPPING, { skipMobileValidation: true }],
    ['skipEmailValidation', 'LOYALTY_CUSTOMERS', CUSTOMER_MAPPING, { skipEmailValidation: true }],
    ['skipRedemptionRangeCheck', 'COUPON_REDEMPTIONS', REDEMPTION_MAPPING, { skipRedemptionRangeCheck: true }],
  ] as const)('takes an ADMIN key for %s, an option that switches a check off', async (option, profile, mapping, options) => {
    expect(forbidden(await create(memberCare, profile, [...mapping], options))).toBe(
      `Only ADMIN keys can import with ${option} (it switches a check off); this key is MEMBER_CARE.`,
    );
    // Without the option the same template is a MEMBER_CARE key's to make.
    expect((await create(memberCare, profile, [...mapping])).data?.importTemplateCreate.userErrors).toEqual([]);

    const templateId = await createTemplate(admin, templateInput(profile, [...mapping], options));
    const header = mapping.map((entry) => entry.header);
    await expectStartRefused(templateId, csv([header, header.map(() => 'x')]));
    forbidden(await typedRequest(memberCare, ImportTemplateUpdateDocument, { input: { id: templateId, name: `Renamed ${option}` } }));
    // Nor may a MEMBER_CARE key switch it on in a template of its own.
    const own = (await create(memberCare, profile, [...mapping])).data!.importTemplateCreate.template!.id;
    forbidden(await typedRequest(memberCare, ImportTemplateUpdateDocument, { input: { id: own, options } }));
  });

  it('takes an ADMIN key for opening points balances', async () => {
    expect(forbidden(await create(memberCare, 'LOYALTY_CUSTOMERS', OPENING_MAPPING))).toBe(
      'Only ADMIN keys can import opening points balances (loyaltyPoints, lifetimePoints); this key is MEMBER_CARE.',
    );
    const own = (await create(memberCare, 'LOYALTY_CUSTOMERS', CUSTOMER_MAPPING)).data!.importTemplateCreate.template!.id;
    forbidden(await typedRequest(memberCare, ImportTemplateUpdateDocument, { input: { id: own, mapping: [...CUSTOMER_MAPPING, { header: 'Points', field: 'loyaltyPoints' }] } }));

    const templateId = await createTemplate(admin, templateInput('LOYALTY_CUSTOMERS', OPENING_MAPPING));
    await expectStartRefused(templateId, csv([['Mobile', 'Store', 'Loyalty Points', 'Lifetime Points'], ['6593000001', store, '900000', '900000']]));
    const customers = await server.em().execute('select 1 from customer where org_id = ? and mobile = ?', [org.orgId, '6593000001']);
    expect(customers).toEqual([]);
  });

  it('bounds opening balances by Org.importOpeningPointsCap (an ADMIN setting), not by the column type', async () => {
    const cap = await typedRequest(memberCare, ImportOpeningPointsCapUpdateDocument, { cap: 2_000_000_000 });
    forbidden(cap);
    const byDefault = await typedRequest(admin, ImportOpeningPointsCapUpdateDocument, { cap: 1_000_000 });
    expect(byDefault.data?.orgSettingsUpdate.org?.importOpeningPointsCap).toBe(1_000_000);

    const templateId = await createTemplate(admin, templateInput('LOYALTY_CUSTOMERS', OPENING_MAPPING));
    const header = ['Mobile', 'Store', 'Loyalty Points', 'Lifetime Points'];
    const first = await finishedJob(server, admin, org.key, await startInlineImport(admin, templateId, csv([header, ['6594000001', store, '1000001', '']])));
    expect(errorsByRow(first)).toEqual({ 1: ['OPENING_POINTS_OVER_CAP'] });

    expect((await typedRequest(admin, ImportOpeningPointsCapUpdateDocument, { cap: 5_000 })).data?.orgSettingsUpdate.userErrors).toEqual([]);
    const rows = [
      /* 1 */ ['6594000002', store, '5000', '5000'],
      /* 2 */ ['6594000003', store, '5001', ''],
      /* 3 */ ['6594000004', store, '100', '5001'],
      /* 4 */ ['6594000005', store, '2000000000', ''],
    ];
    const job = await finishedJob(server, admin, org.key, await startInlineImport(admin, templateId, csv([header, ...rows])));
    expect(errorsByRow(job)).toEqual({ 2: ['OPENING_POINTS_OVER_CAP'], 3: ['OPENING_POINTS_OVER_CAP'], 4: ['OPENING_POINTS_OVER_CAP'] });
    expect(job.errors.nodes.find((error) => error.row === 2)).toMatchObject({
      field: 'loyaltyPoints',
      value: '5001',
      message: "5001 points exceed the org's cap for an opening balance (5000, Org.importOpeningPointsCap).",
    });
    const loyalty = async (mobile: string) => (await typedRequest(admin, ImportedCustomerDocument, { type: 'MOBILE', value: mobile })).data?.customerByIdentifier?.loyalty[0];
    expect(await loyalty('6594000002')).toMatchObject({ pointsBalance: 5000, lifetimePoints: 5000 });
    expect(await loyalty('6594000003')).toBeUndefined();
  });

  it('lets a MEMBER_CARE key import what its mutations allow', async () => {
    const templateId = await createTemplate(memberCare, templateInput('LOYALTY_CUSTOMERS', CUSTOMER_MAPPING));
    const job = await finishedJob(server, memberCare, memberCareKey, await startInlineImport(memberCare, templateId, csv([['Mobile', 'Email', 'Store'], ['6595000001', 'a@example.com', store]])));
    expect(job).toMatchObject({ state: 'COMPLETED', progress: { rowsAccepted: 1 } });
  });
});
