// A release tag push as GitHub Actions sees it: actions/checkout@v4 (fetch-depth: 0) fetches every
// tag, then replaces the pushed tag by a lightweight tag of its commit. The Action puts origin's
// tag back before linting; the CLI alone leaves tag-annotated and tag-immutable undecided for it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../fixtures/git-fixture.js';
import { actionStepEnv, cli, lintSnapshot, snapshotOf, tag, tempDir } from './helpers.js';

const actionPath = resolve(__dirname, '..');

interface Report {
  findings: Array<{ ruleId: string; target: { name: string } }>;
  inconclusive: Array<{ ruleId: string; target: { name: string }; reason: string; fix: string }>;
}

let root: string;
let origin: string;

beforeAll(() => {
  root = tempDir();
  const seed = GitFixture.init(root);
  seed.commit('first release', {
    '.releasepolicyrc.yml': 'extends: [recommended]\nrules:\n  tag-annotated: error\n',
    'package.json': '{ "name": "demo", "version": "1.0.0" }\n',
    'CHANGELOG.md': '# Changelog\n\n## 1.0.0 (2026-01-05)\n\n- first\n',
  });
  seed.tag('v1.0.0', { message: 'Release v1.0.0' });
  seed.commit('second release', {
    'package.json': '{ "name": "demo", "version": "1.1.0" }\n',
    'CHANGELOG.md': '# Changelog\n\n## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2026-01-06)\n\n- second\n\n## 1.0.0 (2026-01-05)\n\n- first\n',
  });
  // Truly lightweight, as pushed: the Action must still report it.
  seed.tag('v1.1.0');
  origin = join(dirname(seed.publish().dir), 'origin.git');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** What actions/checkout@v4 with fetch-depth: 0 does for a push of `tagName`, in a new folder. */
function checkoutForTagPush(tagName: string): { dir: string; sha: string } {
  const dir = join(root, `checkout-${tagName}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const sha = git(origin, 'rev-parse', `refs/tags/${tagName}^{commit}`);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'fetch', '--prune', '--progress', '--no-recurse-submodules', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
  git(dir, 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', 'origin', `+${sha}:refs/tags/${tagName}`);
  git(dir, 'checkout', '--progress', '--force', `refs/tags/${tagName}`);
  return { dir, sha };
}

/** Runs the Action's lint step in `dir` as a workflow run for a push of `tagName` would. */
function runActionForTagPush(dir: string, tagName: string, sha: string, { fromParent = false } = {}): { code: number; stdout: string; report: Report; outputs: string } {
  const outputFile = join(dir, '..', `${tagName}-output`);
  const summaryFile = join(dir, '..', `${tagName}-summary.md`);
  const reportFile = join(dir, '..', `${tagName}-report.json`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const result = spawnSync('bash', [join(actionPath, 'action', 'run.sh')], {
    // fromParent: a workflow that checked out into a subfolder (actions/checkout's path:) and names it with -C.
    cwd: fromParent ? dirname(dir) : dir,
    encoding: 'utf8',
    env: actionStepEnv({
      actionPath,
      workspace: fromParent ? dirname(dir) : dir,
      ref: `refs/tags/${tagName}`,
      sha,
      outputFile,
      summaryFile,
      inputs: { INPUT_ARGS: `${fromParent ? `-C ${basename(dir)} ` : ''}-f json=${reportFile}` },
    }),
  });
  expect(result.stderr).not.toMatch(/::warning/);
  return { code: result.status ?? -1, stdout: result.stdout, report: JSON.parse(readFileSync(reportFile, 'utf8')) as Report, outputs: readFileSync(outputFile, 'utf8') };
}

const about = (entries: Array<{ ruleId: string; target: { name: string } }>, tagName: string) =>
  entries.filter((e) => e.target.name === tagName).map((e) => e.ruleId);

describe('a release tag push in GitHub Actions', () => {
  it('replaying actions/checkout leaves the pushed annotated tag lightweight (the bug the Action works around)', () => {
    const { dir } = checkoutForTagPush('v1.0.0');
    expect(git(dir, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('commit');
    expect(git(origin, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag');
  });

  it('the Action judges the annotated tag as origin has it: no tag-annotated or tag-immutable finding', () => {
    const { dir, sha } = checkoutForTagPush('v1.0.0');
    const { code, stdout, report, outputs } = runActionForTagPush(dir, 'v1.0.0', sha);
    expect(git(dir, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag');
    expect(about(report.findings, 'v1.0.0')).not.toContain('tag-annotated');
    expect(about(report.findings, 'v1.0.0')).not.toContain('tag-immutable');
    expect(about(report.inconclusive, 'v1.0.0')).toEqual([]);
    // The annotations name v1.1.0 (pushed lightweight) only.
    expect(stdout).toMatch(/tag-annotated::v1\.1\.0 is a lightweight tag/);
    expect(stdout).not.toMatch(/v1\.0\.0/);
    // Nothing left undecided: the SARIF may be uploaded; the job fails for v1.1.0.
    expect(outputs).toMatch(/^upload=true$/m);
    expect(outputs).toMatch(/^exit-code=1$/m);
    expect(code).toBe(0);
  });

  it('re-fetches the tag in the repository given with -C, not in the current folder', () => {
    const { dir, sha } = checkoutForTagPush('v1.0.0');
    const { report } = runActionForTagPush(dir, 'v1.0.0', sha, { fromParent: true });
    expect(git(dir, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag');
    expect(about(report.findings, 'v1.0.0')).toEqual([]);
    expect(about(report.inconclusive, 'v1.0.0')).toEqual([]);
  });

  it('the Action still reports a tag that was pushed lightweight', () => {
    const { dir, sha } = checkoutForTagPush('v1.1.0');
    const { report, outputs } = runActionForTagPush(dir, 'v1.1.0', sha);
    expect(about(report.findings, 'v1.1.0')).toContain('tag-annotated');
    expect(about(report.findings, 'v1.1.0')).not.toContain('tag-immutable');
    expect(outputs).toMatch(/^exit-code=1$/m);
  });

  it('the CLI alone, in that checkout, leaves tag-annotated and tag-immutable inconclusive for the tag and names the fetch', () => {
    const { dir } = checkoutForTagPush('v1.0.0');
    const result = cli(['check', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(result.stdout) as Report;
    expect(about(report.findings, 'v1.0.0')).toEqual([]);
    const undecided = report.inconclusive.filter((i) => i.target.name === 'v1.0.0');
    expect(undecided.map((i) => i.ruleId).sort()).toEqual(['tag-annotated', 'tag-immutable']);
    for (const entry of undecided) {
      expect(entry.reason).toMatch(/lightweight tag here, but origin's v1\.0\.0 is an annotated tag of the same commit/);
      expect(entry.fix).toContain('git fetch --force origin refs/tags/v1.0.0:refs/tags/v1.0.0');
    }
    // Undecided rules fail the run unless --allow-inconclusive: never a pass.
    expect(result.code).toBe(1);
  });
});

describe('a snapshot saved before tags recorded what origin has', () => {
  it('loads, with the remote tag taken as unknown (never undecided for that reason)', () => {
    const dir = tempDir();
    try {
      const { dir: checkout } = checkoutForTagPush('v1.0.0');
      const saved = JSON.parse(cli(['snapshot'], { cwd: checkout }).stdout) as { tags: Array<Record<string, unknown>> };
      const v100 = saved.tags.find((t) => t.name === 'v1.0.0')!;
      expect(v100).toMatchObject({ annotated: false, remoteAnnotated: true });
      for (const savedTag of saved.tags) {
        delete savedTag.remoteAnnotated;
        delete savedTag.remoteCommit;
      }
      const file = join(dir, 'old.json');
      writeFileSync(file, JSON.stringify(saved));
      const result = cli(['--snapshot', file, '-f', 'json'], { cwd: checkout });
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as Report;
      expect(about(report.findings, 'v1.0.0')).toEqual(['tag-annotated', 'tag-immutable']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tag-annotated and tag-immutable with origin annotated', () => {
  const commit = 'c'.repeat(40);
  it('report a local lightweight tag of another commit than origin annotated (a moved tag)', async () => {
    const snapshot = snapshotOf({
      tags: [tag('v1.0.0', { annotated: false, objectType: 'commit', object: 'a'.repeat(40), commit: 'a'.repeat(40), remoteObject: 'b'.repeat(40), remoteAnnotated: true, remoteCommit: commit })],
    });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated', 'tag-immutable']);
    expect(evaluation.findings.map((f) => f.ruleId).sort()).toEqual(['tag-annotated', 'tag-immutable']);
    expect(evaluation.inconclusive).toEqual([]);
  });

  it('are undecided for a local lightweight copy of origin annotated tag at the same commit', async () => {
    const snapshot = snapshotOf({
      tags: [tag('v1.0.0', { annotated: false, objectType: 'commit', object: commit, commit, remoteObject: 'b'.repeat(40), remoteAnnotated: true, remoteCommit: commit })],
    });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated', 'tag-immutable']);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.inconclusive.map((i) => i.ruleId).sort()).toEqual(['tag-annotated', 'tag-immutable']);
  });

  it('report a lightweight tag that origin has lightweight too', async () => {
    const snapshot = snapshotOf({
      tags: [tag('v1.0.0', { annotated: false, objectType: 'commit', object: commit, commit, remoteObject: commit, remoteAnnotated: false, remoteCommit: commit })],
    });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated', 'tag-immutable']);
    expect(evaluation.findings.map((f) => f.ruleId)).toEqual(['tag-annotated']);
  });
});
