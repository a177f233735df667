/**
 * Release style 4, generated SDKs (fixtures/styles/generated-sdk.ts), in Go and Python: the
 * correct histories have no finding, and each planted mistake gives exactly its one finding.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRightFirstRun } from './first-run.js';
import { buildGeneratedSdk, removeGeneratedSdk, sdkReleases } from '../../fixtures/styles/generated-sdk.js';
import type { Scenario } from '../../fixtures/scenarios.js';
import { cli, findingKeys, tempDir } from '../helpers.js';

// No GitHub token: the GitHub Release rules must not depend on the machine's environment.
const env = { GITHUB_TOKEN: undefined, GH_TOKEN: undefined };
const lint = (repo: Scenario) => {
  const result = cli(['-C', repo.clone.dir, '-f', 'json'], { env });
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) };
};
const snapshotOf = (repo: Scenario) => JSON.parse(cli(['snapshot', '-C', repo.clone.dir], { env }).stdout);
const show = (repo: Scenario, object: string) => execFileSync('git', ['show', object], { cwd: repo.clone.dir, encoding: 'utf8' });
/** The 1-based line of `text` that starts with `prefix`. */
const lineOf = (text: string, prefix: string) => {
  const index = text.split('\n').findIndex((l) => l.startsWith(prefix));
  expect(index, `a line starting with ${prefix}`).toBeGreaterThanOrEqual(0);
  return index + 1;
};

let scenarios: Scenario[] = [];
let go: Scenario;
let python: Scenario;
let staleBaseline: Scenario;
let staleReadme: Scenario;
let stalePyproject: Scenario;

beforeAll(() => {
  // One history per language, each variant going on from the first release it changes.
  const goVariants = buildGeneratedSdk('go', [{}, { compareFrom: { '3.49.0': 'v3.47.0' } }, { readmeGoGetAtNewest: '3.51.0' }]);
  const pythonVariants = buildGeneratedSdk('python', [{}, { pyprojectAtNewest: '3.51.0' }]);
  scenarios = [...goVariants, ...pythonVariants];
  [go, staleBaseline, staleReadme] = goVariants;
  [python, stalePyproject] = pythonVariants;
});
afterAll(() => removeGeneratedSdk(scenarios));

