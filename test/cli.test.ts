import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { cli, tempDir } from './helpers.js';

let demo: Scenario;
let snapshotFile: string;
beforeAll(() => {
  demo = buildDemo();
  snapshotFile = join(tempDir(), 'demo.json');
  expect(cli(['snapshot', '-C', demo.clone.dir, '-o', snapshotFile]).code).toBe(0);
});
afterAll(() => rmSync(dirname(demo.clone.dir), { recursive: true, force: true }));

describe('JSON output', () => {
  it('follows schemas/json-output.schema.json', () => {
    const report = JSON.parse(cli(['-C', demo.clone.dir, '-f', 'json']).stdout);
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'json-output.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report)).toBe(true);
    expect(report.tool).toEqual({ name: 'release-lint', version: JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version });
  });

  it('is identical for identical input', () => {
    expect(cli(['-C', demo.clone.dir, '-f', 'json']).stdout).toBe(cli(['-C', demo.clone.dir, '-f', 'json']).stdout);
  });

  it('writes to --output and keeps standard output empty', () => {
    const file = join(tempDir(), 'report.json');
    const result = cli(['-C', demo.clone.dir, '-f', 'json', '-o', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).summary.errors).toBe(15);
  });
});

describe('options', () => {
  it('--rule changes a severity; --quiet shows errors only', () => {
    const aegis = ['-c', join(demo.clone.dir, '.releasepolicyrc.yml')];
    const report = JSON.parse(cli(['--snapshot', snapshotFile, ...aegis, '-f', 'json', '--rule', 'tag-annotated=warn', '--rule', 'tag-version-format=off']).stdout);
    expect(report.summary).toEqual({ errors: 13, warnings: 2, notes: 0, inconclusive: 0 });
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'tag-version-format')).toBe(false);
    const quiet = cli(['--snapshot', snapshotFile, ...aegis, '--rule', 'tag-annotated=warn', '-q']);
    expect(quiet.stdout).not.toContain('lightweight');
    expect(quiet.stdout).not.toContain('release-branch-stale');
    expect(quiet.stdout).toContain('✖ 14 problems (14 errors, 0 warnings)');
  });

  it('--version and --help', () => {
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: release-lint');
  });
});

