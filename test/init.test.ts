/**
 * `release-lint init` on the repositories of the Aegis runbook and on hand-made work trees: the
 * preset that fits, the version files of each ecosystem, a schema reference that works anywhere.
 * (The release styles' first runs are in test/styles/: each style's init gives exactly its
 * planted mistakes.)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialConfig, type RefSurvey } from '../src/facts/initial-config.js';
import { buildClean, buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { GitFixture } from '../fixtures/git-fixture.js';
import { firstRun } from './styles/first-run.js';
import { cli, tempDir } from './helpers.js';

let demo: Scenario;
let clean: Scenario;
beforeAll(() => {
  demo = buildDemo();
  clean = buildClean();
});
afterAll(() => {
  for (const s of [demo, clean]) if (s) rmSync(dirname(s.clone.dir), { recursive: true, force: true });
});

/** A work tree with these files, for the config writer alone (the refs are given). */
function workTree(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const trunkRefs: RefSurvey = {
  remote: 'origin',
  production: 'main',
  productionFrom: 'origin/HEAD points at it',
  remoteBranches: ['main'],
  tags: [{ name: 'v2.4.0', message: '', timestamp: 1, onProduction: true, heldBy: [] }],
};

describe('init on the Aegis runbook', () => {
  it('chooses aegis from the recovery tags and develop beside release/<version>, and check then gives the demo\'s findings', () => {
    for (const scenario of [demo, clean]) {
      const run = firstRun(scenario.clone.dir);
      expect(run.config).toMatch(/^extends: \[aegis\] +# the Aegis release process: 1 tag message with recovery-release: true; develop and release\/<version> branches/m);
      expect(run.config).toMatch(/^ {2}integration: develop +# origin\/develop exists$/m);
      expect(run.config).toMatch(/^ {2}recoveryChannels: \[preview\] +# tags such as v0\.6\.5-preview\.\d say recovery-release: true$/m);
      expect(run.config).toContain('- { file: deploy/helm/aegis/Chart.yaml, pointer: /appVersion }');
      expect(run.initialized).toEqual(run.handWritten);
    }
  });

  it('without a config, judges the runbook\'s correct history by the recommended preset and finds nothing', () => {
    expect(firstRun(clean.clone.dir).withoutConfig).toEqual({ code: 0, results: [] });
    // The demo's mistakes that hold for any project are still found; the runbook's own are not asked for.
    const demoRun = firstRun(demo.clone.dir).withoutConfig;
    expect(demoRun.code).toBe(1);
    expect(demoRun.results.some((r) => r.includes('develop') || r.startsWith('tag-recovery-lines') || r.startsWith('tag-annotated') || r.includes('hotfix-backport'))).toBe(false);
  });
});

describe('init on a repository with only main', () => {
  it('writes recommended with no integration branch, and check exits 0 before and after', () => {
    const seed = GitFixture.init();
    seed.commit('chore: initial commit', { 'package.json': '{\n  "name": "tiny",\n  "version": "1.0.0"\n}\n', 'CHANGELOG.md': '# Changelog\n\n## 1.0.0 (2026-01-01)\n\n- First release.\n' });
    seed.tag('v1.0.0');
    const clone = seed.publish([], 'tiny');
    try {
      const before = cli(['-C', clone.dir]);
      expect(before.stdout).not.toContain('develop');
      expect(before.code).toBe(0);
      expect(cli(['init', '-C', clone.dir]).code).toBe(0);
      const after = cli(['-C', clone.dir]);
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('no problems');
    } finally {
      rmSync(dirname(clone.dir), { recursive: true, force: true });
      rmSync(seed.dir, { recursive: true, force: true });
    }
  });
});

describe('init never writes through a link', () => {
  it('refuses a .releasepolicyrc.yml that is a link, even one that points nowhere yet', () => {
    const seed = GitFixture.init();
    seed.commit('chore: initial commit', { 'README.md': 'x\n' });
    const outside = join(dirname(seed.dir), 'outside.yml');
    symlinkSync(outside, join(seed.dir, '.releasepolicyrc.yml'));
    const result = cli(['init', '-C', seed.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`release-lint: ${join(seed.dir, '.releasepolicyrc.yml')}: already exists; edit it instead`);
    expect(existsSync(outside)).toBe(false);
    rmSync(dirname(seed.dir), { recursive: true, force: true });
  });
});

describe('the config writer', () => {
  it('finds workspace packages at the release version, lock files, Cargo.toml, pyproject.toml and Release Please extra-files', async () => {
    const dir = workTree({
      'package.json': JSON.stringify({ name: 'mono', version: '2.4.0', workspaces: ['apps/*', 'libs/*'] }),
      'package-lock.json': JSON.stringify({ name: 'mono', version: '2.4.0', packages: { '': { version: '2.4.0' } } }),
      'apps/web/package.json': JSON.stringify({ name: 'web', version: '2.4.0' }),
      'libs/util/package.json': JSON.stringify({ name: 'util', version: '0.3.1' }),
      'Cargo.toml': '[package]\nname = "mono"\nversion = "2.4.0"\n',
      'py/pyproject.toml': '[project]\nversion = "2.4.0"\n',
      '.release-please-manifest.json': JSON.stringify({ '.': '2.4.0' }),
      'release-please-config.json': JSON.stringify({
        packages: {
          '.': {
            'extra-files': [
              'src/version.ts',
              { type: 'json', path: 'deploy/manifest.json', jsonpath: '$.app.version' },
              { type: 'toml', path: '/py/pyproject.toml', jsonpath: '$.project.version' },
              { type: 'json', path: 'all.json', jsonpath: '$..version' },
            ],
          },
        },
      }),
      'src/version.ts': "export const version = '2.4.0'; // x-release-please-version\n",
      'deploy/manifest.json': JSON.stringify({ app: { version: '2.4.0' } }),
    });
    const config = await initialConfig(dir, trunkRefs, { schema: 'https://example.invalid/schema.json' });
    const sources = config.split('\n').filter((line) => line.startsWith('  - { file:')).map((line) => line.replace(/ +#.*$/, ''));
    expect(sources).toEqual([
      '  - { file: package.json, pointer: /version }',
      '  - { file: package-lock.json, pointer: /version }',
      '  - { file: package-lock.json, pointer: /packages//version }',
      '  - { file: apps/web/package.json, pointer: /version }',
      '  - { file: .release-please-manifest.json, pointer: /. }',
      '  - { file: Cargo.toml, pointer: /package/version }',
      '  - { file: src/version.ts }',
      '  - { file: deploy/manifest.json, pointer: /app/version }',
      '  - { file: py/pyproject.toml, pointer: /project/version }',
    ]);
    expect(config).toContain('# Not read: the extra-file all.json (jsonpath "$..version" has no JSON Pointer equivalent).');
    expect(config).toMatch(/^releaseMetadataFiles: \[\.release-please-manifest\.json, package\.json, package-lock\.json, apps\/web\/package\.json, Cargo\.toml, src\/version\.ts, deploy\/manifest\.json, py\/pyproject\.toml\]/m);
    // Every detected value says where it came from.
    for (const line of config.split('\n').filter((l) => /^ {2}- \{ file:/.test(l))) expect(line).toMatch(/ # \S/);
  });

  it('names maintenance lines and tag families from where the tags sit, never a feature branch', async () => {
    const refs: RefSurvey = {
      ...trunkRefs,
      remoteBranches: ['main', 'release/1.82.x', 'release/1.81.x', 'feature/search', 'release-please--branches--main'],
      tags: [
        { name: 'v1.83.0', message: '', timestamp: 5, onProduction: true, heldBy: [] },
        { name: 'v1.82.3', message: '', timestamp: 4, onProduction: false, heldBy: ['release/1.82.x'] },
        { name: 'v1.81.9', message: '', timestamp: 3, onProduction: false, heldBy: ['release/1.81.x'] },
        { name: 'v1.83.1', message: '', timestamp: 6, onProduction: false, heldBy: ['feature/search', 'release-please--branches--main'] },
        { name: 'v1.84.0-nightly.20260101.gabc', message: '', timestamp: 7, onProduction: true, heldBy: [] },
        { name: 'v0.0.7', message: '', timestamp: 8, onProduction: true, heldBy: [] },
        { name: 'v1.83.0+build.5', message: '', timestamp: 9, onProduction: true, heldBy: [] },
        { name: 'v1.84.0-preview.3', message: 'Release v1.84.0-preview.3', timestamp: 10, onProduction: true, heldBy: [] },
      ],
    };
    const config = await initialConfig(workTree({}), refs, { schema: 'x' });
    expect(config).toMatch(/^ {2}maintenance: \["release\/\*\.x"\] +# release\/\*\.x holds v1\.82\.3, v1\.81\.9$/m);
    expect(config).toMatch(/^extends: \[recommended\]/m);
    expect(config).toMatch(/^ {2}recoveryChannels: \[\] +# no tag message says recovery-release: true$/m);
    expect(config).toContain('    - "v*-nightly*"');
    expect(config).toContain('    - "v*+*"');
    expect(config).toContain('    - "v0.0.*"');
  });

  it('points $schema into node_modules when release-lint is a dependency, else at the published package', () => {
    const initIn = (files: Record<string, string>) => {
      const seed = GitFixture.init();
      seed.commit('chore: initial commit', { 'README.md': 'x\n' });
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(seed.dir, name)), { recursive: true });
        writeFileSync(join(seed.dir, name), text);
      }
      const written = cli(['init', '-C', seed.dir]);
      expect(written.stderr).toBe('');
      expect(written.code).toBe(0);
      const text = readFileSync(join(seed.dir, '.releasepolicyrc.yml'), 'utf8');
      expect(text).not.toContain(seed.dir);
      rmSync(dirname(seed.dir), { recursive: true, force: true });
      return text.split('\n')[0];
    };
    expect(initIn({ 'node_modules/release-lint/schemas/config.schema.json': '{}' })).toBe('# yaml-language-server: $schema=./node_modules/release-lint/schemas/config.schema.json');
    expect(initIn({})).toMatch(/^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/release-lint@\d+\.\d+\.\d+\/schemas\/config\.schema\.json$/);
  });
});
