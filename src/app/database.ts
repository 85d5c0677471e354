import { startEmbeddedDatabase } from './embedded-db.js';
import type { AppConfig } from './env.js';

/** Where the server's data lives: the configured PostgreSQL, or an embedded one we start. */
export interface Database {
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export async function openDatabase(config: AppConfig, notice?: (line: string) => void): Promise<Database> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const embedded = await startEmbeddedDatabase({ dir: config.dataDir, database: 'loyalty', notice });
  return { url: embedded.url, embedded: true, stop: () => embedded.stop() };
}
