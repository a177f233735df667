import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

/**
 * README's "Write your own rule" walks a team through a rule, its test file, `release-lint test`
 * and `check --trace`. Its YAML is run here as written and its printed output compared with what
 * the CLI prints, so the walkthrough cannot drift from the tool.
 */
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Write your own rule'), readme.indexOf('\n## ', readme.indexOf('## Write your own rule') + 1));
const blocks = (language: string) => [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
const [ruleFile, testFile] = blocks('yaml');
const [testOutput, checkOutput] = blocks('text');

const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Dana', '-c', 'user.email=dana@example.invalid', ...args], { cwd: dir, env: gitEnv, encoding: 'utf8' });

function teamRepository(tests: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'policy'));
  writeFileSync(join(dir, 'policy', 'tag-approved-by.yml'), ruleFile);
  writeFileSync(join(dir, 'policy', 'tag-approved-by.test.yml'), tests);
  writeFileSync(join(dir, '.releasepolicyrc.yml'), 'rulesDirs: [policy]\n');
  return dir;
}

describe("README's walkthrough", () => {
  it('has the rule, its test file and the two outputs', () => {
    expect(ruleFile).toMatch(/^id: tag-approved-by$/m);
    expect(testFile).toMatch(/^rule: tag-approved-by$/m);
    expect(testOutput).toContain('2 passed, 1 failed');
    expect(checkOutput).toContain('trace of tag-approved-by');
  });

  it('its test file passes, and a broken case prints what the README shows', () => {
    const passing = cli(['test'], { cwd: teamRepository(testFile) });
    expect(passing.stderr).toBe('');
    expect(passing.stdout.trim()).toBe('3 passed, 0 failed');
    expect(passing.code).toBe(0);

    // The README's failing run: the approver line misspelt in the first case.
    const broken = cli(['test'], { cwd: teamRepository(testFile.replace('Approved-by: Dana', 'Approved by Dana')) });
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim()).toBe(testOutput.trim());
  });

  it('check --trace prints the finding and the trace the README shows', () => {
    const dir = teamRepository(testFile);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'chore: release policy');
    git(dir, 'tag', '-a', 'v1.4.0', '-m', 'Release v1.4.0');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'fix: a fix');
    git(dir, 'tag', '-a', 'v1.4.1', '-m', 'Release v1.4.1', '-m', 'Approved-by: Dana');
    const run = cli(['check', '--offline', '--trace', 'tag-approved-by'], { cwd: dir });
    for (const paragraph of checkOutput.trim().split('\n\n')) expect(run.stdout).toContain(paragraph);
  });
});
