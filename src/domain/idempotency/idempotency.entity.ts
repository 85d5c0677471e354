import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../org/org.entity.js';

/**
 * A client's idempotency key for one kind of change (`scope`, e.g. `goodwillPointsIssue`): the
 * first request claims it, with a hash of its input; repeats read the result it recorded.
 * The unique constraint decides between concurrent repeats.
 */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  uniques: [{ properties: ['org', 'scope', 'key'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    scope: p.string().length(64),
    key: p.string().length(200),
    /** SHA-256 (hex) of the canonical input the key was first used with. */
    requestHash: p.string().length(64),
    /** Id of what the first request made (a ledger entry, a redemption); set when it commits. */
    resultId: p.bigint('number').nullable(),
    createdAt: p.datetime(3),
  },
});
export type IIdempotencyKey = InferEntity<typeof IdempotencyKey>;
