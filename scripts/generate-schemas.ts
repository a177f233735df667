/**
 * Writes the generated schemas (`npm run schemas`; the next `npm run build` compiles them into the
 * validators): schemas/snapshot.schema.json from src/facts/model.ts, and the `requires` enum of
 * schemas/rule.schema.json from the fact ids in src/facts/ids.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { ruleFactsJsonSchema } from '../src/facts/ids.js';
import { snapshotJsonSchema } from '../src/facts/model.js';

writeFileSync(join(packageRoot, 'schemas', 'snapshot.schema.json'), JSON.stringify(snapshotJsonSchema(), null, 2) + '\n');
const ruleSchemaFile = join(packageRoot, 'schemas', 'rule.schema.json');
const ruleSchema = JSON.parse(readFileSync(ruleSchemaFile, 'utf8'));
Object.assign(ruleSchema.properties, ruleFactsJsonSchema());
writeFileSync(ruleSchemaFile, JSON.stringify(ruleSchema, null, 2) + '\n');
