import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import {
  CardIssueDocument,
  CardSeriesCreateDocument,
  CardsGenerateDocument,
  CardStatusChangeDocument,
  type CardIssueMutationVariables,
  type CardSeriesCreateMutationVariables,
} from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const NOW = new Date('2024-03-01T04:00:00Z');

describe('cards', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let admin: GqlClient;
  let memberCare: GqlClient;
  let viewer: GqlClient;
  let storeCode: string;
  let tomId: number;
  let adaId: number;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em, { role: 'ADMIN' });
    admin = gqlClient(server.url, org.key);
    memberCare = gqlClient(server.url, await createApiKey(em, org.orgId, 'MEMBER_CARE'));
    viewer = gqlClient(server.url, await createApiKey(em, org.orgId, 'VIEWER'));
    [{ code: storeCode }] = await em.execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    adaId = await createCustomer(em, org, { mobile: '6591234568' });
    await em.execute(`insert into card_status_label (org_id, label, system_status) values (?, 'Blocked', 'INACTIVE'), (?, 'Deleted', 'DELETED')`, [org.orgId, org.orgId]);
  });
  afterAll(() => server?.stop());

  function createSeries(input: Partial<CardSeriesCreateMutationVariables['input']> & { code: string }, as: GqlClient = admin) {
    return typedRequest(as, CardSeriesCreateDocument, { input: { type: 'DIGITAL', ...input } });
  }

  function generate(seriesCode: string, count: number, as: GqlClient = admin) {
    return typedRequest(as, CardsGenerateDocument, { input: { seriesCode, count } });
  }

  function issue(input: Partial<CardIssueMutationVariables['input']> & { cardNumber: string }, as: GqlClient = admin) {
    return typedRequest(as, CardIssueDocument, { input: { customer: { type: 'USER_ID', value: String(tomId) }, ...input } });
  }

  async function generatedNumbers(seriesCode: string, count: number): Promise<string[]> {
    const response = await generate(seriesCode, count);
    expect(response.data!.cardsGenerate.userErrors).toEqual([]);
    return response.data!.cardsGenerate.cards!.map((card) => card.number);
  }

  describe('cardSeriesCreate', () => {
    it('creates a series with its numbering rules, store and (default) program', async () => {
      const response = await createSeries({
        code: 'GIFT2024',
        description: 'Gift cards',
        type: 'PHYSICAL',
        prefix: 'GC',
        suffix: 'X',
        numberLength: 10,
        autoGenerate: true,
        expiryDays: 365,
        storeCode,
      });
      expect(response.data!.cardSeriesCreate).toEqual({
        cardSeries: {
          id: expect.any(String),
          code: 'GIFT2024',
          description: 'Gift cards',
          type: 'PHYSICAL',
          prefix: 'GC',
          suffix: 'X',
          numberLength: 10,
          autoGenerate: true,
          expiryDays: 365,
          program: { id: globalId('LoyaltyProgram', org.programId) },
          store: { code: storeCode },
        },
        userErrors: [],
      });
    });

    it.each([
      { name: 'a code with other characters', input: { code: 'GOLD-2' }, error: { code: 'INVALID_INPUT', message: 'code must be 1 to 50 letters or digits.', field: ['input', 'code'] } },
      { name: 'a code taken', input: { code: 'GOLDPHY' }, error: { code: 'CARD_SERIES_CODE_TAKEN', message: 'The org already has a card series "GOLDPHY".', field: ['input', 'code'] } },
      {
        name: 'a length with no room for digits',
        input: { code: 'TIGHT', prefix: 'AB', suffix: 'C', numberLength: 3 },
        error: { code: 'INVALID_INPUT', message: 'numberLength must leave room for at least one digit after the prefix and suffix.', field: ['input', 'numberLength'] },
      },
      {
        name: 'generation without a length',
        input: { code: 'NOLEN', autoGenerate: true },
        error: { code: 'INVALID_INPUT', message: 'A series that generates card numbers needs a numberLength.', field: ['input', 'numberLength'] },
      },
      { name: 'an unknown store', input: { code: 'NOSTORE', storeCode: 'nowhere' }, error: { code: 'STORE_NOT_FOUND', message: 'The org has no store "nowhere".', field: ['input', 'storeCode'] } },
      {
        name: 'a program of no org of ours',
        input: { code: 'NOPROG', programId: globalId('LoyaltyProgram', 999_999) },
        error: { code: 'PROGRAM_NOT_FOUND', message: 'The org has no loyalty program with that id.', field: ['input', 'programId'] },
      },
    ])('refuses $name', async ({ input, error }) => {
      const response = await createSeries(input);
      expect(response.data!.cardSeriesCreate).toEqual({ cardSeries: null, userErrors: [error] });
    });

    it('is configuration: a MEMBER_CARE or VIEWER key is refused with a top-level FORBIDDEN error', async () => {
      for (const client of [memberCare, viewer]) {
        const response = await createSeries({ code: 'NOTMINE' }, client);
        expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from card_series where code = 'NOTMINE'`);
      expect(Number(n)).toBe(0);
    });
  });

  describe('cardsGenerate', () => {
    beforeAll(async () => {
      for (const input of [
        { code: 'GENA', prefix: 'GA', suffix: 'X', numberLength: 8, autoGenerate: true },
        { code: 'GENB', prefix: 'GB', numberLength: 8, autoGenerate: true },
        { code: 'TINY', prefix: 'T', numberLength: 2, autoGenerate: true },
        { code: 'MANUAL', numberLength: 8 },
      ]) {
        expect((await createSeries(input)).data!.cardSeriesCreate.userErrors).toEqual([]);
      }
    });

    it('numbers cards from the prefix, a zero-padded sequence and the suffix, to the series’ length; they are not issued', async () => {
      const response = await generate('GENA', 3);
      expect(response.data!.cardsGenerate).toMatchObject({
        cardSeries: { code: 'GENA' },
        cards: ['GA00001X', 'GA00002X', 'GA00003X'].map((number) => ({ number, status: { systemStatus: 'NOT_ISSUED' }, customer: null })),
        userErrors: [],
      });
      expect(await generatedNumbers('GENA', 1)).toEqual(['GA00004X']);
    });

    it('skips numbers some card already has', async () => {
      await server.em().execute(`insert into card (org_id, series_id, number, status_label_id, created_at) select org_id, id, 'GB000002', ?, now() from card_series where code = 'GENB' and org_id = ?`, [
        org.activeCardLabelId,
        org.orgId,
      ]);
      expect(await generatedNumbers('GENB', 3)).toEqual(['GB000001', 'GB000003', 'GB000004']);
    });

    it('gives concurrent generations distinct numbers', async () => {
      const [a, b] = await Promise.all([generate('GENB', 50, gqlClient(server.url, org.key)), generate('GENB', 50, gqlClient(server.url, org.key))]);
      const numbers = [...a.data!.cardsGenerate.cards!, ...b.data!.cardsGenerate.cards!].map((card) => card.number);
      expect(new Set(numbers).size).toBe(100);
    });

    it('stops when the series’ numbers run out', async () => {
      expect((await generate('TINY', 10)).data!.cardsGenerate.userErrors).toEqual([
        { code: 'CARD_SERIES_EXHAUSTED', message: 'The series has fewer than 10 card numbers left.', field: ['input', 'count'] },
      ]);
      expect(await generatedNumbers('TINY', 9)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9']);
      expect((await generate('TINY', 1)).data!.cardsGenerate.userErrors[0].code).toBe('CARD_SERIES_EXHAUSTED');
    });

    it.each([
      { name: 'an unknown series', series: 'NOPE', count: 1, error: { code: 'CARD_SERIES_NOT_FOUND', message: 'The org has no card series "NOPE".', field: ['input', 'seriesCode'] } },
      {
        name: 'a series without generation',
        series: 'MANUAL',
        count: 1,
        error: { code: 'CARD_SERIES_NOT_AUTO_GENERATED', message: 'The card series "MANUAL" does not generate card numbers.', field: ['input', 'seriesCode'] },
      },
      { name: 'no cards', series: 'GENA', count: 0, error: { code: 'INVALID_INPUT', message: 'count must be a whole number from 1 to 1000.', field: ['input', 'count'] } },
      { name: 'too many cards', series: 'GENA', count: 1001, error: { code: 'INVALID_INPUT', message: 'count must be a whole number from 1 to 1000.', field: ['input', 'count'] } },
    ])('refuses $name', async ({ series, count, error }) => {
      expect((await generate(series, count)).data!.cardsGenerate).toEqual({ cardSeries: null, cards: null, userErrors: [error] });
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      expect((await generate('GENA', 1, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('cardIssue', () => {
    let series: string;
    beforeAll(async () => {
      series = 'ISSUE';
      await createSeries({ code: series, prefix: 'IS', numberLength: 8, autoGenerate: true, expiryDays: 30 });
    });

    it('links a card to a customer with an active label and a validity from now', async () => {
      const [number] = await generatedNumbers(series, 1);
      const response = await issue({ cardNumber: number, externalId: 'EXT-CARD-1' }, memberCare);
      expect(response.data!.cardIssue).toEqual({
        card: {
          id: expect.any(String),
          number,
          externalId: 'EXT-CARD-1',
          status: { label: 'Active', systemStatus: 'ACTIVE' },
          issuedAt: '2024-03-01T12:00:00+08:00',
          expiresAt: '2024-03-31T12:00:00+08:00',
          customer: { id: globalId('Customer', tomId) },
          series: { code: series },
        },
        customer: { id: globalId('Customer', tomId), cards: { nodes: expect.arrayContaining([{ number }]) } },
        userErrors: [],
      });
      // Issuing it to the same customer again changes nothing.
      expect((await issue({ cardNumber: number })).data!.cardIssue.userErrors).toEqual([]);
    });

    it('creates a card not there yet in the series it names, when its number fits', async () => {
      const response = await issue({ cardNumber: 'IS999999', seriesCode: series });
      expect(response.data!.cardIssue).toMatchObject({ card: { number: 'IS999999', status: { systemStatus: 'ACTIVE' } }, userErrors: [] });
      expect((await issue({ cardNumber: 'XX999999', seriesCode: series })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_NUMBER_INVALID_FOR_SERIES', message: `"XX999999" does not fit the numbering of series "${series}".`, field: ['input', 'cardNumber'] },
      ]);
    });

    it('refuses a card issued to someone else, an expired card, an unknown card, label or taken external id', async () => {
      const [taken, spare] = await generatedNumbers(series, 2);
      await issue({ cardNumber: taken });
      expect((await issue({ cardNumber: taken, customer: { type: 'USER_ID', value: String(adaId) } })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_ALREADY_ISSUED', message: `The card "${taken}" is issued to another customer.`, field: ['input', 'cardNumber'] },
      ]);
      await server.em().execute('update card set status_label_id = ? where number = ?', [org.expiredCardLabelId, spare]);
      expect((await issue({ cardNumber: spare })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_NOT_ISSUABLE', message: `The card "${spare}" is expired.`, field: ['input', 'cardNumber'] },
      ]);
      expect((await issue({ cardNumber: 'NO-SUCH-CARD' })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_NOT_FOUND', message: 'The org has no card "NO-SUCH-CARD".', field: ['input', 'cardNumber'] },
      ]);
      const [fresh] = await generatedNumbers(series, 1);
      expect((await issue({ cardNumber: fresh, statusLabel: 'Shiny' })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_STATUS_LABEL_NOT_FOUND', message: 'The org has no card status label "Shiny".', field: ['input', 'statusLabel'] },
      ]);
      expect((await issue({ cardNumber: fresh, externalId: 'EXT-CARD-1' })).data!.cardIssue.userErrors).toEqual([
        { code: 'CARD_EXTERNAL_ID_TAKEN', message: 'Another card has the external id "EXT-CARD-1".', field: ['input', 'externalId'] },
      ]);
      const [row] = await server.em().execute<{ customer_id: string | null }[]>('select customer_id from card where number = ?', [fresh]);
      expect(row.customer_id).toBeNull();
    });

    it('gives one of two cards issued at once with the same external id that id, and tells the other it is taken', async () => {
      // Each card update waits a moment before it is written, so both requests check the external id
      // before either commits: the unique key decides, as when requests race.
      const em = server.em();
      await em.execute(`create function slow_card_update() returns trigger language plpgsql as $$
        begin perform pg_sleep(0.3); return new; end $$`);
      await em.execute(`create trigger slow_card_update before update on card for each row when (new.external_id = 'EXT-RACED') execute function slow_card_update()`);
      try {
        const numbers = await generatedNumbers(series, 2);
        const responses = await Promise.all(numbers.map((cardNumber) => issue({ cardNumber, externalId: 'EXT-RACED' })));
        expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);
        const userErrors = responses.flatMap((response) => response.data!.cardIssue.userErrors);
        expect(userErrors).toEqual([{ code: 'CARD_EXTERNAL_ID_TAKEN', message: 'Another card of the org already has that external id.', field: ['input', 'externalId'] }]);
        const [held] = await em.execute<{ n: number }[]>(`select count(*)::int as n from card where external_id = 'EXT-RACED'`);
        expect(held.n).toBe(1);
      } finally {
        await em.execute('drop trigger if exists slow_card_update on card');
      }
    });

    it('refuses an unknown customer', async () => {
      const [number] = await generatedNumbers(series, 1);
      expect((await issue({ cardNumber: number, customer: { type: 'EMAIL', value: 'ghost@example.com' } })).data!.cardIssue.userErrors).toEqual([
        { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "ghost@example.com".', field: ['input', 'customer'] },
      ]);
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      expect((await issue({ cardNumber: 'X' }, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('cardStatusChange', () => {
    async function issuedCard(): Promise<string> {
      const [number] = await generatedNumbers('GENA', 1);
      expect((await issue({ cardNumber: number })).data!.cardIssue.userErrors).toEqual([]);
      return number;
    }

    function change(cardNumber: string, statusLabel: string, as: GqlClient = admin) {
      return typedRequest(as, CardStatusChangeDocument, { input: { cardNumber, statusLabel, reason: 'Reported lost' } });
    }

    it('gives a card another label of the org, recording the reason', async () => {
      const number = await issuedCard();
      const response = await change(number, 'Blocked', memberCare);
      expect(response.data!.cardStatusChange).toEqual({ card: { id: expect.any(String), number, status: { label: 'Blocked', systemStatus: 'INACTIVE' } }, userErrors: [] });
      const [entry] = await server.em().execute<{ details: { reason: string } }[]>(`select details from audit_entry where action = 'cardStatusChange' order by id desc limit 1`);
      expect(entry.details.reason).toBe('Reported lost');
    });

    it('keeps a deleted card deleted, and an unissued card from becoming active', async () => {
      const number = await issuedCard();
      expect((await change(number, 'Deleted')).data!.cardStatusChange.userErrors).toEqual([]);
      expect((await change(number, 'Active')).data!.cardStatusChange.userErrors).toEqual([
        { code: 'CARD_STATUS_TRANSITION_INVALID', message: 'A deleted card stays deleted.', field: ['input', 'statusLabel'] },
      ]);
      const [unissued] = await generatedNumbers('GENA', 1);
      expect((await change(unissued, 'Active')).data!.cardStatusChange.userErrors).toEqual([
        { code: 'CARD_STATUS_TRANSITION_INVALID', message: 'A card must be issued to a customer before it is active.', field: ['input', 'statusLabel'] },
      ]);
      expect((await change(await issuedCard(), 'Not issued')).data!.cardStatusChange.userErrors[0].code).toBe('CARD_STATUS_TRANSITION_INVALID');
    });

    it('refuses an unknown card or label', async () => {
      expect((await change('NOPE', 'Blocked')).data!.cardStatusChange.userErrors).toEqual([{ code: 'CARD_NOT_FOUND', message: 'The org has no card "NOPE".', field: ['input', 'cardNumber'] }]);
      expect((await change(await issuedCard(), 'Lost')).data!.cardStatusChange.userErrors).toEqual([
        { code: 'CARD_STATUS_LABEL_NOT_FOUND', message: 'The org has no card status label "Lost".', field: ['input', 'statusLabel'] },
      ]);
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      expect((await change('X', 'Blocked', viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});
