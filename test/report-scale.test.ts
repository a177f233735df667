import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { evaluate, fingerprintOf, type Baseline, type Finding } from '../src/engine/evaluate.js';
import { loadRules } from '../src/engine/rules.js';
import { renderHuman } from '../src/report/human.js';
import { markdownBudgets, renderMarkdown } from '../src/report/markdown.js';
import type { RuleInfo } from '../src/engine/rule-info.js';
import { errorsOnly, summarize } from '../src/engine/summary.js';
import type { ReportInput } from '../src/report/types.js';
import { snapshotOf, tag, tempDir } from './helpers.js';

const rule = (id: string, title: string, severity: RuleInfo['severity']): RuleInfo => ({
  id,
  title,
  description: 'd',
  fix: 'f',
  defaultSeverity: severity === 'off' ? 'error' : severity,
  severity,
  tags: [],
  options: {},
  file: `rules/${id}.yml`,
  idLine: 1,
  builtIn: true,
});

/** A tag's fix as the run knows it: published or not (the shape of tag-annotated's). */
function annotateFix(name: string, commit: string, published: boolean): string {
  return published
    ? `${name} is already public: do not recreate it; record it in the config's ignore list with the reason, and tag the next release with git tag -a.`
    : `Replace it with an annotated tag on the same commit: git tag -d ${name} && git tag -a ${name} ${commit} -m "Release ${name}".`;
}

interface ScaleOptions {
  lightweightTags?: number;
  /** How many of the newest tags are not on the remote yet. */
  unpublished?: number;
  message?: (name: string) => string;
}

/**
 * The first run on an old repository: `lightweightTags` lightweight tags (500 by default, the
 * newest `unpublished` not pushed yet) and 3 stale release branches.
 */
function scaleInput({ lightweightTags = 500, unpublished = 2, message }: ScaleOptions = {}): ReportInput {
  const findings: Finding[] = [];
  const tags: Array<{ name: string; timestamp: number; published: boolean }> = [];
  for (let i = 0; i < lightweightTags; i++) {
    const name = `v1.${Math.floor(i / 100)}.${i % 100}`;
    const published = i < lightweightTags - unpublished;
    tags.push({ name, timestamp: 1_700_000_000 + i * 3600, published });
    const target = { kind: 'tag' as const, name };
    findings.push({
      ruleId: 'tag-annotated',
      severity: 'error',
      message: message?.(name) ?? `${name} is a lightweight tag; release tags must be annotated`,
      target,
      location: null,
      evidence: {},
      fingerprint: fingerprintOf('tag-annotated', target),
      fix: annotateFix(name, (0xabc0000 + i).toString(16).padStart(40, '0'), published),
    });
  }
  for (const branch of ['release/1.2.x', 'release/1.3.x', 'release/1.4.x']) {
    const target = { kind: 'branch' as const, name: branch };
    findings.push({
      ruleId: 'release-branch-stale',
      severity: 'warning',
      message: `${branch} was released and has no content difference with origin/main; it can be deleted`,
      target,
      location: { file: '.releasepolicyrc.yml', line: 7 },
      evidence: {},
      fingerprint: fingerprintOf('release-branch-stale', target),
      fix: `Delete it: git push origin --delete ${branch}.`,
    });
  }
  // The engine's order: by object name, oldest tags first.
  const evaluation = { findings, inconclusive: [], suppressed: [], applied: ['tag-annotated', 'release-branch-stale'] };
  return {
    tool: { name: 'release-lint', version: '0.0.0' },
    repository: 'acme/old',
    counts: { tags: tags.length, excludedTags: 0, branches: 3, rules: 2 },
    evaluation,
    summary: summarize(evaluation, { tags }),
    rules: [rule('tag-annotated', 'Release tags are annotated', 'error'), rule('release-branch-stale', 'Release branches are deleted once their release is published', 'warning')],
    tagTimes: new Map(tags.map((t) => [t.name, t.timestamp])),
  };
}

