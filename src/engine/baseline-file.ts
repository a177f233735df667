/** The baseline file (release-lint baseline writes it, --baseline reads it): the fingerprints of accepted findings. */
import { InputError } from '../errors.js';
import { toolVersion } from '../package-root.js';
import { maxBaselineFileBytes, readBoundedFile } from '../read-file.js';
import { baselineEntryRuleId, ignoreEntryRuleId, type Baseline, type Evaluation } from './evaluate.js';

/** Baseline file: the fingerprints of accepted findings, with the rule of each. */
export function readBaseline(file: string): Baseline {
  let data: { version?: unknown; findings?: Array<{ fingerprint?: unknown; ruleId?: unknown }> };
  try {
    data = JSON.parse(readBoundedFile(file, 'the baseline', maxBaselineFileBytes));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('the baseline is not valid JSON', file);
  }
  if (data?.version !== 1 || !Array.isArray(data.findings)) throw new InputError('not a release-lint baseline (expected {"version": 1, "findings": [...]})', file);
  return { file, entries: new Map(data.findings.map((f) => [String(f.fingerprint), typeof f.ruleId === 'string' ? f.ruleId : ''])) };
}

export function renderBaseline(evaluation: Evaluation): string {
  const findings = [...evaluation.findings, ...evaluation.suppressed.map((s) => s.finding)]
    // Findings about the ignore list and the baseline itself are never accepted.
    .filter((f) => f.ruleId !== ignoreEntryRuleId && f.ruleId !== baselineEntryRuleId)
    .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, target: f.target, message: f.message }))
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  return JSON.stringify({ version: 1, tool: { name: 'release-lint', version: toolVersion }, findings }, null, 2) + '\n';
}