describe('tags.since', () => {
  const withSince = (since: string) => {
    const config = join(tempDir(), 'policy.yml');
    writeFileSync(config, readFileSync(join(demo.clone.dir, '.releasepolicyrc.yml'), 'utf8').replace('  prefix: v\n', `  prefix: v\n  since: ${since}\n`));
    return config;
  };
  it('keeps older tags as facts but does not judge them (a tag name or an ISO date)', () => {
    const all = JSON.parse(cli(['-C', demo.clone.dir, '-f', 'json']).stdout);
    expect(all.findings.some((f: { target: { name: string } }) => f.target.name === 'v0.6.4')).toBe(true);
    for (const since of ['v0.6.5-preview', '2026-01-06']) {
      const report = JSON.parse(cli(['-C', demo.clone.dir, '-c', withSince(since), '-f', 'json']).stdout);
      expect(report.findings.some((f: { target: { name: string } }) => f.target.name === 'v0.6.4')).toBe(false);
      expect(report.findings.some((f: { target: { name: string } }) => f.target.name === 'v0.6.5-preview.2')).toBe(true);
    }
    const snapshot = JSON.parse(cli(['snapshot', '-C', demo.clone.dir, '-c', withSince('v0.6.5-preview')]).stdout);
    expect(snapshot.tags.find((t: { name: string }) => t.name === 'v0.6.4').judged).toBe(false);
    expect(snapshot.revisions.some((r: { name: string }) => r.name === 'v0.6.4')).toBe(false);
  });
  it('refuses a since that is neither a tag nor a date', () => {
    const result = cli(['-C', demo.clone.dir, '-c', withSince('v9.9.9')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('release-lint: tags.since names "v9.9.9", which is neither an existing tag nor an ISO date (YYYY-MM-DD)');
  });
});

describe('bad input exits 2 with one line and no stack trace', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['an unknown flag', () => ['--fromat', 'json'], /^release-lint: unknown option --fromat \(did you mean --format\?\) \(see release-lint --help\)$/],
    ['an unknown command', () => ['chek'], /^release-lint: unknown command "chek" \(did you mean "check"\?\) \(commands: check, snapshot, tag, pr, release, hook, install-hook, rules, explain, init, baseline, test\)$/],
    ['an unknown format', () => ['-f', 'xml'], /^release-lint: unknown format "xml" \(formats: human, json, sarif, github, markdown, markdown-comment\)$/],
    ['a missing option value', () => ['--config'], /^release-lint: Option '-c, --config <value>' argument missing \(see release-lint --help\)$/],
    ['a bad --rule', () => ['--rule', 'tag-annotated'], /^release-lint: --rule expects <id>=<off\|note\|warn\|error>, got "tag-annotated"$/],
    ['a bad --max-warnings', () => ['--max-warnings', 'many'], /^release-lint: --max-warnings expects a whole number, got "many"$/],
    ['an unknown --expand rule', () => ['-C', demo.clone.dir, '--expand', 'tag-anotated'], /^release-lint: --expand names an unknown rule "tag-anotated" \(did you mean "tag-annotated"\?\); release-lint rules lists them$/],
    ['a folder that is not a repository', () => ['-C', tempDir()], /^release-lint: \/\S+: is not a git repository$/],
    ['a folder that does not exist', () => ['-C', '/nonexistent/repo'], /^release-lint: \/nonexistent\/repo: folder does not exist$/],
    ['a missing config file', () => ['-C', demo.clone.dir, '-c', '/nonexistent/policy.yml'], /^release-lint: \/nonexistent\/policy\.yml: config file not found$/],
    ['an --output folder that does not exist, outside the work tree', () => ['-C', demo.clone.dir, '-o', '/nonexistent/dir/report.txt'], /^release-lint: \/nonexistent\/dir\/report\.txt: the folder \/nonexistent\/dir does not exist \(release-lint creates report folders only inside the work tree \S+\)$/],
  ];
  it.each(cases)('%s', (_name, args, expected) => {
    const result = cli(args());
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(expected);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a bare repository', () => {
    const result = cli(['-C', join(dirname(demo.clone.dir), 'origin.git')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/origin\.git: is a bare repository; release-lint needs a clone with a work tree$/);
  });

  it('an unknown rule id or option in the config, at its position', () => {
    const config = join(tempDir(), 'policy.yml');
    writeFileSync(config, 'rules:\n  tag-anotated: error\n');
    expect(cli(['-C', demo.clone.dir, '-c', config]).stderr.trim()).toBe(`release-lint: ${config}:2:3: unknown rule "tag-anotated" (did you mean "tag-annotated"?)`);
    writeFileSync(config, 'rules:\n  changelog-baseline: [error, { prereleaseBaseline: false }]\n');
    expect(cli(['-C', demo.clone.dir, '-c', config]).stderr.trim()).toBe(
      `release-lint: ${config}:2:3: rule changelog-baseline has no option "prereleaseBaseline" (did you mean "prereleaseBaselines"?)`,
    );
    writeFileSync(config, 'rules:\n  changelog-baseline: [error, { prereleaseBaselines: "no" }]\n');
    expect(cli(['-C', demo.clone.dir, '-c', config]).stderr.trim()).toBe(
      `release-lint: ${config}:2:3: rule changelog-baseline: option "prereleaseBaselines" must be a boolean, like its default true`,
    );
  });

  it('snapshot files that are corrupt, of another version or not a snapshot', () => {
    const dir = tempDir();
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const corrupt = write('corrupt.json', '{\n  "schemaVersion": 2,\n  "tags": [,]\n}\n');
    expect(cli(['--snapshot', corrupt]).stderr.trim()).toMatch(new RegExp(`^release-lint: ${corrupt}:3:\\d+: invalid JSON: `));
    const future = write('future.json', '{"schemaVersion": 3}');
    expect(cli(['--snapshot', future]).stderr.trim()).toBe(`release-lint: ${future}: unsupported snapshot schemaVersion 3 (this release-lint reads version 2; save the snapshot again with release-lint snapshot)`);
    const saved = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    saved.tags[1].annotated = 'yes';
    const wrong = write('wrong.json', JSON.stringify(saved, null, 2));
    const result = cli(['--snapshot', wrong]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^release-lint: ${wrong}:\\d+:\\d+: tags\\.1\\.annotated must be boolean$`));
    expect(cli(['--snapshot', join(dir, 'missing.json')]).stderr.trim()).toBe(`release-lint: ${join(dir, 'missing.json')}: cannot read snapshot: ENOENT`);
  });

  it('--debug shows the stack trace', () => {
    const result = cli(['-C', tempDir(), '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe('read-only', () => {
  it('leaves .git untouched', () => {
    const snapshotOfGit = () => execFileSync('sh', ['-c', 'find .git -type f -newer .git/HEAD -o -type f -print0 | sort -z | xargs -0 sha1sum'], { cwd: demo.clone.dir, encoding: 'utf8' });
    const before = snapshotOfGit();
    cli(['-C', demo.clone.dir]);
    cli(['snapshot', '-C', demo.clone.dir]);
    expect(snapshotOfGit()).toBe(before);
  });
});
