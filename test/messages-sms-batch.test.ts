import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InteractionStateByIdDocument,
  InteractionUpdatedWatchDocument,
  SmsCustomerInteractionsDocument,
  SmsSendBatchDocument,
  SmsSendDocument,
  type SmsSendBatchMutation,
  type SmsSendMutationVariables,
} from './generated/graphql.js';
import { globalId, gqlClient, typedRequest, wsClient, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { interactionNumber, startGateway, type TestGateway } from './support/sms-gateway.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

type SmsInput = SmsSendMutationVariables['input'];
type BatchResult = SmsSendBatchMutation['smsSendBatch']['results'][number];

/** An interaction's status once it is no longer QUEUED (the worker delivered or failed it). */
async function settled(client: GqlClient, id: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const node = (await typedRequest(client, InteractionStateByIdDocument, { id })).data?.node;
    if (node && 'status' in node && node.status !== 'QUEUED') return node.status;
    if (Date.now() > deadline) throw new Error(`Interaction ${id} is still QUEUED after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A batch result's error as `smsSend` reports it: its field without the message's `['messages', index]`. */
function asSingleSend(result: BatchResult) {
  return result.userErrors.map(({ field, ...error }) => {
    expect(field?.slice(0, 3)).toEqual(['input', 'messages', String(result.index)]);
    return { ...error, field: ['input', ...field!.slice(3)] };
  });
}

describe('smsSendBatch', () => {
  let server: TestServer;
  let gateway: TestGateway;
  let org: TestOrg;
  let client: GqlClient;
  let orgDefault: string;
  let mobiles = 0;

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    await em.execute(`insert into org_unit (org_id, code, name, sender_ids) values (?, 'EAST', 'East', '{EASTSMS,EASTPROMO}')`, [org.orgId]);
    [{ default_sender_id: orgDefault }] = await em.execute<{ default_sender_id: string }[]>('select default_sender_id from org where id = ?', [org.orgId]);
  });
  afterAll(async () => {
    gateway?.release();
    await server?.stop();
    await gateway?.close();
  });

  async function newCustomer(options: { mobile?: boolean } = {}): Promise<{ id: number; mobile: string | null }> {
    mobiles += 1;
    const mobile = options.mobile === false ? null : `659600${String(mobiles).padStart(4, '0')}`;
    return { id: await createCustomer(server.em(), org, { mobile }), mobile };
  }

  function message(customerId: number, input: Partial<SmsInput> = {}): SmsInput {
    return { customer: { type: 'USER_ID', value: String(customerId) }, content: 'Your points expire soon', priority: 'TRANS', idempotencyKey: crypto.randomUUID(), ...input };
  }

  async function sendBatch(messages: SmsInput[], as: GqlClient = client) {
    const response = await typedRequest(as, SmsSendBatchDocument, { input: { messages } });
    expect(response.errors).toBeUndefined();
    return response;
  }

  async function count(sql: string, params: unknown[]): Promise<number> {
    const [{ n }] = await server.em().execute<{ n: string }[]>(sql, params);
    return Number(n);
  }

  it('judges each message as smsSend would: the accepted are sent, the refused get their own errors and change nothing', async () => {
    const em = server.em();
    const ok = await newCustomer();
    const byMobile = await newCustomer();
    const noMobile = await newCustomer({ mobile: false });
    const optedOut = await newCustomer();
    await em.execute(
      `insert into channel_subscription (org_id, customer_id, channel, priority, account, org_unit_id, status, updated_at) values (?, ?, 'MOBILE', 'BULK', '', null, 'OPTOUT', now())`,
      [org.orgId, optedOut.id],
    );
    const fraud = await newCustomer();
    await em.execute(`update customer set fraud_status = 'CONFIRMED' where id = ?`, [fraud.id]);
    const deleted = await newCustomer();
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds.closed, deleted.id]);

    // A key smsSend used before: the same input replays its message, another input is refused.
    const earlierKey = crypto.randomUUID();
    const earlier = (await typedRequest(client, SmsSendDocument, { input: message(ok.id, { content: 'Sent before', idempotencyKey: earlierKey }) })).data!.smsSend.interaction!;
    const sharedKey = crypto.randomUUID();
    const freedKey = crypto.randomUUID();
    const messages: SmsInput[] = [
      /* 0 */ message(ok.id, { content: 'First of the batch', sender: 'EASTSMS', priority: 'BULK', idempotencyKey: sharedKey }),
      /* 1 */ message(0, { customer: { type: 'MOBILE', value: `+${byMobile.mobile!.slice(0, 2)} ${byMobile.mobile!.slice(2)}` }, content: 'By mobile', sender: 'NOBODY' }),
      /* 2 */ message(noMobile.id),
      /* 3 */ message(optedOut.id, { priority: 'BULK' }),
      /* 4 */ message(fraud.id),
      /* 5 */ message(deleted.id),
      /* 6 */ message(999_999_999),
      /* 7 */ message(ok.id, { content: 'x'.repeat(153 * 6 + 1) }),
      /* 8 */ message(ok.id, { content: '   ' }),
      /* 9 */ message(ok.id, { content: 'Sent before', idempotencyKey: earlierKey }),
      /* 10 */ message(ok.id, { content: 'Not what was sent before', idempotencyKey: earlierKey }),
      /* 11 */ message(ok.id, { content: 'First of the batch', sender: 'EASTSMS', priority: 'BULK', idempotencyKey: sharedKey }),
      /* 12 */ message(ok.id, { content: 'Another text under the batch key', idempotencyKey: sharedKey }),
      /* 13 */ message(noMobile.id, { content: 'Refused, so its key stays free', idempotencyKey: freedKey }),
      /* 14 */ message(ok.id, { content: 'Takes the freed key', sender: null, idempotencyKey: freedKey }),
      /* 15 */ message(ok.id, { idempotencyKey: '  ' }),
    ];
    expect(await settled(client, earlier.id)).toBe('SENT');
    const before = gateway.requests.length;
    const { results, userErrors } = (await sendBatch(messages)).data!.smsSendBatch;
    expect(userErrors).toEqual([]);
    expect(results.map((result) => result.index)).toEqual(messages.map((_, index) => index));
    const codes = results.map((result) => result.userErrors.map((error) => error.code).join());
    expect(codes).toEqual([
      '', '', 'CUSTOMER_HAS_NO_MOBILE', 'CUSTOMER_OPTED_OUT', 'CUSTOMER_FRAUD_CONFIRMED', 'CUSTOMER_DELETED', 'CUSTOMER_NOT_FOUND', 'SMS_TOO_LONG',
      'INVALID_INPUT', '', 'IDEMPOTENCY_KEY_REUSED', '', 'IDEMPOTENCY_KEY_REUSED', 'CUSTOMER_HAS_NO_MOBILE', '', 'INVALID_INPUT',
    ]);
    expect(results[7].userErrors[0].field).toEqual(['input', 'messages', '7', 'content']);
    expect(results[15].userErrors[0].field).toEqual(['input', 'messages', '15', 'idempotencyKey']);
    expect(results.map((result) => result.replayed)).toEqual(results.map((_, index) => index === 9 || index === 11));
    for (const result of results) expect(result.interaction === null).toBe(result.userErrors.length > 0);

    const [first, viaMobile, , , , , , , , replay, , repeat, , , freed] = results.map((result) => result.interaction);
    expect(replay!.id).toBe(earlier.id);
    expect(repeat!.id).toBe(first!.id);
    expect(first).toMatchObject({ status: 'QUEUED', senderId: 'EASTSMS', requestedSenderId: 'EASTSMS', senderFallback: null, priority: 'BULK', customer: { id: globalId('Customer', ok.id) } });
    expect(viaMobile).toMatchObject({ senderId: orgDefault, requestedSenderId: 'NOBODY', senderFallback: 'NOT_CONFIGURED', customer: { id: globalId('Customer', byMobile.id) } });
    expect(freed).toMatchObject({ senderId: orgDefault, requestedSenderId: null, senderFallback: 'NONE_GIVEN', content: 'Takes the freed key' });

    // Each refusal is the one smsSend gives for the same input (the refused messages left their keys free).
    for (const index of [2, 3, 4, 5, 6, 7, 8, 10, 15]) {
      const single = (await typedRequest(client, SmsSendDocument, { input: messages[index] })).data!.smsSend;
      expect(single.userErrors, `message ${index}`).toEqual(asSingleSend(results[index]));
    }
    expect(await count('select count(*) as n from interaction where customer_id in (?, ?, ?, ?)', [noMobile.id, optedOut.id, fraud.id, deleted.id])).toBe(0);

    // The gateway hears of exactly the new messages, once each, under their idempotency keys.
    const sent = [first!, viaMobile!, freed!];
    for (const interaction of sent) expect(await settled(client, interaction.id)).toBe('SENT');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const heard = gateway.requests.slice(before);
    const byId = (a: number, b: number) => a - b;
    expect(heard.map((request) => request.body.id).sort(byId)).toEqual(sent.map((interaction) => interactionNumber(interaction.id)).sort(byId));
    for (const request of heard) expect(request.headers['idempotency-key']).toBe(`interaction-${request.body.id}`);
    expect(heard.find((request) => request.body.id === interactionNumber(first!.id))!.body).toEqual({
      id: interactionNumber(first!.id),
      to: ok.mobile,
      from: 'EASTSMS',
      text: 'First of the batch',
      priority: 'BULK',
    });
    expect(heard.find((request) => request.body.id === interactionNumber(viaMobile!.id))!.body).toMatchObject({ to: byMobile.mobile, from: orgDefault });
  });

  it('writes the interaction and the audit entry smsSend writes, and Customer.interactions lists them alike', async () => {
    const customer = await newCustomer();
    // Quotes, a backslash, a line break and a '?' travel intact through the set-based insert.
    const input = { content: 'Same "either" way?\nCafé 5€ {ok} \\o/', sender: 'EASTPROMO', priority: 'BULK' } as const;
    const single = (await typedRequest(client, SmsSendDocument, { input: message(customer.id, input) })).data!.smsSend.interaction!;
    const batched = (await sendBatch([message(customer.id, input)])).data!.smsSendBatch.results[0].interaction!;
    for (const interaction of [single, batched]) await settled(client, interaction.id);

    const listed = (await typedRequest(client, SmsCustomerInteractionsDocument, { id: globalId('Customer', customer.id) })).data!.customer!.interactions.nodes;
    expect(listed.map((node) => node.id).sort()).toEqual([single.id, batched.id].sort());
    const [a, b] = listed.map(({ id: _id, sentAt: _sentAt, queuedAt: _queuedAt, ...rest }) => rest);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'SENT', senderId: 'EASTPROMO', content: input.content, encoding: 'GSM_7', contentLength: 39, segments: 1 });

    const rows = await server.em().execute<{ row: Record<string, unknown> }[]>(
      `select to_jsonb(i) - 'id' - 'sent_at' - 'queued_at' - 'created_at' as row from interaction i where id in (?, ?) order by id`,
      [interactionNumber(single.id), interactionNumber(batched.id)],
    );
    expect(rows[1].row).toEqual(rows[0].row);
    const audits = await server.em().execute<{ entry: Record<string, unknown>; interaction: string }[]>(
      `select to_jsonb(a) - 'id' - 'created_at' - 'details' || jsonb_build_object('details', a.details - 'interactionId') as entry, a.details->>'interactionId' as interaction
        from audit_entry a where org_id = ? and subject_id = ? order by id`,
      [org.orgId, customer.id],
    );
    expect(audits.map((audit) => Number(audit.interaction))).toEqual([interactionNumber(single.id), interactionNumber(batched.id)]);
    expect(audits[1].entry).toEqual(audits[0].entry);
    expect(audits[0].entry).toMatchObject({ action: 'smsSend', subject_type: 'Customer' });
  });

  it('shares idempotency keys with smsSend, both ways', async () => {
    const customer = await newCustomer();
    const key = crypto.randomUUID();
    const batched = (await sendBatch([message(customer.id, { content: 'Batch first', idempotencyKey: key })])).data!.smsSendBatch.results[0];
    expect(batched).toMatchObject({ replayed: false, userErrors: [] });
    const single = (await typedRequest(client, SmsSendDocument, { input: message(customer.id, { content: 'Batch first', idempotencyKey: key }) })).data!.smsSend;
    expect(single).toMatchObject({ replayed: true, interaction: { id: batched.interaction!.id } });
    const other = (await typedRequest(client, SmsSendDocument, { input: message(customer.id, { content: 'Not the same', idempotencyKey: key }) })).data!.smsSend;
    expect(other.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    // A key is trimmed alike by both.
    const again = (await sendBatch([message(customer.id, { content: 'Batch first', idempotencyKey: ` ${key} ` })])).data!.smsSendBatch.results[0];
    expect(again).toMatchObject({ replayed: true, interaction: { id: batched.interaction!.id } });
    expect(await count('select count(*) as n from interaction where customer_id = ?', [customer.id])).toBe(1);
  });

  it('writes each message once when the same batch is sent twice at the same time', async () => {
    const customers = await Promise.all(Array.from({ length: 5 }, () => newCustomer()));
    const messages = customers.map((customer) => message(customer.id, { content: 'Sent twice at once' }));
    const [one, two] = await Promise.all([sendBatch(messages), sendBatch(messages)]);
    const pairs = one.data!.smsSendBatch.results.map((result, index) => [result, two.data!.smsSendBatch.results[index]] as const);
    for (const [a, b] of pairs) {
      expect(a.userErrors).toEqual([]);
      expect(b.userErrors).toEqual([]);
      expect(a.interaction!.id).toBe(b.interaction!.id);
      expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    }
    expect(await count('select count(*) as n from interaction where customer_id in (?)', [customers.map((customer) => customer.id)])).toBe(5);
  });

  it('refuses an empty batch, and one of more than 500 messages, writing nothing', async () => {
    const customer = await newCustomer();
    const messages = Array.from({ length: 501 }, () => message(customer.id));
    for (const batch of [messages, []]) {
      const answer = (await sendBatch(batch)).data!.smsSendBatch;
      expect(answer).toEqual({
        results: [],
        userErrors: [{ code: 'INVALID_INPUT', message: 'messages must hold from 1 to 500 messages.', field: ['input', 'messages'] }],
      });
    }
    expect(await count('select count(*) as n from interaction where customer_id = ?', [customer.id])).toBe(0);
    expect(await count(`select count(*) as n from idempotency_key where org_id = ? and key in (?)`, [org.orgId, messages.map((one) => one.idempotencyKey)])).toBe(0);
    // 500 is allowed.
    const full = (await sendBatch(messages.slice(0, 500))).data!.smsSendBatch;
    expect(full.results.filter((result) => result.userErrors.length === 0 && !result.replayed)).toHaveLength(500);
  });

  it('spends as many SQL statements on 40 messages as on 4, however many sender ids they ask for', async () => {
    const statementsFor = async (size: number, senderOf: (index: number) => string | null = (index) => (index % 2 === 0 ? 'EASTSMS' : null)) => {
      const customers = await Promise.all(Array.from({ length: size }, () => newCustomer()));
      const messages = customers.map((customer, index) =>
        message(customer.id, {
          customer: index % 2 === 0 ? { type: 'USER_ID', value: String(customer.id) } : { type: 'MOBILE', value: customer.mobile! },
          sender: senderOf(index),
        }),
      );
      const response = await sendBatch(messages);
      expect(response.data!.smsSendBatch.results.every((result) => result.userErrors.length === 0)).toBe(true);
      return response.extensions?.sqlStatements;
    };
    const four = await statementsFor(4);
    const forty = await statementsFor(40);
    expect(four).toBeGreaterThan(0);
    expect(forty).toBe(four);
    // Forty sender ids nobody configured (each falls back to the org's default) are read at once too.
    expect(await statementsFor(40, (index) => `UNKNOWN${index}`)).toBe(four);
  });

  it('queues a batch in shared entries of 20 messages, and a retried entry hands over again only what the gateway did not take', async () => {
    const customers = await Promise.all(Array.from({ length: 45 }, () => newCustomer()));
    const messages = customers.map((customer, index) => message(customer.id, { content: index === 7 ? 'FLAKY: your code is 4321' : `Entry test ${index}` }));
    const before = await count(`select count(*) as n from pgboss.job where name = 'sms-delivery'`, []);
    const response = await sendBatch(messages);
    const ids = response.data!.smsSendBatch.results.map((result) => result.interaction!.id);
    expect(ids).toHaveLength(45);
    // 45 messages of one org: three entries (20, 20 and 5), each naming its messages.
    const entries = await server.em().execute<{ ids: number[] }[]>(
      `select array(select jsonb_array_elements_text(data->'interactionIds')::bigint) as ids from pgboss.job where name = 'sms-delivery' and data->'interactionIds' @> jsonb_build_array(?::bigint)
        union all select array(select jsonb_array_elements_text(data->'interactionIds')::bigint) from pgboss.job where name = 'sms-delivery' and data->'interactionIds' @> jsonb_build_array(?::bigint)
        union all select array(select jsonb_array_elements_text(data->'interactionIds')::bigint) from pgboss.job where name = 'sms-delivery' and data->'interactionIds' @> jsonb_build_array(?::bigint)`,
      [interactionNumber(ids[0]!), interactionNumber(ids[20]!), interactionNumber(ids[44]!)],
    );
    expect(entries.map((entry) => entry.ids.map(Number))).toEqual([0, 20, 40].map((start) => ids.slice(start, Math.min(start + 20, 45)).map((id) => interactionNumber(id))));
    expect(await count(`select count(*) as n from pgboss.job where name = 'sms-delivery'`, [])).toBe(before + 3);

    for (const id of ids) expect(await settled(client, id)).toBe('SENT');
    const timesSent = (id: string) => gateway.requests.filter((request) => request.body.id === interactionNumber(id)).length;
    // The flaky message was refused once (503) and taken on the entry's retry; its 19 neighbours went once.
    expect(timesSent(ids[7]!)).toBe(2);
    for (const [index, id] of ids.entries()) if (index !== 7) expect(timesSent(id)).toBe(1);
    const [flakyEntry] = await server.em().execute<{ retry_count: number; state: string }[]>(
      `select retry_count, state from pgboss.job where name = 'sms-delivery' and data->'interactionIds' @> jsonb_build_array(?::bigint)`,
      [interactionNumber(ids[7]!)],
    );
    expect(flakyEntry).toEqual({ retry_count: 1, state: 'completed' });
  });

  it('tells watchers of each customer of their new message once it is committed', async () => {
    const customers = await Promise.all([newCustomer(), newCustomer()]);
    const ws = wsClient(server.wsUrl, org.key);
    const seen: { id: string; status: string }[][] = customers.map(() => []);
    const unsubscribes = customers.map((customer, position) =>
      ws.subscribe<{ interactionUpdated: { id: string; status: string } }>(
        { query: print(InteractionUpdatedWatchDocument), variables: { customerId: globalId('Customer', customer.id) } },
        {
          next: (value) => {
            if (value.data) seen[position].push({ id: value.data.interactionUpdated.id, status: value.data.interactionUpdated.status });
          },
          error: () => undefined,
          complete: () => undefined,
        },
      ),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // HOLD keeps the gateway from answering, so the worker marks nothing SENT meanwhile: any news is the batch's.
      const results = (await sendBatch(customers.map((customer) => message(customer.id, { content: 'HOLD for the watchers' })))).data!.smsSendBatch.results;
      const deadline = Date.now() + 10_000;
      while (seen.some((events) => events.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual(results.map((result) => [{ id: result.interaction!.id, status: 'QUEUED' }]));
    } finally {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await ws.dispose();
    }
  });
});

describe('smsSendBatch and VIEWER keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ importWorkers: 0 });
  });
  afterAll(() => server?.stop());

  it('refuses a read-only key before anything is written', async () => {
    const org = await createOrg(server.em(), { role: 'VIEWER' });
    const customerId = await createCustomer(server.em(), org, { mobile: '6591113333' });
    const response = await typedRequest(gqlClient(server.url, org.key), SmsSendBatchDocument, {
      input: { messages: [{ customer: { type: 'USER_ID', value: String(customerId) }, content: 'Hi', priority: 'TRANS', idempotencyKey: 'viewer-batch-1' }] },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data ?? null).toBeNull();
    const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from interaction where customer_id = ?', [customerId]);
    expect(Number(n)).toBe(0);
  });
});
