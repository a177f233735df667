import { subjectOf, type Inconclusive } from '../engine/evaluate.js';
import { counted } from './plural.js';
import { clip, distinctFixes, findingsPerRule, fixesPerRule, groupByRule, isExpanded, type RuleGroup } from './rule-groups.js';
import { escapeText } from './escape.js';
import type { Expand, ReportInput } from './types.js';

/** Table-cell (and paragraph) text: see escapeText, shared by every report. */
export function cell(text: string): string {
  return escapeText(text, 'markdown');
}

export interface MarkdownBudget {
  size: number;
  /** GitHub counts a job summary in bytes and a comment in characters. */
  unit: 'bytes' | 'characters';
  /** The limit, as the cut note names it. */
  name: string;
}

/**
 * GitHub's limits: 1 MiB per step for $GITHUB_STEP_SUMMARY, 65,536 characters for a PR or issue
 * comment. Characters are counted as UTF-16 code units, never fewer than GitHub's count.
 */
export const markdownBudgets = {
  jobSummary: { size: 1024 * 1024, unit: 'bytes', name: "GitHub's 1 MiB job summary limit" },
  comment: { size: 65_536, unit: 'characters', name: "GitHub's 65,536-character comment limit" },
} as const satisfies Record<string, MarkdownBudget>;

export interface MarkdownOptions {
  /** The size the output must stay under; the job summary's by default. */
  budget?: MarkdownBudget;
  /** Rules listed in full (--expand, --all), as far as the budget allows. */
  expand?: Expand;
}

const icon: Record<string, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };
/** Longest message or fix in a cell: a message listing hundreds of tags stays readable. */
const maxCellText = 1000;

function sizeOf(text: string, budget: MarkdownBudget): number {
  return budget.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/**
 * Markdown for $GITHUB_STEP_SUMMARY and PR comments: a verdict, the count per rule, then each
 * rule's fixes once and its newest findings. It stays under the budget: when everything does not
 * fit, fewer findings per rule are listed, then fewer rules, and a note says how many findings were
 * left out and where the full report is.
 */
export function renderMarkdown(input: ReportInput, options: MarkdownOptions = {}): string {
  const budget = options.budget ?? markdownBudgets.jobSummary;
  const groups = groupByRule(input.evaluation.findings, input);
  const largest = Math.max(0, ...groups.map((group) => group.findings.length), ...[...inconclusiveByRule(input.evaluation.inconclusive).values()].map((items) => items.length));
  const fits = (text: string) => sizeOf(text, budget) < budget.size;
  const render = (rows: number, sections: number, cut: boolean) => renderWithin(input, groups, { rows, sections, expand: options.expand, cutBy: cut ? budget.name : undefined });
  const full = render(largest, groups.length, false);
  if (fits(full)) return full;
  // The most rows per rule that fit (the size grows with them), then the most rule sections.
  let [low, high] = [0, largest];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(render(mid, groups.length, true))) low = mid;
    else high = mid - 1;
  }
  let text = render(low, groups.length, true);
  if (fits(text)) return text;
  [low, high] = [0, groups.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(render(0, mid, true))) low = mid;
    else high = mid - 1;
  }
  text = render(0, low, true);
  if (fits(text)) return text;
  // Only the overview is left and it is still too large (thousands of rules): cut it as text.
  const note = `\n\n_Cut at ${budget.name}: run \`release-lint check -f json\` for the full report._\n`;
  let end = text.length;
  while (end > 0 && !fits(text.slice(0, end) + note)) end = Math.floor(end * 0.9);
  return text.slice(0, end) + note;
}

interface Layout {
  /** Most findings (and inconclusive items) listed per rule. */
  rows: number;
  /** How many rule sections are shown (the overview lists every rule). */
  sections: number;
  expand?: Expand;
  /** The budget that cut the report, for the note. */
  cutBy?: string;
}

function inconclusiveByRule(items: Inconclusive[]): Map<string, Inconclusive[]> {
  const byRule = new Map<string, Inconclusive[]>();
  for (const item of items) byRule.set(item.ruleId, [...(byRule.get(item.ruleId) ?? []), item]);
  return byRule;
}

