/**
 * Writes the generated schemas (`npm run schemas`; the next `npm run build` compiles them into the
 * validators): schemas/snapshot.schema.json from src/facts/model.ts, and the `requires` enum of
 * schemas/rule.schema.json from the fact ids in src/facts/ids.ts, and schemas/rule-test.schema.json
 * from src/engine/rule-tests.ts (its partial snapshot from the model).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { ruleFactsJsonSchema } from '../src/facts/ids.js';
import { snapshotJsonSchema } from '../src/facts/model.js';
import { ruleTestJsonSchema } from '../src/engine/rule-tests.js';

writeFileSync(join(packageRoot, 'schemas', 'snapshot.schema.json'), JSON.stringify(snapshotJsonSchema(), null, 2) + '\n');
const ruleSchemaFile = join(packageRoot, 'schemas', 'rule.schema.json');
const ruleSchema = JSON.parse(readFileSync(ruleSchemaFile, 'utf8'));
Object.assign(ruleSchema.properties, ruleFactsJsonSchema());
writeFileSync(ruleSchemaFile, JSON.stringify(ruleSchema, null, 2) + '\n');
writeFileSync(join(packageRoot, 'schemas', 'rule-test.schema.json'), JSON.stringify(ruleTestJsonSchema(), null, 2) + '\n');
