import type { Finding } from '../engine/evaluate.js';
import { escapeText } from './escape.js';
import { counted } from './plural.js';
import type { ReportInput } from './types.js';

const message = (text: string) => escapeText(text, 'github-message');
const property = (text: string) => escapeText(text, 'github-property');

/** GitHub shows at most this many annotations of each severity per step. */
export const annotationsPerSeverity = 10;

export { escapeData, escapeProperty } from './escape.js';

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
      ...(place ? [`file=${property(place.file)}`, `line=${place.line}`] : []),
      `title=${property(`release-lint ${finding.ruleId}`)}`,
    ];
    out.push(`::${command[finding.severity]} ${properties.join(',')}::${message(finding.message)}%0AFix: ${message(finding.fix)}`);
  }
  for (const finding of rest) out.push(`release-lint: ${finding.severity}: ${message(finding.message)} [${finding.ruleId}]`);
  for (const item of input.evaluation.inconclusive) {
    out.push(`::warning title=${property(`release-lint ${item.ruleId} inconclusive`)}::${message(item.reason)}%0AFix: ${message(item.fix)}`);
  }
  const { summary } = input;
  const hidden = rest.length ? `; ${counted(rest.length, 'more finding is', 'more findings are')} listed above without annotations (GitHub shows ${annotationsPerSeverity} per severity)` : '';
  out.push(`release-lint: ${counted(summary.errors, 'error')}, ${counted(summary.warnings, 'warning')}, ${counted(summary.notes, 'note')}, ${summary.inconclusive} inconclusive${hidden}`);
  return out.join('\n') + '\n';
}
