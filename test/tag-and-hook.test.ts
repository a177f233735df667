import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../fixtures/git-fixture.js';
import { policyConfig, releaseFiles } from '../fixtures/release-files.js';
import { buildClean, commitRecoveryRelease, recoveryMessage, type Scenario } from '../fixtures/scenarios.js';
import { cli, findingKeys, pathWithReleaseLint, tempDir } from './helpers.js';

let clean: Scenario;
let origin: string;
beforeAll(() => {
  clean = buildClean();
  origin = join(dirname(clean.clone.dir), 'origin.git');
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

/** A fresh clone of the clean repository's origin (each test may push to its own origin copy). */
function freshClone(): { repo: GitFixture; origin: string } {
  const dir = tempDir();
  const copy = join(dir, 'origin.git');
  execFileSync('git', ['clone', '-q', '--bare', '--no-local', origin, copy]);
  const repo = new GitFixture(join(dir, 'aegis'));
  execFileSync('git', ['clone', '-q', '--no-local', copy, repo.dir]);
  repo.git('branch', '-q', '--track', 'develop', 'origin/develop');
  return { repo, origin: copy };
}

/** Release Please's recovery release commit on main, pushed: the next thing a maintainer tags. */
function recoveryCommitOnMain(repo: GitFixture): void {
  commitRecoveryRelease(repo);
  repo.git('push', '-q', 'origin', 'main');
}

const json = (args: string[], cwd?: string) => {
  const result = cli([...args, '-f', 'json'], { cwd });
  return { code: result.code, report: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
};

describe('release-lint tag', () => {
  it('passes a good candidate with exit 0: annotated, recovery lines, on main, metadata and CHANGELOG in order', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    const message = recoveryMessage('0.6.6-preview.1', 77);
    const result = cli(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '-m', message[0], '-m', message[1]]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/✔ no problems: safe to push · v0\.6\.6-preview\.1 checked against 9 rules/);
    expect(result.code).toBe(0);
  });

  it('reports a recovery candidate without its lines, and nothing about other objects', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    const { code, report } = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '-m', 'Release v0.6.6-preview.1']);
    expect(code).toBe(1);
    expect(findingKeys(report)).toEqual(['tag-recovery-lines | tag v0.6.6-preview.1 | error']);
    const lightweight = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir]);
    expect(findingKeys(lightweight.report)).toEqual(['tag-annotated | tag v0.6.6-preview.1 | error', 'tag-recovery-lines | tag v0.6.6-preview.1 | error']);
  });

  it('places a candidate at a commit no ref points at (main moved on since) on its release line', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    repo.commit('docs: a note after the release commit', { 'docs/note.md': 'later\n' });
    repo.git('push', '-q', 'origin', 'main');
    const message = recoveryMessage('0.6.6-preview.1', 77);
    // The history graph holds only the commits refs point at: this one joins it by a second walk.
    const result = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '--ref', 'origin/main~1', '-m', message[0], '-m', message[1]]);
    expect(result.report.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('reports every version source that disagrees with the candidate, and its CHANGELOG', () => {
    const { report, code } = json(['tag', 'v0.6.7', '-C', clean.clone.dir, '--ref', 'origin/main', '-m', 'Release v0.6.7']);
    expect(code).toBe(1);
    expect(report.findings.map((f: { message: string }) => f.message)).toEqual([
      'v0.6.7: .release-please-manifest.json has 0.6.6-preview at /., not 0.6.7',
      'v0.6.7: deploy/helm/aegis/Chart.yaml has 0.6.6-preview at /appVersion, not 0.6.7',
      'v0.6.7: deploy/helm/aegis/Chart.yaml has 0.6.6-preview at /version, not 0.6.7',
      'v0.6.7: package-lock.json has 0.6.6-preview at /packages//version, not 0.6.7',
      'v0.6.7: package-lock.json has 0.6.6-preview at /version, not 0.6.7',
      'v0.6.7: package.json has 0.6.6-preview at /version, not 0.6.7',
      'v0.6.7: CHANGELOG.md has no heading for 0.6.7 (its newest is 0.6.6-preview)',
    ]);
  });

  it('reports a candidate on a commit outside production, with its CHANGELOG baseline checked at that commit', () => {
    const { report } = json(['tag', 'v0.6.7-preview', '-C', clean.clone.dir, '--ref', 'origin/release/0.6.7-preview', '-m', 'Release v0.6.7-preview']);
    expect(findingKeys(report)).toEqual(['tag-reachable | tag v0.6.7-preview | error']);
  });

  it('reports a candidate whose CHANGELOG range starts at the wrong tag', () => {
    const { repo } = freshClone();
    const changelog: Array<[string, string]> = [['0.6.7', 'v0.6.4'], ['0.6.6-preview', 'v0.6.5-preview.1']];
    repo.commit('chore(main): release 0.6.7', releaseFiles({ version: '0.6.7', changelog }));
    repo.git('push', '-q', 'origin', 'main');
    const { report } = json(['tag', 'v0.6.7', '-C', repo.dir, '-m', 'Release v0.6.7']);
    expect(findingKeys(report)).toEqual(['changelog-baseline | tag v0.6.7 | error']);
    expect(report.findings[0].message).toBe('CHANGELOG entry 0.6.7 compares from v0.6.4, but the latest published tag below it is v0.6.6-preview');
  });

  it('finds the CHANGELOG baseline of a candidate when that release is a tag of a tag', () => {
    const { repo } = freshClone();
    // v0.6.6-preview re-made as an annotated tag of its own tag object: it peels to the same commit in two steps.
    const inner = repo.git('rev-parse', 'v0.6.6-preview').trim();
    repo.git('tag', '-f', '-a', 'v0.6.6-preview', inner, '-m', 'Release v0.6.6-preview (re-signed)');
    expect(repo.git('cat-file', '-t', 'v0.6.6-preview^{tag}^{}').trim()).toBe('commit');
    // The range skips it: the baseline must be found through the two tag objects to be reported,
    // by ancestry (the runbook's preset takes the latest published version instead).
    repo.commit('chore(main): release 0.6.7', releaseFiles({ version: '0.6.7', changelog: [['0.6.7', 'v0.6.5-preview.1'], ['0.6.6-preview', 'v0.6.5-preview.1']] }));
    repo.git('push', '-q', 'origin', 'main');
    writeFileSync(join(repo.dir, '.releasepolicyrc.yml'), `${policyConfig}rules:\n  changelog-baseline: [error, { baseline: ancestor }]\n`);
    const { report } = json(['tag', 'v0.6.7', '-C', repo.dir, '-m', 'Release v0.6.7']);
    expect(findingKeys(report)).toEqual(['changelog-baseline | tag v0.6.7 | error']);
    expect(report.findings[0].message).toBe('CHANGELOG entry 0.6.7 compares from v0.6.5-preview.1, but the previous published release in its history is v0.6.6-preview');
  });

  it('is inconclusive, not passed, when the remote has a release tag this clone has not fetched', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    // A higher release published meanwhile from another clone: origin has it, this clone does not.
    repo.git('push', '-q', 'origin', 'origin/main~1:refs/tags/v0.9.0');
    const message = recoveryMessage('0.6.6-preview.1', 77);
    const { report, code } = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '-m', message[0], '-m', message[1]]);
    expect(code).toBe(1);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive.map((i: { reason: string }) => i.reason)).toContain('1 release tag on origin is not in this clone (v0.9.0): the tags were not fetched');
  });

  it('tells a candidate it lacks the CHANGELOG the project keeps, though its newest release has none', () => {
    const { repo } = freshClone();
    // The highest version is a prerelease tagged on a side commit without a CHANGELOG.
    repo.git('checkout', '-q', '-b', 'prerelease/9.0', 'origin/main');
    repo.git('rm', '-q', 'CHANGELOG.md');
    repo.git('commit', '-q', '-m', 'chore: 9.0.0-beta.1');
    repo.git('tag', '-a', 'v9.0.0-beta.1', '-m', 'Release v9.0.0-beta.1');
    repo.git('push', '-q', 'origin', 'prerelease/9.0', 'v9.0.0-beta.1');
    repo.git('checkout', '-q', 'main');
    repo.commit('chore(main): release 0.6.7', releaseFiles({ version: '0.6.7', changelog: [['0.6.7', 'v0.6.6-preview']] }));
    repo.git('rm', '-q', 'CHANGELOG.md');
    repo.git('commit', '-q', '-m', 'chore: drop the CHANGELOG');
    repo.git('push', '-q', 'origin', 'main');
    const { report } = json(['tag', 'v0.6.7', '-C', repo.dir, '-m', 'Release v0.6.7', '--offline']);
    expect(report.findings.map((f: { message: string }) => f.message)).toContain('v0.6.7: CHANGELOG.md does not exist at the tagged commit');
  });

  it('reports a candidate whose name already exists on the remote, and a version below one already published', () => {
    const { repo } = freshClone();
    repo.git('tag', '-d', 'v0.6.6-preview');
    const { report, code } = json(['tag', 'v0.6.6-preview', '-C', repo.dir, '--ref', 'origin/main', '-m', 'Release v0.6.6-preview']);
    expect(code).toBe(1);
    expect(findingKeys(report)).toEqual(['tag-immutable | tag v0.6.6-preview | error']);
    expect(report.findings[0].message).toMatch(/^v0\.6\.6-preview already exists on origin \([0-9a-f]{12}\); a published tag is never recreated$/);
    const lower = json(['tag', 'v0.6.5', '-C', clean.clone.dir, '--ref', 'v0.6.4', '-m', 'Release v0.6.5']);
    expect(lower.report.findings[0].message).toBe('v0.6.5: 0.6.5 is not above 0.6.6-preview, which was published before it');
  });

  it('lints an existing local tag as it is', () => {
    const { report, code } = json(['tag', 'v0.6.6-preview', '-C', clean.clone.dir]);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('is not held up by facts the candidate does not need (no develop branch)', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    repo.git('branch', '-D', 'develop');
    repo.git('update-ref', '-d', 'refs/remotes/origin/develop');
    expect(JSON.parse(cli(['-C', repo.dir, '-f', 'json']).stdout).inconclusive.map((i: { ruleId: string }) => i.ruleId)).toEqual(['hotfix-backport', 'manifest-baseline']);
    const message = recoveryMessage('0.6.6-preview.1');
    const { code, report } = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '-m', message[0], '-m', message[1]]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(0);
  });

  it('is inconclusive offline, because the remote may already have the name', () => {
    const { repo } = freshClone();
    recoveryCommitOnMain(repo);
    const message = recoveryMessage('0.6.6-preview.1');
    const offline = json(['tag', 'v0.6.6-preview.1', '-C', repo.dir, '-m', message[0], '-m', message[1], '--offline']);
    expect(offline.code).toBe(1);
    expect(offline.report.inconclusive.map((i: { ruleId: string; reason: string }) => [i.ruleId, i.reason])).toEqual([
      ['tag-immutable', '--offline: the tags on origin were not read'],
    ]);
  });

  it('refuses a --ref that names no commit, and extra arguments', () => {
    const bad = cli(['tag', 'v1.0.0', '-C', clean.clone.dir, '--ref', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('release-lint: --ref "no-such-branch" does not name a commit in this repository');
    expect(cli(['tag', '-C', clean.clone.dir]).stderr.trim()).toBe('release-lint: tag needs the tag name: release-lint tag <name>');
    expect(cli(['check', '--ref', 'main', '-C', clean.clone.dir]).stderr.trim()).toBe('release-lint: --ref, -m and --message-file go with the tag command');
  });
});

