/**
 * Every kind of bad input ends the same way: exit code 2, one line on stderr that names the file,
 * line and column where there are any, and no stack trace.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { cli, tempDir } from './helpers.js';

let clean: Scenario;
beforeAll(() => {
  clean = buildClean();
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

/** What a case needs: files in a fresh folder (`{dir}` in arguments and messages stands for it), the repository, the arguments. */
interface BadInput {
  name: string;
  files?: Record<string, string>;
  args: (dir: string, repo: string) => string[];
  /** What the command reads on standard input (the pre-push hook's input). */
  input?: string;
  /** The whole line after `release-lint: `, with `{dir}` for the case's folder. */
  message: string | RegExp;
}

/** A rule file for rulesDirs: a valid one, with `change` applied to its text. */
const rule = (id: string, change: (text: string) => string = (t) => t) =>
  change(`id: ${id}
title: A test rule
description: A rule written for the bad-input tests.
severity: error
given: tags
assert:
  - that: tag.annotated
    message: "\${tag.name} is not annotated"
fix: annotate it
`);

/** A config that loads `rules/` of the case folder, plus `extra`. */
const withRules = (extra = '') => `rulesDirs: [rules]\n${extra}`;
const configArgs = (file = 'policy.yml') => (dir: string, repo: string) => ['-C', repo, '-c', join(dir, file)];