const human = (input: ReportInput, options: Partial<Parameters<typeof renderHuman>[1]> = {}) => renderHuman(input, { color: false, ...options });
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the human report at scale', () => {
  const input = scaleInput();
  const text = human(input);
  const lines = text.trimEnd().split('\n');

  it('fits 503 findings of two rules in under 80 lines, both rules and their counts in the first 40', () => {
    expect(lines.length).toBeLessThan(80);
    const top = lines.slice(0, 40).join('\n');
    expect(top).toMatch(/^\s*error\s+tag-annotated\s+500\s+Release tags are annotated$/m);
    expect(top).toMatch(/^\s*warn\s+release-branch-stale\s+3\s+Release branches are deleted/m);
    // The summary and the count per rule stay.
    expect(text).toContain('✖ 503 problems (500 errors, 3 warnings)');
    expect(text).toContain('by rule: tag-annotated 500 · release-branch-stale 3');
  });

  it("prints each fix once per rule, the object's name as a placeholder when it stands for several findings", () => {
    expect(occurrences(text, 'is already public: do not recreate it')).toBe(1);
    expect(occurrences(text, 'Replace it with an annotated tag on the same commit')).toBe(1);
    expect(occurrences(text, 'git push origin --delete')).toBe(1);
    expect(text).toContain('fix (498 findings): <tag> is already public');
    // Fixes wrap; compare them as one line.
    expect(text.replace(/\s+/g, ' ')).toContain('fix (2 findings): Replace it with an annotated tag on the same commit: git tag -d <tag> && git tag -a <tag> <commit> -m "Release <tag>".');
    expect(text).toContain('fix (all 3): Delete it: git push origin --delete <branch>.');
  });

  it('lists the newest findings first, ten per rule, and says how to see the rest', () => {
    const listed = lines.filter((line) => line.includes('is a lightweight tag'));
    expect(listed).toHaveLength(10);
    expect(listed[0]).toContain('v1.4.99 is a lightweight tag');
    expect(listed[9]).toContain('v1.4.90 is a lightweight tag');
    expect(text).toContain('… and 490 more (add --expand tag-annotated or --all to list them, or use -f json)');
  });

  it('lists every finding with --all, and one rule in full with --expand', () => {
    const all = human(input, { expand: 'all' });
    expect(occurrences(all, 'is a lightweight tag') + occurrences(all, 'was released and has no content difference')).toBe(503);
    expect(all).not.toContain('more (add --expand');
    const one = human(input, { expand: new Set(['tag-annotated']) });
    expect(occurrences(one, 'is a lightweight tag')).toBe(500);
    expect(one).not.toMatch(/^503 findings of 2 rules/m);
  });

  it('says when most findings are history, naming release-lint baseline and tags.since', () => {
    // v1.4.98 and v1.4.99 are not pushed yet: v1.4.97 is the newest published tag.
    expect(input.summary.historical).toEqual({ findings: 497, newestPublishedTag: 'v1.4.97' });
    expect(text).toMatch(/497 of the 503 findings concern tags older than v1\.4\.97, the newest published tag/);
    expect(text).toContain('release-lint baseline');
    expect(text).toMatch(/tags\.since:\s+v1\.4\.97/);
    expect(human(scaleInput({ lightweightTags: 6, unpublished: 0 }))).toMatch(/5 of the 9 findings concern tags older than v1\.0\.5/);
    // When most findings are not about old tags, it does not.
    const mostlyBranches = scaleInput({ lightweightTags: 2, unpublished: 0 });
    expect(mostlyBranches.summary.historical).toEqual({ findings: 1, newestPublishedTag: 'v1.0.1' });
    expect(human(mostlyBranches)).not.toContain('release-lint baseline');
  });

  it('keeps every line under 400 characters, also for a message that lists 221 tags', () => {
    const list = Array.from({ length: 221 }, (_, i) => `v0.${i}.0`).join(', ');
    const long = human(scaleInput({ lightweightTags: 12, message: (name) => `${name} is lightweight and so are ${list}` }), { expand: 'all' });
    const longest = Math.max(...long.split('\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(400);
    expect(long).toMatch(/v1\.0\.11 is lightweight and so are v0\.0\.0, .*… \([\d,]+ more characters\)/);
  });

  it('shows a fix unique to one finding verbatim, and counts the fixes past three', () => {
    const input = scaleInput({ lightweightTags: 30, unpublished: 0 });
    const fixes = ['Rerun the release workflow.', 'Ask the release manager.', 'Open an issue.'];
    input.evaluation.findings.slice(0, 3).forEach((finding, i) => (finding.fix = fixes[i]));
    input.evaluation.findings[3].fix = `Fix ${input.evaluation.findings[3].target.name} by hand.`;
    const text = human(input);
    expect(text).toContain('fix (26 findings): <tag> is already public');
    expect(text).toMatch(/fix \(v1\.0\.\d\): /);
    expect(text).toMatch(/… 2 other fixes for 2 findings \(--expand tag-annotated shows them\)/);
    expect(occurrences(human(input, { expand: 'all' }), 'fix (v1.0.')).toBe(4);
  });

  it('escapes control characters from repository data, and --quiet shows errors only', () => {
    const hostile = scaleInput({ lightweightTags: 3, message: (name) => `${name}\u001b[2J is lightweight` });
    const shown = human(hostile);
    expect(shown).not.toContain('\u001b');
    expect(shown).toContain('\\u001b[2J is lightweight');
    // -q hands every format the errors only, and counts them alone (cli/pipeline).
    const errors = errorsOnly(input.evaluation);
    const quiet = human({ ...input, evaluation: errors, summary: summarize(errors, { tags: [] }) });
    expect(quiet).not.toContain('release-branch-stale ·');
    expect(quiet).toContain('✖ 500 problems (500 errors, 0 warnings)');
  });
});