describe('generated SDKs: Release Please on main, a frozen next branch, lightweight tags', () => {
  it('finds nothing in the Go and Python histories that follow the style', () => {
    for (const repo of [go, python]) {
      const { code, report } = lint(repo);
      expect(report.findings).toEqual([]);
      expect(report.inconclusive).toEqual([]);
      expect(code).toBe(0);
    }
  });

  it('reads every range form and the marked versions as the style writes them', () => {
    const snapshot = snapshotOf(go);
    expect(snapshot.tags.map((t: { name: string }) => t.name)).toEqual(sdkReleases.map((r) => `v${r.version}`).reverse());
    for (const tag of snapshot.tags) expect(tag).toMatchObject({ annotated: false, releaseLine: 'main', published: true });
    const remote = snapshot.branches.filter((b: any) => b.remote).map((b: any) => b.name);
    expect(remote).toEqual(expect.arrayContaining(['main', 'next', 'release-please--branches--main--changes--next']));

    const changelog = show(go, 'origin/main:CHANGELOG.md');
    const entries = Object.fromEntries(snapshot.changelogEntries.filter((e: any) => e.at.kind === 'production').map((e: any) => [e.version.text, e]));
    expect(Object.keys(entries)).toEqual(sdkReleases.map((r) => r.version).reverse());
    for (const release of sdkReleases) expect(entries[release.version].compareFrom).toBe(release.from);
    // The range on the line below the heading, in the heading's link, in GitHub's release notes.
    expect(entries['3.49.0'].compareLine).toBe(lineOf(changelog, 'Full Changelog: [v3.48.0...v3.49.0]'));
    expect(entries['3.49.0'].compareLine).toBe(entries['3.49.0'].line + 2);
    expect(entries['3.50.0'].compareLine).toBe(entries['3.50.0'].line);
    expect(entries['3.51.0'].compareLine).toBe(lineOf(changelog, '**Full Changelog**: https://github.com/example/sdk-go/compare/v3.50.0...v3.51.0'));

    // Only the README block with `go get` holds a version; the badge and import blocks do not.
    const readme = show(go, 'v3.52.0:README.md');
    expect(readme.match(/x-release-please-start-version/g)).toHaveLength(3);
    const readings = (s: any, at: string) => Object.fromEntries(s.versionSources.filter((r: any) => r.at.name === at).map((r: any) => [r.file, [r.value, r.line]]));
    expect(readings(snapshot, 'v3.52.0')).toEqual({
      '.release-please-manifest.json': ['3.52.0', 2],
      'internal/version.go': ['3.52.0', 5],
      'README.md': ['3.52.0', lineOf(readme, "go get -u 'github.com/example/sdk-go/v3@v3.52.0'")],
      'CHANGELOG.md': ['3.52.0', 3],
    });
    expect(readings(snapshotOf(python), 'v3.52.0')).toEqual({
      '.release-please-manifest.json': ['3.52.0', 2],
      'pyproject.toml': ['3.52.0', 3],
      'src/sdk/_version.py': ['3.52.0', 4],
      'CHANGELOG.md': ['3.52.0', 3],
    });
  });

  it('catches a Full Changelog line that compares from an older release, at that line', () => {
    const { code, report } = lint(staleBaseline);
    expect(findingKeys(report)).toEqual(['changelog-baseline | branch main | error']);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    const changelog = show(staleBaseline, 'origin/main:CHANGELOG.md');
    const rangeLine = lineOf(changelog, 'Full Changelog: [v3.47.0...v3.49.0](https://github.com/example/sdk-go/compare/v3.47.0...v3.49.0)');
    expect(rangeLine).toBe(lineOf(changelog, '## 3.49.0 (') + 2);
    expect(report.findings[0]).toMatchObject({
      message: 'CHANGELOG entry 3.49.0 compares from v3.47.0, but the previous published release in its history is v3.48.0',
      target: { kind: 'changelog-entry', name: 'CHANGELOG.md#3.49.0', at: { kind: 'branch', name: 'main' } },
      location: { file: 'CHANGELOG.md', line: rangeLine, revision: 'main' },
      evidence: { compareFrom: 'v3.47.0', expected: 'v3.48.0', heading: '## 3.49.0 (2026-07-31)' },
    });
    // The snapshot states the same line.
    const entry = snapshotOf(staleBaseline).changelogEntries.find((e: any) => e.at.kind === 'production' && e.version.text === '3.49.0');
    expect(entry).toMatchObject({ compareFrom: 'v3.47.0', compareLine: rangeLine });
  });

  it('under baseline: latest too: nothing in the correct history, the same one range in the stale one', () => {
    const latest = (repo: Scenario) => {
      const config = join(tempDir(), 'latest.yml');
      writeFileSync(config, `extends: [${join(repo.clone.dir, '.releasepolicyrc.yml')}]\nrules:\n  changelog-baseline: [error, { baseline: latest }]\n`);
      const result = cli(['-C', repo.clone.dir, '-f', 'json', '-c', config], { env });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout);
    };
    expect(latest(go).findings).toEqual([]);
    const report = latest(staleBaseline);
    expect(findingKeys(report)).toEqual(['changelog-baseline | branch main | error']);
    expect(report.findings[0].message).toBe('CHANGELOG entry 3.49.0 compares from v3.47.0, but the latest published tag below it is v3.48.0');
  });

  it('catches the README go get block left at the previous version by the newest release', () => {
    const { code, report } = lint(staleReadme);
    expect(findingKeys(report)).toEqual(['metadata-version-match | tag v3.52.0 | error']);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    const line = lineOf(show(staleReadme, 'v3.52.0:README.md'), "go get -u 'github.com/example/sdk-go/v3@v3.51.0'");
    expect(report.findings[0]).toMatchObject({
      message: `v3.52.0: README.md has 3.51.0 on line ${line}, not 3.52.0`,
      target: { kind: 'version-source', name: 'README.md#x-release-please-version', at: { kind: 'tag', name: 'v3.52.0' } },
      location: { file: 'README.md', line, revision: 'v3.52.0' },
    });
  });

  it('catches pyproject.toml left at the previous version by the newest release', () => {
    const { code, report } = lint(stalePyproject);
    expect(findingKeys(report)).toEqual(['metadata-version-match | tag v3.52.0 | error']);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    expect(report.findings[0]).toMatchObject({
      message: 'v3.52.0: pyproject.toml has 3.51.0 at /project/version, not 3.52.0',
      target: { kind: 'version-source', name: 'pyproject.toml#/project/version', at: { kind: 'tag', name: 'v3.52.0' } },
      location: { file: 'pyproject.toml', line: 3, revision: 'v3.52.0' },
    });
  });
});

describe('the first run', () => {
  it('is quiet without a config, and init writes a policy under which check finds exactly the planted mistakes', () => {
    expectRightFirstRun(go.clone.dir, [staleBaseline.clone.dir, staleReadme.clone.dir]);
    expectRightFirstRun(python.clone.dir, [stalePyproject.clone.dir]);
  });
});
