import { renderExplain } from '../docs/rule-docs.js';
import { ruleTestExamples } from '../docs/rule-test-examples.js';
import { InputError } from '../errors.js';
import { didYouMean } from '../schema/validate.js';
import type { Invocation } from './arguments.js';
import { policyRules } from './rules.js';

/** `release-lint explain <rule-id>`: a rule's description, options, examples and fix. */
export async function explainCommand(invocation: Invocation): Promise<number> {
  const { args } = invocation;
  const infos = await policyRules(invocation);
  const rule = infos.find((r) => r.id === args[0]);
  if (!rule) {
    const suggestion = didYouMean(args[0], infos.map((r) => r.id));
    throw new InputError(`unknown rule "${args[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; release-lint rules lists them`);
  }
  process.stdout.write(renderExplain(rule, ruleTestExamples(rule)));
  return 0;
}
