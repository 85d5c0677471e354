import { Migration } from '@mikro-orm/migrations';

/**
 * Uploaded files' chunks are stored uncompressed: pglz compressing each 1 MiB chunk as it arrives
 * took three times as long as storing it (1.6 s against 0.5 s for a 93 MB file), on the path of
 * every upload. The file stays only until the job's retention ends.
 */
export class Migration20261205040000_import_file_chunk_uncompressed extends Migration {
  override name = 'Migration20261205040000_import_file_chunk_uncompressed';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_file_chunk" alter column "data" set storage external;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_file_chunk" alter column "data" set storage extended;`);
  }
}
