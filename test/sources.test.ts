import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpressionEnvironment } from '../src/engine/cel.js';
import { isRuleFileName } from '../src/engine/rules.js';
import { parse as parseToml } from 'smol-toml';
import { findChangelogHeading, parseChangelog, readJsonPointers, readTextVersion, readTomlPointers, readYamlPointers, readYamlPointersParsed } from '../src/facts/version-files.js';
import { snapshotJsonSchema } from '../src/facts/model.js';
import { parseVersion } from '../src/facts/version.js';

const root = join(__dirname, '..');

describe('version sources', () => {
  it('reads JSON Pointers with their line, including empty and dotted keys', () => {
    const lock = '{\n  "name": "x",\n  "version": "1.2.3",\n  "packages": {\n    "": {\n      "version": "1.2.4"\n    },\n    "node_modules/a": { "version": "9.9.9" }\n  }\n}\n';
    const values = readJsonPointers(lock, ['/version', '/packages//version', '/missing', '/name/x']);
    expect(values.get('/version')).toEqual({ found: true, value: '1.2.3', line: 3, column: 14, problem: '' });
    expect(values.get('/packages//version')).toMatchObject({ found: true, value: '1.2.4', line: 6 });
    expect(values.get('/missing')).toMatchObject({ found: false, problem: 'pointer not found' });
    expect(readJsonPointers('{\n  ".": "0.6.5"\n}\n', ['/.']).get('/.')).toMatchObject({ value: '0.6.5', line: 2 });
    expect(readJsonPointers('{"version": 7}', ['/version']).get('/version')).toMatchObject({ found: false, problem: 'not a string' });
    expect(readJsonPointers('{"version": "1.0.0",,}', ['/version']).get('/version')?.found).toBe(true);
    expect(readJsonPointers('{"a/b": {"~": "1.0.0"}}', ['/a~1b/~0']).get('/a~1b/~0')).toMatchObject({ value: '1.0.0' });
  });

  it('reads duplicate JSON keys as npm does: the last one counts', () => {
    const pkg = '{\n  "name": "x",\n  "version": "0.6.8",\n  "version": "9.9.9"\n}\n';
    expect(readJsonPointers(pkg, ['/version']).get('/version')).toMatchObject({ value: '9.9.9', line: 4 });
    expect(JSON.parse(pkg).version).toBe('9.9.9');
  });

  it('reads TOML at a pointer, with the line of its key', () => {
    const cargo = '[workspace]\nmembers = ["a"]\n\n[package]\nname = "app"\nversion = "1.4.0"  # x-release-please-version\n\n[dependencies]\nserde = { version = "1.0.1" }\n';
    const values = readTomlPointers(cargo, ['/package/version', '/dependencies/serde/version', '/package/missing'], parseToml);
    expect(values.get('/package/version')).toEqual({ found: true, value: '1.4.0', line: 6, column: 1, problem: '' });
    expect(values.get('/dependencies/serde/version')).toMatchObject({ value: '1.0.1', line: 9 });
    expect(values.get('/package/missing')).toMatchObject({ found: false, problem: 'pointer not found' });
    const pyproject = '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "sdk"\nversion = "3.52.0"\n';
    expect(readTomlPointers(pyproject, ['/project/version'], parseToml).get('/project/version')).toMatchObject({ value: '3.52.0', line: 6 });
    expect(readTomlPointers('project.version = "2.0.0"\n', ['/project/version'], parseToml).get('/project/version')).toMatchObject({ value: '2.0.0', line: 1 });
    expect(readTomlPointers('[package]\nversion.workspace = true\n', ['/package/version'], parseToml).get('/package/version')).toMatchObject({ found: false, problem: 'not a string' });
    expect(readTomlPointers('[package\nversion = 1', ['/package/version'], parseToml).get('/package/version')?.problem).toMatch(/^parse error: /);
  });

  it("reads text versions as Release Please's generic updater rewrites them", () => {
    const go = 'package internal\n\nconst PackageVersion = "3.52.0" // x-release-please-version\n';
    expect(readTextVersion(go, null, '3.52.0')).toEqual({ found: true, value: '3.52.0', line: 3, column: 25, problem: '' });
    const readme = [
      '# SDK',
      '<!-- x-release-please-start-version -->',
      '[![badge](https://img.shields.io/badge/sdk-go-blue)](https://pkg.go.dev/github.com/o/r/v3)',
      '<!-- x-release-please-end -->',
      '',
      '<!-- x-release-please-start-version -->',
      '```sh',
      "go get -u 'github.com/o/r/v3@v3.51.0'",
      '```',
      '<!-- x-release-please-end -->',
      'import "github.com/o/r/v3" // v3.0.0 outside any block',
    ].join('\n');
    // The stale occurrence is reported, not hidden behind the correct ones; lines without a version are skipped.
    expect(readTextVersion(readme, null, '3.52.0')).toMatchObject({ found: true, value: '3.51.0', line: 8 });
    expect(readTextVersion(readme.replace('3.51.0', '3.52.0'), null, '3.52.0')).toMatchObject({ value: '3.52.0', line: 8 });
    expect(readTextVersion('no markers here 1.2.3\n', null, '1.2.3')).toMatchObject({ found: false, problem: 'no version marked' });
    // x-release-please-major marks a number, not a version.
    expect(readTextVersion('const Major = 3 // x-release-please-major\n', null, '3.0.0')).toMatchObject({ found: false });
    expect(readTextVersion('__version__ = "2.1.0"\n', '__version__ = "([^"]+)"', '2.1.0')).toMatchObject({ found: true, value: '2.1.0', line: 1, column: 16 });
    expect(readTextVersion('x\n', 'version (\\S+)', '1.0.0')).toMatchObject({ found: false, problem: 'pattern not found' });
  });

  it('reads YAML values as written, with their line', () => {
    const chart = 'apiVersion: v2\nname: aegis\nversion: 1.10\nappVersion: "0.6.5-preview"\n';
    const values = readYamlPointers(chart, ['/version', '/appVersion', '/nope']);
    expect(values.get('/version')).toMatchObject({ found: true, value: '1.10', line: 3, column: 10 });
    expect(values.get('/appVersion')).toMatchObject({ found: true, value: '0.6.5-preview', line: 4 });
    expect(values.get('/nope')).toMatchObject({ found: false, problem: 'pointer not found' });
    expect(readYamlPointers('a: [\n', ['/a']).get('/a')?.problem).toMatch(/^parse error: /);
  });

  it('reads plain top-level YAML keys without the parser exactly as the parser does', () => {
    const charts = [
      'apiVersion: v2\nversion: 1.2.3\nappVersion: "1.2.3"\n',
      "version: '0.6.5-preview.1'   # bumped by Release Please\nappVersion: 0.6.5-preview.1\n",
      'version: 1.10\r\nappVersion: v1.2\r\n',
      'description: |\n  version: 9.9.9\nversion: 1.0.0\nappVersion: 1.0.0\n',
      '# version: 0.0.1\nversion: 2.0.0\nappVersion: "2.0.0"\n',
      // Everything below is left to the parser (anchors, block scalars, documents, duplicates, flow, booleans).
      'version: &v 1.0.0\nappVersion: *v\n',
      'version: >-\n  1.0.0\nappVersion: 1.0.0\n',
      '---\nversion: 1.0.0\nappVersion: 1.0.0\n',
      '{version: 1.0.0, appVersion: 1.0.0}\n',
      'version: "1.0.0\\n"\nappVersion: 1.0.0\n',
      'version: true\nappVersion: null\n',
      'version: 1.0.0\nversion: 2.0.0\nappVersion: 1.0.0\n',
    ];
    for (const chart of charts) {
      expect(readYamlPointers(chart, ['/version', '/appVersion']), chart).toEqual(readYamlPointersParsed(chart, ['/version', '/appVersion']));
    }
  });

  it('finds the heading for one version, and the newest, without parsing every entry', () => {
    const text = '# Changelog\n\n## [1.2.0](https://x/compare/v1.1.0...v1.2.0) (2026-01-02)\n\n* a\n\n### [1.1.0](https://x/compare/v1.0.0...v1.1.0)\n';
    expect(findChangelogHeading(text, '1.1.0')).toMatchObject({ newest: { version: { text: '1.2.0' }, line: 3 }, matching: { version: { text: '1.1.0' }, line: 7, compareFrom: 'v1.0.0' } });
    expect(findChangelogHeading(text, '1.1.0-rc')).toEqual({ newest: expect.objectContaining({ line: 3 }) });
    expect(findChangelogHeading('# Changelog\n', '1.0.0')).toEqual({});
  });

  it('parses Release Please and Keep a Changelog headings with their compare ranges', () => {
    const text = [
      '# Changelog',
      '',
      '## [0.6.6-preview](https://github.com/o/r/compare/v0.6.5-preview.3...v0.6.6-preview) (2026-02-01)',
      '### [0.6.5](https://github.com/o/r/compare/v0.6.4...v0.6.5) (2026-01-01)',
      '## [1.0.0] - 2026-03-01',
      '## Unreleased',
      '## 0.1.0 (2025-01-01)',
      '',
      '[1.0.0]: https://github.com/o/r/compare/v0.9.0...v1.0.0',
    ].join('\n');
    expect(parseChangelog(text).map((e) => [e.version.text, e.line, e.compareFrom, e.compareTo])).toEqual([
      ['0.6.6-preview', 3, 'v0.6.5-preview.3', 'v0.6.6-preview'],
      ['0.6.5', 4, 'v0.6.4', 'v0.6.5'],
      ['1.0.0', 5, 'v0.9.0', 'v1.0.0'],
      ['0.1.0', 7, '', ''],
    ]);
  });
});