describe('Markdown within GitHub limits', () => {
  const input = scaleInput();
  const leftOut = (text: string) => Number(/_(\d+) of (\d+) findings are not listed here/.exec(text)?.[1]);
  const rows = (text: string) => text.split('\n').filter((line) => /^\| (tag|branch) /.test(line)).length;

  it('groups by rule, prints each fix once and says what it left out and where the rest is', () => {
    const summary = renderMarkdown(input);
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024);
    expect(occurrences(summary, '**Fix**')).toBe(3);
    expect(summary).toContain('### ❌ `tag-annotated` · 500 findings · Release tags are annotated');
    expect(summary).toContain('| `release-branch-stale` Release branches are deleted once their release is published | warning | 3 |');
    expect(rows(summary)).toBe(13);
    expect(leftOut(summary)).toBe(490);
    expect(summary).toContain('The full report: `release-lint check -f json`');
    expect(summary).toMatch(/^> 497 of the 503 findings concern tags older than v1\.4\.97, .*`release-lint baseline`.*`tags\.since`/m);
    const comment = renderMarkdown(input, { budget: markdownBudgets.comment });
    expect(comment.length).toBeLessThan(65_536);
    expect(leftOut(comment)).toBe(490);
  });

  it('cuts to 65,536 characters for a comment and to 1 MiB of UTF-8 for a job summary, counting what it cut', () => {
    // 1,000 three-byte characters a message: 503 of them are about 0.5 M characters but 1.5 MiB.
    const wide = scaleInput({ message: (name) => `${name} ${'✓'.repeat(1000)}` });
    const summary = renderMarkdown(wide, { expand: 'all' });
    expect(summary.length).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(summary, 'utf8')).toBeGreaterThan(900 * 1024);
    expect(summary).toContain("to stay under GitHub's 1 MiB job summary limit");
    expect(leftOut(summary)).toBe(503 - rows(summary));
    const comment = renderMarkdown(wide, { budget: markdownBudgets.comment, expand: 'all' });
    expect(comment.length).toBeLessThan(65_536);
    expect(comment.length).toBeGreaterThan(50_000);
    expect(comment).toContain("to stay under GitHub's 65,536-character comment limit");
    expect(leftOut(comment)).toBe(503 - rows(comment));
    // Every rule is still counted in the table.
    expect(comment).toContain('| `release-branch-stale` Release branches are deleted once their release is published | warning | 3 |');
  });
});

