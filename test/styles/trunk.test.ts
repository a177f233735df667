import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRightFirstRun } from './first-run.js';
import type { GitFixture } from '../../fixtures/git-fixture.js';
import { removeFixture } from '../../fixtures/styles/common.js';
import { buildTrunk, type TrunkRepository } from '../../fixtures/styles/trunk.js';
import { cli, findingKeys } from '../helpers.js';

let repo: TrunkRepository;
let staleBaseline: GitFixture;
let fixBranchRelease: GitFixture;
let lockMismatch: GitFixture;
let unpushedPatch: GitFixture;
let latestConfig: string;

beforeAll(() => {
  repo = buildTrunk();
  staleBaseline = repo.variant({ compareFrom17_11: 'v17.10.3' });
  fixBranchRelease = repo.variant({ releaseFromFixBranch: true });
  lockMismatch = repo.variant({ lockPackageVersionAt17_11: '17.10.4' });
  unpushedPatch = repo.variant({ unpushedOldLinePatch: true });
  // The same policy with the other baseline definition, extending the fixture's config by path.
  latestConfig = join(dirname(repo.clone.dir), 'baseline-latest.yml');
  writeFileSync(latestConfig, `extends: [${join(repo.clone.dir, '.releasepolicyrc.yml')}]\nrules:\n  changelog-baseline: [error, { baseline: latest }]\n`);
});
afterAll(() => removeFixture(repo?.seed));

interface Finding {
  ruleId: string;
  message: string;
  fix: string;
  evidence: Record<string, unknown>;
}

function lint(dir: string, ...args: string[]) {
  const result = cli(['-C', dir, '-f', 'json', ...args]);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout);
  return { code: result.code, report, findings: report.findings as Finding[] };
}

describe('trunk style: Release Please on main, lightweight tags, an old line on a deleted 12.x branch', () => {
  it('is built as the style is: lightweight tags, 12.x deleted with its tags kept, v12.6.3 just before v13.0.0', () => {
    const git = (...args: string[]) => repo.clone.git(...args);
    const tags = git('for-each-ref', '--format=%(refname:short) %(objecttype)', 'refs/tags').split('\n');
    expect(tags).toHaveLength(27);
    expect(tags.every((line) => line.endsWith(' commit'))).toBe(true);
    expect(git('branch', '-r').split('\n').map((b) => b.trim())).toEqual(['origin/HEAD -> origin/main', 'origin/feat/sarif-fingerprints', 'origin/main']);
    expect(git('branch', '-r', '--contains', 'v12.6.3')).toBe('');
    expect(git('branch', '-r', '--contains', 'v12.6.0')).toContain('origin/main');
    const date = (tag: string) => Number(git('log', '-1', '--format=%ct', tag));
    expect(date('v12.6.3')).toBeLessThan(date('v13.0.0'));
    // No release came between them: v12.6.3 is the last tag before v13.0.0.
    const byDate = git('for-each-ref', '--sort=creatordate', '--format=%(refname:short)', 'refs/tags').split('\n');
    expect(byDate[byDate.indexOf('v13.0.0') - 1]).toBe('v12.6.3');
    const changelog = git('show', 'origin/main:CHANGELOG.md');
    expect(changelog).toContain('## [13.0.0](https://www.github.com/example/trunk/compare/v12.6.0...v13.0.0)');
    expect(changelog).toContain('## [17.11.0](https://github.com/example/trunk/compare/v17.10.4...v17.11.0)');
    expect(changelog).not.toContain('12.6.3');
    expect(git('show', 'v12.6.3:CHANGELOG.md')).toContain('### [12.6.3](https://www.github.com/example/trunk/compare/v12.6.2...v12.6.3)');
    expect(git('show', 'v17.11.0:.release-please-manifest.json')).toBe('{\n  ".": "17.11.0"\n}');

    // How release-lint sees the old line's tags: published, on no branch of the remote.
    const snapshot = JSON.parse(cli(['snapshot', '-C', repo.clone.dir]).stdout);
    const v1263 = snapshot.tags.find((t: { name: string }) => t.name === 'v12.6.3');
    expect(v1263).toMatchObject({ annotated: false, published: true, releaseLine: '', otherBranch: '' });
  });

  it('finds nothing in the correct history, and exits 0', () => {
    const { code, report } = lint(repo.clone.dir);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, inconclusive: 0 });
    expect(code).toBe(0);
  });

  it('reports a 17.11.0 entry that compares from v17.10.3 instead of the trunk patch v17.10.4', () => {
    const { code, report, findings } = lint(staleBaseline.dir);
    expect(findingKeys(report)).toEqual(['changelog-baseline | branch main | error']);
    expect(findings[0].message).toBe('CHANGELOG entry 17.11.0 compares from v17.10.3, but the previous published release in its history is v17.10.4');
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });

  it('with baseline: latest, reports the 13.0.0 entry, since v12.6.3 was published just before it', () => {
    const { code, report, findings } = lint(repo.clone.dir, '-c', latestConfig);
    expect(findingKeys(report)).toEqual(['changelog-baseline | branch main | error']);
    expect(findings[0].message).toBe('CHANGELOG entry 13.0.0 compares from v12.6.0, but the latest published tag below it is v12.6.3');
    expect(findings[0].evidence).toMatchObject({ compareFrom: 'v12.6.0', expected: 'v12.6.3', baseline: 'latest' });
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });

  it('reports a release tagged on a pushed fix branch, and sends it to origin/main', () => {
    const { code, report, findings } = lint(fixBranchRelease.dir);
    expect(findingKeys(report)).toEqual(['tag-reachable | tag v17.11.1 | error']);
    expect(findings[0].message).toMatch(/^v17\.11\.1 points at [0-9a-f]{12}, which is on origin\/fix\/typo but not on origin\/main or a maintenance branch \(\*\.x\)$/);
    expect(findings[0].fix).toContain('v17.11.1 belongs on origin/main or on a maintenance branch (*.x), at the commit where the release landed.');
    expect(findings[0].evidence).toMatchObject({ otherBranch: 'fix/typo', releaseLine: '', published: true });
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });

  it('reports package-lock.json disagreeing with v17.11.0', () => {
    const { code, report, findings } = lint(lockMismatch.dir);
    expect(findingKeys(report)).toEqual(['metadata-version-match | tag v17.11.0 | error']);
    expect(findings[0].message).toBe('v17.11.0: package-lock.json has 17.10.4 at /packages//version, not 17.11.0');
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });

  it('reports an unpushed patch of the 13.0 line on a commit origin lacks, and sends it to a maintenance branch', () => {
    const { code, report, findings } = lint(unpushedPatch.dir);
    expect(findingKeys(report)).toEqual(['tag-reachable | tag v13.0.1 | error']);
    expect(findings[0].message).toMatch(/^v13\.0\.1 points at [0-9a-f]{12}, which is not on origin\/main or a maintenance branch \(\*\.x\)$/);
    expect(findings[0].fix).toContain('v13.0.1 patches the older 13.0 line: tag it on its maintenance branch (none exists: push one that matches *.x');
    expect(findings[0].fix).not.toContain('belongs on origin/main');
    expect(findings[0].fix).not.toMatch(/tag it on origin\/main/);
    expect(findings[0].evidence).toMatchObject({ otherBranch: '', releaseLine: '', published: false });
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });
});

describe('the first run', () => {
  it('is quiet without a config, and init writes a policy under which check finds exactly the planted mistakes', () => {
    expectRightFirstRun(repo.clone.dir, [staleBaseline.dir, fixBranchRelease.dir, lockMismatch.dir, unpushedPatch.dir]);
  });
});