describe('CHANGELOG compare ranges', () => {
  const ranges = (text: string) => parseChangelog(text).map((e) => [e.version.text, e.compareFrom, e.compareTo, e.compareLine]);
  it('reads the range from a Full Changelog body line, where generated SDKs and GitHub release notes put it', () => {
    const text = [
      '# Changelog',
      '',
      '## 3.49.0 (2026-07-31)',
      '',
      'Full Changelog: [v3.48.0...v3.49.0](https://github.com/o/r/compare/v3.48.0...v3.49.0)',
      '',
      '### Features',
      '',
      '* **api:** add streaming ([#12](https://github.com/o/r/issues/12)) ([abc1234](https://github.com/o/r/commit/abc1234))',
      '',
      '## 1.2.3 (2026-01-01)',
      '',
      '**Full Changelog**: https://github.com/o/r/compare/v1.2.2...v1.2.3',
      '',
      '## [3.48.0](https://github.com/o/r/compare/v3.47.0...v3.48.0) (2026-07-01)',
      '',
      'Full Changelog: [v3.40.0...v3.48.0](https://github.com/o/r/compare/v3.40.0...v3.48.0)',
    ].join('\n');
    // The heading's own link wins over a body line.
    expect(ranges(text)).toEqual([
      ['3.49.0', 'v3.48.0', 'v3.49.0', 5],
      ['1.2.3', 'v1.2.2', 'v1.2.3', 13],
      ['3.48.0', 'v3.47.0', 'v3.48.0', 15],
    ]);
  });

  it('takes a body line whose range ends at the entry, never an unrelated compare link in a bullet', () => {
    const text = [
      '## 2.0.0 (2026-05-01)',
      '* see [the old diff](https://github.com/o/r/compare/v0.1.0...v0.2.0)',
      '## 1.9.0 (2026-04-01)',
      '* compare [here](https://gitlab.com/o/r/-/compare/v1.8.0...v1.9.0)',
    ].join('\n');
    expect(ranges(text)).toEqual([
      ['2.0.0', '', '', 1],
      ['1.9.0', 'v1.8.0', 'v1.9.0', 4],
    ]);
  });

  it('reads Keep a Changelog link definitions, GitLab URLs and every heading form, at the line that holds the range', () => {
    const text = [
      '# Changelog',
      '## [1.1.0] - 2026-03-01',
      '# v1.0.0',
      '## 0.9.0 (2025-12-01)',
      '',
      '[1.1.0]: https://gitlab.com/o/r/-/compare/v1.0.0...v1.1.0',
      '[1.0.0]: https://github.com/o/r/compare/v0.9.0...v1.0.0',
    ].join('\n');
    expect(ranges(text)).toEqual([
      ['1.1.0', 'v1.0.0', 'v1.1.0', 6],
      ['1.0.0', 'v0.9.0', 'v1.0.0', 7],
      ['0.9.0', '', '', 4],
    ]);
  });
});

