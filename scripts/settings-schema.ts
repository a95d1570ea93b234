/**
 * npm run settings:schema — writes surveys/settings/settings.schema.json, the JSON Schema of the
 * surveys settings file, from the zod schema that validates it (editors autocomplete and check the
 * file through its "$schema"). test/unit/settings.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { settingsJsonSchema } from '../surveys/settings/load.ts';

export const SCHEMA_FILE = 'surveys/settings/settings.schema.json';

export function schemaText(): string {
  return `${JSON.stringify({ title: 'ankieta surveys settings', ...settingsJsonSchema() }, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
