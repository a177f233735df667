import { loadConfig } from '../config/load.js';
import { loadRules, ruleInfo } from '../engine/rules.js';
import type { ResolvedConfig } from '../config/types.js';
import { renderRuleDoc } from './rule-docs.js';
import { ruleTestExamples } from './rule-test-examples.js';

/** The generated docs/rules pages, file name → text: one per built-in rule plus an index. */
export function builtInRuleDocs(config: ResolvedConfig): Map<string, string> {
  const rules = loadRules(config).map(ruleInfo).filter((r) => r.builtIn);
  const pages = new Map<string, string>();
  for (const rule of rules) pages.set(`${rule.id}.md`, renderRuleDoc(rule, ruleTestExamples(rule)));
  const index = [
    '<!-- Generated from rules/*.yml by npm run docs; edit the rule files instead. -->',
    '',
    '# Built-in rules',
    '',
    '| rule | default | what it enforces |',
    '| --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.defaultSeverity} | ${r.title} |`),
    '',
  ];
  pages.set('README.md', index.join('\n'));
  return pages;
}

/** The built-in defaults (no config file), for documentation that must not depend on a repository. */
export function loadDefaultConfig(): Promise<ResolvedConfig> {
  return loadConfig('/nonexistent-release-lint-root');
}
