/** Where the project's documentation lives on the web: one place for the URL (package.json#repository names it too). */
import { dirname } from 'node:path';
import { builtInRulesDir } from './rules.js';
import type { RuleInfo } from './rule-info.js';
import { toolVersion } from '../package-root.js';

export const repositoryUrl = 'https://github.com/release-lint/release-lint';

/**
 * The docs page of a built-in rule as it reads at this release's tag, so the text matches the rule
 * that ran. Undefined for a team's own rule (rulesDirs) and for the pseudo-rules about the
 * config's lists: neither has a page in the project's docs.
 */
export function ruleDocsUrl(rule: Pick<RuleInfo, 'id' | 'builtIn' | 'file'>, version: string = toolVersion): string | undefined {
  if (!rule.builtIn || dirname(rule.file) !== builtInRulesDir) return undefined;
  return `${repositoryUrl}/blob/v${version}/docs/rules/${encodeURIComponent(rule.id)}.md`;
}
