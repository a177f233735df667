import { subjectOf, type ElementTrace, type Finding, type Inconclusive, type RuleTrace } from '../engine/evaluate.js';
import { outcomeText, shortValue } from '../engine/trace.js';
import { clip, distinctFixes, findingsPerRule, fixesPerRule, groupByRule, isExpanded, type RuleGroup } from './rule-groups.js';
import { escapeText } from './escape.js';
import type { ReportInput, ReportOptions } from './types.js';
import { counted } from './plural.js';

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], gray: [90, 39], bold: [1, 22], green: [32, 39], magenta: [35, 39] } as const;
type Style = keyof typeof codes;

/** Text from repository data for the terminal: see escapeText, shared by every report. */
export function escapeControl(text: string): string {
  return escapeText(text, 'human');
}

const severityStyle: Record<string, Style> = { error: 'red', warning: 'yellow', note: 'blue' };
const severityLabel: Record<string, string> = { error: 'error', warning: 'warn ', note: 'note ' };

/** No line is longer than this (colours aside): a message that lists hundreds of tags is cut. */
export const maxLineLength = 400;
/** Width that fixes, notes and the rule counts wrap at. */
const wrapWidth = 92;
/** Longest fix shown: a few wrapped lines. */
const maxFixLength = 600;

/** Words onto lines of at most `width` characters; a longer word (a URL, a list without spaces) is broken. */
function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean).flatMap((word) => word.match(new RegExp(`[^]{1,${width}}`, 'g')) ?? []);
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

type Paint = (style: Style, text: string) => string;

/**
 * Terminal report, led by what matters at any scale: findings grouped by rule (errors first), each
 * distinct fix once, the newest findings first and at most `findingsPerRule` of a rule unless it is
 * expanded (--expand <rule-id>, --all); when groups are collapsed, the count per rule comes first.
 */
export function renderHuman(input: ReportInput, options: ReportOptions): string {
  const paint: Paint = (style, text) => (options.color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text);
  const out: string[] = [];
  // -q has already left only the errors in the evaluation (cli/pipeline), for every format alike.
  const findings = input.evaluation.findings;
  const groups = groupByRule(findings, input);
  const collapsed = groups.some((group) => !isExpanded(options.expand, group.ruleId) && group.findings.length > findingsPerRule);
  if (collapsed && groups.length > 1) out.push(...overview(groups, findings.length, paint), '');
  for (const group of groups) out.push(...ruleGroup(group, isExpanded(options.expand, group.ruleId), paint), '');
  if (input.evaluation.inconclusive.length > 0) out.push(...inconclusive(input.evaluation.inconclusive, options, paint), '');
  if (input.evaluation.trace) out.push(...traceLines(input.evaluation.trace, options, paint), '');
  out.push(...summaryLines(input, findings, paint));
  return out.join('\n') + '\n';
}

/** The count per rule, so no rule hides below a long group. */
function overview(groups: RuleGroup[], total: number, paint: Paint): string[] {
  const idWidth = Math.max(...groups.map((group) => Math.min(group.ruleId.length, 80)));
  const countWidth = Math.max(...groups.map((group) => group.findings.length.toLocaleString('en').length));
  return [
    paint('bold', `${counted(total, 'finding')} of ${counted(groups.length, 'rule')}; each rule below lists its ${findingsPerRule} newest (--all lists every finding):`),
    ...groups.map(
      (group) =>
        `  ${paint(severityStyle[group.severity], severityLabel[group.severity])}  ${clip(group.ruleId, 80).padEnd(idWidth)}  ${group.findings.length.toLocaleString('en').padStart(countWidth)}` +
        (group.title ? paint('gray', `  ${clip(escapeControl(group.title), 200)}`) : ''),
    ),
  ];
}

