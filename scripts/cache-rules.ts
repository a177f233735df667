/**
 * Writes dist/builtin-rules.json: every built-in rule parsed and validated exactly as a run would,
 * with its text, so a run reuses a definition only while the file is unchanged (`npm run build`).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { builtInRuleCacheFile, builtInRulesDir, isRuleFileName, loadRules, readRuleFile, type BuiltInRuleCache } from '../src/engine/rules.js';

const cache: BuiltInRuleCache = {};
for (const name of readdirSync(builtInRulesDir).filter(isRuleFileName).sort()) {
  // Parsed without the cache: the cache is what is being written.
  const { text, definition, idLine } = readRuleFile(join(builtInRulesDir, name), false);
  cache[name] = { text, definition, idLine };
}
writeFileSync(builtInRuleCacheFile, JSON.stringify(cache));

// Every expression of every built-in rule compiles and type-checks, messages and fixes included:
// a run compiles those only when a finding needs them.
const empty = mkdtempSync(join(tmpdir(), 'release-lint-build-'));
try {
  loadRules(await loadConfig(empty), {}, { eager: true });
} finally {
  rmSync(empty, { recursive: true, force: true });
}
