import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../src/config/load.js';
import { caseSnapshot, ruleTestJsonSchema } from '../src/engine/rule-tests.js';
import { withDefaults } from '../src/facts/model.js';
import { cli, tempDir, writeFiles } from './helpers.js';

/** A team rule with `let` bindings: the first line of an annotated tag's message names the tag. */
const messageRule = `id: tag-message-names-version
title: The tag message names the version
description: A release tag's message says which version it releases.
severity: error
given: tags
requires: [tag-messages]
let:
  wanted: "'Release ' + tag.name"
  firstLine: "tag.messageLines.size() > 0 ? tag.messageLines[0] : ''"
when: tag.annotated
assert:
  - that: firstLine == wanted
    message: "\${tag.name}: the message starts with '\${firstLine}', not '\${wanted}'"
fix: Tag again with -m "Release \${tag.name}".
`;

/** A folder with a config whose rulesDirs holds the rule and `tests` as its test file. */
function teamPolicy(tests: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'team-rules'));
  writeFiles(dir, { '.releasepolicyrc.yml': 'rulesDirs: [team-rules]\n' });
  writeFiles(join(dir, 'team-rules'), { 'tag-message-names-version.yml': messageRule, 'tag-message-names-version.test.yml': tests });
  return dir;
}

const passingAndFailing = `rule: tag-message-names-version
cases:
  - name: a message that names the version passes
    snapshot: { tags: [{ name: v1.2.3, message: "Release v1.2.3" }] }
    expect: []
  - name: a message about another version is reported
    snapshot:
      tags:
        - { name: v1.2.4, message: "Release v1.2.3" }
        - { name: v1.2.3, annotated: false }
    expect: []
`;

