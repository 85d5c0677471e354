import { Migration } from '@mikro-orm/migrations';

/**
 * JSON columns whose default the ORM wrote as the JSON *string* "{}" instead of an empty object
 * (the demo seed's customers, timeline events and audit entries): the graph's JSONObject fields
 * refused them. Every such value becomes the empty object it was meant to be.
 */
const COLUMNS: readonly (readonly [table: string, column: string])[] = [
  ['customer', 'custom_fields'],
  ['customer', 'extended_fields'],
  ['audit_entry', 'details'],
  ['timeline_event', 'data'],
  ['import_template', 'options'],
  ['import_job', 'options'],
  ['import_job', 'phases'],
];

export class Migration20261207030000_json_object_defaults extends Migration {

  override name = 'Migration20261207030000_json_object_defaults';

  override up(): void | Promise<void> {
    for (const [table, column] of COLUMNS) {
      this.addSql(`update "${table}" set "${column}" = '{}'::jsonb where "${column}" = '"{}"'::jsonb;`);
    }
  }

  override down(): void | Promise<void> {
    // Nothing to undo: an empty object is what these values always meant.
  }

}
