import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSynthetic, syntheticPolicy } from '../fixtures/synthetic.js';
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
