/**
 * Writes dist/builtin-rules.json: every built-in rule parsed and validated exactly as a run would,
 * with its text, so a run reuses a definition only while the file is unchanged (`npm run build`).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInRuleCacheFile, builtInRulesDir, readRuleFile, type BuiltInRuleCache } from '../src/engine/rules.js';

const cache: BuiltInRuleCache = {};
for (const name of readdirSync(builtInRulesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  // Parsed without the cache: the cache is what is being written.
  const { text, definition, idLine } = readRuleFile(join(builtInRulesDir, name), false);
  cache[name] = { text, definition, idLine };
}
writeFileSync(builtInRuleCacheFile, JSON.stringify(cache));
