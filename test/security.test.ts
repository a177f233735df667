import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackerGit, cleanRepositoryForSuite, cli, tempDir } from './helpers.js';

/** The clean repository's origin, and fresh full clones of it to spoil. */
const { clean, origin, freshClone } = cleanRepositoryForSuite();
const git = attackerGit;

/** Every file under `dir` with a hash of its content, mode and modification time. */
function fingerprintTree(dir: string): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else result.set(full.slice(dir.length), `${stat.mode}:${stat.mtimeMs}:${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
    }
  };
  walk(dir);
  return result;
}

/** A rules folder with one rule that prints a tag's message in its finding. */
function messageRule(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'tag-message-shown.yml'),
    `id: tag-message-shown
title: Shows the tag message
description: Test rule that quotes repository data in its message.
severity: error
given: tags
when: tag.name == 'v0.9.9'
assert:
  - that: "false"
    message: "\${tag.name} says: \${tag.message}"
fix: nothing to fix
`,
  );
  return dir;
}

describe('hostile names', () => {
  it('a branch or tag named like a shell command runs nothing, and is still read', () => {
    const dir = freshClone('hostile');
    const work = tempDir();
    const names = ['release/$(touch${IFS}PWNED)', 'release/x;touch${IFS}PWNED2', 'release/`touch${IFS}PWNED3`', 'release/-rf', '--output=PWNED4'];
    for (const name of names) {
      git(dir, 'update-ref', `refs/heads/${name}`, 'HEAD');
      git(dir, 'update-ref', `refs/remotes/origin/${name}`, 'HEAD');
    }
    git(dir, 'tag', '-a', 'v9.9.9;touch${IFS}PWNED5', '-m', 'Release $(touch PWNED6)');
    const result = cli(['-C', dir, '-f', 'json'], { cwd: work });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    // Read: the hostile names are judged like any other.
    const targets = report.findings.map((f: { target: { name: string } }) => f.target.name);
    expect(targets).toContain('release/$(touch${IFS}PWNED)');
    expect(targets).toContain('v9.9.9;touch${IFS}PWNED5');
    const snapshot = JSON.parse(cli(['snapshot', '-C', dir], { cwd: work }).stdout);
    expect(snapshot.branches.map((b: { name: string }) => b.name)).toEqual(expect.arrayContaining(names.slice(0, 4)));
    // Run: nothing was executed, anywhere.
    for (const folder of [dir, work, process.cwd(), dirname(dir)]) {
      expect(readdirSync(folder).filter((f) => f.startsWith('PWNED') || f.startsWith('--output'))).toEqual([]);
    }
  });

  it('escape sequences and direction marks in a tag message never reach the terminal raw', () => {
    const dir = freshClone('escapes');
    const hostile = 'Release v0.9.9\n\x1b[2J\x1b]8;;https://evil.invalid\x07click\x1b]8;;\x07 \u202eevil\u202c \x9b31m';
    git(dir, 'tag', '-a', 'v0.9.9', '-m', hostile);
    const rules = messageRule();
    const config = join(tempDir(), 'policy.yml');
    writeFileSync(config, `${readFileSync(join(dir, '.releasepolicyrc.yml'), 'utf8')}\nrulesDirs: [${JSON.stringify(rules)}]\n`);
    for (const colour of [[], ['--color']]) {
      const human = cli(['-C', dir, '-c', config, ...colour]).stdout;
      expect(human).toContain('v0.9.9 says: Release v0.9.9');
      // Our own colours are the only escape sequences, and all of them are SGR colour codes.
      expect(human.replace(/\x1b\[\d+m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      expect(human).toContain('\\u001b[2J');
      expect(human).toContain('\\u202eevil\\u202c');
    }
    // JSON keeps the data exact (escaped by JSON itself).
    const json = JSON.parse(cli(['-C', dir, '-c', config, '-f', 'json']).stdout);
    expect(json.findings.find((f: { ruleId: string }) => f.ruleId === 'tag-message-shown').message).toContain('\x1b[2J');
  });
});

describe('release-lint never writes to the repository it lints', () => {
  it('leaves every file under .git as it was, whatever the command', () => {
    const dir = freshClone('read-only');
    git(dir, 'tag', 'v0.9.8');
    const before = fingerprintTree(join(dir, '.git'));
    const head = git(dir, 'rev-parse', 'HEAD');
    const work = tempDir();
    // GitHub is asked at a closed port: the commands that need it read the repository, then fail.
    const github = ['--github-api-url', 'http://127.0.0.1:9/graphql'];
    const githubEnv = { GITHUB_TOKEN: 'ghp_not-a-real-token', GITHUB_REPOSITORY: 'o/r' };
    const runs: Array<{ args: string[]; env?: NodeJS.ProcessEnv; codes: number[] }> = [
      { args: ['-C', dir], codes: [0, 1] },
      { args: ['check', '-C', dir, '-f', 'sarif'], codes: [0, 1] },
      { args: ['--offline', '-C', dir], codes: [0, 1] },
      { args: ['snapshot', '-C', dir], codes: [0] },
      { args: ['tag', 'v0.9.9', '-C', dir, '--ref', 'HEAD', '-m', 'Release v0.9.9'], codes: [0, 1] },
      { args: ['release', 'v0.9.8', '-C', dir, ...github], env: githubEnv, codes: [1, 2] },
      { args: ['pr', '1', '-C', dir, ...github], env: githubEnv, codes: [1, 2] },
      { args: ['baseline', '-C', dir, '-o', join(work, 'baseline.json')], codes: [0] },
      { args: ['rules', '-C', dir], codes: [0] },
      { args: ['explain', 'tag-annotated', '-C', dir], codes: [0] },
      { args: ['init', '-C', dir], codes: [0, 2] },
      // A report aimed into .git, however the path is written, is refused and writes nothing.
      { args: ['-C', dir, '-o', join(dir, '.git', 'config')], codes: [2] },
      { args: ['-C', dir, '-f', 'sarif=.git/HEAD'], codes: [2] },
      { args: ['snapshot', '-C', dir, '-o', join(dir, 'src', '..', '.git', 'packed-refs')], codes: [2] },
      { args: ['baseline', '-C', dir, '-o', join(dir, '.git', 'info', 'exclude')], codes: [2] },
    ];
    for (const { args, env, codes } of runs) expect(codes, args.join(' ')).toContain(cli(args, { cwd: dir, env }).code);
    const hook = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'release-lint.js'), 'hook', 'pre-push', 'origin', origin()], {
      cwd: dir,
      input: `refs/tags/v0.9.8 ${head} refs/tags/v0.9.8 0000000000000000000000000000000000000000\n`,
      encoding: 'utf8',
    });
    expect(hook.status).toBe(1);
    const after = fingerprintTree(join(dir, '.git'));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, print] of before) expect(after.get(file), file).toBe(print);
    // install-hook writes its one file, the hook, and nothing else.
    expect(cli(['install-hook', '-C', dir]).code).toBe(0);
    const installed = fingerprintTree(join(dir, '.git'));
    expect([...installed.keys()].filter((file) => !before.has(file))).toEqual(['/hooks/pre-push']);
    for (const [file, print] of before) expect(installed.get(file), file).toBe(print);
  });
});

describe('untrusted policy', () => {
  const jsConfig = (marker: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { remote: 'origin' };\n`;

  it('--no-js-config refuses a JavaScript config before running it', () => {
    const dir = freshClone('js-config');
    const marker = join(tempDir(), 'config-ran');
    writeFileSync(join(dir, 'releasepolicy.config.mjs'), jsConfig(marker));
    rmSync(join(dir, '.releasepolicyrc.yml'));
    const refused = cli(['-C', dir, '--no-js-config']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `release-lint: ${join(dir, 'releasepolicy.config.mjs')}: refusing a JavaScript config (--no-js-config): loading it would run code from the repository; write the policy as .releasepolicyrc.yml\n`,
    );
    expect(existsSync(marker)).toBe(false);
    // The same file named through extends is refused too.
    writeFileSync(join(dir, '.releasepolicyrc.yml'), 'extends: [./releasepolicy.config.mjs]\n');
    expect(cli(['-C', dir, '--no-js-config']).stderr).toMatch(/releasepolicy\.config\.mjs: refusing a JavaScript config/);
    expect(existsSync(marker)).toBe(false);
    // Without the flag, the code runs: this is the risk the flag removes.
    rmSync(join(dir, '.releasepolicyrc.yml'));
    expect(cli(['-C', dir]).code).toBeLessThan(2);
    expect(existsSync(marker)).toBe(true);
  });

  it('the GitHub Action refuses JavaScript configs unless allow-js-config is true', () => {
    const dir = freshClone('action-js-config');
    const marker = join(tempDir(), 'config-ran');
    writeFileSync(join(dir, 'releasepolicy.config.mjs'), jsConfig(marker));
    rmSync(join(dir, '.releasepolicyrc.yml'));
    const output = join(tempDir(), 'output');
    const env = { ...process.env, GITHUB_ACTION_PATH: join(__dirname, '..'), GITHUB_OUTPUT: output, INPUT_SARIF: '', INPUT_STEP_SUMMARY: 'false' };
    spawnSync('bash', [join(__dirname, '..', 'action', 'run.sh')], { cwd: dir, env, encoding: 'utf8' });
    expect(readFileSync(output, 'utf8')).toMatch(/^exit-code=2$/m);
    expect(existsSync(marker)).toBe(false);
    writeFileSync(output, '');
    spawnSync('bash', [join(__dirname, '..', 'action', 'run.sh')], { cwd: dir, env: { ...env, INPUT_ALLOW_JS_CONFIG: 'true' }, encoding: 'utf8' });
    expect(readFileSync(output, 'utf8')).toMatch(/^exit-code=[01]$/m);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('a rule cannot hang CI', () => {
  function regexRule(pattern: string): string {
    return expensiveRule(`!tag.message.matches(${JSON.stringify(pattern)})`);
  }

  function expensiveRule(that: string): string {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'tag-message-pattern.yml'),
      `id: tag-message-pattern
title: Tag messages match a pattern
description: Test rule with an expensive expression.
severity: error
given: tags
assert:
  - that: ${JSON.stringify(that)}
    message: "\${tag.name} matches"
fix: nothing to fix
`,
    );
    return dir;
  }

  function lintWith(rulesDir: string, extra: string[] = []) {
    const dir = freshClone(`regex-${Math.random().toString(36).slice(2)}`);
    git(dir, 'tag', '-a', 'v0.9.9', '-m', `${'a'.repeat(40)}!`);
    const config = join(tempDir(), 'policy.yml');
    writeFileSync(config, `${readFileSync(join(dir, '.releasepolicyrc.yml'), 'utf8')}\nrulesDirs: [${JSON.stringify(rulesDir)}]\n`);
    return cli(['-C', dir, '-c', config, '-f', 'json', ...extra]);
  }

  it('a catastrophically backtracking regular expression is decided by the linear-time engine', () => {
    const result = lintWith(regexRule('^(a+)+$'));
    const report = JSON.parse(result.stdout);
    expect(report.inconclusive.filter((i: { ruleId: string }) => i.ruleId === 'tag-message-pattern')).toEqual([]);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'tag-message-pattern')).toEqual([]);
  });

  it('a rule that runs past --rule-timeout is stopped and inconclusive, and the others are judged', () => {
    // Regular expressions cannot run long any more (backreferences are refused at load): a
    // comprehension over every combination of five lists of twenty can.
    const twenty = `[${Array.from({ length: 20 }, (_, i) => i).join(', ')}]`;
    const slow = `${twenty}.all(a, ${twenty}.all(b, ${twenty}.all(c, ${twenty}.all(d, ${twenty}.all(e, a + b + c + d + e >= 0 || tag.message.contains('x'))))))`;
    const result = lintWith(expensiveRule(slow), ['--rule-timeout', '300']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const stopped = report.inconclusive.filter((i: { ruleId: string }) => i.ruleId === 'tag-message-pattern');
    expect(stopped).toHaveLength(1);
    expect(stopped[0].reason).toMatch(/took longer than its budget of 300 ms and was stopped/);
    expect(stopped[0].fix).toMatch(/--rule-timeout/);
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'tag-annotated' || f.ruleId === 'changelog-baseline' || f.ruleId === 'metadata-version-match')).toBe(true);
  });

  it('refuses a --rule-timeout that is not a number of milliseconds', () => {
    const result = cli(['-C', clean().clone.dir, '--rule-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('release-lint: --rule-timeout expects a number of milliseconds, got "soon"\n');
  });
});

