import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { GoodwillPointsIssueDocument, type GoodwillPointsIssueMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCardInSeries, createCardSeries, createCustomer, createOrg, createProgram, ledgerEntries, type TestOrg } from './support/world.js';

const NOW = new Date('2024-03-01T04:00:00Z');

describe('goodwillPointsIssue', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let viewer: GqlClient;
  let tomId: number;
  let adaId: number;
  let milesProgramId: number;
  let tierlessProgramId: number;
  let strangerProgramId: number;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    const other = await createOrg(em);
    client = gqlClient(server.url, org.key);
    viewer = gqlClient(server.url, (await createOrg(em, { role: 'VIEWER' })).key);
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    adaId = await createCustomer(em, org, { mobile: '6591234568', email: 'ada@example.com' });
    // A card-linked program: Ada's expired card of the MILES series identifies her and picks it.
    milesProgramId = await createProgram(em, org, { name: 'Miles', pointsExpiryDays: 30 });
    const milesSeries = await createCardSeries(em, org, 'MILES', milesProgramId);
    await createCardInSeries(em, org, milesSeries, adaId, 'MILES-0001', { externalId: 'MX-1', expired: true });
    tierlessProgramId = await createProgram(em, org, { name: 'Not set up', withoutTiers: true });
    strangerProgramId = other.programId;
  });
  afterAll(() => server?.stop());

  function issue(input: Partial<GoodwillPointsIssueMutationVariables['input']>, as: GqlClient = client) {
    return typedRequest(as, GoodwillPointsIssueDocument, {
      input: { customer: { type: 'MOBILE', value: '6591234567' }, points: 100, reason: 'Late delivery', idempotencyKey: crypto.randomUUID(), ...input },
    });
  }

  it('credits a goodwill lot in the default program, expiring after the program’s days, and shows it on the customer', async () => {
    const weiId = await createCustomer(server.em(), org, { firstName: 'Wei', mobile: '6591230000' });
    const response = await issue({ customer: { type: 'MOBILE', value: '+65 9123 0000' }, points: 250, reason: 'Coffee was cold' });
    expect(response.errors).toBeUndefined();
    const result = response.data!.goodwillPointsIssue;
    expect(result.userErrors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.ledgerEntry).toMatchObject({
      kind: 'GOODWILL',
      points: 250,
      remainingPoints: 250,
      reason: 'Coffee was cold',
      source: 'goodwillPointsIssue',
      // 365 days after the clock's now, in the org's zone (Asia/Singapore).
      expiresAt: '2025-03-01T12:00:00+08:00',
      createdBy: expect.stringMatching(/^api-key:\d+$/),
      program: { id: globalId('LoyaltyProgram', org.programId) },
      customer: { id: globalId('Customer', weiId) },
    });
    expect(result.customer?.loyalty).toEqual([
      {
        program: { id: globalId('LoyaltyProgram', org.programId) },
        pointsBalance: 250,
        lifetimePoints: 250,
        pointsExpiringSoon: { points: 250, earliestExpiresAt: '2025-03-01T12:00:00+08:00' },
      },
    ]);
    expect(result.customer?.timeline.nodes).toEqual([{ summary: '250 goodwill points: Coffee was cold' }]);
    const audit = await server.em().execute(`select actor, details from audit_entry where action = 'goodwillPointsIssue' and subject_id = ?`, [weiId]);
    expect(audit).toEqual([{ actor: expect.stringMatching(/^api-key:\d+$/), details: expect.objectContaining({ points: 250, reason: 'Coffee was cold' }) }]);
  });

  it('found by card number, issues into the card series’ program, whatever the card’s status', async () => {
    const response = await issue({ customer: { type: 'CARD_NUMBER', value: 'MILES-0001' }, points: 40 });
    const result = response.data!.goodwillPointsIssue;
    expect(result.userErrors).toEqual([]);
    expect(result.ledgerEntry?.program).toEqual({ id: globalId('LoyaltyProgram', milesProgramId), name: 'Miles' });
    expect(result.ledgerEntry?.expiresAt).toBe('2024-03-31T12:00:00+08:00');
    expect(result.ledgerEntry?.customer).toEqual({ id: globalId('Customer', adaId) });
    // Ada is enrolled in Miles by the issue itself.
    expect(result.customer?.loyalty.find((standing) => standing.program.id === globalId('LoyaltyProgram', milesProgramId))?.pointsBalance).toBe(40);
  });

  it('found by card external id, issues into the program the caller names instead', async () => {
    const before = await ledgerEntries(server.em(), adaId, org.programId);
    const response = await issue({ customer: { type: 'CARD_EXTERNAL_ID', value: 'MX-1' }, programId: globalId('LoyaltyProgram', org.programId), points: 5 });
    expect(response.data!.goodwillPointsIssue.ledgerEntry?.program.id).toBe(globalId('LoyaltyProgram', org.programId));
    expect(await ledgerEntries(server.em(), adaId, org.programId)).toBe(before + 1);
  });

  it('returns the first result for a repeated key and writes nothing more', async () => {
    const idempotencyKey = crypto.randomUUID();
    const first = await issue({ idempotencyKey, points: 7 });
    const before = await ledgerEntries(server.em(), tomId);
    const again = await issue({ idempotencyKey, points: 7, customer: { type: 'USER_ID', value: String(tomId) } });
    expect(again.data!.goodwillPointsIssue.ledgerEntry?.id).toBe(first.data!.goodwillPointsIssue.ledgerEntry?.id);
    expect(again.data!.goodwillPointsIssue.replayed).toBe(true);
    expect(await ledgerEntries(server.em(), tomId)).toBe(before);
  });

  it('writes one ledger entry when the same key arrives 10 times at once', async () => {
    const idempotencyKey = crypto.randomUUID();
    const before = await ledgerEntries(server.em(), tomId);
    // Ten clients, ten connections, one key.
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => issue({ idempotencyKey, points: 11 }, gqlClient(server.url, org.key))),
    );
    const results = responses.map((response) => response.data!.goodwillPointsIssue);
    expect(results.every((result) => result.userErrors.length === 0)).toBe(true);
    expect(new Set(results.map((result) => result.ledgerEntry?.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(await ledgerEntries(server.em(), tomId)).toBe(before + 1);
  });

  describe('refuses, writing nothing', () => {
    const cases: { name: string; input: () => Partial<GoodwillPointsIssueMutationVariables['input']>; error: { code: string; message: string; field: string[] } }[] = [
      {
        name: 'an unknown customer',
        input: () => ({ customer: { type: 'EMAIL', value: 'nobody@example.com' } }),
        error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "nobody@example.com".', field: ['input', 'customer'] },
      },
      {
        name: 'a program of another org',
        input: () => ({ programId: globalId('LoyaltyProgram', strangerProgramId) }),
        error: { code: 'PROGRAM_NOT_FOUND', message: 'The org has no loyalty program with that id.', field: ['input', 'programId'] },
      },
      {
        name: 'a program without a base tier',
        input: () => ({ programId: globalId('LoyaltyProgram', tierlessProgramId) }),
        error: { code: 'PROGRAM_HAS_NO_BASE_TIER', message: 'The loyalty program has no base tier (rank 0) to enrol in.', field: ['input', 'programId'] },
      },
      {
        name: 'zero points',
        input: () => ({ points: 0 }),
        error: { code: 'INVALID_INPUT', message: 'points must be a whole number from 1 to 2147483647.', field: ['input', 'points'] },
      },
      {
        name: 'negative points',
        input: () => ({ points: -5 }),
        error: { code: 'INVALID_INPUT', message: 'points must be a whole number from 1 to 2147483647.', field: ['input', 'points'] },
      },
      {
        name: 'a blank reason',
        input: () => ({ reason: '   ' }),
        error: { code: 'INVALID_INPUT', message: 'reason is required.', field: ['input', 'reason'] },
      },
      {
        name: 'more points than the org’s cap',
        input: () => ({ points: 10_001 }),
        error: { code: 'GOODWILL_POINTS_OVER_CAP', message: 'A goodwill issue may grant at most 10000 points.', field: ['input', 'points'] },
      },
    ];

    it.each(cases)('$name', async ({ input, error }) => {
      const before = await ledgerEntries(server.em(), tomId);
      const response = await issue(input());
      expect(response.errors).toBeUndefined();
      expect(response.data!.goodwillPointsIssue).toEqual({ ledgerEntry: null, customer: null, replayed: null, userErrors: [error] });
      expect(await ledgerEntries(server.em(), tomId)).toBe(before);
    });

    it('a key already used with a different input', async () => {
      const idempotencyKey = crypto.randomUUID();
      await issue({ idempotencyKey, points: 3 });
      const before = await ledgerEntries(server.em(), tomId);
      const response = await issue({ idempotencyKey, points: 4 });
      expect(response.data!.goodwillPointsIssue.userErrors).toEqual([
        { code: 'IDEMPOTENCY_KEY_REUSED', message: `The idempotency key "${idempotencyKey}" was already used with a different input.`, field: ['input', 'idempotencyKey'] },
      ]);
      expect(await ledgerEntries(server.em(), tomId)).toBe(before);
    });

    it('a key whose first use failed stays free for the corrected request', async () => {
      const idempotencyKey = crypto.randomUUID();
      const failed = await issue({ idempotencyKey, points: 50_000 });
      expect(failed.data!.goodwillPointsIssue.userErrors[0].code).toBe('GOODWILL_POINTS_OVER_CAP');
      const corrected = await issue({ idempotencyKey, points: 500 });
      expect(corrected.data!.goodwillPointsIssue).toMatchObject({ replayed: false, ledgerEntry: { points: 500 }, userErrors: [] });
    });
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const response = await issue({}, viewer);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
