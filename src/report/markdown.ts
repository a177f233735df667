import { subjectOf } from '../engine/evaluate.js';
import type { ReportInput } from './types.js';

/** Table-cell text: no raw control characters, HTML or pipes from repository data. */
export function cell(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const icon: Record<string, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };

/** Markdown for $GITHUB_STEP_SUMMARY and PR comments: a verdict, counts by rule, then every finding. */
export function renderMarkdown(input: ReportInput): string {
  const { summary, evaluation } = input;
  const out: string[] = ['## release-lint', ''];
  const failing = summary.errors > 0 || summary.inconclusive > 0;
  const subject = input.subjects ? input.subjects.map((s) => `\`${cell(s)}\``).join(', ') : `\`${cell(input.repository)}\``;
  const baselined = summary.baselined !== undefined ? `, ${summary.baselined} in the baseline` : '';
  out.push(
    `${failing ? '❌' : summary.warnings ? '⚠️' : '✅'} ${subject}: **${summary.errors} errors**, ${summary.warnings} warnings, ${summary.notes} notes, ${summary.inconclusive} inconclusive, ${summary.suppressed} suppressed by ignore${baselined}.`,
    '',
  );
  if (evaluation.findings.length > 0) {
    const byRule = new Map<string, number>();
    for (const f of evaluation.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    out.push('| rule | findings |', '| --- | ---: |', ...[...byRule.entries()].map(([id, n]) => `| \`${id}\` | ${n} |`), '');
    out.push('| | object | problem | rule | where |', '| --- | --- | --- | --- | --- |');
    for (const f of evaluation.findings) {
      const s = subjectOf(f.target);
      const where = f.location ? `\`${cell(f.location.file)}${f.location.line ? `:${f.location.line}` : ''}\`` : '';
      out.push(`| ${icon[f.severity]} | ${cell(`${s.kind} ${s.name}`)} | ${cell(f.message)}<br>**Fix:** ${cell(f.fix)} | \`${f.ruleId}\` | ${where} |`);
    }
    out.push('');
  }
  if (evaluation.inconclusive.length > 0) {
    out.push('**Could not be decided** (fails the run unless `--allow-inconclusive`):', '');
    for (const i of evaluation.inconclusive) out.push(`- \`${i.ruleId}\`: ${cell(i.reason)}. Fix: ${cell(i.fix)}`);
    out.push('');
  }
  return out.join('\n');
}