describe('very large inputs are bounded', () => {
  it('a 10 MB tag message and a 50 MB CHANGELOG', () => {
    const dir = freshClone('large');
    const lines = ['# Changelog', ''];
    for (let i = 0; lines.length < 700_000; i++) {
      lines.push(`## [0.${i}.0](https://example.invalid/compare/v0.${i - 1}.0...v0.${i}.0) (2026-01-01)`, '');
      for (let k = 0; k < 8; k++) lines.push(`* a change described at some length, so that the file grows to fifty megabytes ${k}`);
      lines.push('');
    }
    const changelog = lines.join('\n');
    expect(changelog.length).toBeGreaterThan(45_000_000);
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    git(dir, 'commit', '-qam', 'a very large CHANGELOG');
    const message = join(tempDir(), 'message');
    writeFileSync(message, `Release v0.9.9\n\n${`${'x'.repeat(99)}\n`.repeat(100_000)}`);
    git(dir, 'tag', '-a', 'v0.9.9', '-F', message);
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    const rss = join(tempDir(), 'rss.mjs');
    const rssOut = join(tempDir(), 'rss');
    writeFileSync(rss, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssOut)}, String(process.resourceUsage().maxRSS)));\n`);
    const result = cli(['-C', dir, '-f', 'json'], { env: { NODE_OPTIONS: `--import=${rss}` } });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    // Judged, not skipped: the large CHANGELOG was read at the tag (its newest heading is quoted).
    const changelogFinding = report.findings.find((f: { ruleId: string; target: { name: string } }) => f.ruleId === 'metadata-version-match' && f.target.name === 'CHANGELOG.md');
    expect(changelogFinding.message).toMatch(/^v0\.9\.9: CHANGELOG\.md has no heading for 0\.9\.9 \(its newest is 0\.\d+\.0\)$/);
    // maxRSS is in KiB: well under the 512 MiB a CI runner's step could spare, for 60 MB of input.
    expect(Number(readFileSync(rssOut, 'utf8'))).toBeLessThan(512 * 1024);
  }, 60_000);
});

describe('inputs outside the repository are never touched', () => {
  it('--output to a folder that does not exist fails before anything is written', () => {
    const missing = join(tempDir(), 'no', 'such', 'folder', 'report.json');
    const result = cli(['-C', clean().clone.dir, '-f', 'json', '-o', missing]);
    expect(result.code).toBe(2);
    expect(existsSync(dirname(missing))).toBe(false);
    mkdirSync(dirname(missing), { recursive: true });
    expect(cli(['-C', clean().clone.dir, '-f', 'json', '-o', missing]).code).toBe(0);
  });
});
