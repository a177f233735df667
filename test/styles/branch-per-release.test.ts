/**
 * Release style 3, a branch per release (fixtures/styles/branch-per-release.ts): the correct history
 * has no finding, and each planted mistake gives exactly its one finding.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRightFirstRun } from './first-run.js';
import { buildBranchPerRelease, mainNightly057, removeBranchPerRelease } from '../../fixtures/styles/branch-per-release.js';
import type { Scenario } from '../../fixtures/scenarios.js';
import { cli, findingKeys, tempDir } from '../helpers.js';

// No GitHub token: the GitHub Release rules must not depend on the machine's environment.
const env = { GITHUB_TOKEN: undefined, GH_TOKEN: undefined };
const lint = (repo: Scenario, ...args: string[]) => {
  const result = cli(['-C', repo.clone.dir, '-f', 'json', ...args], { env });
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) };
};
const snapshotOf = (repo: Scenario, ...args: string[]) => JSON.parse(cli(['snapshot', '-C', repo.clone.dir, ...args], { env }).stdout);

const releaseTags = ['v0.57.0-preview.0', 'v0.56.1', 'v0.56.0', 'v0.56.0-preview.1', 'v0.56.0-preview.0', 'v0.55.0'];

let scenarios: Scenario[] = [];
let correct: Scenario;
let forgotCore: Scenario;
let featurePreview: Scenario;
let staleLock: Scenario;
let configs: string;

beforeAll(() => {
  // One history, published once per variant.
  scenarios = buildBranchPerRelease([{}, { forgetCoreAt057Preview: true }, { previewOnFeatureBranch: true }, { lockVersionAt055: '0.54.9' }]);
  [correct, forgotCore, featurePreview, staleLock] = scenarios;
  configs = tempDir();
});
afterAll(() => {
  removeBranchPerRelease(scenarios);
  if (configs) rmSync(configs, { recursive: true, force: true });
});

describe('a branch per release, weekly previews, nightlies', () => {
  it('finds nothing in the history that follows the style, and says how many tags tags.exclude left out', () => {
    const { code, report } = lint(correct);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(0);
    const human = cli(['-C', correct.clone.dir], { env });
    expect(human.code).toBe(0);
    // Two nightlies, one build-metadata tag and one test tag.
    expect(human.stdout).toMatch(/^✔ no problems · 6 tags \(4 more left out by tags\.exclude\), 11 branches, \d+ rules checked in cli$/m);
  });

  it('places every release on its own release branch, none on main, and orders versions per line', () => {
    const snapshot = snapshotOf(correct);
    expect(snapshot.repository.excludedTags).toBe(4);
    const tags = Object.fromEntries(snapshot.tags.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(tags)).toEqual(releaseTags);
    for (const name of releaseTags) expect(tags[name]).toMatchObject({ annotated: false, published: true, reachable: false, releaseLine: expect.stringMatching(/^release\//) });
    // The branch without the v is a release line too.
    expect(tags['v0.57.0-preview.0'].releaseLine).toBe('release/0.57.0-preview.0');
    expect(tags['v0.56.1'].releaseLine).toBe('release/v0.56.1');
    // v0.56.1, tagged after v0.57.0-preview.0, only has to be above its own line.
    expect(tags['v0.56.1'].publishedBefore).toBe('0.56.0');
    expect(tags['v0.56.1'].timestamp).toBeGreaterThan(tags['v0.57.0-preview.0'].timestamp);
    expect(tags['v0.57.0-preview.0'].publishedBefore).toBe('0.56.0');
    expect(tags['v0.56.0-preview.1'].publishedBefore).toBe('0.56.0-preview.0');
    // Main carries a nightly version between releases.
    const atMain = snapshot.versionSources.filter((s: any) => s.at.kind === 'production');
    expect(atMain.map((s: any) => s.value)).toEqual(Array(5).fill(mainNightly057));
  });

  it('catches a release commit that forgot one workspace package: it still says main\'s nightly', () => {
    const { code, report } = lint(forgotCore);
    expect(findingKeys(report)).toEqual(['metadata-version-match | tag v0.57.0-preview.0 | error']);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    expect(report.findings[0]).toMatchObject({
      message: `v0.57.0-preview.0: packages/core/package.json has ${mainNightly057} at /version, not 0.57.0-preview.0`,
      target: { kind: 'version-source', name: 'packages/core/package.json#/version', at: { kind: 'tag', name: 'v0.57.0-preview.0' } },
      location: { file: 'packages/core/package.json', line: 3, revision: 'v0.57.0-preview.0' },
      evidence: { expected: '0.57.0-preview.0', found: mainNightly057 },
    });
  });

  it('reports a preview tagged on a pushed feature branch, which is no release line', () => {
    const { code, report } = lint(featurePreview);
    expect(findingKeys(report)).toEqual(['tag-reachable | tag v0.57.0-preview.1 | error']);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    expect(report.findings[0].message).toMatch(
      /^v0\.57\.0-preview\.1 points at [0-9a-f]{12}, which is on origin\/feature\/telemetry but not on origin\/main or a maintenance branch \(release\/v\*, release\/\[0-9\]\*\)$/,
    );
  });

  describe('a large lock file is read at old tags only when its source says at: all', () => {
    const lockSources = (at: string) => `versionSources:
  - { file: package.json, pointer: /version }
  - { file: package-lock.json, pointer: /version${at} }
  - { file: package-lock.json, pointer: /packages//version${at} }
  - { file: packages/cli/package.json, pointer: /version }
  - { file: packages/core/package.json, pointer: /version }
`;
    const auditConfig = (name: string, sources = '') => {
      const file = join(configs, name);
      writeFileSync(file, `extends: [${join(staleLock.clone.dir, '.releasepolicyrc.yml')}]\ntags: { filesAt: all }\n${sources}`);
      return file;
    };
    const readingsAt055 = (snapshot: any) => snapshot.versionSources.filter((s: any) => s.at.name === 'v0.55.0').map((s: any) => `${s.file}#${s.pointer}=${s.value}`);

    it('plants a lock over 256 KiB whose root version at v0.55.0 is stale', () => {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: staleLock.clone.dir, encoding: 'utf8' }).trim();
      expect(Number(git('cat-file', '-s', 'v0.55.0:package-lock.json'))).toBeGreaterThan(300 * 1024);
      expect(JSON.parse(git('show', 'v0.55.0:package-lock.json'))).toMatchObject({ version: '0.54.9', packages: { '': { version: '0.55.0' } } });
    });

    it('is not read by default, nor with tags.filesAt: all', () => {
      const byDefault = lint(staleLock);
      expect(byDefault.report.findings).toEqual([]);
      expect(byDefault.report.inconclusive).toEqual([]);
      expect(byDefault.code).toBe(0);
      const config = auditConfig('audit.yml');
      const audit = lint(staleLock, '-c', config);
      expect(audit.report.findings).toEqual([]);
      expect(audit.report.inconclusive).toEqual([]);
      expect(audit.code).toBe(0);
      // The old tag's other files are read; the lock file is not (no reading rather than a wrong one).
      expect(readingsAt055(snapshotOf(staleLock, '-c', config))).toEqual([
        'package.json#/version=0.55.0',
        'packages/cli/package.json#/version=0.55.0',
        'packages/core/package.json#/version=0.55.0',
      ]);
    });

    it('is read and reported when the lock sources say at: all', () => {
      const config = auditConfig('audit-locks.yml', lockSources(', at: all'));
      const { code, report } = lint(staleLock, '-c', config);
      expect(findingKeys(report)).toEqual(['metadata-version-match | tag v0.55.0 | error']);
      expect(report.inconclusive).toEqual([]);
      expect(code).toBe(1);
      expect(report.findings[0]).toMatchObject({
        message: 'v0.55.0: package-lock.json has 0.54.9 at /version, not 0.55.0',
        location: { file: 'package-lock.json', line: 3, revision: 'v0.55.0' },
      });
      expect(readingsAt055(snapshotOf(staleLock, '-c', config))).toEqual([
        'package.json#/version=0.55.0',
        'package-lock.json#/version=0.54.9',
        'package-lock.json#/packages//version=0.55.0',
        'packages/cli/package.json#/version=0.55.0',
        'packages/core/package.json#/version=0.55.0',
      ]);
    });
  });
});

describe('the first run', () => {
  it('is quiet without a config, and init writes a policy under which check finds exactly the planted mistakes', () => {
    expectRightFirstRun(correct.clone.dir, [forgotCore.clone.dir, featurePreview.clone.dir]);
  });
});
