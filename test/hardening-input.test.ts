/**
 * Hardening, round 2 (issue 14): the defects about what release-lint reads and writes — report
 * files, configs and rule files, the pre-push input, tag names and the policy copied from a tree.
 * Each case builds real files and repositories in temporary folders and runs the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { binPath, cli, tempDir } from './helpers.js';

let clean: Scenario;
beforeAll(() => {
  clean = buildClean();
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Tess', '-c', 'user.email=t@example.invalid', '-c', 'tag.gpgsign=false', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();

/** A fresh full clone of the clean repository's origin, to spoil. */
function freshClone(): string {
  const dir = join(tempDir(), 'clone');
  execFileSync('git', ['clone', '-q', '--no-local', join(dirname(clean.clone.dir), 'origin.git'), dir]);
  return dir;
}

/** An exit-2 refusal: one line on stderr, nothing on stdout. */
function expectRefusal(result: { code: number; stdout: string; stderr: string }, line: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  const message = result.stderr.trimEnd();
  if (typeof line === 'string') expect(message).toBe(`release-lint: ${line}`);
  else expect(message).toMatch(line);
}

describe('hardening, round 2: input', () => {
  it('14. malformed pre-push input is refused', () => {
    const dir = freshClone();
    const head = git(dir, 'rev-parse', 'HEAD');
    const zero = '0'.repeat(40);
    git(dir, 'tag', 'v9.9.9');
    const hook = (input: string) => {
      const run = spawnSync(process.execPath, [binPath, 'hook', 'pre-push', 'origin', 'url'], { cwd: dir, input, encoding: 'utf8' });
      return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
    };
    expectRefusal(hook('garbage\n'), 'pre-push input line 1 is not "<local ref> <local sha> <remote ref> <remote sha>": "garbage"');
    expectRefusal(hook(`refs/heads/main ${head} refs/heads/main ${zero}\nrefs/tags/v9.9.9 ${head}\n`), `pre-push input line 2 is not "<local ref> <local sha> <remote ref> <remote sha>": "refs/tags/v9.9.9 ${head}"`);
    expectRefusal(hook(`refs/tags/v9.9.9 ${head} refs/tags/v9.9.9 not-a-sha\n`), /^release-lint: pre-push input line 1 is not /);
    // Well-formed input still works: a branch passes, an empty push passes, a deletion is read.
    expect(hook(`refs/heads/main ${head} refs/heads/main ${zero}\n`).code).toBe(0);
    expect(hook('').code).toBe(0);
    expect(hook('\n').code).toBe(0);
    expect(hook(`(delete) ${zero} refs/heads/old ${head}\n`).code).toBe(0);
    expect(hook(`refs/tags/v9.9.9 ${head} refs/tags/v9.9.9 ${zero}\n`).code).toBe(1);
  });

  it('15. tag refuses names git refuses, and fixes quote names for the shell', () => {
    const dir = freshClone();
    for (const [name, problem] of [
      ['v1.0.0 x', 'it contains a space'],
      ['v1..0', 'it contains ".."'],
      ['v1.0.0@{1}', 'it contains "@{"'],
      ['v1.0.0.lock', 'a part of it ends with ".lock"'],
      ['v1.0.0\nx', 'it contains the control character U+000A'],
      ['v1.0.0:x', 'it contains ":"'],
      ['v1/.x', 'a part of it starts with "." (".x")'],
      ['v1.', 'it ends with "."'],
    ]) {
      const result = cli(['tag', name, '-C', dir, '-m', 'Release']);
      expectRefusal(result, `${JSON.stringify(name)} is not a tag name git accepts: ${problem} (git check-ref-format)`);
      // git agrees, without release-lint running a process per tag.
      expect(spawnSync('git', ['check-ref-format', `refs/tags/${name}`]).status).not.toBe(0);
    }
    expect(cli(['tag', 'v9.9.9', '-C', dir, '-m', 'Release v9.9.9']).code).toBeLessThan(2);
    expect(spawnSync('git', ['check-ref-format', 'refs/tags/v9.9.9;touch${IFS}x']).status).toBe(0);

    // Names git accepts can still hold shell syntax: a fix that deletes or recreates the tag quotes it.
    const hostile = 'v9.9.9;touch${IFS}PWNED';
    git(dir, 'tag', hostile);
    const report = JSON.parse(cli(['-C', dir, '-f', 'json', '--offline']).stdout);
    const fixes: string[] = report.findings.filter((f: { target: { name: string } }) => f.target.name === hostile).map((f: { fix: string }) => f.fix);
    expect(fixes.some((fix) => fix.includes(`git tag -d '${hostile}'`))).toBe(true);
    for (const fix of fixes) expect(fix).not.toContain(`git tag -d ${hostile}`);
    // Ordinary names stay as they were written.
    git(dir, 'tag', 'v9.9.8');
    const plain = JSON.parse(cli(['-C', dir, '-f', 'json', '--offline']).stdout);
    expect(plain.findings.find((f: { ruleId: string; target: { name: string } }) => f.ruleId === 'tag-annotated' && f.target.name === 'v9.9.8').fix).toContain(
      'git tag -d v9.9.8 && git tag -a v9.9.8 ',
    );
  });

  it('3. report files are never written through a symlink', () => {
    const dir = freshClone();
    const outside = join(tempDir(), 'outside.sarif');
    writeFileSync(outside, 'keep\n');
    // The Action's default SARIF path, committed as a link that leaves the repository.
    symlinkSync(outside, join(dir, 'release-lint.sarif'));
    symlinkSync(join(dirname(outside), 'created-by-link.json'), join(dir, 'dangling.json'));
    git(dir, 'add', 'release-lint.sarif', 'dangling.json');
    git(dir, 'commit', '-qm', 'links');
    const refusal = 'refusing to write the report through a symbolic link; remove the link or write elsewhere';
    expectRefusal(cli(['-C', dir, '-f', 'human', '-f', 'sarif=release-lint.sarif'], { cwd: dir }), `release-lint.sarif: ${refusal}`);
    expectRefusal(cli(['-C', dir, '-f', 'json', '-o', join(dir, 'release-lint.sarif')]), `${join(dir, 'release-lint.sarif')}: ${refusal}`);
    expectRefusal(cli(['snapshot', '-C', dir, '-o', 'dangling.json'], { cwd: dir }), `dangling.json: ${refusal}`);
    expectRefusal(cli(['baseline', '-C', dir, '-o', 'dangling.json'], { cwd: dir }), `dangling.json: ${refusal}`);
    expect(readFileSync(outside, 'utf8')).toBe('keep\n');
    expect(existsSync(join(dirname(outside), 'created-by-link.json'))).toBe(false);
    // A regular file is written (and replaced) as before.
    expect(cli(['-C', dir, '-f', 'sarif=plain.sarif'], { cwd: dir }).code).toBeLessThan(2);
    expect(JSON.parse(readFileSync(join(dir, 'plain.sarif'), 'utf8')).version).toBe('2.1.0');
    // The system's names for the standard streams are links too, and stay usable.
    const toStderr = cli(['-C', dir, '-f', 'json=/dev/stderr', '--offline']);
    expect(toStderr.code).toBeLessThan(2);
    expect(JSON.parse(toStderr.stderr).tool.name).toBe('release-lint');
  });

  it('17. no output path inside the git directory (-o .git/config)', () => {
    const dir = freshClone();
    const before = readFileSync(join(dir, '.git', 'config'), 'utf8');
    symlinkSync(join(dir, '.git'), join(dir, 'reports'));
    mkdirSync(join(dir, 'sub'));
    const refused = (path: string) => new RegExp(`^release-lint: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: refusing to write the report (inside the git directory |over a repository's \\.git)`);
    for (const args of [
      ['-o', '.git/config'],
      ['-f', 'json', '-o', '.git/config'],
      ['-f', 'sarif=.git/hooks/pre-push'],
      ['-o', 'sub/../.git/config'],
      ['-o', 'reports/config'],
      ['-o', '.git/objects/info/alternates'],
    ]) {
      const output = args[args.length - 1].replace(/^sarif=/, '');
      expectRefusal(cli(['-C', dir, ...args], { cwd: dir }), refused(output));
      expectRefusal(cli(['snapshot', '-C', dir, ...args], { cwd: dir }), refused(output));
    }
    expectRefusal(cli(['baseline', '-C', dir, '-o', '.git/info/exclude'], { cwd: dir }), refused('.git/info/exclude'));
    // Another repository's git directory, and a bare one, are git directories too.
    const bare = join(tempDir(), 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    expectRefusal(cli(['-C', dir, '-o', join(bare, 'config')]), refused(join(bare, 'config')));
    expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-push'))).toBe(false);
    expect(existsSync(join(dir, '.git', 'objects', 'info', 'alternates'))).toBe(false);
  });

  it('6. config and rule files are read only when regular and small', () => {
    const dir = freshClone();
    const policy = tempDir();
    mkdirSync(join(policy, 'rules'));
    // Bounded by a timeout: before the fix, /dev/zero was read without end and a FIFO blocked forever.
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, [binPath, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
    symlinkSync('/dev/zero', join(policy, 'zero.yml'));
    expectRefusal(run(['-C', dir, '-c', join(policy, 'zero.yml')]), `${join(policy, 'zero.yml')}: the config file is not a regular file (a device); refusing to read it`);
    execFileSync('mkfifo', [join(policy, 'fifo.yml')]);
    expectRefusal(run(['-C', dir, '-c', join(policy, 'fifo.yml')]), `${join(policy, 'fifo.yml')}: the config file is not a regular file (a FIFO); refusing to read it`);
    // The same through discovery, through extends, and for a rule file.
    rmSync(join(dir, '.releasepolicyrc.yml'));
    symlinkSync('/dev/zero', join(dir, '.releasepolicyrc.yml'));
    expectRefusal(run(['-C', dir]), `${join(dir, '.releasepolicyrc.yml')}: the config file is not a regular file (a device); refusing to read it`);
    writeFileSync(join(policy, 'extends.yml'), 'extends: [./fifo.yml]\n');
    expectRefusal(run(['-C', dir, '-c', join(policy, 'extends.yml')]), `${join(policy, 'fifo.yml')}: the config file is not a regular file (a FIFO); refusing to read it`);
    execFileSync('mkfifo', [join(policy, 'rules', 'r1.yml')]);
    writeFileSync(join(policy, 'with-rules.yml'), 'rulesDirs: [rules]\n');
    expectRefusal(run(['rules', '-C', dir, '-c', join(policy, 'with-rules.yml')]), `${join(policy, 'rules', 'r1.yml')}: the rule file is not a regular file (a FIFO); refusing to read it`);
    rmSync(join(policy, 'rules', 'r1.yml'));
    symlinkSync('/dev/zero', join(policy, 'rules', 'r1.yml'));
    expectRefusal(run(['rules', '-C', dir, '-c', join(policy, 'with-rules.yml')]), `${join(policy, 'rules', 'r1.yml')}: the rule file is not a regular file (a device); refusing to read it`);
    // A regular file over the cap (a few MiB) is refused too.
    writeFileSync(join(policy, 'large.yml'), `remote: origin\n${'# padding\n'.repeat(600_000)}`);
    expectRefusal(run(['-C', dir, '-c', join(policy, 'large.yml')]), `${join(policy, 'large.yml')}: the config file is larger than 4 MiB; refusing to read it`);
    // A link to a regular file is still read.
    rmSync(join(dir, '.releasepolicyrc.yml'));
    writeFileSync(join(policy, 'real.yml'), 'remote: origin\n');
    symlinkSync(join(policy, 'real.yml'), join(dir, '.releasepolicyrc.yml'));
    expect(run(['-C', dir, '--offline']).code).toBeLessThan(2);
  }, 120_000);

  it('11. a BOM in package.json does not take over config discovery, and its errors keep reason and position', () => {
    const dir = join(tempDir(), 'repo');
    mkdirSync(dir);
    git(dir, 'init', '-q');
    // The project's config has a mistake: which file is blamed shows which one was read.
    writeFileSync(join(dir, '.releasepolicyrc.yml'), 'remot: origin\n');
    const yamlChosen = `${join(dir, '.releasepolicyrc.yml')}:1:1: unknown key "remot" in the config (did you mean "remote"?)`;
    const bom = '\ufeff';
    // A package.json without the key is never the config: with a BOM, or when it does not even parse.
    for (const pkg of [`${bom}{\n  "name": "app",\n  "version": "1.0.0"\n}\n`, `${bom}{\n  "name": "app"\n  "version": "1.0.0"\n}\n`, '{"name": "app",}\n']) {
      writeFileSync(join(dir, 'package.json'), pkg);
      expectRefusal(cli(['rules', '-C', dir]), yamlChosen);
    }
    // With the key it is the config: the BOM is dropped, and positions count from the first character.
    writeFileSync(join(dir, 'package.json'), `${bom}{\n  "name": "app",\n  "releasepolicy": { "remot": "origin" }\n}\n`);
    expectRefusal(cli(['rules', '-C', dir]), `${join(dir, 'package.json')}:3:22: unknown key "remot" in the config (did you mean "remote"?)`);
    // A syntax error names the file, line, column and what is wrong, on one line.
    writeFileSync(join(dir, 'package.json'), `${bom}{\n  "name": "app"\n  "releasepolicy": { "remote": "origin" }\n}\n`);
    expectRefusal(cli(['rules', '-C', dir]), `${join(dir, 'package.json')}:3:3: invalid JSON: comma expected`);
    writeFileSync(join(dir, 'package.json'), `${bom}{\n  "releasepolicy": { "remote": "origin" }\n}\n`);
    rmSync(join(dir, '.releasepolicyrc.yml'));
    expect(cli(['rules', '-C', dir]).code).toBe(0);
  });

  it('12. a YAML alias bomb in a rule file is one line with the file and position', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    const bomb = ['x0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]', ...'abcd'.split('').map((name, i) => `x${i + 1}: &${String.fromCharCode(name.charCodeAt(0) + 1)} [${Array(9).fill(`*${name}`).join(', ')}]`)].join('\n');
    writeFileSync(
      join(dir, 'rules', 'r1.yml'),
      `id: r1\ntitle: A test rule\ndescription: An alias bomb.\nseverity: error\ngiven: tags\n${bomb}\nassert:\n  - that: tag.annotated\n    message: x\nfix: annotate it\n`,
    );
    writeFileSync(join(dir, 'policy.yml'), 'rulesDirs: [rules]\n');
    const message = 'invalid YAML: Excessive alias count indicates a resource exhaustion attack';
    expectRefusal(cli(['rules', '-C', clean.clone.dir, '-c', join(dir, 'policy.yml')]), `${join(dir, 'rules', 'r1.yml')}:7:9: ${message}`);
    expectRefusal(cli(['-C', clean.clone.dir, '-c', join(dir, 'policy.yml')]), `${join(dir, 'rules', 'r1.yml')}:7:9: ${message}`);
    // The config says it the same way.
    writeFileSync(join(dir, 'bomb.yml'), `${bomb}\n`);
    expectRefusal(cli(['rules', '-C', clean.clone.dir, '-c', join(dir, 'bomb.yml')]), `${join(dir, 'bomb.yml')}:2:9: ${message}`);
  });

  it('13. constant regular expressions in matches() are compiled when the rule loads', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'policy.yml'), 'rulesDirs: [rules]\n');
    const ruleWith = (that: string, message = 'x') =>
      writeFileSync(
        join(dir, 'rules', 'r1.yml'),
        `id: r1\ntitle: A test rule\ndescription: A pattern rule.\nseverity: error\ngiven: tags\nassert:\n  - that: ${that}\n    message: ${message}\nfix: fix it\n`,
      );
    const file = join(dir, 'rules', 'r1.yml');
    const lint = () => cli(['-C', clean.clone.dir, '-c', join(dir, 'policy.yml'), '--offline']);
    ruleWith("tag.message.matches('(')");
    expectRefusal(lint(), `${file}:7:31: invalid CEL in assert.0.that: matches(): "(" is not a valid regular expression: Unterminated group`);
    ruleWith("tag.name == 'x' || tag.message.matches('[a-' + 'z')");
    expectRefusal(lint(), /:7:50: invalid CEL in assert\.0\.that: matches\(\): "\[a-z" is not a valid regular expression: /);
    // What RE2, CEL's dialect, does not have is refused too.
    ruleWith("tag.message.matches('^(a)\\\\1$')");
    expectRefusal(lint(), `${file}:7:31: invalid CEL in assert.0.that: matches(): "^(a)\\\\1$" uses a backreference (\\1), which RE2 (CEL's regular expression dialect) does not have`);
    ruleWith("tag.name.matches('^v(?=[0-9])')");
    expectRefusal(lint(), /: invalid CEL in assert\.0\.that: matches\(\): .* uses a lookahead \(\(\?=…\)\), which RE2/);
    ruleWith("tag.name.matches('(?<!x)v')");
    expectRefusal(lint(), /: invalid CEL in assert\.0\.that: matches\(\): .* uses a lookbehind \(\(\?<!…\)\), which RE2/);
    ruleWith('tag.annotated', "\"${tag.name.matches('(') ? 'a' : 'b'}\"");
    expectRefusal(lint(), /r1\.yml:8:\d+: invalid CEL in assert\.0\.message: matches\(\): "\(" is not a valid regular expression/);
    // Valid RE2 patterns load and judge; escapes and classes are not mistaken for backreferences.
    ruleWith("tag.name.matches('^v[0-9]+\\\\.[0-9]+[(?=]*')");
    const result = lint();
    expect(result.stderr).toBe('');
    expect(JSON.parse(cli(['-C', clean.clone.dir, '-c', join(dir, 'policy.yml'), '--offline', '-f', 'json']).stdout).inconclusive.filter((i: { ruleId: string }) => i.ruleId === 'r1')).toEqual([]);
  });

  it('5. the policy copier refuses tree entry names that leave its temporary folder', async () => {
    const { policyAtRef } = await import('../src/cli/policy-at-ref.js');
    const { CatFileSession } = await import('../src/sources/git/cat-file.js');
    const dir = join(tempDir(), 'repo');
    mkdirSync(dir);
    git(dir, 'init', '-q');
    const hashObject = (content: string | Buffer, ...args: string[]) => execFileSync('git', ['hash-object', '-w', '--stdin', ...args], { cwd: dir, input: content }).toString().trim();
    const rule = hashObject('id: r1\ntitle: t\ndescription: d\nseverity: error\ngiven: tags\nassert:\n  - that: tag.annotated\n    message: x\nfix: y\n');
    const config = hashObject('rulesDirs: [rules]\n');
    /** A branch whose rules folder holds one entry of this name: git would never write it, a hand-made tree can. */
    const branchWith = (name: string) => {
      const tree = hashObject(Buffer.concat([Buffer.from(`100644 ${name}\0`), Buffer.from(rule, 'hex')]), '-t', 'tree', '--literally');
      const root = execFileSync('git', ['mktree'], { cwd: dir, input: `100644 blob ${config}\t.releasepolicyrc.yml\n040000 tree ${tree}\trules\n` }).toString().trim();
      const commit = execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit-tree', root, '-m', 'policy'], { cwd: dir }).toString().trim();
      git(dir, 'update-ref', 'refs/heads/policy', commit);
      return 'refs/heads/policy';
    };
    const escaped = `escaped-${process.pid}-${Date.now()}.yml`;
    const before = new Set(readdirSync(tmpdir()));
    for (const name of [`../../${escaped}`, `../${escaped}`, '..yml', '-r1.yml']) {
      const session = new CatFileSession(dir);
      try {
        await expect(policyAtRef(session, branchWith(name))).rejects.toThrow(/^the policy on refs\/heads\/policy has a file with a name (that is empty or holds a slash|with "\.\."|that starts with "-") in rules: .*; refusing to copy it$/);
      } finally {
        session.close();
      }
    }
    expect(existsSync(join(tmpdir(), escaped))).toBe(false);
    expect(existsSync(join(dirname(tmpdir()), escaped))).toBe(false);
    // Nothing is left behind either: the refused copy's folder is removed.
    expect(readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('release-lint-policy-'))).toEqual([]);
    // An ordinary name is copied.
    const session = new CatFileSession(dir);
    try {
      const copied = await policyAtRef(session, branchWith('r1.yml'));
      expect(readFileSync(join(copied, 'rules', 'r1.yml'), 'utf8')).toContain('id: r1');
      rmSync(copied, { recursive: true, force: true });
    } finally {
      session.close();
    }
  });
});