describe('versions', () => {
  it('parses channels and recovery numbers', () => {
    expect(parseVersion('0.6.5-preview.3')).toMatchObject({ valid: true, channel: 'preview', numbered: true, number: 3, stable: false });
    expect(parseVersion('1.2.3')).toMatchObject({ valid: true, channel: '', numbered: false, stable: true, prerelease: [] });
    expect(parseVersion('1.2.3-rc-2')).toMatchObject({ valid: true, channel: 'rc-2', numbered: false });
    expect(parseVersion('v1.2.3').valid).toBe(false);
    expect(parseVersion('1.2').valid).toBe(false);
  });
});

describe('rule language helpers', () => {
  const env = ExpressionEnvironment.create();
  const run = (source: string) => env.compile(source).evaluate({});
  it('compare versions by semver precedence', () => {
    expect(run("semver.lt('1.2.3-rc', '1.2.3')")).toBe(true);
    expect(run("semver.gt('1.10.0', '1.9.0')")).toBe(true);
    expect(run("semver.max(['0.6.5-preview.3', '0.6.5-preview.10', 'nope'])")).toBe('0.6.5-preview.10');
    expect(run("semver.max([])")).toBe('');
    expect(run("semver.line('1.82.3-rc.1')")).toBe('1.82');
    expect(run("semver.line('1.82')")).toBe('');
    expect(run("semver.compare('1.0.0', '1.0.0')")).toBe(0n);
    expect(run("semver.valid('v1.0.0')")).toBe(false);
  });
  it('split lines and match globs', () => {
    expect(run("'a\\nb  \\n'.lines()")).toEqual(['a', 'b']);
    expect(run("'release/1.2.3'.matchesGlob('release/*')")).toBe(true);
    expect(run("'release/a/b'.matchesGlob('release/*')")).toBe(false);
    expect(run("'deploy/helm/aegis/Chart.yaml'.matchesGlob('deploy/**')")).toBe(true);
  });
  it('reject unknown helpers at compile time', () => {
    expect(() => env.compile("semver.newest(['1.0.0'])")).toThrow(/newest/);
  });
});

