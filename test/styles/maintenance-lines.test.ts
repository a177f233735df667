/**
 * Release style 2, maintenance lines (fixtures/styles/maintenance-lines.ts), linted through the
 * built CLI: nothing on the correct history, exactly the planted finding for each mutation.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRightFirstRun } from './first-run.js';
import { buildMaintenanceLines, buildMaintenanceLinesMutation, type MaintenanceLinesMutation, type MaintenanceLinesScenario } from '../../fixtures/styles/maintenance-lines.js';
import { removeFixture } from '../../fixtures/styles/common.js';
import { cli, findingKeys, tempDir } from '../helpers.js';

let correct: MaintenanceLinesScenario;
const mutated = new Map<MaintenanceLinesMutation, MaintenanceLinesScenario>();
let configDir: string;

beforeAll(() => {
  correct = buildMaintenanceLines();
  for (const mutation of ['stale-link-definition', 'version-regression', 'reversed-patch-tags', 'tag-off-release-lines'] as const) {
    mutated.set(mutation, buildMaintenanceLinesMutation(correct, mutation));
  }
  configDir = tempDir();
});
afterAll(() => {
  for (const scenario of [correct, ...mutated.values()]) removeFixture(scenario?.clone);
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  target: { kind: string; name: string; at?: { kind: string; name: string } };
  location: { file: string; line: number | null; revision: string } | null;
  evidence: Record<string, unknown>;
}

/** `check -f json` on a scenario's clone; no GitHub token, so only the git rules apply. */
function lint(scenario: MaintenanceLinesScenario, ...args: string[]): { code: number; report: { findings: Finding[]; inconclusive: unknown[]; summary: unknown } } {
  const result = cli(['-C', scenario.clone.dir, '-f', 'json', ...args], { env: { GITHUB_TOKEN: undefined, GH_TOKEN: undefined } });
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) };
}

/** A config file that extends the fixture's own (by path) with `body`. */
function extendingConfig(name: string, body: string): string {
  const file = join(configDir, name);
  writeFileSync(file, `extends: [${join(correct.clone.dir, '.releasepolicyrc.yml')}]\n${body}`);
  return file;
}

describe('maintenance lines: the correct history', () => {
  it('exercises the style: tags of a deleted line on no branch, patches on their line, old tags unjudged', () => {
    const snapshot = JSON.parse(cli(['snapshot', '-C', correct.clone.dir]).stdout);
    const placed = Object.fromEntries(
      snapshot.tags.map((t: { name: string; annotated: boolean; releaseLine: string; otherBranch: string; published: boolean; judged: boolean }) => [
        t.name,
        `${t.annotated ? 'annotated' : 'lightweight'} ${t.releaseLine || '-'} ${t.otherBranch || '-'} ${t.published ? 'published' : 'local'} ${t.judged ? 'judged' : 'unjudged'}`,
      ]),
    );
    expect(placed).toEqual({
      'v1.53.0': 'lightweight main - published judged',
      'v1.53.0-rc.1': 'annotated prerelease/1.53.0-rc.1 - published judged',
      'v1.52.5': 'lightweight release/1.52.x - published judged',
      'v1.52.4': 'lightweight release/1.52.x - published judged',
      'v1.52.3': 'lightweight release/1.52.x - published judged',
      'v1.52.2': 'lightweight release/1.52.x - published judged',
      'v1.52.1': 'lightweight release/1.52.x - published judged',
      'v1.52.0': 'lightweight main - published judged',
      // release/1.51.x was deleted after its last patch.
      'v1.51.4': 'annotated - - published judged',
      'v1.51.3': 'lightweight - - published judged',
      'v1.51.2': 'lightweight - - published judged',
      'v1.51.1': 'lightweight - - published judged',
      'v1.51.0': 'lightweight main - published judged',
      'v1.50.0': 'annotated main - published judged',
      'v1.46.0': 'lightweight main - published unjudged',
      'v0.1.7-patch-1': 'lightweight main - published unjudged',
    });
    // v1.51.4 is a maintenance patch tagged after v1.52.0.
    const date = (name: string) => snapshot.tags.find((t: { name: string }) => t.name === name).timestamp;
    expect(date('v1.51.4')).toBeGreaterThan(date('v1.52.0'));
    expect(date('v1.53.0')).toBeGreaterThan(date('v1.52.5'));
    // main's CHANGELOG holds every line's entries, each with its range in a link definition.
    const onMain = snapshot.changelogEntries.filter((e: { at: { kind: string } }) => e.at.kind === 'production');
    expect(onMain.map((e: { version: { text: string }; compareFrom: string }) => `${e.version.text} ${e.compareFrom || '-'}`)).toEqual([
      '1.53.0 v1.52.0',
      '1.53.0-rc.1 v1.52.0',
      '1.52.5 v1.52.4',
      '1.52.4 v1.52.3',
      '1.52.3 v1.52.2',
      '1.52.2 v1.52.1',
      '1.52.1 v1.52.0',
      '1.52.0 v1.51.0',
      '1.51.4 v1.51.3',
      '1.51.3 v1.51.2',
      '1.51.2 v1.51.1',
      '1.51.1 v1.51.0',
      '1.51.0 v1.50.0',
      '1.50.0 v1.46.0',
      '1.46.0 -',
    ]);
  });

  it('finds nothing and exits 0', () => {
    // Includes the 1.46.0 entry: tagged before tags.since, the first entry of the file, no range.
    const { code, report } = lint(correct);
    expect(findingKeys(report)).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, inconclusive: 0 });
    expect(code).toBe(0);
  });

  it('finds nothing either when the files are read at every judged tag (each line CHANGELOG has its heading)', () => {
    const { code, report } = lint(correct, '-c', extendingConfig('audit.yml', 'tags: { filesAt: all }\n'));
    expect(findingKeys(report)).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(0);
  });

  it('with baseline: latest, reports the entries whose range rightly skips a release of another line', () => {
    // The measured reason the default is `ancestor`. `latest` takes the highest published tag
    // below an entry dated before it, wherever it sits, and so rejects three correct entries:
    // - 1.52.0 compares from v1.51.0 (the previous release on main); v1.51.3 was tagged on
    //   release/1.51.x before it.
    // - 1.53.0-rc.1 compares from v1.52.0; v1.52.5 was tagged on release/1.52.x before it.
    // - 1.53.0 compares from v1.52.0; the rc, on its own prerelease branch, was tagged before it.
    // The patches' entries pass (the previous patch of their line is also the latest tag below
    // them), and so does 1.51.4: tagged after v1.52.0, but v1.52.0 is above it.
    const { code, report } = lint(correct, '-c', extendingConfig('latest.yml', 'rules:\n  changelog-baseline: [error, { baseline: latest }]\n'));
    expect(findingKeys(report)).toEqual(Array(3).fill('changelog-baseline | branch main | error'));
    expect(report.findings.map((f) => [f.target.name, f.message]).sort()).toEqual([
      ['CHANGELOG.md#1.52.0', 'CHANGELOG entry 1.52.0 compares from v1.51.0, but the latest published tag below it is v1.51.3'],
      ['CHANGELOG.md#1.53.0', 'CHANGELOG entry 1.53.0 compares from v1.52.0, but the latest published tag below it is v1.53.0-rc.1'],
      ['CHANGELOG.md#1.53.0-rc.1', 'CHANGELOG entry 1.53.0-rc.1 compares from v1.52.0, but the latest published tag below it is v1.52.5'],
    ]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
  });
});