describe('release-lint test', () => {
  it('runs the tests of the rulesDirs rules: the failing case with its diff, the let values and the assertion that decided', () => {
    const dir = teamPolicy(passingAndFailing);
    const result = cli(['test'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '✖ tag-message-names-version › a message about another version is reported  team-rules/tag-message-names-version.test.yml:6',
        '    findings (- expected, not reported; + reported, not expected):',
        "      + v1.2.4 [error]: v1.2.4: the message starts with 'Release v1.2.3', not 'Release v1.2.4'",
        '    v1.2.4: failed: firstLine == wanted',
        '      let wanted = "Release v1.2.4"',
        '      let firstLine = "Release v1.2.3"',
        '',
        '1 passed, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('passes when every case holds, whatever the order of the expected findings', () => {
    const dir = teamPolicy(`rule: tag-message-names-version
cases:
  - name: two wrong messages, listed in the other order
    snapshot:
      tags:
        - { name: v1.2.4, message: "Release v1.2.3" }
        - { name: v1.2.3, message: "Release v1.2.2" }
        - { name: v1.2.2 }
    expect:
      - { target: v1.2.3, message: "not 'Release v1.2.3'" }
      - { target: v1.2.4, message: "not 'Release v1.2.4'", severity: error }
`);
    expect(cli(['test'], { cwd: dir })).toMatchObject({ code: 0, stdout: '1 passed, 0 failed\n', stderr: '' });
  });

  it('shows an expected finding the rule did not report as missing, with the element it passed', () => {
    const dir = teamPolicy(`rule: tag-message-names-version
cases:
  - name: expects a finding that is not there
    snapshot: { tags: [{ name: v1.2.3 }] }
    expect: [{ target: v1.2.3, message: starts with }]
`);
    const result = cli(['test'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('      - v1.2.3: …starts with…\n    v1.2.3: passed\n      let wanted = "Release v1.2.3"\n');
  });

  it('tests the missing-fact path: a case without a required fact must expect the rule inconclusive', () => {
    const dir = teamPolicy(`rule: tag-message-names-version
cases:
  - name: without tag messages the rule cannot decide
    facts: [all-tags]
    snapshot: { tags: [{ name: v1.2.4, message: "Release v1.2.3" }] }
    expect: []
    inconclusive: [{ reason: tag-messages }]
  - name: inconclusive true accepts any inconclusive result
    facts: []
    expect: []
    inconclusive: true
  - name: an inconclusive result nobody expected fails the case
    facts: []
    snapshot: { tags: [{ name: v1.2.3 }] }
    expect: []
`);
    const result = cli(['test'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✖ tag-message-names-version › an inconclusive result nobody expected fails the case');
    expect(result.stdout).toMatch(/\+ repository: the test case leaves out tag-messages/);
    expect(result.stdout).toContain('the rule judged no element: inconclusive: the facts tag-messages are missing');
    expect(result.stdout.endsWith('2 passed, 1 failed\n')).toBe(true);
  });

  it("applies a case's config over the defaults: severity and the tag prefix a version is parsed with", async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'tag-annotated.test.yml': `rule: tag-annotated
cases:
  - name: the preset turns the rule off, the test still runs it at its own severity
    snapshot: { tags: [{ name: v1.0.0, annotated: false }] }
    expect: [{ target: v1.0.0, severity: error }]
  - name: the case sets a severity
    config: { rules: { tag-annotated: warn } }
    snapshot: { tags: [{ name: v1.0.0, annotated: false }] }
    expect: [{ target: v1.0.0, severity: warning }]
`,
    });
    expect(cli(['test', join(dir, 'tag-annotated.test.yml')])).toMatchObject({ code: 0, stdout: '2 passed, 0 failed\n' });
    const base = await loadDefaultConfig();
    const snapshot = caseSnapshot({ tags: [{ name: 'release-2.0.0-rc.1' }] }, { ...base, tags: { ...base.tags, prefix: 'release-' } });
    expect(snapshot.tags[0].version).toMatchObject({ text: '2.0.0-rc.1', valid: true, major: 2, channel: 'rc', numbered: true, number: 1 });
    // A pull request gets a head commit, which rules quote (pr.headOid.substring(0, 12)).
    expect(caseSnapshot({ pullRequests: [{ number: 7 }] }, base).pullRequests[0].headOid).toMatch(/^[0-9a-f]{40}$/);
  });

  it('runs the built-in rules\' tests, and passes', () => {
    const result = cli(['test', 'rules']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ passed, 0 failed\n$/);
    const json = JSON.parse(cli(['test', 'rules', '-f', 'json']).stdout);
    expect(json.files.map((f: { rule: string }) => f.rule)).toContain('tag-annotated');
    expect(json.failed).toBe(0);
  });
});

describe('a malformed rule test file', () => {
  const malformed: Array<[string, string, RegExp]> = [
    ['bad YAML', 'rule: tag-annotated\ncases:\n  - name: x\n    expect: [\n', /:5:1: invalid YAML: /],
    ['an unknown key', 'rule: tag-annotated\ncases:\n  - name: x\n    expected: []\n', /:4:5: unknown key "expected" in the rule test file \(did you mean "expect"\?\)$/],
    ['a wrong type', 'rule: tag-annotated\ncases:\n  - name: x\n    snapshot: { tags: [{ name: v1, annotated: "yes" }] }\n    expect: []\n', /:4:47: cases\.0\.snapshot\.tags\.0\.annotated must be boolean$/],
    ['a snapshot field the model lacks', 'rule: tag-annotated\ncases:\n  - name: x\n    snapshot: { tags: [{ nmae: v1 }] }\n    expect: []\n', /:4:26: unknown key "nmae" in the rule test file \(did you mean "name"\?\)$/],
    ['an unknown rule', 'rule: tag-anotated\ncases:\n  - name: x\n    expect: []\n', /:1:7: unknown rule "tag-anotated": no tag-anotated\.yml beside the test file nor among the built-in rules \(did you mean "tag-annotated"\?\)$/],
    ['a bad config', 'rule: tag-annotated\ncases:\n  - name: x\n    config: { tags: { prefx: v } }\n    expect: []\n', /:4:23: unknown key "prefx" in the config \(did you mean "prefix"\?\)$/],
    ['a bad rule option', 'rule: tag-annotated\ncases:\n  - name: x\n    config: { rules: { tag-annotated: [warn, { nope: 1 }] } }\n    expect: []\n', /:4:24: rule tag-annotated has no option "nope" \(it takes no options\)$/],
  ];
  it.each(malformed)('%s: exit 2 with file:line:column', (_name, text, message) => {
    const dir = tempDir();
    // Named after the rule it names, as it must be.
    const file = join(dir, `${/^rule: (\S+)/.exec(text)![1]}.test.yml`);
    writeFileSync(file, text);
    const result = cli(['test', file]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().startsWith(`release-lint: ${file}:`)).toBe(true);
    expect(result.stderr.trim().slice(`release-lint: ${file}`.length)).toMatch(message);
  });

  it('names a test file after its rule', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tag-reachable.test.yml'), 'rule: tag-annotated\ncases:\n  - name: x\n    expect: []\n');
    const result = cli(['test', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tag-reachable.test.yml:1:7: the test file of rule "tag-annotated" must be named tag-annotated.test.yml');
  });
});

describe('check --trace <rule-id>', () => {
  it('shows the let values of each element and the assertion that failed, passed and skipped by when', async () => {
    const dir = teamPolicy(passingAndFailing);
    const snapshot = caseSnapshot({ tags: [{ name: 'v1.2.4', message: 'Release v1.2.3' }, { name: 'v1.2.3', annotated: false }, { name: 'v1.2.2' }] }, await loadDefaultConfig());
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    const result = cli(['check', '--snapshot', 'snapshot.json', '--trace', 'tag-message-names-version'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      [
        'trace of tag-message-names-version: 3 elements (1 failed, 1 passed, 1 skipped by when)',
        '  v1.2.4  failed: firstLine == wanted',
        '      let wanted = "Release v1.2.4"',
        '      let firstLine = "Release v1.2.3"',
        '  v1.2.2  passed',
        '      let wanted = "Release v1.2.2"',
        '      let firstLine = "Release v1.2.2"',
        '  v1.2.3  skipped by when',
      ].join('\n'),
    );
  });

  it('lists ten elements, then counts the rest unless --all', async () => {
    const dir = teamPolicy(passingAndFailing);
    const tags = Array.from({ length: 12 }, (_, i) => ({ name: `v1.0.${12 - i}` }));
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(caseSnapshot({ tags }, await loadDefaultConfig())));
    const capped = cli(['check', '--snapshot', 'snapshot.json', '--trace', 'tag-message-names-version'], { cwd: dir }).stdout;
    expect(capped.match(/^ {2}v1\.0\.\d+ {2}passed$/gm)).toHaveLength(10);
    expect(capped).toContain('  … and 2 more (add --expand tag-message-names-version or --all to list them)');
    const all = cli(['check', '--snapshot', 'snapshot.json', '--trace', 'tag-message-names-version', '--all'], { cwd: dir }).stdout;
    expect(all.match(/^ {2}v1\.0\.\d+ {2}passed$/gm)).toHaveLength(12);
  });

  it('says when an element was undecided, and when the rule judged nothing', async () => {
    const dir = teamPolicy(passingAndFailing);
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(caseSnapshot({ tags: [{ name: 'v1.2.3', annotated: false, remoteAnnotated: true }] }, await loadDefaultConfig())));
    const traced = cli(['check', '--snapshot', 'snapshot.json', '--rule', 'tag-annotated=error', '--trace', 'tag-annotated'], { cwd: dir }).stdout;
    expect(traced).toMatch(/^ {2}v1\.2\.3 {2}undecided: v1\.2\.3 is a lightweight tag here, but origin's v1\.2\.3 is an annotated tag of the same commit/m);
    const off = cli(['check', '--snapshot', 'snapshot.json', '--trace', 'tag-annotated'], { cwd: dir }).stdout;
    expect(off).toContain('trace of tag-annotated: 0 elements\n  the rule is off\n');
  });

  it('refuses an unknown rule id with the closest one', () => {
    const dir = teamPolicy(passingAndFailing);
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(withDefaults('Snapshot', { schemaVersion: 2 })));
    const result = cli(['check', '--snapshot', 'snapshot.json', '--trace', 'tag-anotated'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('release-lint: --trace names an unknown rule "tag-anotated" (did you mean "tag-annotated"?); release-lint rules lists them');
  });
});

describe('the snapshot defaults, from the model', () => {
  it('fill a nested partial snapshot: objects, lists of objects, enums and consts', () => {
    const filled = withDefaults('Snapshot', { tags: [{ name: 'v1.0.0', release: { assets: ['a.zip'] } }], repository: { name: 'r' } }) as Record<string, any>;
    expect(filled.schemaVersion).toBe(2);
    expect(filled.repository).toMatchObject({ name: 'r', remote: '', shallow: false, excludedTags: 0 });
    expect(filled.tags[0]).toMatchObject({ name: 'v1.0.0', annotated: false, onRemote: 'yes', push: '', version: { text: '', valid: false, prerelease: [] } });
    expect(filled.tags[0].release).toEqual({ found: false, isDraft: false, isPrerelease: false, assets: ['a.zip'] });
    expect(filled.tags[0].tagger).toEqual({ name: '', email: '', date: '' });
    expect(filled.branches).toEqual([]);
    expect(() => withDefaults('Tag', { nmae: 'x' })).toThrow('Tag has no field "nmae"');
  });

  it('a test case derives identities and consistent remote state for its tags', async () => {
    const snapshot = caseSnapshot({ tags: [{ name: 'v1.0.1', published: false }, { name: 'v1.0.0' }] }, await loadDefaultConfig());
    const [unpublished, published] = snapshot.tags;
    expect(unpublished).toMatchObject({ onRemote: 'no', remoteObject: '', remoteCommit: '', remoteAnnotated: false, judged: true, annotated: true, objectType: 'tag' });
    expect(published).toMatchObject({ onRemote: 'yes', remoteObject: published.object, remoteCommit: published.commit, remoteAnnotated: true, releaseLine: 'main', reachable: true });
    expect(unpublished.commit).not.toBe(published.commit);
    expect(unpublished.timestamp).toBeGreaterThan(published.timestamp);
  });

  it('a test case parses a version written as text, and reads a version source as found where it has a value', async () => {
    const snapshot = caseSnapshot(
      { changelogEntries: [{ version: '1.3.0-rc.2' }], versionSources: [{ at: { kind: 'tag', name: 'v1.3.0' }, file: 'package.json', value: '1.3.0' }, { file: 'Chart.yaml', fileExists: false }] },
      await loadDefaultConfig(),
    );
    expect(snapshot.changelogEntries[0]).toMatchObject({ file: 'CHANGELOG.md', heading: '## [1.3.0-rc.2]', compareTo: 'v1.3.0-rc.2', judged: true, version: { valid: true, channel: 'rc', number: 2 } });
    expect(snapshot.versionSources[0]).toMatchObject({ format: 'json', required: true, fileExists: true, found: true, problem: '', at: { kind: 'tag', version: { text: '1.3.0', valid: true } } });
    expect(snapshot.versionSources[1]).toMatchObject({ format: 'yaml', found: false, problem: 'file missing', at: { kind: 'production', name: 'main' } });
  });

  it('schemas/rule-test.schema.json is generated from the code (npm run schemas)', () => {
    expect(JSON.parse(readFileSync(join(process.cwd(), 'schemas', 'rule-test.schema.json'), 'utf8'))).toEqual(ruleTestJsonSchema());
  });
});

describe('a rule test never passes for the wrong reason', () => {
  /** A folder with one team rule and its test file; `release-lint test` on it. */
  function runTeamTest(rule: string, tests: string, config = ''): ReturnType<typeof cli> {
    const dir = tempDir();
    const id = /^id: (\S+)$/m.exec(rule)![1];
    writeFiles(dir, { [`${id}.yml`]: rule, [`${id}.test.yml`]: tests, ...(config ? { 'config.yml': config } : {}) });
    return cli(['test', dir]);
  }
  const header = (id: string, given: string, requires: string) => `id: ${id}\ntitle: t\ndescription: t\nseverity: error\ngiven: ${given}\nrequires: [${requires}]\nfix: x\n`;

  it('an error in the rule is not the inconclusive result a case expects', () => {
    const rule = `${header('pending', 'tags', 'all-tags, tag-messages')}let: { second: "tag.messageLines[1]" }
undecided: { when: "second == 'pending'", reason: "\${tag.name} is pending", fix: wait }
assert: [{ that: "true", message: x }]
`;
    const tests = `rule: pending
cases:
  - name: undecided
    snapshot: { tags: [{ name: v1.0.0, message: only one line }] }
    expect: []
    inconclusive: true
  - name: undecided, by target
    snapshot: { tags: [{ name: v1.0.0, message: only one line }] }
    expect: []
    inconclusive: [{ target: v1.0.0 }]
  - name: really undecided
    snapshot: { tags: [{ name: v1.0.0, message: "Release v1.0.0\\npending" }] }
    expect: []
    inconclusive: [{ target: v1.0.0, reason: is pending }]
`;
    const run = runTeamTest(rule, tests);
    expect(run.stdout).toMatch(/1 passed, 2 failed\n$/);
    expect(run.stdout).toContain('the rule could not be evaluated');
    expect(run.code).toBe(1);
  });

  it('pairs expected and reported findings so that every expectation that can be met is', () => {
    const rule = `${header('src-check', 'versionSources', 'file-contents, files-at-tags')}assert: [{ that: "source.value.startsWith('2.')", message: "version \${source.value} at \${source.at.name}" }]\n`;
    const tests = `rule: src-check
cases:
  - name: two readings, a loose and a strict expectation
    snapshot:
      versionSources:
        - { at: { kind: tag, name: v1.0.0 }, file: package.json, pointer: /version, value: 1.0.0 }
        - { at: { kind: tag, name: v1.1.0 }, file: package.json, pointer: /version, value: 1.1.0 }
    expect: [{ target: "package.json#/version", message: "version 1." }, { target: "v1.0.0:package.json#/version" }]
`;
    expect(runTeamTest(rule, tests)).toMatchObject({ code: 0, stdout: '1 passed, 0 failed\n' });
  });

  it('derives what check derives: published offline tags, maintenance lines, tags.since', () => {
    const published = `${header('approved', 'tags', 'all-tags, tag-messages, published-tags')}when: tag.published\nassert: [{ that: "tag.message.contains('Approved-by')", message: "\${tag.name} is not approved" }]\n`;
    // --offline: every tag but a candidate counts as published.
    expect(runTeamTest(published, `rule: approved\ncases:\n  - name: offline\n    snapshot: { tags: [{ name: v1.4.0, onRemote: unknown }] }\n    expect: [{ target: v1.4.0 }]\n`).code).toBe(0);
    const since = `rule: approved\ncases:\n  - name: since\n    config: { tags: { since: v1.4.1 } }\n    snapshot: { tags: [{ name: v1.4.1, message: "Approved-by: Dana" }, { name: v1.4.0 }] }\n    expect: []\n`;
    expect(runTeamTest(published, since)).toMatchObject({ code: 0, stdout: '1 passed, 0 failed\n' });
    const supported = `${header('supported-line', 'branches', 'all-tags')}when: branch.maintenance\nassert: [{ that: "branch.line == '1.82'", message: "\${branch.name} (line '\${branch.line}') is no longer supported" }]\n`;
    const lines = `rule: supported-line\ncases:\n  - name: line\n    config: { branches: { maintenance: ["release/*.x"] } }\n    snapshot: { branches: [{ name: release/1.82.x }, { name: release/1.81.x }] }\n    expect: [{ target: release/1.81.x, message: "line '1.81'" }]\n`;
    expect(runTeamTest(supported, lines)).toMatchObject({ code: 0, stdout: '1 passed, 0 failed\n' });
  });

  it('refuses a case config that sets a rule that does not exist, and a run that finds no test files', () => {
    const tests = `rule: tag-annotated\ncases:\n  - name: x\n    config: { rules: { tag-anotated: warn } }\n    snapshot: { tags: [{ name: v1.0.0 }] }\n    expect: []\n`;
    const dir = tempDir();
    writeFiles(dir, { 'tag-annotated.test.yml': tests });
    const run = cli(['test', join(dir, 'tag-annotated.test.yml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tag-annotated\.test\.yml:4:24: unknown rule "tag-anotated" in the case's config \(did you mean "tag-annotated"\?\)\n$/);
    const empty = cli(['test', tempDir()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no rule test files/);
  });
});
