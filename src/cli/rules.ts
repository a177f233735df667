import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { renderRuleTable } from '../docs/rule-docs.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { loadRules, ruleInfo } from '../engine/rules.js';
import { InputError } from '../errors.js';
import { locateRepository } from '../facts/collect-git.js';
import { configLoading, type Invocation } from './arguments.js';
import { write } from './output.js';

/** The formats the rule list is printed in: a table, or JSON for scripts. */
const ruleListFormats = ['human', 'json'];

/** `release-lint rules`: the policy's rules with their severity, as a table or (-f json) as JSON. */
export async function rulesCommand(invocation: Invocation): Promise<number> {
  for (const { format } of invocation.outputs) {
    if (!ruleListFormats.includes(format)) throw new InputError(`rules prints ${ruleListFormats.join(' or ')}, not ${format}`);
  }
  const rules = await policyRules(invocation);
  for (const { format, file } of invocation.outputs) write(format === 'json' ? renderRuleList(rules) : renderRuleTable(rules), file);
  return 0;
}

/** The rule list as JSON: what each rule is, its severity here and its options; a rule file of the project by its path. */
function renderRuleList(rules: RuleInfo[]): string {
  const list = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((rule) => ({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      defaultSeverity: rule.defaultSeverity,
      description: rule.description,
      fix: rule.fix,
      tags: rule.tags,
      options: rule.options,
      builtIn: rule.builtIn,
      ...(rule.builtIn ? {} : { file: relative(process.cwd(), rule.file) || rule.file }),
    }));
  return JSON.stringify({ version: 1, rules: list }, null, 2) + '\n';
}

/** The rules of the policy: listing and explaining rules needs a policy, not a repository; outside one, the folder's own config. */
export async function policyRules({ options, overrides }: Invocation): Promise<RuleInfo[]> {
  const folder = resolve(options.repo ?? '.');
  const root = options.snapshot || !existsSync(folder) ? folder : await locateRepository(folder).then((l) => l.root, () => folder);
  const config = await loadConfig(root, options.config, configLoading(options));
  return loadRules(config, overrides).map(ruleInfo);
}
