/**
 * A new user's first run on a style fixture: `check` with no config, then `release-lint init`
 * and `check` under the config it wrote — compared with the fixture's hand-written policy. The
 * fixture's own config is put back afterwards.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../helpers.js';

export interface Judgement {
  code: number;
  /** `rule | target` of each finding, then `? rule` of each inconclusive rule, sorted. */
  results: string[];
}

// No GitHub token: the GitHub Release rules must not depend on the machine's environment.
const env = { GITHUB_TOKEN: undefined, GH_TOKEN: undefined };

function judge(dir: string): Judgement {
  const result = cli(['-C', dir, '-f', 'json'], { env });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout);
  const results = [
    ...report.findings.map((f: { ruleId: string; target: { name: string } }) => `${f.ruleId} | ${f.target.name}`),
    ...report.inconclusive.map((i: { ruleId: string }) => `? ${i.ruleId}`),
  ].sort();
  return { code: result.code, results };
}

export interface FirstRun {
  /** Under the fixture's hand-written policy. */
  handWritten: Judgement;
  /** With no config at all (the recommended preset). */
  withoutConfig: Judgement;
  /** Under the config `init` wrote. */
  initialized: Judgement;
  /** That config's text. */
  config: string;
}

export function firstRun(dir: string): FirstRun {
  const file = join(dir, '.releasepolicyrc.yml');
  const original = readFileSync(file, 'utf8');
  const handWritten = judge(dir);
  unlinkSync(file);
  try {
    const withoutConfig = judge(dir);
    const init = cli(['init', '-C', dir], { env });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const config = readFileSync(file, 'utf8');
    return { handWritten, withoutConfig, initialized: judge(dir), config };
  } finally {
    writeFileSync(file, original);
  }
}

/** What every style's first run must give: quiet without a config, exact after init, nothing of this machine in the config. */
export function expectRightFirstRun(correctDir: string, mutatedDirs: string[]): void {
  const correct = firstRun(correctDir);
  expect(correct.withoutConfig).toEqual({ code: 0, results: [] });
  expect(correct.initialized).toEqual({ code: 0, results: [] });
  expect(correct.handWritten).toEqual({ code: 0, results: [] });
  for (const path of [correctDir, process.cwd(), '/tmp/']) expect(correct.config).not.toContain(path);
  expect(correct.config).not.toMatch(/\$schema=\//);
  for (const dir of mutatedDirs) {
    const run = firstRun(dir);
    expect(run.handWritten.results.length, dir).toBeGreaterThan(0);
    expect(run.initialized, `${dir}\n${run.config}`).toEqual(run.handWritten);
  }
}
