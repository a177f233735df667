/**
 * SARIF that never closes alerts by accident: one category per command (or the one given), rules
 * that could not be decided as tool execution notifications of a run that did not succeed, and a
 * docs link for every built-in rule (helpUri, and `explain`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { repositoryUrl, ruleDocsUrl } from '../src/engine/docs-url.js';
import { builtInRulesDir } from '../src/engine/rules.js';
import { sarifCategory } from '../src/report/sarif.js';
import { cli } from './helpers.js';

const root = join(__dirname, '..');
const require = createRequire(import.meta.url);
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const multitool = join(root, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

let demo: Scenario;
let work: string;
/** SARIF of `check` on the full demo clone, and on a shallow clone of its origin. */
let full: any;
let shallow: any;
let shallowFile: string;
let shallowDir: string;
let shallowJson: any;

/** Runs release-lint with SARIF into a file of the work folder; returns the parsed log and the exit code. */
function sarifOf(args: string[], name: string): { log: any; code: number; file: string } {
  const file = join(work, name);
  const result = cli([...args, '-f', `sarif=${file}`]);
  expect(result.stderr).toBe('');
  return { log: JSON.parse(readFileSync(file, 'utf8')), code: result.code, file };
}

beforeAll(() => {
  demo = buildDemo();
  work = mkdtempSync(join(tmpdir(), 'release-lint-sarif-'));
  full = sarifOf(['-C', demo.clone.dir], 'full.sarif').log;
  shallowDir = join(work, 'shallow');
  execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${join(dirname(demo.clone.dir), 'origin.git')}`, shallowDir]);
  const run = sarifOf(['-C', shallowDir], 'shallow.sarif');
  expect(run.code).toBe(1);
  shallow = run.log;
  shallowFile = run.file;
  shallowJson = JSON.parse(cli(['-C', shallowDir, '-f', 'json']).stdout);
});
afterAll(() => {
  rmSync(dirname(demo.clone.dir), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('one SARIF category per command', () => {
  it('adds the trailing / that makes the id a category, and keeps a given one', () => {
    expect(sarifCategory('check')).toBe('release-lint/check/');
    expect(sarifCategory('tag')).toBe('release-lint/tag/');
    expect(sarifCategory('pr')).toBe('release-lint/pr/');
    expect(sarifCategory('check', 'release-gate')).toBe('release-gate/');
    expect(sarifCategory('check', 'release-gate/nightly/')).toBe('release-gate/nightly/');
  });

  it('check and tag upload under different categories', () => {
    expect(full.runs[0].automationDetails).toEqual({ id: 'release-lint/check/' });
    const tag = sarifOf(['tag', 'v0.6.4', '-C', demo.clone.dir], 'tag.sarif').log;
    expect(tag.runs[0].automationDetails).toEqual({ id: 'release-lint/tag/' });
    // The tag run judged only that tag: its one finding would have closed the check's other alerts.
    expect(tag.runs[0].results.map((r: any) => r.ruleId)).toEqual(['tag-annotated']);
  });

  it('--sarif-category overrides the category, and an empty one is refused', () => {
    const given = sarifOf(['-C', demo.clone.dir, '--sarif-category', 'release-lint/nightly-audit'], 'given.sarif').log;
    expect(given.runs[0].automationDetails).toEqual({ id: 'release-lint/nightly-audit/' });
    for (const bad of ['', '/', 'a\nb']) {
      const refused = cli(['-C', demo.clone.dir, '-f', 'sarif', '--sarif-category', bad]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(`release-lint: --sarif-category expects a category such as release-lint/tag, got ${JSON.stringify(bad)}\n`);
    }
    expect(cli(['--help']).stdout).toMatch(/^ {6}--sarif-category <c> {3}SARIF's code scanning category \(default release-lint\/<command>\//m);
  });
});

describe('inconclusive rules in SARIF', () => {
  it('a shallow clone: one error notification per inconclusive result, naming rule, target, reason and fix; the run did not succeed', () => {
    const run = shallow.runs[0];
    const [invocation] = run.invocations;
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications;
    expect(shallowJson.inconclusive.length).toBeGreaterThan(0);
    expect(notes).toHaveLength(shallowJson.inconclusive.length);
    const ids = run.tool.driver.rules.map((r: any) => r.id);
    for (const [i, note] of notes.entries()) {
      const item = shallowJson.inconclusive[i];
      expect(note.level).toBe('error');
      expect(note.associatedRule).toEqual({ id: item.ruleId, index: ids.indexOf(item.ruleId) });
      expect(ids[note.associatedRule.index]).toBe(item.ruleId);
      expect(note.message.text).toBe(`${item.ruleId} could not be decided for ${item.target.kind} ${item.target.name}: ${item.reason}.\n\nFix: ${item.fix}`);
    }
    expect(notes.map((n: any) => n.associatedRule.id).sort()).toEqual(['changelog-baseline', 'hotfix-backport', 'manifest-baseline', 'tag-reachable']);
    expect(notes[0].message.text).toMatch(/the clone is shallow.*\n\nFix: .*fetch-depth: 0/s);
    // Findings that could be decided are still reported beside them.
    expect(run.results.length).toBeGreaterThan(0);
  });

  it('a full clone: the run succeeded and has no notifications', () => {
    expect(full.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(full.runs[0].invocations[0]).not.toHaveProperty('toolExecutionNotifications');
  });

  it('the shallow SARIF stays valid: ajv and the Multitool with the GitHub rules on', () => {
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
    expect(validate(shallow) ? [] : validate.errors).toEqual([]);
    // Negative control: the schema knows the notification's fields.
    const broken = structuredClone(shallow);
    broken.runs[0].invocations[0].toolExecutionNotifications[0].associatedRule.index = 'zero';
    expect(validate(broken)).toBe(false);

    expect(existsSync(multitool)).toBe(true);
    // The Multitool with GitHub's ingestion rules on, as test/reports.test.ts runs it: no error and no warning.
    const output = join(work, 'validation.sarif');
    const run = spawnSync(multitool, ['validate', shallowFile, '--config', join(__dirname, 'data', 'sarif-github-rules.xml'), '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--output', output, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    expect(run.error).toBeUndefined();
    const report = JSON.parse(readFileSync(output, 'utf8'));
    expect((report.runs[0].results ?? []).filter((r: any) => r.level === 'error' || r.level === 'warning').map((r: any) => r.ruleId)).toEqual([]);
  }, 120_000);
});

describe('docs links', () => {
  const page = (id: string) => `${repositoryUrl}/blob/v${version}/docs/rules/${id}.md`;

  it('every built-in rule has helpUri: its docs page at the release tag, a page that exists; the link is in help too', () => {
    expect(repositoryUrl).toBe('https://github.com/release-lint/release-lint');
    const rules = full.runs[0].tool.driver.rules;
    const builtIn = rules.filter((r: any) => !r.id.startsWith('release-lint:'));
    expect(builtIn).toHaveLength(25);
    for (const rule of builtIn) {
      expect(rule.helpUri).toBe(page(rule.id));
      expect(existsSync(join(root, 'docs', 'rules', `${rule.id}.md`)), rule.id).toBe(true);
      expect(rule.help.markdown).toContain(`[Documentation of ${rule.id}](${page(rule.id)})`);
      expect(rule.help.text).toContain(`Documentation: ${page(rule.id)}`);
    }
    // The config's ignore list is no rule file: there is no page to link.
    expect(rules.find((r: any) => r.id === 'release-lint:ignore')).not.toHaveProperty('helpUri');
  });

  it("a team's rule has no page in the project's docs: no helpUri, and explain names its file", () => {
    const repo = join(work, 'team');
    execFileSync('git', ['clone', '-q', '--no-local', join(dirname(demo.clone.dir), 'origin.git'), repo]);
    mkdirSync(join(repo, 'team-rules'));
    writeFileSync(
      join(repo, 'team-rules', 'team-tag-named.yml'),
      "id: team-tag-named\ntitle: Tags have names\ndescription: Every tag has a name.\nseverity: warning\ngiven: tags\nassert:\n  - that: tag.name != ''\n    message: \"${tag.name} has no name\"\nfix: name it\n",
    );
    appendFileSync(join(repo, '.releasepolicyrc.yml'), 'rulesDirs: [team-rules]\n');
    const log = sarifOf(['-C', repo], 'team.sarif').log;
    const rule = log.runs[0].tool.driver.rules.find((r: any) => r.id === 'team-tag-named');
    expect(rule.help.text).toContain('Every tag has a name.');
    expect(rule).not.toHaveProperty('helpUri');
    expect(rule.help.markdown).not.toContain('Documentation of');
    expect(log.runs[0].tool.driver.rules.find((r: any) => r.id === 'tag-annotated').helpUri).toBe(page('tag-annotated'));
    const explained = cli(['explain', 'team-tag-named', '-C', repo]);
    expect(explained.stdout).toContain(`\nDefined in ${join(repo, 'team-rules', 'team-tag-named.yml')}\n`);
    expect(explained.stdout).not.toContain('Docs:');
  });

  it('explain shows the docs page of a built-in rule, not a path on this machine', () => {
    const explained = cli(['explain', 'tag-annotated', '-C', demo.clone.dir]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(new RegExp(`\\nDocs: ${page('tag-annotated').replace(/[.]/g, '\\.')}\\n$`));
    expect(explained.stdout).not.toContain(root);
    expect(explained.stdout).not.toContain('Defined in');
  });

  it('only rule files of the built-in folder get a page', () => {
    expect(ruleDocsUrl({ id: 'tag-annotated', builtIn: true, file: join(builtInRulesDir, 'tag-annotated.yml') }, '1.2.3')).toBe(`${repositoryUrl}/blob/v1.2.3/docs/rules/tag-annotated.md`);
    expect(ruleDocsUrl({ id: 'release-lint:ignore', builtIn: true, file: '/repo/.releasepolicyrc.yml' })).toBeUndefined();
    expect(ruleDocsUrl({ id: 'team-rule', builtIn: false, file: join(builtInRulesDir, 'team-rule.yml') })).toBeUndefined();
  });
});
