import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, type GqlClient } from './support/client.js';
import { createTemplate, csv, finishedJob, startInlineImport } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

describe('Loyalty Customers imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let templateId: string;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    templateId = await createTemplate(client, {
      name: 'Customers',
      profile: 'LOYALTY_CUSTOMERS',
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'Email', field: 'email' },
        { header: 'External Id', field: 'externalId' },
        { header: 'First Name', field: 'firstName' },
        { header: 'Last Name', field: 'lastName' },
        { header: 'Till IUN Or Store Ext Id', field: 'storeCode' },
      ],
      options: { appendCountryCode: true },
    });
  });
  afterAll(() => server?.stop());

  it('adds new customers and finds them by any identifier', async () => {
    const store = `${org.storeIds.length ? 'org' : ''}`;
    void store;
    const stores = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    const jobId = await startInlineImport(
      client,
      templateId,
      csv([
        ['First Name', 'Last Name', 'Mobile', 'Email', 'External Id', 'Till IUN Or Store Ext Id'],
        ['Tom', 'Sawyer', '91110001', 'tom@example.com', 'lb67p', stores[0].code],
        ['Ada', 'Lovelace', '6591110002', 'ADA@example.com', 'lb68p', stores[0].code],
      ]),
    );
    const job = await finishedJob(server, client, org.key, jobId);
    expect(job.state).toBe('COMPLETED');
    expect(job.progress).toMatchObject({ rowsRead: 2, rowsAccepted: 2, rowsRejected: 0 });
    const rows = await server.em().execute('select mobile, email from customer where org_id = ? order by id', [org.orgId]);
    expect(rows).toEqual([
      { mobile: '6591110001', email: 'tom@example.com' },
      { mobile: '6591110002', email: 'ada@example.com' },
    ]);
    void createCustomer;
  });
});
