import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { cli, tempDir } from './helpers.js';

let clean: Scenario;
beforeAll(() => {
  clean = buildClean();
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

const origin = () => join(dirname(clean.clone.dir), 'origin.git');

describe('rules that cannot be decided are inconclusive, never passed', () => {
  it('a shallow clone', () => {
    const dir = join(tempDir(), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${origin()}`, dir]);
    const result = cli(['-C', dir, '-f', 'json']);
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.inconclusive.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual([
      'changelog-baseline',
      'hotfix-backport',
      'manifest-baseline',
      'release-branch-stale',
      'tag-reachable',
      'tag-version-monotonic',
    ]);
    expect(report.inconclusive[0].reason).toMatch(/the clone is shallow/);
    expect(report.inconclusive[0].fix).toMatch(/fetch-depth: 0/);
    expect(cli(['-C', dir, '--allow-inconclusive']).code).toBe(0);
    const human = cli(['-C', dir]).stdout;
    expect(human).toContain('inconclusive (could not be decided)');
    expect(human).toMatch(/✖ 0 problems, 6 inconclusive/);
  });

  it('a missing origin/main and a missing develop', () => {
    const dir = join(tempDir(), 'partial');
    execFileSync('git', ['clone', '-q', '--no-local', origin(), dir]);
    execFileSync('git', ['update-ref', '-d', 'refs/remotes/origin/main'], { cwd: dir });
    execFileSync('git', ['update-ref', '-d', 'refs/remotes/origin/develop'], { cwd: dir });
    const report = JSON.parse(cli(['-C', dir, '-f', 'json']).stdout);
    const reasons = report.inconclusive.map((i: { ruleId: string; reason: string }) => `${i.ruleId}: ${i.reason}`);
    expect(reasons).toContain('tag-reachable: refs/remotes/origin/main does not exist, so tag reachability and the published state cannot be established');
    expect(reasons).toContain('manifest-baseline: the integration branch develop exists neither locally nor as origin/develop');
    // Reachability is unknown, not false: no tag is reported as unreachable.
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'tag-reachable')).toEqual([]);
  });

  it('a project without an integration branch says so in its config', () => {
    const dir = join(tempDir(), 'no-develop');
    execFileSync('git', ['clone', '-q', '--no-local', origin(), dir]);
    execFileSync('git', ['update-ref', '-d', 'refs/remotes/origin/develop'], { cwd: dir });
    const config = join(tempDir(), 'policy.yml');
    writeFileSync(config, readFileSync(join(dir, '.releasepolicyrc.yml'), 'utf8').replace('integration: develop', 'integration: null'));
    const result = cli(['-C', dir, '-c', config, '-f', 'json']);
    expect(JSON.parse(result.stdout).inconclusive).toEqual([]);
    expect(result.code).toBe(0);
  });
});
