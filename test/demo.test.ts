import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildClean, buildDemo, demoExpectedFindings, type Scenario } from '../fixtures/scenarios.js';
import { cli, findingKeys, tempDir } from './helpers.js';

let demo: Scenario;
let clean: Scenario;

beforeAll(() => {
  demo = buildDemo();
  clean = buildClean();
});
afterAll(() => {
  for (const s of [demo, clean]) rmSync(dirname(s.clone.dir), { recursive: true, force: true });
});

describe('check on real repositories', () => {
  it('reports exactly one finding per planted violation, as errors, and exits 1', () => {
    const result = cli(['-C', demo.clone.dir, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const keys = findingKeys(report).map((key) => key.replace(/\| commit [0-9a-f]{40} \|/, '| commit HOTFIX |'));
    const severityOf = (rule: string) => (rule === 'release-branch-stale' ? 'warning' : 'error');
    expect(keys).toEqual(demoExpectedFindings.map(([rule, subject]) => `${rule} | ${subject} | ${severityOf(rule)}`).sort());
    expect(report.summary).toEqual({ errors: 15, warnings: 1, notes: 0, inconclusive: 0 });
    // One finding per built-in rule: the demo plants exactly one violation of each.
    expect(new Set(report.findings.map((f: { ruleId: string }) => f.ruleId)).size).toBe(16);
  });

  it('finds nothing in a repository that follows the policy, and exits 0', () => {
    const result = cli(['-C', clean.clone.dir, '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('names the exact object, the location and the facts used', () => {
    const report = JSON.parse(cli(['-C', demo.clone.dir, '-f', 'json']).stdout);
    const byRule = Object.fromEntries(report.findings.map((f: { ruleId: string }) => [f.ruleId, f]));
    expect(byRule['metadata-version-match']).toMatchObject({
      message: 'v0.6.6-preview: deploy/helm/aegis/Chart.yaml has 0.6.5-preview.2 at /version, not 0.6.6-preview',
      target: { kind: 'version-source', name: 'deploy/helm/aegis/Chart.yaml#/version', at: { kind: 'tag', name: 'v0.6.6-preview' } },
      location: { file: 'deploy/helm/aegis/Chart.yaml', line: 4, revision: 'v0.6.6-preview' },
      evidence: { expected: '0.6.6-preview', found: '0.6.5-preview.2' },
    });
    expect(byRule['changelog-baseline']).toMatchObject({
      message: 'CHANGELOG entry 0.6.6-preview compares from v0.6.4, but the latest published tag below it is v0.6.5-preview.2',
      location: { file: 'CHANGELOG.md', line: 3 },
    });
    expect(byRule['tag-recovery-lines'].message).toBe(
      'v0.6.5-preview.2 is a recovery release but its tag message lacks the line "recovery-confirmation: RECOVERY 0.6.5-preview.2"',
    );
    expect(byRule['tag-version-monotonic'].message).toBe('v0.6.5-preview.2: a recovery release must follow v0.6.5-preview.1, which has not been tagged before it');
    expect(byRule['tag-immutable'].message).toMatch(/^v0\.6\.3 is [0-9a-f]{12} here but [0-9a-f]{12} on origin; a published tag is never moved or recreated$/);
    expect(byRule['release-branch-stale'].message).toBe('release/0.6.6-preview was released as v0.6.6-preview and has no content difference with origin/main; it can be deleted');
    expect(byRule['hotfix-backport'].message).toMatch(
      /^[0-9a-f]{12} "fix\(api\): close the stream on error" is on main but not on develop: 1 of its 1 added lines are missing there \(first: src\/api\.ts: export const closeOnError = true;\)$/,
    );
    expect(byRule['workflow-release-please-cli']).toMatchObject({ location: { file: '.github/workflows/release-please.yml', line: 7 } });
    expect(byRule['release-please-config-keys'].message).toBe('release-please-config.json: "prereleaseType" (in packages.".") is not a Release Please setting; did you mean "prerelease-type"?');
    expect(byRule['release-please-config-keys'].location).toEqual({ file: 'release-please-config.json', line: 5 });
    expect(byRule['release-please-release-as'].message).toBe('release-please-config.json: release-as is pinned to 0.6.6-preview for packages.".", so every release PR proposes that version');
    expect(byRule['manifest-baseline'].message).toBe('develop: .release-please-manifest.json says 0.6.0, below 0.6.6-preview, the latest published version in its history');
    expect(byRule['release-branch-single'].evidence).toEqual({ activeBranches: ['release/0.7', 'release/0.8.0-preview'] });
    expect(byRule['tag-reachable'].message).toMatch(/^v0\.6\.7-preview points at [0-9a-f]{12}, which is on origin\/release\/0\.6\.7-preview but not on origin\/main$/);
    for (const finding of report.findings) {
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(finding.fix.length).toBeGreaterThan(20);
      // A published tag is never to be deleted and re-pushed: every tag fix says what to do when it is public.
      if (finding.target.kind === 'tag') expect(finding.fix).toMatch(/already public|published tag/);
    }
    expect(new Set(report.findings.map((f: { fingerprint: string }) => f.fingerprint)).size).toBe(report.findings.length);
  });

  it('prints a human report grouped by rule with the fix and a summary', () => {
    const result = cli(['-C', demo.clone.dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^error {2}tag-annotated · 1 finding · Release tags are annotated\n(.*\n)*? {2}- v0\.6\.4 is a lightweight tag; release tags must be annotated\n/m);
    // The remote has v0.6.4: only the advice for a public tag, not how to recreate it.
    expect(result.stdout).toMatch(/fix: v0\.6\.4 is already public: do not recreate it/);
    expect(result.stdout).not.toContain('If v0.6.4 has not been pushed');
    expect(result.stdout).toContain('✖ 16 problems (15 errors, 1 warning) · 7 tags, 7 branches, 16 rules checked in aegis');
    expect(result.stdout).not.toMatch(/\u001b\[/);
    const colored = cli(['-C', demo.clone.dir], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(colored.stdout).toMatch(/\u001b\[31merror/);
    const noColorFlag = cli(['-C', demo.clone.dir, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(noColorFlag.stdout).not.toMatch(/\u001b\[/);
  });

  it('lints a saved snapshot with the same result and without running git', () => {
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    const saved = cli(['snapshot', '-C', demo.clone.dir, '-o', file]);
    expect(saved.code).toBe(0);
    const fromGit = JSON.parse(cli(['-C', demo.clone.dir, '-f', 'json']).stdout);
    // No git on PATH: a snapshot lint must not need it.
    const fromFile = cli(['--snapshot', file, '-c', join(demo.clone.dir, '.releasepolicyrc.yml'), '-f', 'json'], { cwd: dir, env: { PATH: dir } });
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(1);
    expect(JSON.parse(fromFile.stdout).findings).toEqual(fromGit.findings);
    // A snapshot of the earlier schema (published meant reachable from production then) is refused, not guessed at.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), schemaVersion: 1 }));
    const older = cli(['--snapshot', file, '-c', join(demo.clone.dir, '.releasepolicyrc.yml'), '-f', 'json'], { cwd: dir, env: { PATH: dir } });
    expect(older.code).toBe(2);
    expect(older.stderr).toContain('unsupported snapshot schemaVersion 1 (this release-lint reads version 2; save the snapshot again with release-lint snapshot)');
  });

  it('collects tags, branches and files as the snapshot promises', () => {
    const snapshot = JSON.parse(cli(['snapshot', '-C', demo.clone.dir]).stdout);
    const tags = Object.fromEntries(snapshot.tags.map((t: { name: string }) => [t.name, t]));
    expect(snapshot.tags.map((t: { name: string }) => t.name)).toEqual(['v0.6.7-preview', 'v0.6.6-preview', 'v0.6.5-preview.2', 'v0.6.5-preview', 'v0.6.4', 'v0.6.3', 'v0.7']);
    expect(tags['v0.6.4']).toMatchObject({ annotated: false, objectType: 'commit', message: '', messageLines: [], reachable: true });
    expect(tags['v0.6.4'].date).toMatch(/^2026-01-05T\d\d:00:00Z$/);
    expect(tags['v0.6.5-preview.2']).toMatchObject({
      annotated: true,
      objectType: 'tag',
      messageLines: ['Release v0.6.5-preview.2', '', 'recovery-release: true', 'recovery-issue: #42'],
      tagger: { name: 'Release Bot', email: 'bot@example.invalid' },
      version: { text: '0.6.5-preview.2', valid: true, channel: 'preview', numbered: true, number: 2, stable: false },
      publishedBefore: '0.6.5-preview',
    });
    expect(tags['v0.6.3'].remoteObject).not.toBe(tags['v0.6.3'].object);
    expect(tags['v0.6.4'].remoteObject).toBe(tags['v0.6.4'].object);
    expect(snapshot.workflowSteps).toEqual([
      { file: '.github/workflows/release-please.yml', job: 'release-please', index: 0, name: '', uses: 'googleapis/release-please-action@v4', run: '', line: 7 },
    ]);
    expect(snapshot.releasePleaseConfig.map((k: { scope: string; key: string }) => `${k.scope}:${k.key}`)).toEqual([':packages', '.:release-type', '.:prereleaseType', '.:release-as']);
    expect(snapshot.productionOnlyCommits.map((c: { subject: string; patchEquivalent: boolean }) => [c.subject, c.patchEquivalent])).toEqual([['fix(api): close the stream on error', false]]);
    expect(tags['v0.6.7-preview'].reachable).toBe(false);
    const branches = Object.fromEntries(snapshot.branches.map((b: { name: string }) => [b.name, b]));
    expect(branches['release/0.8.0-preview']).toMatchObject({ release: true, local: true, remote: true, version: { text: '0.8.0-preview', valid: true } });
    expect(branches['release/0.7']).toMatchObject({ release: true, local: false, remote: true, version: { valid: false } });
    expect(branches['feature/search']).toMatchObject({ release: false, remote: true });
    // Files are read at the newest published tag (v0.6.6-preview) and the tags dated from it on,
    // which includes v0.6.3: the maintainer re-created it locally after that release.
    const tagsRead = (s: any) => [...new Set(s.revisions.filter((r: any) => r.kind === 'tag').map((r: any) => r.name))];
    expect(tagsRead(snapshot)).toEqual(['v0.6.7-preview', 'v0.6.6-preview', 'v0.6.3', 'v0.7']);
    // tags.filesAt: all reads them at every judged tag.
    const auditConfig = join(tempDir(), 'audit.yml');
    writeFileSync(auditConfig, `extends: [${join(demo.clone.dir, '.releasepolicyrc.yml')}]\ntags: { filesAt: all }\n`);
    const audit = JSON.parse(cli(['snapshot', '-C', demo.clone.dir, '-c', auditConfig]).stdout);
    expect(tagsRead(audit)).toEqual(snapshot.tags.map((t: { name: string }) => t.name));
    const lock = audit.versionSources.find((s: any) => s.at.name === 'v0.6.3' && s.pointer === '/packages//version');
    expect(lock).toMatchObject({ file: 'package-lock.json', found: true, value: '0.6.3', line: 8 });
    const changelogAtTag = audit.versionSources.find((s: any) => s.at.name === 'v0.6.5-preview' && s.format === 'changelog');
    expect(changelogAtTag).toMatchObject({ found: true, value: '0.6.5-preview', line: 3 });
    const mainEntries = snapshot.changelogEntries.filter((e: any) => e.at.kind === 'production');
    expect(mainEntries.map((e: any) => [e.version.text, e.compareFrom])).toEqual([
      ['0.6.6-preview', 'v0.6.4'],
      ['0.6.5-preview.2', 'v0.6.5-preview'],
      ['0.6.5-preview', 'v0.6.4'],
      ['0.6.4', 'v0.6.3'],
      ['0.6.3', ''],
    ]);
  });
});
