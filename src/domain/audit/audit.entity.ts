import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../org/org.entity.js';

/** Who changed what, when: one row per successful mutation (and per import job), written in its transaction. */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  indexes: [{ properties: ['org', 'subjectType', 'subjectId'] }, { properties: ['org', 'createdAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    /** e.g. `api-key:12`, `import-job:7`. */
    actor: p.string().length(100),
    /** The mutation or job, e.g. `customerStatusUpdate`. */
    action: p.string().length(100),
    subjectType: p.string().length(50),
    subjectId: p.bigint('number').nullable(),
    details: p.json<Record<string, unknown>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    createdAt: p.datetime(3),
  },
});
export type IAuditEntry = InferEntity<typeof AuditEntry>;
