import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderExplain, renderRuleDoc } from '../src/docs/rule-docs.js';
import { ruleTestExamples } from '../src/docs/rule-test-examples.js';
import type { RuleInfo } from '../src/engine/rule-info.js';
import { cli, tempDir, writeFiles } from './helpers.js';

const teamRule = `id: team-annotated
title: Team tags are annotated
description: A rule of a team's own, with its tests beside it.
severity: error
given: tags
assert:
  - that: tag.annotated
    message: "\${tag.name} is a lightweight tag"
fix: annotate it
`;

const teamTests = `rule: team-annotated
cases:
  - name: an annotated tag passes
    snapshot: { tags: [{ name: v1.2.3, annotated: true }] }
    expect: []
  - name: a lightweight tag is reported
    snapshot: { tags: [{ name: v1.2.4, annotated: false }] }
    expect: [{ target: v1.2.4, message: lightweight }]
  - name: without the tag list the rule is inconclusive
    facts: []
    inconclusive: true
    expect: []
`;

/** A folder holding `rules/<file>` with `text` (and the rule file), and the rule as `ruleTestExamples` takes it. */
function ruleWithTests(text: string | undefined, file = 'team-annotated.test.yml'): { id: string; file: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'rules'));
  writeFiles(dir, { 'rules/team-annotated.yml': teamRule, ...(text === undefined ? {} : { [`rules/${file}`]: text }) });
  return { id: 'team-annotated', file: join(dir, 'rules', 'team-annotated.yml') };
}

describe('rule test cases as examples', () => {
  it('reads the passing and failing cases of the test file beside the rule, leaving out inconclusive ones', () => {
    expect(ruleTestExamples(ruleWithTests(teamTests))).toEqual({
      file: 'team-annotated.test.yml',
      passing: ['an annotated tag passes'],
      failing: [{ name: 'a lightweight tag is reported', findings: [{ target: 'v1.2.4', message: 'lightweight' }] }],
    });
  });

  it('reads a .test.yaml file too, and leaves out a case whose config switches the rule off', () => {
    const offCase = `${teamTests}  - name: off via case config\n    config: { rules: { team-annotated: off } }\n    snapshot: { tags: [{ name: v1.2.4, annotated: false }] }\n    expect: []\n`;
    expect(ruleTestExamples(ruleWithTests(offCase, 'team-annotated.test.yaml'))).toEqual({
      file: 'team-annotated.test.yaml',
      passing: ['an annotated tag passes'],
      failing: [{ name: 'a lightweight tag is reported', findings: [{ target: 'v1.2.4', message: 'lightweight' }] }],
    });
  });

  it('shows nothing for a missing, malformed, foreign or FIFO test file, and skips a case it cannot read', () => {
    expect(ruleTestExamples(ruleWithTests(undefined))).toBeUndefined();
    expect(ruleTestExamples(ruleWithTests('rule: team-annotated\ncases: [{ name: x, expect: [\n'))).toBeUndefined();
    expect(ruleTestExamples(ruleWithTests(teamTests.replace('rule: team-annotated', 'rule: other-rule')))).toBeUndefined();
    expect(ruleTestExamples(ruleWithTests('rule: team-annotated\ncases: 3\n'))).toBeUndefined();
    const fifo = ruleWithTests(undefined);
    execFileSync('mkfifo', [join(fifo.file, '..', 'team-annotated.test.yml')]);
    expect(ruleTestExamples(fifo)).toBeUndefined();
    const partly = ruleTestExamples(ruleWithTests('rule: team-annotated\ncases:\n  - name: fine\n    expect: []\n  - expect: []\n  - name: odd\n    expect: [7]\n'));
    expect(partly).toEqual({ file: 'team-annotated.test.yml', passing: ['fine'], failing: [] });
  });

  it('puts the cases on the rule page, with links to the rule file and its tests', () => {
    const rule = ruleWithTests(teamTests);
    const info: RuleInfo = { id: rule.id, title: 'Team tags are annotated', description: 'd', fix: 'annotate it', defaultSeverity: 'error', severity: 'error', tags: [], options: {}, file: rule.file, idLine: 1, builtIn: false };
    const page = renderRuleDoc(info, ruleTestExamples(rule));
    expect(page).toContain('## Test cases\n\nThe cases of [`rules/team-annotated.test.yml`](../../rules/team-annotated.test.yml), which `release-lint test` runs.\n\nPasses:\n\n- an annotated tag passes\n\nFails:\n\n- a lightweight tag is reported\n  - `v1.2.4`: "…lightweight…"\n');
    expect(page).toContain('Defined in [`rules/team-annotated.yml`](../../rules/team-annotated.yml), tested by [`rules/team-annotated.test.yml`]');
    expect(renderRuleDoc(info)).not.toContain('## Test cases');
    expect(renderExplain(info)).not.toContain('Test cases');
  });

  it('explain shows the cases of a team rule in rulesDirs, and of a built-in rule with its docs address', () => {
    const rule = ruleWithTests(teamTests);
    const dir = join(rule.file, '..', '..');
    writeFiles(dir, { 'policy.yml': 'rulesDirs: [rules]\n' });
    const team = cli(['explain', 'team-annotated', '-C', dir, '-c', join(dir, 'policy.yml')]);
    expect(team.code).toBe(0);
    expect(team.stdout).toContain('\nTest cases (team-annotated.test.yml):\n  passes: an annotated tag passes\n  fails:  a lightweight tag is reported\n          v1.2.4: "…lightweight…"\n');
    expect(team.stdout).toContain(`Defined in ${rule.file}`);
    const builtIn = cli(['explain', 'tag-version-format', '-C', dir]);
    expect(builtIn.stdout).toContain('Test cases (tag-version-format.test.yml):\n  passes: ');
    expect(builtIn.stdout).toMatch(/\nDocs: https:\/\/\S+\/docs\/rules\/tag-version-format\.md\n$/);
  });

  it('rules/tag-version-format.test.yml has a passing and a failing case (the runner checks they hold)', () => {
    const examples = ruleTestExamples({ id: 'tag-version-format', file: join(process.cwd(), 'rules', 'tag-version-format.yml') });
    expect(examples?.passing.length).toBeGreaterThan(0);
    expect(examples?.failing.length).toBeGreaterThan(0);
    expect(readFileSync(join(process.cwd(), 'docs', 'rules', 'tag-version-format.md'), 'utf8')).toContain('## Test cases');
  });
});