describe('pre-push hook', () => {
  // The hook runs release-lint as the team installed it; here, the build under test on PATH.
  let path: string;
  beforeAll(() => {
    path = pathWithReleaseLint();
  });
  const push = (repo: GitFixture, ...args: string[]) =>
    spawnSync('git', ['push', ...args], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', PATH: path } });
  const remoteTag = (originDir: string, name: string) => execFileSync('git', ['ls-remote', originDir, `refs/tags/${name}`], { encoding: 'utf8' }).trim();

  it('refuses a lightweight release tag and a moved published tag, and lets a good tag and branches through', () => {
    const { repo, origin: originDir } = freshClone();
    const installed = cli(['install-hook', '-C', repo.dir]);
    expect(installed.code).toBe(0);
    expect(installed.stdout.trim()).toBe(`release-lint: installed ${join(repo.dir, '.git', 'hooks', 'pre-push')}`);

    // A branch push passes through the hook.
    recoveryCommitOnMain(repo);

    repo.tag('v0.6.6-preview.1');
    const lightweight = push(repo, 'origin', 'v0.6.6-preview.1');
    expect(lightweight.status).not.toBe(0);
    expect(lightweight.stderr).toMatch(/^error {2}tag-annotated · 1 finding · /m);
    expect(lightweight.stderr).toContain('\n  - v0.6.6-preview.1 is a lightweight tag; release tags must be annotated\n');
    expect(lightweight.stderr).toMatch(/do not push/);
    expect(remoteTag(originDir, 'v0.6.6-preview.1')).toBe('');

    repo.tag('v0.6.6-preview.1', { message: recoveryMessage('0.6.6-preview.1') });
    const good = push(repo, 'origin', 'v0.6.6-preview.1');
    expect(good.stderr).not.toContain('error');
    expect(good.status).toBe(0);
    const published = remoteTag(originDir, 'v0.6.6-preview.1');
    expect(published).toMatch(/^[0-9a-f]{40}\trefs\/tags\/v0\.6\.6-preview\.1$/);

    // Moving the published tag and force-pushing it is a rewrite: refused, the remote keeps its tag.
    repo.tag('v0.6.6-preview.1', { message: recoveryMessage('0.6.6-preview.1', 78) });
    const moved = push(repo, '-f', 'origin', 'v0.6.6-preview.1');
    expect(moved.status).not.toBe(0);
    expect(moved.stderr).toMatch(/^error {2}tag-immutable · 1 finding · /m);
    expect(moved.stderr).toMatch(/^ {2}- v0\.6\.6-preview\.1 is [0-9a-f]{12} here but [0-9a-f]{12} on origin; a published tag is never moved or recreated$/m);
    expect(remoteTag(originDir, 'v0.6.6-preview.1')).toBe(published);

    // Deleting a published tag is refused too, also after deleting it locally first (the
    // "delete and re-push" the runbook forbids); only the deletion is reported.
    const deleted = push(repo, 'origin', ':refs/tags/v0.6.6-preview');
    expect(deleted.status).not.toBe(0);
    expect(deleted.stderr).toMatch(/v0\.6\.6-preview: the push would delete the published tag/);
    repo.git('tag', '-d', 'v0.6.6-preview');
    const deletedLocally = push(repo, '--delete', 'origin', 'v0.6.6-preview');
    expect(deletedLocally.status).not.toBe(0);
    expect(deletedLocally.stderr).toMatch(/^error {2}tag-immutable · 1 finding · /m);
    expect(deletedLocally.stderr).toMatch(/^ {2}- v0\.6\.6-preview: the push would delete the published tag \([0-9a-f]{12} on origin\)$/m);
    expect(deletedLocally.stderr).toMatch(/✖ 1 problem \(1 error, 0 warnings\): do not push/);
    expect(remoteTag(originDir, 'v0.6.6-preview')).not.toBe('');
  });

  it('keeps a foreign hook only with --force, and then runs it first', () => {
    const { repo } = freshClone();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-push');
    const marker = join(tempDir(), 'foreign-ran');
    writeFileSync(hook, `#!/bin/sh\ncat > /dev/null\ntouch '${marker}'\n`);
    chmodSync(hook, 0o755);
    const refused = cli(['install-hook', '-C', repo.dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `release-lint: ${hook}: a pre-push hook that release-lint did not write is already installed; rerun with --force to keep it as pre-push.local and run it before release-lint`,
    );
    expect(readFileSync(hook, 'utf8')).toContain('foreign-ran');
    expect(cli(['install-hook', '-C', repo.dir, '--force']).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'pre-push.local'), 'utf8')).toContain('foreign-ran');
    // Installing again replaces our own hook without --force.
    expect(cli(['install-hook', '-C', repo.dir]).code).toBe(0);
    repo.tag('v0.6.6-preview.1');
    expect(push(repo, 'origin', 'v0.6.6-preview.1').status).not.toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('lets a release through when the same push moves the branch it is tagged on (git push origin main v0.6.7, --follow-tags)', () => {
    const { repo } = freshClone();
    expect(cli(['install-hook', '-C', repo.dir]).code).toBe(0);
    repo.commit('chore(main): release 0.6.7', releaseFiles({ version: '0.6.7', changelog: [['0.6.7', 'v0.6.6-preview'], ['0.6.6-preview', 'v0.6.5-preview.1']] }));
    repo.git('tag', '-a', 'v0.6.7', '-m', 'Release v0.6.7');
    // origin/main is still the previous commit: only the push itself puts the tag on production.
    const both = push(repo, 'origin', 'main', 'v0.6.7');
    expect(both.stderr).not.toContain('tag-reachable');
    expect(both.status).toBe(0);
  });

  it('reads git\'s pre-push input directly', () => {
    const { repo } = freshClone();
    const head = repo.git('rev-parse', 'HEAD');
    const zero = '0'.repeat(40);
    const run = (input: string) => spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'release-lint.js'), 'hook', 'pre-push', 'origin', 'url'], { cwd: repo.dir, input, encoding: 'utf8' });
    expect(run(`refs/heads/main ${head} refs/heads/main ${zero}\n`).status).toBe(0);
    expect(run('').status).toBe(0);
    const lightweight = run(`refs/tags/v9.9.9 ${head} refs/tags/v9.9.9 ${zero}\n`);
    expect(lightweight.status).toBe(1);
    expect(lightweight.stderr).toContain('v9.9.9 is a lightweight tag');
  });
});
