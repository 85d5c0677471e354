import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../org/org.entity.js';

export const STAFF_ROLES = ['ADMIN', 'MEMBER_CARE', 'INTEGRATION', 'VIEWER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A staff API key: only its SHA-256 hash is stored; the key itself is shown once. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(200),
    role: p.enum(() => STAFF_ROLES),
    keyHash: p.string().length(64).unique(),
    /** First characters of the key, to tell keys apart in a list. */
    keyPrefix: p.string().length(16),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    revokedAt: p.datetime(3).nullable(),
  },
});
export type IApiKey = InferEntity<typeof ApiKey>;