describe('maintenance lines: one planted mistake each', () => {
  /** The finding a mutation plants (`key`, about `target`), after checking that the report has exactly that one. */
  function onlyFinding(mutation: MaintenanceLinesMutation, key: string, target: string): Finding {
    const { code, report } = lint(mutated.get(mutation)!);
    // Soft, so that the planted finding's own details are still checked when there are others.
    expect.soft(findingKeys(report)).toEqual([key]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(1);
    const planted = report.findings.filter((f) => findingKeys({ findings: [f] })[0] === key && f.target.name === target);
    expect(planted).toHaveLength(1);
    return planted[0];
  }

  it('a link definition comparing 1.53.0 from v1.52.5: changelog-baseline, at that definition', () => {
    const scenario = mutated.get('stale-link-definition')!;
    const finding = onlyFinding('stale-link-definition', 'changelog-baseline | branch main | error', 'CHANGELOG.md#1.53.0');
    expect(finding.message).toBe('CHANGELOG entry 1.53.0 compares from v1.52.5, but the previous published release in its history is v1.52.0');
    const lines = scenario.clone.git('show', 'origin/main:CHANGELOG.md').split('\n');
    const definition = lines.indexOf('[1.53.0]: https://github.com/example/svc/compare/v1.52.5...v1.53.0') + 1;
    expect(definition).toBeGreaterThan(0);
    expect(finding.location).toEqual({ file: 'CHANGELOG.md', line: definition, revision: 'main' });
  });

  it('the same link definition under baseline: latest is judged by the range it states', () => {
    // latest also rejects the correct 1.53.0 entry (see above); with the stale definition, its
    // finding names the range the definition states.
    const { report } = lint(mutated.get('stale-link-definition')!, '-c', extendingConfig('latest-stale.yml', 'rules:\n  changelog-baseline: [error, { baseline: latest }]\n'));
    const entry = report.findings.find((f) => f.target.name === 'CHANGELOG.md#1.53.0');
    expect(entry?.message).toBe('CHANGELOG entry 1.53.0 compares from v1.52.5, but the latest published tag below it is v1.53.0-rc.1');
    expect(findingKeys(report)).toEqual(Array(3).fill('changelog-baseline | branch main | error'));
  });

  it('a release of 1.47.0 on main after 1.53.0: tag-version-monotonic', () => {
    const finding = onlyFinding('version-regression', 'tag-version-monotonic | tag v1.47.0 | error', 'v1.47.0');
    expect(finding.message).toBe('v1.47.0: 1.47.0 is not above 1.53.0, which was published before it');
  });

  it('v1.52.3 tagged before v1.52.2 on release/1.52.x: tag-version-monotonic on v1.52.2', () => {
    const finding = onlyFinding('reversed-patch-tags', 'tag-version-monotonic | tag v1.52.2 | error', 'v1.52.2');
    expect(finding.message).toBe('v1.52.2: 1.52.2 is not above 1.52.3, which was published before it');
  });

  it('v1.53.1 tagged on a pushed feature branch: tag-reachable', () => {
    const finding = onlyFinding('tag-off-release-lines', 'tag-reachable | tag v1.53.1 | error', 'v1.53.1');
    expect(finding.message).toMatch(/^v1\.53\.1 points at [0-9a-f]{12}, which is on origin\/feature\/metrics but not on origin\/main or a maintenance branch \(release\/\*\.x, prerelease\/\*\)$/);
  });
});

describe('the first run', () => {
  it('is quiet without a config, and init writes a policy under which check finds exactly the planted mistakes', () => {
    expectRightFirstRun(correct.clone.dir, [...[...mutated.values()].map((m) => m.clone.dir)]);
  });
});