const cases: BadInput[] = [
  // The config file.
  { name: 'config: YAML syntax error', files: { 'policy.yml': 'remote: origin\nbranches: [main\n' }, args: configArgs(), message: /^\{dir\}\/policy\.yml:3:1: invalid YAML: / },
  { name: 'config: unknown key', files: { 'policy.yml': 'remot: origin\n' }, args: configArgs(), message: '{dir}/policy.yml:1:1: unknown key "remot" in the config (did you mean "remote"?)' },
  { name: 'config: unknown nested key', files: { 'policy.yml': 'branches:\n  producton: main\n' }, args: configArgs(), message: '{dir}/policy.yml:2:3: unknown key "producton" in the config (did you mean "production"?)' },
  { name: 'config: wrong type', files: { 'policy.yml': 'remote: 7\n' }, args: configArgs(), message: '{dir}/policy.yml:1:9: remote must be string' },
  { name: 'config: value not in the enum', files: { 'policy.yml': 'tags:\n  filesAt: some\n' }, args: configArgs(), message: '{dir}/policy.yml:2:12: tags.filesAt must be one of "latest", "all"' },
  { name: 'config: a list instead of a mapping', files: { 'policy.yml': '- remote\n' }, args: configArgs(), message: '{dir}/policy.yml:1:1: the config must be a mapping of keys to values' },
  { name: 'config: duplicate key', files: { 'policy.yml': 'remote: a\nremote: b\n' }, args: configArgs(), message: /^\{dir\}\/policy\.yml:2:1: invalid YAML: Map keys must be unique/ },
  { name: 'config: unknown rule id', files: { 'policy.yml': 'rules:\n  tag-anotated: error\n' }, args: configArgs(), message: '{dir}/policy.yml:2:3: unknown rule "tag-anotated" (did you mean "tag-annotated"?)' },
  { name: 'config: unknown severity', files: { 'policy.yml': 'rules:\n  tag-annotated: fatal\n' }, args: configArgs(), message: '{dir}/policy.yml:2:18: rules.tag-annotated: "fatal" must be one of off, note, warn, error' },
  { name: 'config: unknown rule option', files: { 'policy.yml': 'rules:\n  changelog-baseline: [error, { prerelease: true }]\n' }, args: configArgs(), message: '{dir}/policy.yml:2:3: rule changelog-baseline has no option "prerelease" (options: baseline, prereleaseBaselines)' },
  { name: 'config: option of the wrong type', files: { 'policy.yml': 'rules:\n  changelog-baseline: [error, { prereleaseBaselines: "yes" }]\n' }, args: configArgs(), message: '{dir}/policy.yml:2:3: rule changelog-baseline: option "prereleaseBaselines" must be a boolean, like its default true' },
  { name: 'config: baseline definition not in the enum', files: { 'policy.yml': 'rules:\n  changelog-baseline: [error, { baseline: nearest }]\n' }, args: configArgs(), message: '{dir}/policy.yml:2:3: rule changelog-baseline: option "baseline" must be one of "ancestor", "latest", got "nearest"' },
  { name: 'config: maintenance branches not a list', files: { 'policy.yml': 'branches:\n  maintenance: release/*.x\n' }, args: configArgs(), message: '{dir}/policy.yml:2:16: branches.maintenance must be array' },
  { name: 'config: a text source with a pointer', files: { 'policy.yml': 'versionSources:\n  - { file: VERSION, pointer: /version, format: text }\n' }, args: configArgs(), message: "{dir}/policy.yml:2:5: versionSources: VERSION: a text source is read through a pattern or Release Please's markers, not a pointer" },
  { name: 'config: a pattern without one capture group', files: { 'policy.yml': "versionSources:\n  - { file: setup.cfg, pattern: 'version = \\S+' }\n" }, args: configArgs(), message: '{dir}/policy.yml:2:5: versionSources: setup.cfg: pattern must have exactly one capture group (the version), it has 0' },
  { name: 'config: a pattern that is not a regular expression', files: { 'policy.yml': "versionSources:\n  - { file: setup.cfg, pattern: 'version = (' }\n" }, args: configArgs(), message: /^\{dir\}\/policy\.yml:2:5: versionSources: setup\.cfg: pattern is not a valid regular expression: / },
  { name: 'config: a TOML source without a pointer', files: { 'policy.yml': 'versionSources:\n  - { file: Cargo.toml }\n' }, args: configArgs(), message: '{dir}/policy.yml:2:5: versionSources: Cargo.toml: a toml source needs a pointer (JSON Pointer, e.g. /version)' },
  { name: 'config: ignore entry without a reason', files: { 'policy.yml': 'ignore:\n  - { rule: tag-annotated, target: v1.0.0 }\n' }, args: configArgs(), message: '{dir}/policy.yml:2:5: ignore.0 is missing the required key "reason"' },
  { name: 'config: ignore expiry that is not a date', files: { 'policy.yml': 'ignore:\n  - { rule: tag-annotated, target: v1.0.0, reason: r, expires: soon }\n' }, args: configArgs(), message: /^\{dir\}\/policy\.yml:2:64: ignore\.0\.expires must match pattern/ },
  { name: 'config: extends cycle', files: { 'a.yml': 'extends: [./b.yml]\n', 'b.yml': 'extends: [./a.yml]\n' }, args: configArgs('a.yml'), message: '{dir}/b.yml: extends cycle: a.yml -> b.yml -> a.yml' },
  { name: 'config: missing preset', files: { 'policy.yml': 'extends: [strict]\n' }, args: configArgs(), message: '{dir}/policy.yml:1:11: extends: unknown preset "strict" (built-in presets: aegis, recommended)' },
  { name: 'config: missing extended file', files: { 'policy.yml': 'extends: [./base.yml]\n' }, args: configArgs(), message: '{dir}/policy.yml:1:11: extends: config file "./base.yml" not found' },
  { name: 'config: JSON syntax error', files: { 'policy.json': '{\n  "remote": "origin"\n  "tags": {}\n}\n' }, args: configArgs('policy.json'), message: /^\{dir\}\/policy\.json:3:\d+: invalid JSON: / },
  { name: 'config: file that does not exist', args: (dir, repo) => ['-C', repo, '-c', join(dir, 'nope.yml')], message: '{dir}/nope.yml: config file not found' },
  { name: 'config: JavaScript that throws', files: { 'policy.mjs': 'throw new Error("boom");\n' }, args: configArgs('policy.mjs'), message: '{dir}/policy.mjs: cannot load config: boom' },
  { name: 'config: tags.since names no tag', files: { 'policy.yml': 'tags:\n  since: v9.9.9\n' }, args: configArgs(), message: 'tags.since names "v9.9.9", which is neither an existing tag nor an ISO date (YYYY-MM-DD)' },
  { name: 'config: rules folder that does not exist', files: { 'policy.yml': 'rulesDirs: [missing-rules]\n' }, args: configArgs(), message: /^\{dir\}\/missing-rules: rules folder cannot be read: / },

  // Rule files.
  { name: 'rule: YAML syntax error', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('severity: error', 'severity: [error')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:\d+:\d+: invalid YAML: / },
  { name: 'rule: unknown key', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('fix:', 'fixx: x\nfix:')) }, args: configArgs(), message: '{dir}/rules/r1.yml:9:1: unknown key "fixx" in the rule (did you mean "fix"?)' },
  { name: 'rule: missing required key', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('fix: annotate it\n', '')) }, args: configArgs(), message: '{dir}/rules/r1.yml:1:1: the rule is missing the required key "fix"' },
  { name: 'rule: unknown collection', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('given: tags', 'given: tagz')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:5:8: given must be one of / },
  { name: 'rule: unknown fact in requires', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('given: tags', 'given: tags\nrequires: [tag-history]')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:6:12: requires\.0 must be one of / },
  { name: 'rule: CEL syntax error', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', 'that: tag.annotated &&')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:7:\d+: invalid CEL in assert\.0\.that: / },
  { name: 'rule: CEL type error', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', 'that: tag.name + 1 == 2')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:7:\d+: invalid CEL in assert\.0\.that: / },
  { name: 'rule: unknown field', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', 'that: tag.anotated')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:7:\d+: invalid CEL in assert\.0\.that: .*anotated/ },
  { name: 'rule: assert that is not a bool', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', 'that: tag.name')) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:11: invalid CEL in assert.0.that: the expression must be of type bool, but it is of type string' },
  { name: 'rule: when that is not a bool', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('given: tags', 'given: tags\nwhen: tag.name')) }, args: configArgs(), message: '{dir}/rules/r1.yml:6:7: invalid CEL in when: the expression must be of type bool, but it is of type string' },
  { name: 'rule: unterminated template', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('"${tag.name} is not annotated"', '"${tag.name is not annotated"')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:8:\d+: invalid CEL in assert\.0\.message: unterminated \$\{ in template$/ },
  { name: 'rule: let that hides a variable', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('given: tags', 'given: tags\nlet:\n  snapshot: tag.name')) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:3: let: "snapshot" would hide a built-in variable' },
  { name: 'rule: id that differs from the file name', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r2') }, args: configArgs(), message: '{dir}/rules/r1.yml:1:5: rule id "r2" must match its file name (r1)' },
  { name: 'rule: id of a built-in rule', files: { 'policy.yml': withRules(), 'rules/tag-annotated.yml': rule('tag-annotated') }, args: configArgs(), message: /^\{dir\}\/rules\/tag-annotated\.yml:1:5: rule id "tag-annotated" is already defined in .*tag-annotated\.yml$/ },
  { name: 'rule: severity that does not exist', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('severity: error', 'severity: fatal')) }, args: configArgs(), message: /^\{dir\}\/rules\/r1\.yml:4:11: severity must be one of / },

  // Saved snapshots.
  { name: 'snapshot: not JSON', files: { 's.json': '{"schemaVersion": 2,\n  tags: []}\n' }, args: (dir) => ['--snapshot', join(dir, 's.json')], message: /^\{dir\}\/s\.json:2:3: invalid JSON: / },
  { name: 'snapshot: another schema version', files: { 's.json': '{"schemaVersion": 3}\n' }, args: (dir) => ['--snapshot', join(dir, 's.json')], message: '{dir}/s.json: unsupported snapshot schemaVersion 3 (this release-lint reads version 2; save the snapshot again with release-lint snapshot)' },
  { name: 'snapshot: an earlier schema version', files: { 's.json': '{"schemaVersion": 1}\n' }, args: (dir) => ['--snapshot', join(dir, 's.json')], message: '{dir}/s.json: unsupported snapshot schemaVersion 1 (this release-lint reads version 2; save the snapshot again with release-lint snapshot)' },
  { name: 'snapshot: not what the schema describes', files: { 's.json': '{"schemaVersion": 2, "tags": 7}\n' }, args: (dir) => ['--snapshot', join(dir, 's.json')], message: /^\{dir\}\/s\.json:1:\d+: / },
  { name: 'snapshot: file that does not exist', args: (dir) => ['--snapshot', join(dir, 'none.json')], message: '{dir}/none.json: cannot read snapshot: ENOENT' },

  // The repository.
  { name: 'repository: folder that does not exist', args: (dir) => ['-C', join(dir, 'nowhere')], message: '{dir}/nowhere: folder does not exist' },
  { name: 'repository: not a git repository', files: { 'plain/readme': 'x' }, args: (dir) => ['-C', join(dir, 'plain')], message: '{dir}/plain: is not a git repository' },
  { name: 'repository: a bare repository', args: (dir) => (execFileSync('git', ['init', '-q', '--bare', join(dir, 'bare.git')]), ['-C', join(dir, 'bare.git')]), message: '{dir}/bare.git: is a bare repository; release-lint needs a clone with a work tree' },

  // The command line.
  { name: 'cli: unknown option', args: (_dir, repo) => ['-C', repo, '--frobnicate'], message: 'unknown option --frobnicate (see release-lint --help)' },
  { name: 'cli: option without its value', args: (_dir, repo) => ['-C', repo, '--config'], message: "Option '-c, --config <value>' argument missing (see release-lint --help)" },
  { name: 'cli: unknown format', args: (_dir, repo) => ['-C', repo, '-f', 'xml'], message: /^unknown format "xml"/ },
  { name: 'cli: unknown command', args: (_dir, repo) => ['chek', '-C', repo], message: /^unknown command "chek" \(did you mean "check"\?\)/ },
  { name: 'cli: tag without its name', args: (_dir, repo) => ['tag', '-C', repo], message: 'tag needs the tag name: release-lint tag <name>' },
  { name: 'cli: explain an unknown rule', args: () => ['explain', 'tag-anotated'], message: /^unknown rule "tag-anotated" \(did you mean "tag-annotated"\?\)/ },
  { name: 'cli: pr with something other than a number', args: (_dir, repo) => ['pr', 'seven', '-C', repo], message: /seven/ },
  { name: 'cli: --max-warnings that is not a number', args: (_dir, repo) => ['-C', repo, '--max-warnings', 'few'], message: '--max-warnings expects a whole number, got "few"' },
  { name: 'cli: --rule without a severity', args: (_dir, repo) => ['-C', repo, '--rule', 'tag-annotated'], message: /^--rule expects <id>=<off\|note\|warn\|error>/ },
  { name: 'cli: --rule with an unknown severity', args: (_dir, repo) => ['-C', repo, '--rule', 'tag-annotated=fatal'], message: /fatal/ },
  { name: 'cli: --rule with an unknown rule', args: (_dir, repo) => ['-C', repo, '--rule', 'tag-anotated=off'], message: /^unknown rule "tag-anotated" \(did you mean "tag-annotated"\?\)/ },
  { name: 'cli: --remote that is not owner/name', args: () => ['--remote', 'just-a-name'], message: '--remote expects owner/name, got "just-a-name"' },
  { name: 'cli: --output in a folder that does not exist', args: (dir, repo) => ['-C', repo, '-o', join(dir, 'no', 'report.txt')], message: /^\{dir\}\/no\/report\.txt: the folder \{dir\}\/no does not exist \(release-lint creates report folders only inside the work tree / },
  { name: 'cli: --output that is a folder', files: { 'out/keep': '' }, args: (dir, repo) => ['-C', repo, '-o', join(dir, 'out')], message: /^\{dir\}\/out: cannot write/ },

  // Hardening, round 2 (issue 14).
  { name: 'cli: --output that is a symbolic link', args: (dir, repo) => (symlinkSync(join(dir, 'elsewhere.json'), join(dir, 'link.json')), ['-C', repo, '-o', join(dir, 'link.json')]), message: '{dir}/link.json: refusing to write the report through a symbolic link; remove the link or write elsewhere' },
  { name: 'cli: --output inside a git directory', args: (dir, repo) => (execFileSync('git', ['init', '-q', join(dir, 'repo')]), ['-C', repo, '-o', join(dir, 'repo', '.git', 'config')]), message: /^\{dir\}\/repo\/\.git\/config: refusing to write the report inside the git directory \S*\/repo\/\.git$/ },
  { name: 'config: a link to /dev/zero', args: (dir, repo) => (symlinkSync('/dev/zero', join(dir, 'policy.yml')), ['-C', repo, '-c', join(dir, 'policy.yml')]), message: '{dir}/policy.yml: the config file is not a regular file (a device); refusing to read it' },
  { name: 'config: a FIFO', args: (dir, repo) => (execFileSync('mkfifo', [join(dir, 'policy.yml')]), ['-C', repo, '-c', join(dir, 'policy.yml')]), message: '{dir}/policy.yml: the config file is not a regular file (a FIFO); refusing to read it' },
  { name: 'config: larger than the cap', files: { 'policy.yml': `remote: origin\n${'#'.repeat(5 * 1024 * 1024)}\n` }, args: configArgs(), message: '{dir}/policy.yml: the config file is larger than 4 MiB; refusing to read it' },
  { name: 'rule: a FIFO', files: { 'policy.yml': withRules() }, args: (dir, repo) => (mkdirSync(join(dir, 'rules')), execFileSync('mkfifo', [join(dir, 'rules', 'r1.yml')]), ['-C', repo, '-c', join(dir, 'policy.yml')]), message: '{dir}/rules/r1.yml: the rule file is not a regular file (a FIFO); refusing to read it' },
  { name: 'rule: a link to /dev/zero', files: { 'policy.yml': withRules(), 'rules/keep': '' }, args: (dir, repo) => (symlinkSync('/dev/zero', join(dir, 'rules', 'r1.yml')), ['-C', repo, '-c', join(dir, 'policy.yml')]), message: '{dir}/rules/r1.yml: the rule file is not a regular file (a device); refusing to read it' },
  { name: 'config: package.json with a BOM and a syntax error', files: { 'package.json': '\ufeff{\n  "name": "app"\n  "releasepolicy": { "remote": "origin" }\n}\n' }, args: configArgs('package.json'), message: '{dir}/package.json:3:3: invalid JSON: comma expected' },
  { name: 'rule: YAML alias bomb', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('given: tags', `given: tags\nx0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${'abcd'.split('').map((n, i) => `x${i + 1}: &${'bcde'[i]} [${Array(9).fill(`*${n}`).join(', ')}]`).join('\n')}`)) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:9: invalid YAML: Excessive alias count indicates a resource exhaustion attack' },
  { name: 'rule: matches() with an invalid pattern', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', "that: tag.name.matches('(')")) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:28: invalid CEL in assert.0.that: matches(): "(" is not a valid regular expression: Unterminated group' },
  { name: 'rule: matches() with a backreference', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', "that: tag.name.matches('(v)\\\\1')")) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:28: invalid CEL in assert.0.that: matches(): "(v)\\\\1" uses a backreference (\\1), which RE2 (CEL\'s regular expression dialect) does not have' },
  { name: 'rule: matches() with a lookahead', files: { 'policy.yml': withRules(), 'rules/r1.yml': rule('r1', (t) => t.replace('that: tag.annotated', "that: tag.name.matches('v(?=1)')")) }, args: configArgs(), message: '{dir}/rules/r1.yml:7:28: invalid CEL in assert.0.that: matches(): "v(?=1)" uses a lookahead ((?=…)), which RE2 (CEL\'s regular expression dialect) does not have' },
  { name: 'hook: pre-push input that is not four fields', args: (_dir, repo) => ['hook', 'pre-push', 'origin', 'url', '-C', repo], input: 'garbage\n', message: 'pre-push input line 1 is not "<local ref> <local sha> <remote ref> <remote sha>": "garbage"' },
  { name: 'hook: pre-push input line with two fields', args: (_dir, repo) => ['hook', 'pre-push', 'origin', 'url', '-C', repo], input: `refs/tags/v9.9.9 ${'1'.repeat(40)}\n`, message: `pre-push input line 1 is not "<local ref> <local sha> <remote ref> <remote sha>": "refs/tags/v9.9.9 ${'1'.repeat(40)}"` },
  { name: 'tag: name with a space', args: (_dir, repo) => ['tag', 'v1.0.0 x', '-C', repo], message: '"v1.0.0 x" is not a tag name git accepts: it contains a space (git check-ref-format)' },
  { name: 'tag: name with ..', args: (_dir, repo) => ['tag', 'v1..0', '-C', repo], message: '"v1..0" is not a tag name git accepts: it contains ".." (git check-ref-format)' },
  { name: 'tag: name with @{', args: (_dir, repo) => ['tag', 'v1@{0}', '-C', repo], message: '"v1@{0}" is not a tag name git accepts: it contains "@{" (git check-ref-format)' },
  { name: 'tag: name ending with .lock', args: (_dir, repo) => ['tag', 'v1.lock', '-C', repo], message: '"v1.lock" is not a tag name git accepts: a part of it ends with ".lock" (git check-ref-format)' },
  { name: 'tag: name with a newline', args: (_dir, repo) => ['tag', 'v1\nx', '-C', repo], message: '"v1\\nx" is not a tag name git accepts: it contains the control character U+000A (git check-ref-format)' },
  { name: 'snapshot: a link to /dev/zero', args: (dir) => (symlinkSync('/dev/zero', join(dir, 'snapshot.json')), ['--snapshot', join(dir, 'snapshot.json')]), message: '{dir}/snapshot.json: snapshot is not a regular file (a device); refusing to read it' },
  { name: 'cli: --baseline that is a folder', args: (dir, repo) => ['-C', repo, '--baseline', dir], message: '{dir}: the baseline is not a regular file (a folder); refusing to read it' },
  { name: 'tag: --message-file that is a FIFO', args: (dir, repo) => (execFileSync('mkfifo', [join(dir, 'message')]), ['tag', 'v9.9.9', '-C', repo, '--message-file', join(dir, 'message')]), message: '{dir}/message: the message file is not a regular file (a FIFO); refusing to read it' },
  { name: 'config: remote that is a URL, not a remote of the repository', files: { 'policy.yml': 'remote: "https://example.invalid/aegis.git"\n' }, args: configArgs(), message: '{dir}/policy.yml:1:1: remote "https://example.invalid/aegis.git" is not a remote of this repository (git remote -v lists them); name one, not a URL or path' },
];

describe('bad input: exit code 2, one line with the position, no stack trace', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, badInput) => {
    const dir = tempDir();
    for (const [file, text] of Object.entries(badInput.files ?? {})) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const result = cli(badInput.args(dir, clean.clone.dir), { cwd: dir, input: badInput.input });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0].startsWith('release-lint: ')).toBe(true);
    const message = lines[0].slice('release-lint: '.length).split(dir).join('{dir}');
    if (typeof badInput.message === 'string') expect(message).toBe(badInput.message);
    else expect(message).toMatch(badInput.message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('shows the stack trace with --debug', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'policy.yml'), 'remot: origin\n');
    const result = cli(['-C', clean.clone.dir, '-c', join(dir, 'policy.yml'), '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^release-lint: .*unknown key "remot"/);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});