function ruleGroup(group: RuleGroup, expanded: boolean, paint: Paint): string[] {
  const total = group.findings.length;
  const out = [
    `${paint(severityStyle[group.severity], severityLabel[group.severity].trim())}  ${paint('bold', clip(group.ruleId, 80))} · ${counted(total, 'finding')}` +
      (group.title ? ` · ${clip(escapeControl(group.title), 200)}` : ''),
  ];
  const fixes = distinctFixes(group.findings);
  const shownFixes = expanded ? fixes : fixes.slice(0, fixesPerRule);
  for (const fix of shownFixes) {
    const label = fix.count > 1 ? (fix.count === total ? `fix (all ${total})` : `fix (${fix.count} findings)`) : total > 1 ? `fix (${clip(escapeControl(fix.subject ?? ''), 80)})` : 'fix';
    out.push(paint('gray', `  ${wrap(`${label}: ${clip(escapeControl(fix.text), maxFixLength)}`, wrapWidth, '    ')}`));
  }
  const otherFixes = fixes.slice(shownFixes.length);
  if (otherFixes.length > 0) {
    const covered = otherFixes.reduce((sum, fix) => sum + fix.count, 0);
    out.push(paint('gray', `  … ${counted(otherFixes.length, 'other fix', 'other fixes')} for ${counted(covered, 'finding')} (--expand ${group.ruleId} shows them)`));
  }
  const shown = expanded ? group.findings : group.findings.slice(0, findingsPerRule);
  for (const finding of shown) out.push(findingLine(finding, paint));
  if (shown.length < total) {
    out.push(paint('gray', `  … and ${(total - shown.length).toLocaleString('en')} more (add --expand ${group.ruleId} or --all to list them, or use -f json)`));
  }
  return out;
}

/** `  - message  file:line`, the tag or branch first when the message does not name it (a CHANGELOG read on main). */
function findingLine(finding: Finding, paint: Paint): string {
  const subject = subjectOf(finding.target);
  const named = (subject.kind !== 'tag' && subject.kind !== 'branch') || finding.message.includes(subject.name);
  const who = named ? '' : `${clip(escapeControl(subject.name), 80)}: `;
  const line = finding.location?.line ? `:${finding.location.line}` : '';
  const where = finding.location ? `  ${clip(escapeControl(finding.location.file), 80)}${line}` : '';
  const prefix = `  - ${who}`;
  return `${prefix}${clip(escapeControl(finding.message), maxLineLength - prefix.length - where.length)}${paint('gray', where)}`;
}

/** Rules that could not be decided, with their fixes; a rule's list is cut like its findings. */
function inconclusive(items: Inconclusive[], options: ReportOptions, paint: Paint): string[] {
  const out = [paint('bold', 'inconclusive (could not be decided)')];
  const byRule = new Map<string, Inconclusive[]>();
  for (const item of items) byRule.set(item.ruleId, [...(byRule.get(item.ruleId) ?? []), item]);
  for (const [ruleId, ruleItems] of byRule) {
    const shown = isExpanded(options.expand, ruleId) ? ruleItems : ruleItems.slice(0, findingsPerRule);
    shown.forEach((item, index) => {
      const mark = '?    ';
      const tail = `  ${ruleId}`;
      const room = maxLineLength - `  ${mark}  `.length - tail.length;
      out.push(`  ${paint('magenta', mark)}  ${clip(escapeControl(item.reason), room)}${paint('gray', tail)}`);
      // One fix for a run of items with the same one.
      if (shown[index + 1]?.fix !== item.fix) out.push(paint('gray', `         fix: ${wrap(clip(escapeControl(item.fix), maxFixLength), wrapWidth, '              ')}`));
    });
    if (shown.length < ruleItems.length) {
      out.push(paint('gray', `         … and ${(ruleItems.length - shown.length).toLocaleString('en')} more of ${ruleId} (add --expand ${ruleId} or --all to list them, or use -f json)`));
    }
  }
  return out;
}

/** Which traced elements come first: those the rule reported, then the ones it passed or skipped. */
const outcomeOrder: ElementTrace['outcome'][] = ['failed', 'error', 'undecided', 'passed', 'skipped'];
const outcomeStyle: Record<ElementTrace['outcome'], Style> = { failed: 'red', error: 'magenta', undecided: 'magenta', passed: 'green', skipped: 'gray' };

