import type { EntityManager } from '@mikro-orm/postgresql';

/** A queued import job, as the queue carries it. */
export interface ImportJobMessage {
  readonly importJobId: number;
  readonly orgId: number;
  /** Who started it, kept for the audit trail. */
  readonly startedBy: string;
}

/** Where import jobs wait for a worker (the app's job queue). */
export interface ImportQueue {
  /** Queues a job; with `tx`, in that transaction, so the entry exists exactly when the job does. */
  sendImport(message: ImportJobMessage, options?: { tx?: EntityManager; afterSeconds?: number }): Promise<void>;
}

/** The limits a process sets on what a caller sends to an import. */
export interface ImportLimits {
  readonly importMaxFileBytes: number;
  readonly importMaxInlineBytes: number;
  readonly importMaxRecordChars: number;
}

/** What an import started by a caller may use of the process it runs in. */
export interface ImportServices {
  readonly queue: ImportQueue;
  readonly config: ImportLimits;
}