describe('baselines', () => {
  const baselineRun = async (baseline: Baseline, subjects?: Set<string>) => {
    const config = await loadConfig(tempDir());
    config.ignore = [{ rule: 'tag-annotated', target: 'v1.2.0', reason: 'tagged by hand' }];
    // The recommended preset allows lightweight tags; this policy does not.
    const rules = loadRules(config, { 'tag-annotated': { severity: 'error' } }).filter((r) => r.definition.id === 'tag-annotated');
    const snapshot = snapshotOf({ tags: ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0'].map((name) => tag(name, { annotated: false, objectType: 'commit' })) });
    const evaluation = evaluate(rules, snapshot, config, { today: '2026-11-24', baseline, subjects });
    return { evaluation, summary: summarize(evaluation, { baseline: true, tags: snapshot.tags }) };
  };
  const entries = (...pairs: Array<[string, string]>) => new Map(pairs.map(([ruleId, name]) => [fingerprintOf(ruleId, { kind: 'tag', name }), ruleId]));

  it('counts a finding in the baseline as in the baseline, not as suppressed by ignore', async () => {
    const { evaluation, summary } = await baselineRun({ file: '.release-lint-baseline.json', entries: entries(['tag-annotated', 'v1.0.0'], ['tag-annotated', 'v1.1.0']) });
    expect(evaluation.findings.map((f) => `${f.ruleId} ${f.target.name}`)).toEqual(['tag-annotated v1.3.0']);
    expect(summary).toMatchObject({ errors: 1, suppressed: 1, baselined: 2 });
    const input: ReportInput = {
      tool: { name: 'release-lint', version: '0.0.0' },
      repository: 'r',
      counts: { tags: 4, excludedTags: 0, branches: 0, rules: 1 },
      evaluation,
      summary,
      rules: [],
    };
    expect(human(input)).toContain('✖ 1 problem (1 error, 0 warnings), 1 suppressed by ignore, 2 in the baseline');
    expect(renderMarkdown(input)).toContain('1 suppressed by ignore, 2 in the baseline.');
  });

  it('reports entries that match no finding as a warning naming the command that rewrites the file', async () => {
    const baseline = {
      file: '.release-lint-baseline.json',
      // v0.9.0 is gone; tag-reachable did not run, so its entry cannot be judged.
      entries: entries(['tag-annotated', 'v1.0.0'], ['tag-annotated', 'v0.9.0'], ['tag-reachable', 'v1.0.0'], ['tag-annotated', 'v1.2.0']),
    };
    const { evaluation, summary } = await baselineRun(baseline);
    const stale = evaluation.findings.filter((f) => f.ruleId === 'release-lint:baseline');
    expect(stale.map((f) => [f.severity, f.message, f.location])).toEqual([
      ['warning', '1 entry of the baseline .release-lint-baseline.json matches no finding any more (tag-annotated 1): fixed, or the object is gone', { file: '.release-lint-baseline.json', line: null }],
    ]);
    expect(stale[0].fix).toContain('release-lint baseline -o .release-lint-baseline.json');
    expect(summary).toMatchObject({ errors: 2, warnings: 1, suppressed: 1, baselined: 1 });
    // Judging one tag, the other entries cannot be told stale.
    const single = await baselineRun(baseline, new Set(['tag v1.3.0']));
    expect(single.evaluation.findings.map((f) => f.ruleId)).toEqual(['tag-annotated']);
  });
});