/** --trace <rule-id>: each element the rule judged, with its `let` values, cut like a rule's findings. */
function traceLines(trace: RuleTrace, options: ReportOptions, paint: Paint): string[] {
  const counts = outcomeOrder.map((outcome) => [outcome, trace.elements.filter((e) => e.outcome === outcome).length] as const).filter(([, n]) => n > 0);
  const tally = counts.map(([outcome, n]) => `${n.toLocaleString('en')} ${outcome === 'skipped' ? 'skipped by when' : outcome}`).join(', ');
  const out = [paint('bold', `trace of ${trace.ruleId}: ${counted(trace.elements.length, 'element')}${tally ? ` (${tally})` : ''}`)];
  if (trace.notJudged) out.push(paint('gray', `  ${escapeControl(trace.notJudged)}`));
  const ordered = [...trace.elements].sort((a, b) => outcomeOrder.indexOf(a.outcome) - outcomeOrder.indexOf(b.outcome));
  const shown = isExpanded(options.expand, trace.ruleId) ? ordered : ordered.slice(0, findingsPerRule);
  for (const element of shown) {
    const name = clip(escapeControl(element.target.at ? `${element.target.at.name}:${element.target.name}` : element.target.name), 120);
    out.push(`  ${name}  ${paint(outcomeStyle[element.outcome], clip(escapeControl(outcomeText(element)), maxLineLength - name.length - 4))}`);
    for (const binding of element.lets) out.push(paint('gray', `      let ${binding.name} = ${clip(escapeControl(shortValue(binding.value)), maxLineLength - 12 - binding.name.length)}`));
  }
  if (shown.length < ordered.length) {
    out.push(paint('gray', `  … and ${(ordered.length - shown.length).toLocaleString('en')} more (add --expand ${trace.ruleId} or --all to list them)`));
  }
  return out;
}

function summaryLines(input: ReportInput, findings: Finding[], paint: Paint): string[] {
  const out: string[] = [];
  const { summary } = input;
  const problems = summary.errors + summary.warnings + summary.notes;
  const checked = input.subjects
    ? `${clip(escapeControl(input.subjects.join(', ')), 200)} checked against ${counted(input.counts.rules, 'rule')}`
    : `${counted(input.counts.tags, 'tag')}${input.counts.excludedTags > 0 ? ` (${input.counts.excludedTags} more left out by tags.exclude)` : ''}, ${counted(input.counts.branches, 'branch', 'branches')}, ${counted(input.counts.rules, 'rule')} checked in ${clip(escapeControl(input.repository), 100)}`;
  const failing = summary.errors > 0 || summary.inconclusive > 0;
  const accepted = [summary.suppressed ? `${summary.suppressed.toLocaleString('en')} suppressed by ignore` : '', summary.baselined ? `${summary.baselined.toLocaleString('en')} in the baseline` : ''];
  // -q: "no problems" would be read as "no warnings", which --max-warnings may still fail on.
  if (summary.quiet) accepted.push('warnings and notes hidden by -q');
  if (problems === 0 && summary.inconclusive === 0) {
    const tail = accepted.filter(Boolean).join(', ');
    out.push(paint('green', `✔ no problems${tail ? ` (${tail})` : ''}${input.verdict ? `: ${input.verdict.pass}` : ''}`) + paint('gray', ` · ${checked}`));
    return out;
  }
  const parts = [counted(summary.errors, 'error'), counted(summary.warnings, 'warning')];
  if (summary.notes) parts.push(counted(summary.notes, 'note'));
  const head = problems > 0 ? `✖ ${counted(problems, 'problem')} (${parts.join(', ')})` : '✖ 0 problems';
  const tail = [summary.inconclusive ? `${summary.inconclusive} inconclusive` : '', ...accepted].filter(Boolean).join(', ');
  const verdict = input.verdict && failing ? `: ${input.verdict.fail}` : '';
  out.push(paint(failing ? 'red' : 'yellow', paint('bold', head + (tail ? `, ${tail}` : '') + verdict)) + paint('gray', ` · ${checked}`));
  const byRule = new Map<string, number>();
  for (const finding of findings) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  if (byRule.size > 0) {
    const rows = [...byRule.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(paint('gray', `  ${wrap(`by rule: ${rows.map(([id, n]) => `${id} ${n}`).join(' · ')}`, wrapWidth, '    ')}`));
  }
  const historical = summary.historical;
  // Adoption advice is for whole-repository checks, not for the one tag being pushed.
  if (historical && !input.subjects && problems > 0 && historical.findings * 2 > problems) {
    const tag = clip(escapeControl(historical.newestPublishedTag), 80);
    const note =
      `${historical.findings.toLocaleString('en')} of the ${counted(problems, 'finding')} concern tags older than ${tag}, the newest published tag: history, which stays as it is. ` +
      `To adopt release-lint, accept them with release-lint baseline (then run with --baseline .release-lint-baseline.json), or judge only newer tags with tags.since: ${tag} in the config.`;
    out.push(paint('yellow', `  ${wrap(note, wrapWidth, '  ')}`));
  }
  return out;
}