describe('the engine knows no rule by name', () => {
  it('no built-in rule id appears in src/', () => {
    const ids = readdirSync(join(root, 'rules')).filter(isRuleFileName).map((f) => f.replace(/\.yml$/, ''));
    expect(ids.length).toBeGreaterThanOrEqual(9);
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.ts')) sources.push(readFileSync(join(dir, entry.name), 'utf8'));
      }
    };
    walk(join(root, 'src'));
    for (const id of ids) for (const source of sources) expect(source.includes(id), id).toBe(false);
  });

  it('schemas/snapshot.schema.json is generated from the snapshot model (npm run schemas)', () => {
    const committed = JSON.parse(readFileSync(join(root, 'schemas', 'snapshot.schema.json'), 'utf8'));
    expect(committed).toEqual(snapshotJsonSchema());
  });

  it('the rule schema lists exactly the fact ids a rule may require and the kinds of branch head (npm run schemas)', async () => {
    const { ruleFactsJsonSchema } = await import('../src/facts/ids.js');
    const committed = JSON.parse(readFileSync(join(root, 'schemas', 'rule.schema.json'), 'utf8'));
    const generated = ruleFactsJsonSchema();
    expect(committed.properties.requires).toEqual(generated.requires);
    expect(committed.properties.branchHeads).toEqual(generated.branchHeads);
  });
});
