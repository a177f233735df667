import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isRuleFileName } from '../src/engine/rules.js';
import { cli } from './helpers.js';

/**
 * Every built-in rule carries its tests as data (rules/<id>.test.yml), with a case it passes and
 * a case it reports, and the suite runs them all through `release-lint test`, as a team runs its
 * own: a new rule without tests, or a rule change that breaks a case, fails here.
 */
const rulesDir = join(__dirname, '..', 'rules');
const ruleIds = readdirSync(rulesDir)
  .filter(isRuleFileName)
  .map((f) => f.replace(/\.ya?ml$/, ''))
  .sort();

interface TestFile {
  rule: string;
  cases: Array<{ name: string; expect: unknown[] }>;
}

describe('the built-in rules’ tests', () => {
  it('exist for every rule, beside it', () => {
    expect(ruleIds.length).toBeGreaterThanOrEqual(25);
    const missing = ruleIds.filter((id) => !existsSync(join(rulesDir, `${id}.test.yml`)));
    expect(missing, `rules without a test file: write rules/<id>.test.yml`).toEqual([]);
  });

  it('each hold a case the rule passes and a case it reports', () => {
    const incomplete = ruleIds.filter((id) => {
      const file = join(rulesDir, `${id}.test.yml`);
      if (!existsSync(file)) return false; // the test above names it
      const tests = parse(readFileSync(file, 'utf8')) as TestFile;
      const passing = tests.cases.some((c) => c.expect.length === 0);
      const failing = tests.cases.some((c) => c.expect.length > 0);
      return tests.rule !== id || !passing || !failing;
    });
    expect(incomplete, 'test files without a passing and a failing case (or for another rule)').toEqual([]);
  });

  it('all pass through release-lint test, at least two cases per rule', () => {
    const run = cli(['test', 'rules', '-f', 'json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { passed: number; failed: number; files: Array<{ rule: string; cases: Array<{ name: string; passed: boolean }> }> };
    const failing = report.files.flatMap((f) => f.cases.filter((c) => !c.passed).map((c) => `${f.rule} › ${c.name}`));
    expect(failing).toEqual([]);
    expect(run.code).toBe(0);
    const cases = new Map(report.files.map((f) => [f.rule, f.cases.length]));
    expect(ruleIds.filter((id) => (cases.get(id) ?? 0) < 2)).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(2 * ruleIds.length);
  });
});
