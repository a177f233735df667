/** The rules that are not rule files: under them the engine reports the policy's own lists (evaluate.ts makes their findings). */
import type { ResolvedConfig } from '../config/types.js';
import { baselineEntryRuleId, ignoreEntryRuleId } from './evaluate.js';
import type { RuleInfo } from './rule-info.js';

/** A pseudo-rule: findings about the policy's own lists (ignore entries, baseline entries), reported as warnings. */
function pseudoRuleInfo(config: ResolvedConfig, id: string, text: Pick<RuleInfo, 'title' | 'description' | 'fix'>): RuleInfo {
  return { id, ...text, defaultSeverity: 'warning', severity: 'warning', tags: ['config'], options: {}, file: config.file ?? '.releasepolicyrc.yml', idLine: 1, builtIn: true };
}

/** The pseudo-rule under which ignore entries that expired or match nothing are reported. */
export const ignoreRuleInfo = (config: ResolvedConfig): RuleInfo =>
  pseudoRuleInfo(config, ignoreEntryRuleId, {
    title: 'Ignore entries are current and used',
    description: 'An ignore entry of the config whose expiry date has passed no longer suppresses anything, and one that matches no finding hides nothing; both are reported so the exception list stays honest.',
    fix: 'Fix the finding or renew an expired exception with a reason and a new date; delete an entry that matches nothing.',
  });

/** The pseudo-rule under which baseline entries that match no finding are reported (listed only when a baseline is read). */
export const baselineRuleInfo = (config: ResolvedConfig): RuleInfo =>
  pseudoRuleInfo(config, baselineEntryRuleId, {
    title: 'Baseline entries still match findings',
    description: 'An entry of the --baseline file that matches no finding any more (the finding was fixed, or its object is gone) hides nothing; it is reported so the baseline is rewritten before it is mistaken for accepted debt.',
    fix: 'Rewrite the baseline with release-lint baseline -o <file>, after fixing the new findings you do not mean to accept.',
  });
