import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRightFirstRun } from './first-run.js';
import type { GitFixture } from '../../fixtures/git-fixture.js';
import { removeFixture } from '../../fixtures/styles/common.js';
import { buildRpMerges, releasePleaseBranch, type RpMergesRepository } from '../../fixtures/styles/release-please-merges.js';
import { cli, findingKeys } from '../helpers.js';

let repo: RpMergesRepository;
let taggedBeforeMerge: GitFixture;

beforeAll(() => {
  repo = buildRpMerges();
  taggedBeforeMerge = repo.taggedBeforeMerge();
});
afterAll(() => removeFixture(repo?.seed));

function lint(dir: string, ...args: string[]) {
  const result = cli(['-C', dir, '-f', 'json', ...args]);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout);
  return { code: result.code, report, findings: report.findings as Array<{ message: string; fix: string; evidence: Record<string, unknown> }> };
}

describe('Release Please with merge commits and lightweight tags', () => {
  it('is built as the style is: merge commits, lightweight tags at the merges, an open release PR', () => {
    const git = (...args: string[]) => repo.clone.git(...args);
    const tags = git('for-each-ref', '--format=%(refname:short) %(objecttype)', 'refs/tags').split('\n');
    expect(tags).toEqual(['v1.3.0 commit', 'v1.4.0 commit', 'v1.4.1 commit', 'v2.0.0 commit', 'v2.0.0-rc.1 commit', 'v2.0.0-rc.2 commit']);
    // Every release after the first is tagged at the merge commit of its release PR.
    for (const tag of ['v1.4.0', 'v1.4.1', 'v2.0.0-rc.1', 'v2.0.0-rc.2', 'v2.0.0']) {
      expect(git('log', '-1', '--format=%P', tag).split(' ')).toHaveLength(2);
      expect(git('log', '-1', '--format=%s', tag)).toMatch(new RegExp(`^Merge pull request #\\d+ from example/${releasePleaseBranch}$`));
      expect(git('log', '-1', '--format=%s', `${tag}^2`)).toBe(`chore(main): release ${tag.slice(1)}`);
    }
    // No commit on main's first-parent line except the first is a plain commit: everything lands by merge.
    const firstParents = git('rev-list', '--first-parent', '--parents', 'origin/main').split('\n');
    expect(firstParents.slice(0, -1).every((line) => line.split(' ').length === 3)).toBe(true);
    expect(git('branch', '-r').split('\n').map((b) => b.trim())).toEqual([
      'origin/HEAD -> origin/main',
      'origin/dependabot/npm_and_yarn/semver-7.6.4',
      'origin/main',
      `origin/${releasePleaseBranch}`,
    ]);
    expect(git('log', '-1', '--format=%s', `origin/${releasePleaseBranch}`)).toBe('chore(main): release 2.0.1');
    expect(git('show', `origin/${releasePleaseBranch}:package.json`)).toContain('"version": "2.0.1"');
    expect(git('show', 'origin/main:.release-please-manifest.json')).toBe('{\n  ".": "2.0.0"\n}');
    expect(git('show', 'origin/main:CHANGELOG.md')).toContain('## [2.0.0](https://github.com/example/rp-merges/compare/v2.0.0-rc.2...v2.0.0)');
    expect(git('show', 'origin/main:release-please-config.json')).not.toContain('release-as');
  });

  it('finds nothing in the correct history, and exits 0', () => {
    const { code, report } = lint(repo.clone.dir);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, inconclusive: 0 });
    expect(code).toBe(0);
  });

  it('reports v2.0.1 tagged on the release PR branch before the PR merged', () => {
    const { code, report, findings } = lint(taggedBeforeMerge.dir);
    expect(findingKeys(report)).toEqual(['tag-reachable | tag v2.0.1 | error']);
    expect(findings[0].message).toMatch(/^v2\.0\.1 points at [0-9a-f]{12}, which is on origin\/release-please--branches--main but not on origin\/main$/);
    expect(findings[0].fix).toContain('v2.0.1 belongs on origin/main, at the commit where the release landed.');
    expect(findings[0].evidence).toMatchObject({ otherBranch: releasePleaseBranch, published: true });
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });
});

describe('the first run', () => {
  it('is quiet without a config, and init writes a policy under which check finds exactly the planted mistakes', () => {
    expectRightFirstRun(repo.clone.dir, [taggedBeforeMerge.dir]);
  });
});
