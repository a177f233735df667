/** Writes schemas/snapshot.schema.json from src/snapshot/model.ts (`npm run schemas`; the next `npm run build` compiles it into the validator). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root.js';
import { snapshotJsonSchema } from '../src/snapshot/model.js';

writeFileSync(join(packageRoot, 'schemas', 'snapshot.schema.json'), JSON.stringify(snapshotJsonSchema(), null, 2) + '\n');
