/** Writes docs/rules/<id>.md, docs/rules/README.md and docs/rule-language.md from the code that defines them (npm run docs). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRuleDocs, loadDefaultConfig } from '../src/docs/rule-docs-set.js';
import { renderRuleLanguage } from '../src/docs/rule-language.js';
import { packageRoot } from '../src/package-root.js';

const dir = join(packageRoot, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.md')) rmSync(join(dir, name));
for (const [name, text] of builtInRuleDocs(await loadDefaultConfig())) writeFileSync(join(dir, name), text);
writeFileSync(join(packageRoot, 'docs', 'rule-language.md'), renderRuleLanguage());
