import type { Finding } from '../engine/evaluate.js';
import type { ReportInput } from './types.js';

/** GitHub shows at most this many annotations of each severity per step. */
export const annotationsPerSeverity = 10;

/** Workflow-command data: `%`, CR and LF are escaped (GitHub's own toolkit does the same). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command properties also escape `:` and `,`, which separate them. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const command: Record<string, string> = { error: 'error', warning: 'warning', note: 'notice' };

/**
 * GitHub Actions annotations (`::error file=…,line=…,title=…::message`): up to ten per severity,
 * as GitHub displays, the rest listed as plain log lines, then a summary line.
 */
export function renderGithub(input: ReportInput): string {
  const out: string[] = [];
  const shown = new Map<string, number>();
  const rest: Finding[] = [];
  for (const finding of input.evaluation.findings) {
    const count = shown.get(finding.severity) ?? 0;
    if (count >= annotationsPerSeverity) {
      rest.push(finding);
      continue;
    }
    shown.set(finding.severity, count + 1);
    const place = input.anchor?.(finding);
    const properties = [
      ...(place ? [`file=${escapeProperty(place.file)}`, `line=${place.line}`] : []),
      `title=${escapeProperty(`release-lint ${finding.ruleId}`)}`,
    ];
    out.push(`::${command[finding.severity]} ${properties.join(',')}::${escapeData(`${finding.message}\nFix: ${finding.fix}`)}`);
  }
  for (const finding of rest) out.push(`release-lint: ${finding.severity}: ${escapeData(finding.message)} [${finding.ruleId}]`);
  for (const item of input.evaluation.inconclusive) {
    out.push(`::warning title=${escapeProperty(`release-lint ${item.ruleId} inconclusive`)}::${escapeData(`${item.reason}\nFix: ${item.fix}`)}`);
  }
  const { summary } = input;
  const hidden = rest.length ? `; ${rest.length} more findings are listed above without annotations (GitHub shows ${annotationsPerSeverity} per severity)` : '';
  out.push(`release-lint: ${summary.errors} errors, ${summary.warnings} warnings, ${summary.notes} notes, ${summary.inconclusive} inconclusive${hidden}`);
  return out.join('\n') + '\n';
}
