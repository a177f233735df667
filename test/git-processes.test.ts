import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSynthetic, syntheticPolicy } from '../fixtures/synthetic.js';
import { isRuleFileName } from '../src/engine/rules.js';
import { cli, tempDir } from './helpers.js';

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
let shimDir: string;
let root: string;

beforeAll(() => {
  shimDir = tempDir();
  writeFileSync(join(shimDir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "$GIT_CALL_LOG"\nexec "${realGit}" "$@"\n`);
  chmodSync(join(shimDir, 'git'), 0o755);
  root = tempDir();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The git command lines one `release-lint check` runs. */
function gitCalls(repo: string): string[] {
  const log = join(tempDir(), 'calls.log');
  writeFileSync(log, '');
  const result = cli(['-C', repo, '-f', 'json'], { env: { PATH: `${shimDir}:${process.env.PATH}`, GIT_CALL_LOG: log } });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).summary.errors).toBeGreaterThan(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('git process count', () => {
  it('is the same for 10 and for 10,000 tags, and small', () => {
    const small = buildSynthetic({ tags: 10, dir: join(root, 'small') });
    const large = buildSynthetic({ tags: 10_000, commitsBetween: 1, dir: join(root, 'large') });
    const smallCalls = gitCalls(small.clone);
    const largeCalls = gitCalls(large.clone);
    expect(largeCalls.length).toBe(smallCalls.length);
    expect(largeCalls.length).toBeLessThanOrEqual(7);
    // `git config` lists the remotes: ls-remote connects only to one of them.
    expect(largeCalls.map((c) => c.replace(/^(-c \S+ )+/, '').split(' ')[0]).sort()).toEqual(['cat-file', 'config', 'for-each-ref', 'log', 'ls-remote', 'rev-list', 'rev-parse']);
    // Every tag of the large repository was read and judged.
    const snapshot = JSON.parse(cli(['snapshot', '-C', large.clone]).stdout);
    expect(snapshot.tags).toHaveLength(10_000);
    expect(snapshot.tags.filter((t: { reachable: boolean }) => !t.reachable)).toHaveLength(500);
    expect(snapshot.tags.filter((t: { releaseLine: string }) => t.releaseLine === 'main')).toHaveLength(9_500);
    expect(snapshot.tags.filter((t: { annotated: boolean }) => !t.annotated)).toHaveLength(3333);
  });

  it('runs its own commands when the config names other refs, and stops the early guesses', () => {
    const repo = buildSynthetic({ tags: 10, dir: join(root, 'other-refs') });
    const git = (...args: string[]) => execFileSync(realGit, args, { cwd: repo.clone, encoding: 'utf8' }).trim();
    // upstream: the same repository, with its main five releases behind origin's.
    git('remote', 'add', 'upstream', repo.origin);
    git('fetch', '--quiet', 'upstream');
    git('update-ref', 'refs/remotes/upstream/main', 'refs/remotes/origin/main~5');
    writeFileSync(join(repo.clone, '.releasepolicyrc.yml'), `${syntheticPolicy}remote: upstream\n`);
    const expected = git('for-each-ref', '--no-merged=refs/remotes/upstream/main', '--format=%(refname:short)', 'refs/tags/v*').split('\n').sort();
    expect(expected.length).toBeGreaterThan(1);

    const log = join(tempDir(), 'calls.log');
    writeFileSync(log, '');
    const result = cli(['-C', repo.clone, '-f', 'json'], { env: { PATH: `${shimDir}:${process.env.PATH}`, GIT_CALL_LOG: log } });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    // The early guesses for origin ran and were not used; the collector asked about upstream.
    expect(calls).toContain('rev-list --parents --simplify-by-decoration --glob=refs/tags/v* --glob=refs/remotes/origin/* --glob=refs/heads/*');
    expect(calls).toContain('rev-list --parents --simplify-by-decoration --glob=refs/tags/v* --glob=refs/remotes/upstream/* --glob=refs/heads/*');
    expect(calls).toContain('-c protocol.ext.allow=never ls-remote --tags --heads --end-of-options upstream');
    const unreachable = JSON.parse(result.stdout)
      .findings.filter((f: { ruleId: string }) => f.ruleId === 'tag-reachable')
      .map((f: { target: { name: string } }) => f.target.name)
      .sort();
    expect(unreachable).toEqual(expected);
  });

  it('takes the early commands also when run from a sub-folder of the work tree', () => {
    const repo = buildSynthetic({ tags: 10, dir: join(root, 'sub-folder') });
    execFileSync('mkdir', ['-p', join(repo.clone, 'deploy', 'inner')]);
    const log = join(tempDir(), 'calls.log');
    writeFileSync(log, '');
    const result = cli(['-f', 'json'], { cwd: join(repo.clone, 'deploy', 'inner'), env: { PATH: `${shimDir}:${process.env.PATH}`, GIT_CALL_LOG: log } });
    expect(JSON.parse(result.stdout).summary.errors).toBeGreaterThan(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(7);
  });
});

/** The git command lines of one run, and what it asked cat-file for (its standard input). */
function tracedRun(args: string[], cwd?: string): { calls: string[]; objectRequests: string[]; stdout: string } {
  const dir = tempDir();
  const log = join(dir, 'calls.log');
  const requests = join(dir, 'requests.log');
  writeFileSync(log, '');
  writeFileSync(requests, '');
  const result = cli(args, { cwd, env: { PATH: `${tracingShimDir}:${process.env.PATH}`, GIT_CALL_LOG: log, GIT_REQUEST_LOG: requests } });
  expect(result.stderr).toBe('');
  return {
    calls: readFileSync(log, 'utf8').trim().split('\n'),
    objectRequests: readFileSync(requests, 'utf8').split('\n').filter((line) => line !== ''),
    stdout: result.stdout,
  };
}

let tracingShimDir: string;

describe('facts on demand', () => {
  let repo: { clone: string; origin: string };
  let heads: Set<string>;
  beforeAll(() => {
    tracingShimDir = tempDir();
    // cat-file reads its requests from standard input: the shim copies them to a log on the way.
    writeFileSync(
      join(tracingShimDir, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> "$GIT_CALL_LOG"\ncase "$*" in *cat-file*) tee -a "$GIT_REQUEST_LOG" | "${realGit}" "$@"; exit $?;; esac\nexec "${realGit}" "$@"\n`,
    );
    chmodSync(join(tracingShimDir, 'git'), 0o755);
    repo = buildSynthetic({ tags: 60, releaseBranches: 3, otherBranches: 2, dir: join(root, 'facts') });
    const git = (...args: string[]) => execFileSync(realGit, args, { cwd: repo.clone, encoding: 'utf8' }).trim();
    // The fixture's branches all sit at main's head, a tagged commit: develop and a release branch
    // get commits of their own, so reading at a branch head cannot pass for reading at a tag.
    for (const branch of ['develop', 'release/9.9.0']) {
      git('update-ref', `refs/remotes/origin/${branch}`, git('commit-tree', 'origin/main^{tree}', '-p', 'origin/main', '-m', `work on ${branch}`));
    }
    const tagged = new Set(git('for-each-ref', '--format=%(*objectname)%(objectname)', 'refs/tags/').split('\n').map((line) => line.slice(0, 40)));
    heads = new Set(git('for-each-ref', '--format=%(objectname)', 'refs/remotes/', 'refs/heads/').split('\n').filter((commit) => !tagged.has(commit)));
    expect(heads.size).toBe(2);
  });

  /** Requests for a file at a commit (`<commit>:<path>`), by commit. */
  const fileReads = (requests: string[]) => requests.filter((r) => /^[0-9a-f]{40}:/.test(r)).map((r) => r.slice(0, 40));

  it('judges a candidate tag without walking the history, without the backport log and without reading branch heads', () => {
    const git = (...args: string[]) => execFileSync(realGit, args, { cwd: repo.clone, encoding: 'utf8' }).trim();
    // The candidate goes on production's previous commit: no branch head is the commit judged.
    const commit = git('rev-parse', 'origin/main~1');
    const run = tracedRun(['tag', 'v9.0.0', '--ref', commit, '-m', 'Release v9.0.0', '--offline', '-C', repo.clone, '-f', 'json']);
    expect(run.calls.some((c) => c.includes('rev-list'))).toBe(false);
    expect(run.calls.some((c) => / log /.test(` ${c} `))).toBe(false);
    // --merged only over named tags (they are found at once), never over every tag.
    expect(run.calls.filter((c) => c.includes('--merged')).every((c) => !c.includes('refs/tags/v*'))).toBe(true);
    expect(run.calls.filter((c) => c.includes('for-each-ref') && c.includes('%(contents)'))).toEqual([]);
    const reads = fileReads(run.objectRequests);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((c) => heads.has(c))).toEqual([]);
    expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('metadata-version-match');
  });

  it('runs the hook for one pushed tag the same way', () => {
    const git = (...args: string[]) => execFileSync(realGit, args, { cwd: repo.clone, encoding: 'utf8' }).trim();
    git('tag', '-a', 'v9.1.0', '-m', 'Release v9.1.0', 'origin/main~2');
    const object = git('rev-parse', 'v9.1.0');
    const dir = tempDir();
    const log = join(dir, 'calls.log');
    const requests = join(dir, 'requests.log');
    writeFileSync(log, '');
    writeFileSync(requests, '');
    const input = `refs/tags/v9.1.0 ${object} refs/tags/v9.1.0 ${'0'.repeat(40)}\n`;
    cli(['hook', 'pre-push', 'origin', repo.origin, '-C', repo.clone], { input, env: { PATH: `${tracingShimDir}:${process.env.PATH}`, GIT_CALL_LOG: log, GIT_REQUEST_LOG: requests } });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.some((c) => c.includes('rev-list') || / log /.test(` ${c} `) || c.includes('ls-remote'))).toBe(false);
    const reads = fileReads(readFileSync(requests, 'utf8').split('\n'));
    expect(reads.filter((c) => heads.has(c))).toEqual([]);
    git('tag', '-d', 'v9.1.0');
  });

  it('reads at release branch heads only the file the rules read there: the manifest', () => {
    const git = (...args: string[]) => execFileSync(realGit, args, { cwd: repo.clone, encoding: 'utf8' }).trim();
    // Two release branches with commits of their own (the fixture's all sit at main's head).
    const releaseHeads = new Set<string>();
    for (const version of ['9.3.0', '9.4.0']) {
      const commit = git('commit-tree', 'origin/main^{tree}', '-p', 'origin/main', '-m', `chore: release ${version}`);
      git('update-ref', `refs/remotes/origin/release/${version}`, commit);
      releaseHeads.add(commit);
    }
    const mainHead = git('rev-parse', 'origin/main');
    const run = tracedRun(['-C', repo.clone, '-f', 'json', '--offline']);
    for (const version of ['9.3.0', '9.4.0']) git('update-ref', '-d', `refs/remotes/origin/release/${version}`);
    const atReleaseHeads = run.objectRequests.filter((r) => releaseHeads.has(r.slice(0, 40))).map((r) => r.slice(41));
    expect([...new Set(atReleaseHeads)]).toEqual(['.release-please-manifest.json']);
    // The whole policy is judged: the backport log runs, and production's CHANGELOG is read.
    expect(run.calls.some((c) => / log /.test(` ${c} `))).toBe(true);
    expect(run.objectRequests).toContain(`${mainHead}:CHANGELOG.md`);
  });

  it('reads no files at branch heads when only the tag rules are enabled', () => {
    const ruleFiles = readdirSync(join(process.cwd(), 'rules')).filter(isRuleFileName);
    const off = ruleFiles.filter((f) => !/^given: tags$/m.test(readFileSync(join(process.cwd(), 'rules', f), 'utf8'))).map((f) => f.replace(/\.yml$/, ''));
    expect(off).toContain('manifest-baseline');
    const config = join(tempDir(), 'tag-rules.yml');
    writeFileSync(config, `${syntheticPolicy}rules:\n${off.map((id) => `  ${id}: off`).join('\n')}\n`);
    const run = tracedRun(['-C', repo.clone, '-c', config, '-f', 'json', '--offline']);
    expect(fileReads(run.objectRequests)).toEqual([]);
    expect(run.calls.some((c) => / log /.test(` ${c} `))).toBe(false);
    expect(JSON.parse(run.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'tag-reachable')).toBe(true);
  });
});
