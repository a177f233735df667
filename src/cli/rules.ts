import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { renderRuleTable } from '../docs/rule-docs.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { loadRules, ruleInfo } from '../engine/rules.js';
import { locateRepository } from '../facts/collect-git.js';
import { configLoading, type Invocation } from './arguments.js';

/** `release-lint rules`: the policy's rules with their severity. */
export async function rulesCommand(invocation: Invocation): Promise<number> {
  process.stdout.write(renderRuleTable(await policyRules(invocation)));
  return 0;
}

/** The rules of the policy: listing and explaining rules needs a policy, not a repository; outside one, the folder's own config. */
export async function policyRules({ options, overrides }: Invocation): Promise<RuleInfo[]> {
  const folder = resolve(options.repo ?? '.');
  const root = options.snapshot || !existsSync(folder) ? folder : await locateRepository(folder).then((l) => l.root, () => folder);
  const config = await loadConfig(root, options.config, configLoading(options));
  return loadRules(config, overrides).map(ruleInfo);
}