function renderWithin(input: ReportInput, groups: RuleGroup[], layout: Layout): string {
  const { summary, evaluation } = input;
  const out: string[] = ['## release-lint', ''];
  const failing = summary.errors > 0 || summary.inconclusive > 0;
  const subject = input.subjects ? input.subjects.map((s) => `\`${cell(clip(s, 200))}\``).join(', ') : `\`${cell(clip(input.repository, 200))}\``;
  const baselined = summary.baselined !== undefined ? `, ${summary.baselined} in the baseline` : '';
  out.push(
    `${failing ? '❌' : summary.warnings ? '⚠️' : '✅'} ${subject}: **${counted(summary.errors, 'error')}**, ${counted(summary.warnings, 'warning')}, ${counted(summary.notes, 'note')}, ${summary.inconclusive} inconclusive, ${summary.suppressed} suppressed by ignore${baselined}.`,
    '',
  );
  const problems = summary.errors + summary.warnings + summary.notes;
  const historical = summary.historical;
  // Adoption advice is for whole-repository checks, not for the one tag being pushed.
  if (historical && !input.subjects && problems > 0 && historical.findings * 2 > problems) {
    const tag = cell(clip(historical.newestPublishedTag, 200));
    out.push(
      `> ${historical.findings} of the ${counted(problems, 'finding')} concern tags older than ${tag}, the newest published tag: history, which stays as it is. ` +
        `To adopt release-lint, accept them with \`release-lint baseline\` (then run with \`--baseline .release-lint-baseline.json\`), or judge only newer tags by setting \`tags.since\` to ${tag} in the config.`,
      '',
    );
  }
  let listed = 0;
  if (groups.length > 0) {
    out.push('| rule | severity | findings |', '| --- | --- | ---: |');
    for (const group of groups) out.push(`| \`${group.ruleId}\`${group.title ? ` ${cell(clip(group.title, 200))}` : ''} | ${group.severity} | ${group.findings.length} |`);
    out.push('');
    for (const group of groups.slice(0, layout.sections)) {
      const shown = group.findings.slice(0, isExpanded(layout.expand, group.ruleId) ? layout.rows : Math.min(layout.rows, findingsPerRule));
      listed += shown.length;
      out.push(...ruleSection(group, shown.length, layout), '');
    }
    const hiddenSections = groups.length - Math.min(groups.length, layout.sections);
    if (hiddenSections > 0) out.push(`_${counted(hiddenSections, 'more rule is', 'more rules are')} counted in the table above but not shown._`, '');
  }
  if (evaluation.inconclusive.length > 0) {
    out.push('**Could not be decided** (fails the run unless `--allow-inconclusive`):', '');
    for (const [ruleId, items] of inconclusiveByRule(evaluation.inconclusive)) {
      const shown = items.slice(0, isExpanded(layout.expand, ruleId) ? layout.rows : Math.min(layout.rows, findingsPerRule));
      for (const item of shown) out.push(`- \`${ruleId}\`: ${cell(clip(item.reason, maxCellText))}. Fix: ${cell(clip(item.fix, maxCellText))}`);
      if (shown.length < items.length) out.push(`- \`${ruleId}\`: … and ${items.length - shown.length} more`);
    }
    out.push('');
  }
  const left = evaluation.findings.length - listed;
  if (left > 0) {
    const why = layout.cutBy ? `to stay under ${layout.cutBy}` : `each rule lists its ${findingsPerRule} newest; \`--expand <rule-id>\` or \`--all\` lists more`;
    out.push(
      '---',
      '',
      `_${left} of ${counted(evaluation.findings.length, 'finding')} ${left === 1 ? 'is' : 'are'} not listed here (${why}). The full report: \`release-lint check -f json\`, or the SARIF this job uploads to code scanning._`,
      '',
    );
  }
  return out.join('\n');
}

function ruleSection(group: RuleGroup, rows: number, layout: Layout): string[] {
  const total = group.findings.length;
  const out = [`### ${icon[group.severity]} \`${group.ruleId}\` · ${counted(total, 'finding')}${group.title ? ` · ${cell(clip(group.title, 200))}` : ''}`, ''];
  const fixes = distinctFixes(group.findings);
  const shownFixes = isExpanded(layout.expand, group.ruleId) ? fixes : fixes.slice(0, fixesPerRule);
  for (const fix of shownFixes) {
    const label = fix.count > 1 ? (fix.count === total ? `all ${total}` : `${fix.count} findings`) : total > 1 ? cell(clip(fix.subject ?? '', 200)) : '';
    out.push(`**Fix**${label ? ` (${label})` : ''}: ${cell(clip(fix.text, maxCellText))}`, '');
  }
  const otherFixes = fixes.slice(shownFixes.length);
  if (otherFixes.length > 0) out.push(`_… ${counted(otherFixes.length, 'other fix', 'other fixes')} for ${counted(otherFixes.reduce((sum, fix) => sum + fix.count, 0), 'finding')}._`, '');
  if (rows > 0) {
    out.push('| object | problem | where |', '| --- | --- | --- |');
    for (const finding of group.findings.slice(0, rows)) {
      const s = subjectOf(finding.target);
      const where = finding.location ? `\`${cell(clip(finding.location.file, 200))}${finding.location.line ? `:${finding.location.line}` : ''}\`` : '';
      out.push(`| ${cell(clip(`${s.kind} ${s.name}`, 200))} | ${cell(clip(finding.message, maxCellText))} | ${where} |`);
    }
  }
  if (rows < total) out.push('', `_… and ${counted(total - rows, 'more finding', 'more findings')} of \`${group.ruleId}\`._`);
  return out;
}
