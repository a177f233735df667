import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../fixtures/git-fixture.js';
import { parseProductionOnlyLog } from '../src/facts/history.js';
import { releasePleaseConfigKeys } from '../src/facts/release-please.js';
import { workflowSteps } from '../src/facts/workflows.js';
import { branch, cli, lintSnapshot, snapshotOf, step, tag } from './helpers.js';

describe('release-branch-stale', () => {
  it('tells how to delete a stale branch from the remote and the clone', async () => {
    const snapshot = snapshotOf({ tags: [tag('v1.2.0')], branches: [branch('release/1.2.0', { tree: 'production-tree', local: true })] });
    const { findings } = await lintSnapshot(snapshot, ['release-branch-stale']);
    expect(findings.map((f) => f.fix)).toEqual(['Delete it: git push origin --delete release/1.2.0 and git branch -d release/1.2.0.']);
  });
});

describe('hotfix-backport on a real repository', () => {
  let repo: GitFixture;
  beforeAll(() => {
    const seed = GitFixture.init();
    const app = (lines: string[]) => ({ 'src/app.ts': lines.join('\n') + '\n' });
    // The runbook's process: develop is the integration branch hotfixes are backported to.
    seed.commit('chore: initial commit', { ...app(['export function start() {', '  return 1;', '}']), 'package.json': '{ "version": "1.0.0" }\n', '.releasepolicyrc.yml': 'extends: [aegis]\n' });
    seed.checkout('develop', { from: 'main' });
    seed.commit('feat: develop work', { 'src/feature.ts': 'export const feature = true;\n' });
    seed.checkout('main');
    // Hotfix A, synced to develop by a squash commit that also carries other changes: no patch id matches.
    seed.commit('fix: guard start', app(['export function start() {', '  if (!ready()) return 0;', '  return 1;', '}']));
    // Hotfix B, cherry-picked to develop.
    seed.commit('fix: log errors', { 'src/log.ts': 'export const logErrors = true;\n' });
    const cherry = seed.git('rev-parse', 'HEAD');
    // Hotfix C, never backported.
    seed.commit('fix: close sockets', { 'src/net.ts': 'export function close(s) {\n  s.destroy();\n}\n' });
    seed.commit('chore(main): release 1.0.1', { 'package.json': '{ "version": "1.0.1" }\n' });
    seed.checkout('develop');
    seed.commit('chore: sync main into develop (squash)', {
      ...app(['// synced from main', 'export function start() {', '    if (!ready()) return 0;', '  return 1;', '}']),
      'src/feature.ts': 'export const feature = false;\n',
    });
    seed.git('cherry-pick', cherry);
    seed.checkout('main');
    repo = seed.publish(['develop']);
  });
  afterAll(() => rmSync(dirname(repo.dir), { recursive: true, force: true }));

  it('accepts the squash-synced and cherry-picked fixes and reports the missing one', () => {
    const snapshot = JSON.parse(cli(['snapshot', '-C', repo.dir]).stdout);
    expect(snapshot.productionOnlyCommits.map((c: any) => [c.subject, c.patchEquivalent, c.missingLines])).toEqual([
      ['chore(main): release 1.0.1', false, 1],
      ['fix: close sockets', false, 3],
      ['fix: log errors', true, 0],
      ['fix: guard start', false, 0],
    ]);
    const result = cli(['-C', repo.dir, '-f', 'json', '--rule', 'metadata-version-match=off']);
    const findings = JSON.parse(result.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'hotfix-backport');
    expect(findings.map((f: { message: string }) => f.message)).toEqual([
      expect.stringMatching(/^[0-9a-f]{12} "fix: close sockets" is on main but not on develop: 3 of its 3 added lines are missing there \(first: src\/net\.ts: export function close\(s\) \{\)$/),
    ]);
    expect(findings[0].fix).toMatch(/^Backport it before the next release branch is cut: open a PR to develop with git cherry-pick -x [0-9a-f]{12}/);
  });
});

describe('hotfix-backport on squash promotions', () => {
  it('does not ask integration for the version lines a promotion wrote: the next release replaced them', () => {
    const seed = GitFixture.init();
    seed.commit('chore: initial commit', { 'src/app.ts': 'export const a = 1;\n', 'package.json': '{ "version": "1.0.0" }\n', '.releasepolicyrc.yml': 'extends: [aegis]\n' });
    seed.checkout('develop', { from: 'main' });
    seed.commit('feat: b', { 'src/b.ts': 'export const b = 2;\n' });
    seed.commit('chore: release 1.1.0', { 'package.json': '{ "version": "1.1.0" }\n' });
    // Promotion: develop's work squashed onto main, with the release's version line.
    seed.checkout('main');
    seed.commit('release: promote 1.1.0 (squash)', { 'src/b.ts': 'export const b = 2;\n', 'package.json': '{ "version": "1.1.0" }\n' });
    // develop moves on to the next release: the promotion's version line is gone there.
    seed.checkout('develop');
    seed.commit('chore: release 1.2.0', { 'package.json': '{ "version": "1.2.0" }\n' });
    seed.checkout('main');
    const repo = seed.publish(['develop']);
    try {
      const snapshot = JSON.parse(cli(['snapshot', '-C', repo.dir]).stdout);
      expect(snapshot.productionOnlyCommits.map((c: any) => [c.subject, c.addedLines, c.missingLines])).toEqual([['release: promote 1.1.0 (squash)', 2, 0]]);
      const result = cli(['-C', repo.dir, '-f', 'json', '--offline']);
      expect(JSON.parse(result.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'hotfix-backport')).toEqual([]);
    } finally {
      rmSync(dirname(repo.dir), { recursive: true, force: true });
    }
  });
});

describe('workflow-release-please-cli', () => {
  it('accepts the CLI with an exact --release-as and other steps; reports the wrapper and release-pr without a version', async () => {
    const snapshot = snapshotOf({
      workflowSteps: [
        step({ uses: 'actions/checkout@v4', index: 0 }),
        step({ run: 'npx release-please release-pr --token "$T" --release-as "${{ inputs.version }}"', index: 1 }),
        step({ run: 'npx release-please github-release --token "$T"', index: 2 }),
        step({ uses: 'googleapis/release-please-action@v4', index: 3, job: 'rp' }),
        step({ run: 'npx release-please release-pr --token "$T"', index: 4, job: 'rp' }),
      ],
    });
    const { findings } = await lintSnapshot(snapshot, ['workflow-release-please-cli']);
    expect(findings.map((f) => f.message)).toEqual([
      '.github/workflows/release.yml: job rp runs Release Please through the action wrapper (googleapis/release-please-action@v4) instead of the CLI with an exact --release-as',
      '.github/workflows/release.yml: job rp runs release-please release-pr without an exact --release-as',
    ]);
    expect(findings[0].location).toEqual({ file: '.github/workflows/release.yml', line: 5 });
  });

  it('reads steps and reusable workflow calls with their lines', () => {
    const text = 'on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - name: Release\n        run: |\n          npx release-please release-pr\n  b:\n    uses: org/repo/.github/workflows/rp.yml@main\n';
    expect(workflowSteps('w.yml', text)).toEqual([
      { file: 'w.yml', job: 'a', index: 0, name: '', uses: 'actions/checkout@v4', run: '', line: 5 },
      { file: 'w.yml', job: 'a', index: 1, name: 'Release', uses: '', run: 'npx release-please release-pr\n', line: 6 },
      { file: 'w.yml', job: 'b', index: -1, name: '', uses: 'org/repo/.github/workflows/rp.yml@main', run: '', line: 10 },
    ]);
    expect(workflowSteps('bad.yml', 'jobs: [')).toEqual([]);
  });
});

describe('the Release Please config fact', () => {
  it('read keys with their lines, and refuse a broken config as a fact', () => {
    const { keys, problem } = releasePleaseConfigKeys('rp.json', '{\n  "packages": {\n    ".": { "release-as": "1.0.0", "draft": true }\n  }\n}\n');
    expect(problem).toBe('');
    expect(keys.map((k) => [k.scope, k.key, k.value, k.line])).toEqual([
      ['', 'packages', '{\n    ".": { "release-as": "1.0.0", "draft": true }\n  }', 2],
      ['.', 'release-as', '1.0.0', 3],
      ['.', 'draft', 'true', 3],
    ]);
    expect(releasePleaseConfigKeys('rp.json', '{ "a": ').problem).toMatch(/^rp\.json is not a valid JSON object \(line 1, column \d+\)$/);
  });
});

describe('git log parsing', () => {
  it('reads files and added lines, and does not take a removed "-- comment" line for a file header', () => {
    const log = [
      '\u0000\u0001+\u0000abc\u00001700000000\u0000Dev\u0000fix: x\u0000',
      'diff --git a/db.sql b/db.sql',
      'index 1..2 100644',
      '--- a/db.sql',
      '+++ b/db.sql',
      '@@ -1,2 +1,2 @@',
      '--- old comment',
      '+++ new comment',
      '+SELECT 1;',
      '',
    ].join('\n');
    const [parsed] = parseProductionOnlyLog(log);
    expect(parsed.files).toEqual(['db.sql']);
    expect([...parsed.added.entries()]).toEqual([['db.sql', ['++ new comment', 'SELECT 1;']]]);
    expect(parsed.patchEquivalent).toBe(false);
  });
});
