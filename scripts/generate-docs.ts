/** Writes docs/rules/<id>.md and docs/rules/README.md from the built-in rule files (npm run docs). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRuleDocs, loadDefaultConfig } from '../src/docs/rule-docs-set.js';
import { packageRoot } from '../src/package-root.js';

const dir = join(packageRoot, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.md')) rmSync(join(dir, name));
for (const [name, text] of builtInRuleDocs(await loadDefaultConfig())) writeFileSync(join(dir, name), text);
