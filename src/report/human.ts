import { subjectOf, type Finding } from '../engine/evaluate.js';
import type { ReportInput, ReportOptions } from './types.js';

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], gray: [90, 39], bold: [1, 22], green: [32, 39], magenta: [35, 39] } as const;
type Style = keyof typeof codes;

/**
 * Control characters from repository data (tag messages, branch names, files) never reach the
 * terminal raw: C0/C1 controls (escape sequences start with one), and the Unicode direction and
 * line-separator marks that make a text display other than it reads.
 */
export function escapeControl(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\n/g, ' ');
}

const severityStyle: Record<string, Style> = { error: 'red', warning: 'yellow', note: 'blue' };
const severityLabel: Record<string, string> = { error: 'error', warning: 'warn ', note: 'note ' };

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

/** Terminal report: findings grouped by the tag or branch they concern, then a summary. */
export function renderHuman(input: ReportInput, options: ReportOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
  const out: string[] = [];
  const findings = input.evaluation.findings.filter((f) => !options.quiet || f.severity === 'error');
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const subject = subjectOf(finding.target);
    const key = `${subject.kind} ${subject.name}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  for (const [subject, group] of groups) {
    out.push(paint('bold', escapeControl(subject)));
    group.forEach((finding, index) => {
      const where = finding.location
        ? paint('gray', ` ${escapeControl(finding.location.file)}${finding.location.line ? `:${finding.location.line}` : ''}`)
        : '';
      out.push(`  ${paint(severityStyle[finding.severity], severityLabel[finding.severity])}  ${escapeControl(finding.message)}  ${paint('gray', finding.ruleId)}${where}`);
      // Several findings of one rule with the same fix (one per version file) show it once, after the last.
      const next = group[index + 1];
      if (!next || next.ruleId !== finding.ruleId || next.fix !== finding.fix) {
        out.push(paint('gray', `         fix: ${wrap(escapeControl(finding.fix), 92, '              ')}`));
      }
    });
    out.push('');
  }
  if (input.evaluation.inconclusive.length > 0) {
    out.push(paint('bold', 'inconclusive (could not be decided)'));
    for (const item of input.evaluation.inconclusive) {
      out.push(`  ${paint('magenta', '?    ')}  ${escapeControl(item.reason)}  ${paint('gray', item.ruleId)}`);
      out.push(paint('gray', `         fix: ${wrap(escapeControl(item.fix), 92, '              ')}`));
    }
    out.push('');
  }

  const { summary } = input;
  const problems = summary.errors + summary.warnings + summary.notes;
  const byRule = new Map<string, number>();
  for (const finding of findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  const checked = input.subjects
    ? `${input.subjects.join(', ')} checked against ${plural(input.counts.rules, 'rule')}`
    : `${plural(input.counts.tags, 'tag')}${input.counts.excludedTags > 0 ? ` (${input.counts.excludedTags} more left out by tags.exclude)` : ''}, ${plural(input.counts.branches, 'branch', 'branches')}, ${plural(input.counts.rules, 'rule')} checked in ${input.repository}`;
  const failing = summary.errors > 0 || summary.inconclusive > 0;
  const accepted = [summary.suppressed ? `${summary.suppressed} suppressed by ignore` : '', summary.baselined ? `${summary.baselined} in the baseline` : ''];
  if (problems === 0 && summary.inconclusive === 0) {
    const tail = accepted.filter(Boolean).join(', ');
    out.push(paint('green', `✔ no problems${tail ? ` (${tail})` : ''}${input.verdict ? `: ${input.verdict.pass}` : ''}`) + paint('gray', ` · ${checked}`));
  } else {
    const parts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning')];
    if (summary.notes) parts.push(plural(summary.notes, 'note'));
    const head = problems > 0 ? `✖ ${plural(problems, 'problem')} (${parts.join(', ')})` : '✖ 0 problems';
    const tail = [summary.inconclusive ? `${summary.inconclusive} inconclusive` : '', ...accepted].filter(Boolean).join(', ');
    const verdict = input.verdict && failing ? `: ${input.verdict.fail}` : '';
    out.push(paint(failing ? 'red' : 'yellow', paint('bold', head + (tail ? `, ${tail}` : '') + verdict)) + paint('gray', ` · ${checked}`));
    if (byRule.size > 0) {
      const rows = [...byRule.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      out.push(paint('gray', `  by rule: ${rows.map(([id, n]) => `${id} ${n}`).join(' · ')}`));
    }
  }
  return out.join('\n') + '\n';
}
