import { evaluate } from '../engine/evaluate.js';
import { inconclusiveEvaluation } from '../engine/inconclusive.js';
import { loadRules } from '../engine/rules.js';
import { counted } from '../report/plural.js';
import { gather } from './gather.js';
import { gatherRequest, ruleTimeout, type Invocation } from './arguments.js';
import { report } from './pipeline.js';

/**
 * `release-lint pr <n>`: the PR's facts from GitHub, the release state from git, and the policy of
 * the PR's base branch (unless --config names one); only findings about the PR are reported.
 */
export async function prCommand(invocation: Invocation): Promise<number> {
  const { options, args, overrides } = invocation;
  const number = Number(args[0]);
  const { config, snapshot, root, client, unreadablePullRequest: unreadable } = await gather({ ...gatherRequest(options), pullRequest: number });
  const subjects = new Set([`pr #${number}`]);
  const rules = loadRules(config, overrides).filter((rule) => !unreadable || rule.collection.subjectKinds.includes('pr'));
  const evaluation = unreadable
    ? // Nothing about the PR could be read: every rule that judges pull requests is inconclusive.
      inconclusiveEvaluation(rules, 'github-pull-request', { kind: 'pr', name: `#${number}` }, `#${number} could not be read: ${unreadable.message}`, unreadable.fix)
    : evaluate(rules, snapshot, config, { subjects, ruleTimeoutMs: ruleTimeout(options) });
  if (options.debug) process.stderr.write(`release-lint: ${counted(client!.calls, 'GitHub query', 'GitHub queries')}\n`);
  return report({ ...invocation, config, snapshot, root, rules, evaluation, subjects });
}
