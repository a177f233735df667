import { subjectOf, type Finding } from '../engine/evaluate.js';
import type { Expand, ReportInput } from './types.js';

/** How many findings of a rule the human and Markdown reports list before they count the rest. */
export const findingsPerRule = 10;
/** How many distinct fixes a rule shows before it counts the rest. */
export const fixesPerRule = 3;

const severityRank: Record<string, number> = { error: 0, warning: 1, note: 2 };

/** One rule's findings, as the human and Markdown reports show them. */
export interface RuleGroup {
  ruleId: string;
  severity: Finding['severity'];
  title?: string;
  /** Newest first (see newestFirst). */
  findings: Finding[];
}

/**
 * Findings by rule: errors, then warnings, then notes; within a severity the larger group first
 * (what affects most objects), then by rule id.
 */
export function groupByRule(findings: readonly Finding[], input: Pick<ReportInput, 'rules' | 'tagTimes'>): RuleGroup[] {
  const titles = new Map(input.rules.map((rule) => [rule.id, rule.title]));
  const groups = new Map<string, RuleGroup>();
  for (const finding of findings) {
    const key = `${finding.severity} ${finding.ruleId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ruleId: finding.ruleId, severity: finding.severity, title: titles.get(finding.ruleId), findings: [] }));
    group.findings.push(finding);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => severityRank[a.severity] - severityRank[b.severity] || b.findings.length - a.findings.length || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  for (const group of sorted) group.findings = newestFirst(group.findings, input.tagTimes);
  return sorted;
}

/**
 * Findings about tags by the tag's date, newest first; findings about other objects (branches,
 * commits, the repository) after them, in the engine's order. The sort is stable, so equal dates
 * keep the engine's order too.
 */
function newestFirst(findings: Finding[], tagTimes: ReadonlyMap<string, number> | undefined): Finding[] {
  if (!tagTimes) return findings;
  const timeOf = (finding: Finding) => {
    const subject = subjectOf(finding.target);
    return subject.kind === 'tag' ? (tagTimes.get(subject.name) ?? -Infinity) : -Infinity;
  };
  return findings
    .map((finding) => ({ finding, time: timeOf(finding) }))
    .sort((a, b) => (b.time === a.time ? 0 : b.time > a.time ? 1 : -1))
    .map((entry) => entry.finding);
}

export function isExpanded(expand: Expand | undefined, ruleId: string): boolean {
  return expand === 'all' || (expand !== undefined && expand.has(ruleId));
}

/** A fix as a rule group shows it: once for every finding whose fix differs only by the object named. */
export interface SharedFix {
  /** Verbatim for one finding; for several, with the object's name, version and commit ids as placeholders (`<tag>`, `<version>`, `<commit>`). */
  text: string;
  /** How many findings it applies to. */
  count: number;
  /** The object of the finding when it applies to one. */
  subject?: string;
}

/** The distinct fixes of a rule's findings, the most common first (ties: in the order of the findings). */
export function distinctFixes(findings: readonly Finding[]): SharedFix[] {
  const byTemplate = new Map<string, { first: Finding; count: number }>();
  for (const finding of findings) {
    const template = fixTemplate(finding);
    const entry = byTemplate.get(template);
    if (entry) entry.count++;
    else byTemplate.set(template, { first: finding, count: 1 });
  }
  return [...byTemplate.entries()]
    .map(([template, { first, count }]) => (count === 1 ? { text: first.fix, count, subject: subjectOf(first.target).name } : { text: template, count }))
    .sort((a, b) => b.count - a.count);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The name where it stands alone: not inside a longer name or version (`v1.2` in `v1.2.3`), but after `/` as in `refs/tags/v1.2.3`. */
const standalone = (name: string) => new RegExp(`(?<![\\w.-])${escapeRegExp(name)}(?![\\w-]|\\.\\w)`, 'g');

/** Abbreviated or full commit ids: 7 to 40 hex digits, at least one a digit (so words such as "added" stay). */
const commitIds = /\b(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/g;

/**
 * The fix with what varies from one finding to the next replaced by placeholders: the object's
 * name (`<tag>`), the name of what was read there (`<version-source>`), the version inside a tag or
 * branch name (`<version>`) and commit ids (`<commit>`).
 */
function fixTemplate(finding: Finding): string {
  const subject = subjectOf(finding.target);
  const names: Array<[string, string]> = [[subject.name, `<${subject.kind}>`]];
  if (finding.target.at) names.push([finding.target.name, `<${finding.target.kind}>`]);
  const version = /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.exec(subject.name)?.[0];
  if (version && version !== subject.name) names.push([version, '<version>']);
  // The longest first: a tag name contains its version.
  names.sort((a, b) => b[0].length - a[0].length);
  let text = finding.fix;
  for (const [name, placeholder] of names) if (name) text = text.replace(standalone(name), placeholder);
  return text.replace(commitIds, '<commit>');
}

/**
 * The text cut to at most `max` characters, saying how much was left out: one repository string
 * (a message listing hundreds of tags, a 10 MB tag message) must not fill a screen or a summary.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const left = (n: number) => `… (${n.toLocaleString('en')} more characters)`;
  let keep = Math.max(0, max - left(text.length).length);
  // Never half of a surrogate pair.
  if (keep > 0 && /[\uD800-\uDBFF]/.test(text[keep - 1])) keep--;
  return text.slice(0, keep) + left(text.length - keep);
}
