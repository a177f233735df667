import type { Target } from './collections.js';
import type { Evaluation } from './evaluate.js';
import type { CompiledRule } from './rules.js';

/**
 * The evaluation of a run whose subject could not be read at all (release-lint pr when GitHub
 * refuses the pull request): every enabled rule that requires `fact` applies and is inconclusive
 * about `target`; nothing is evaluated.
 */
export function inconclusiveEvaluation(rules: CompiledRule[], fact: string, target: Target, reason: string, fix: string): Evaluation {
  const undecided = rules.filter((rule) => rule.severity !== 'off' && (rule.definition.requires ?? []).includes(fact));
  return {
    findings: [],
    suppressed: [],
    applied: undecided.map((rule) => rule.definition.id),
    inconclusive: undecided.map((rule) => ({ ruleId: rule.definition.id, target: { ...target }, reason, fix })),
  };
}
