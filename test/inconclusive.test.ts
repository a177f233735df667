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
    // Version order and stale release branches need only the remote's tags, their dates and trees: they are judged.
    expect(report.inconclusive.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual(['changelog-baseline', 'hotfix-backport', 'manifest-baseline', 'tag-reachable']);
    expect(report.inconclusive[0].reason).toMatch(/the clone is shallow/);
    expect(report.inconclusive[0].fix).toMatch(/fetch-depth: 0/);
    expect(cli(['-C', dir, '--allow-inconclusive']).code).toBe(0);
    const human = cli(['-C', dir]).stdout;
    expect(human).toContain('inconclusive (could not be decided)');
    expect(human).toMatch(/✖ 0 problems, 4 inconclusive/);
  });

  it('a missing origin/main and a missing develop', () => {
    const dir = join(tempDir(), 'partial');
    execFileSync('git', ['clone', '-q', '--no-local', origin(), dir]);
    execFileSync('git', ['update-ref', '-d', 'refs/remotes/origin/main'], { cwd: dir });
    execFileSync('git', ['update-ref', '-d', 'refs/remotes/origin/develop'], { cwd: dir });
    const report = JSON.parse(cli(['-C', dir, '-f', 'json']).stdout);
    const reasons = report.inconclusive.map((i: { ruleId: string; reason: string }) => `${i.ruleId}: ${i.reason}`);
    expect(reasons).toContain('tag-reachable: refs/remotes/origin/main does not exist, so where tags sit (on a release line or not) cannot be established');
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

  it('a clone whose tags were not fetched', () => {
    const dir = join(tempDir(), 'no-tags');
    execFileSync('git', ['clone', '-q', '--no-tags', '--no-local', origin(), dir]);
    const result = cli(['-C', dir, '-f', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const tagRules = ['changelog-baseline', 'manifest-baseline', 'metadata-version-match', 'release-branch-single', 'release-branch-stale', 'tag-annotated', 'tag-immutable', 'tag-reachable', 'tag-recovery-lines', 'tag-version-format', 'tag-version-monotonic'];
    expect(report.inconclusive.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual(tagRules);
    expect(report.inconclusive[0].reason).toMatch(/^5 release tags on origin are not in this clone \(v0\.6\.3, v0\.6\.4, v0\.6\.5-preview, and 2 more\): the tags were not fetched$/);
    expect(report.inconclusive[0].fix).toMatch(/git fetch --tags origin; if remote\.origin\.tagOpt is --no-tags, unset it/);
    // Fetching the tags, as the fix says, makes the same clone conclusive.
    execFileSync('git', ['fetch', '-q', '--tags', 'origin'], { cwd: dir });
    expect(JSON.parse(cli(['-C', dir, '-f', 'json']).stdout).inconclusive).toEqual([]);
  });

  it('a remote configured not to fetch tags, after a release was tagged', () => {
    const dir = join(tempDir(), 'tag-opt');
    execFileSync('git', ['clone', '-q', '--no-local', origin(), dir]);
    execFileSync('git', ['config', 'remote.origin.tagOpt', '--no-tags'], { cwd: dir });
    // Someone tags and pushes a release from another clone; this one fetches without tags.
    const other = join(tempDir(), 'other');
    execFileSync('git', ['clone', '-q', '--no-local', origin(), other]);
    execFileSync('git', ['-c', 'user.name=R', '-c', 'user.email=r@example.invalid', 'tag', '-a', 'v0.7.0', '-m', 'Release v0.7.0'], { cwd: other });
    execFileSync('git', ['push', '-q', 'origin', 'v0.7.0'], { cwd: other });
    execFileSync('git', ['fetch', '-q', 'origin'], { cwd: dir });
    const report = JSON.parse(cli(['-C', dir, '-f', 'json']).stdout);
    expect(report.inconclusive.map((i: { reason: string }) => i.reason)).toContain('1 release tag on origin is not in this clone (v0.7.0): the tags were not fetched');
    // --offline cannot see the remote: it trusts the local tags, and says the remote's were not read.
    const offline = JSON.parse(cli(['-C', dir, '-f', 'json', '--offline']).stdout);
    expect(offline.inconclusive.map((i: { ruleId: string }) => i.ruleId)).toEqual(['tag-immutable']);
    execFileSync('git', ['push', '-q', 'origin', ':refs/tags/v0.7.0'], { cwd: other });
  });

  it('a clone without the maintenance branches the remote has (single-branch)', () => {
    const dir = join(tempDir(), 'single-branch');
    execFileSync('git', ['clone', '-q', '--no-local', '--single-branch', '--branch', 'main', origin(), dir]);
    execFileSync('git', ['fetch', '-q', '--tags', 'origin'], { cwd: dir });
    const config = join(tempDir(), 'policy.yml');
    // The release branches carry releases here: a tag on one of them would look misplaced without it.
    writeFileSync(config, `extends: [${join(dir, '.releasepolicyrc.yml')}]\nbranches: { maintenance: ["release/*"], integration: null }\n`);
    const report = JSON.parse(cli(['-C', dir, '-c', config, '-f', 'json']).stdout);
    const reasons = report.inconclusive.map((i: { ruleId: string; reason: string }) => `${i.ruleId}: ${i.reason}`);
    expect(reasons).toEqual(['tag-reachable: 1 release line on origin is not in this clone (release/0.6.7-preview), so the tags on it would look misplaced']);
    expect(report.inconclusive[0].fix).toMatch(/git fetch origin; a clone made with --single-branch fetches only one/);
    // Fetching the branches, as the fix says, makes it conclusive.
    execFileSync('git', ['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*'], { cwd: dir });
    expect(JSON.parse(cli(['-C', dir, '-c', config, '-f', 'json']).stdout).inconclusive).toEqual([]);
  });

  it('a partial clone whose blobs are missing, without fetching them', () => {
    execFileSync('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: origin() });
    const dir = join(tempDir(), 'blobless');
    execFileSync('git', ['clone', '-q', '--filter=blob:none', `file://${origin()}`, dir]);
    const missing = () => execFileSync('git', ['rev-list', '--objects', '--all', '--missing=print'], { cwd: dir, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('?')).length;
    const before = missing();
    expect(before).toBeGreaterThan(0);
    const result = cli(['-C', dir, '-f', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.inconclusive.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual([
      'changelog-baseline',
      'hotfix-backport',
      'manifest-baseline',
      'metadata-version-match',
      'release-please-config-keys',
      'release-please-release-as',
      'workflow-release-please-cli',
    ]);
    expect(report.inconclusive.find((i: { ruleId: string }) => i.ruleId === 'metadata-version-match').reason).toBe(
      'this is a partial clone and the files at some tags and branches were never downloaded; release-lint does not download objects',
    );
    expect(report.inconclusive[0].fix).toMatch(/clone without --filter/);
    // Files that were never read are not reported as missing.
    expect(report.findings).toEqual([]);
    expect(missing()).toBe(before);
    expect(cli(['-C', dir, '--allow-inconclusive']).code).toBe(0);
  });
});

