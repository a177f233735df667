import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-lint-hook-'));
  folders.push(dir);
  return dir;
}

/** An empty repository with one commit: install-hook needs nothing more. */
function repository(): string {
  const dir = join(folder(), 'repo');
  mkdirSync(dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  return dir;
}

function executable(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** A stand-in that reports how it was reached, its arguments and the input git gave the hook. */
const recorder = (name: string) => `#!/bin/sh\necho "${name}: $*"\ncat\n`;

/** A stand-in npx: `found` says whether `npx --no-install release-lint` would find the package. */
const fakeNpx = (found: boolean) => `#!/bin/sh\nif [ "$3" = "--version" ]; then exit ${found ? 0 : 1}; fi\necho "npx: $*\${npm_config_offline:+ (offline)}"\ncat\n`;

/** PATH with `bin` first and without any folder that already holds a release-lint. */
function pathWith(bin: string): string {
  const rest = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry && !existsSync(join(entry, 'release-lint')));
  return [bin, ...rest].join(delimiter);
}

const pushInput = `refs/tags/v1.0.0 ${'1'.repeat(40)} refs/tags/v1.0.0 ${'0'.repeat(40)}\n`;

/** Runs the installed hook as git does (from the top level unless `cwd`), with git's arguments and input. */
function runHook(repo: string, path: string, cwd = repo) {
  return spawnSync('sh', [join(repo, '.git', 'hooks', 'pre-push'), 'origin', 'https://example.invalid/r.git'], { cwd, input: pushInput, encoding: 'utf8', env: { ...process.env, PATH: path } });
}

describe('the installed pre-push hook', () => {
  it('holds no path of this machine', () => {
    const repo = repository();
    const installed = cli(['install-hook', '-C', repo]);
    expect(installed.code).toBe(0);
    const hook = join(repo, '.git', 'hooks', 'pre-push');
    expect(installed.stdout).toBe(`release-lint: installed ${hook}\n`);
    expect(statSync(hook).mode & 0o111).toBe(0o111);
    const text = readFileSync(hook, 'utf8');
    expect(text).not.toContain(process.execPath);
    expect(text).not.toContain(join(__dirname, '..'));
    expect(text).not.toContain(repo);
    // The only absolute paths are the shell and /dev/null, the same on every machine.
    const absolute = text.match(/(?<![\w.$}])\/[\w./-]+/g) ?? [];
    expect([...new Set(absolute)].sort()).toEqual(['/bin/sh', '/dev/null']);
  });

  it('replaces a hook written by an earlier release-lint, which named the node binary and the package folder', () => {
    const repo = repository();
    const hook = join(repo, '.git', 'hooks', 'pre-push');
    executable(hook, `#!/bin/sh\n# release-lint pre-push hook: written by \`release-lint install-hook\`.\ninput=$(cat)\nprintf '%s\\n' "$input" | '${process.execPath}' '/home/someone/.npm/_npx/0123/node_modules/release-lint/bin/release-lint.js' hook pre-push "$@"\n`);
    expect(cli(['install-hook', '-C', repo]).code).toBe(0);
    expect(readFileSync(hook, 'utf8')).not.toMatch(/_npx|\/home\//);
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push.local'))).toBe(false);
  });

  it('finds release-lint in the project, then on PATH, then through npx --no-install, and otherwise says what to install', () => {
    const repo = repository();
    expect(cli(['install-hook', '-C', repo]).code).toBe(0);
    const bin = join(folder(), 'bin');
    executable(join(bin, 'release-lint'), recorder('path'));
    executable(join(bin, 'npx'), fakeNpx(true));
    executable(join(repo, 'node_modules', '.bin', 'release-lint'), recorder('project'));
    mkdirSync(join(repo, 'src'));

    // The project's own install comes first, found at the top level even from a subfolder.
    const project = runHook(repo, pathWith(bin), join(repo, 'src'));
    expect(project.status).toBe(0);
    expect(project.stdout).toBe(`project: hook pre-push origin https://example.invalid/r.git\n${pushInput}`);

    rmSync(join(repo, 'node_modules'), { recursive: true });
    const onPath = runHook(repo, pathWith(bin));
    expect(onPath.stdout).toBe(`path: hook pre-push origin https://example.invalid/r.git\n${pushInput}`);

    rmSync(join(bin, 'release-lint'));
    const npx = runHook(repo, pathWith(bin));
    // Offline: npx asks the registry even with --no-install, which would hang a push without network.
    expect(npx.stdout).toBe(`npx: --no-install release-lint hook pre-push origin https://example.invalid/r.git (offline)\n${pushInput}`);

    executable(join(bin, 'npx'), fakeNpx(false));
    const none = runHook(repo, pathWith(bin));
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('cannot find release-lint');
    expect(none.stderr).toContain('npm i -D release-lint');
    expect(none.stderr).toContain('git push --no-verify');
    // A push of branches alone needs no release-lint.
    const branches = spawnSync('sh', [join(repo, '.git', 'hooks', 'pre-push'), 'origin', 'url'], {
      cwd: repo,
      input: `refs/heads/main ${'1'.repeat(40)} refs/heads/main ${'2'.repeat(40)}\n`,
      encoding: 'utf8',
      env: { ...process.env, PATH: pathWith(bin) },
    });
    expect(branches.stderr).toBe('');
    expect(branches.status).toBe(0);
  });

  it('passes the exit code of release-lint on, after a chained hook that passed', () => {
    const repo = repository();
    const hooks = join(repo, '.git', 'hooks');
    executable(join(hooks, 'pre-push'), '#!/bin/sh\ncat > /dev/null\necho chained-ran\n');
    expect(cli(['install-hook', '-C', repo, '--force']).code).toBe(0);
    const bin = join(folder(), 'bin');
    executable(join(bin, 'release-lint'), '#!/bin/sh\ncat > /dev/null\necho refused >&2\nexit 1\n');
    const refused = runHook(repo, pathWith(bin));
    expect(refused.stdout).toBe('chained-ran\n');
    expect(refused.stderr).toBe('refused\n');
    expect(refused.status).toBe(1);
  });
});

describe('install-hook where a hook manager owns the hooks', () => {
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();

  it('husky v9 (core.hooksPath .husky/_ with its stubs): writes nothing and prints the line for .husky/pre-push', () => {
    const repo = repository();
    execFileSync('git', ['config', 'core.hooksPath', '.husky/_'], { cwd: repo });
    const stub = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n';
    executable(join(repo, '.husky', '_', 'pre-push'), stub);
    writeFileSync(join(repo, '.husky', '_', 'h'), '#!/usr/bin/env sh\n# husky\nexec sh -e "$(dirname "$(dirname "$0")")/$(basename "$0")" "$@"\n');
    const before = [...filesUnder(repo)];

    const advised = cli(['install-hook', '-C', repo, '--force']);
    expect(advised.code).toBe(0);
    expect(advised.stdout).toBe(`release-lint: husky manages this repository's hooks, so nothing was written. Add this line to .husky/pre-push:\nnpx --no-install release-lint hook pre-push "$@"\n`);
    expect(filesUnder(repo)).toEqual(before);
    expect(readFileSync(join(repo, '.husky', '_', 'pre-push'), 'utf8')).toBe(stub);

    // The line, added as told, runs release-lint with git's arguments and input through husky's stub.
    writeFileSync(join(repo, '.husky', 'pre-push'), `npx --no-install release-lint hook pre-push "$@"\n`);
    const bin = join(folder(), 'bin');
    executable(join(bin, 'npx'), fakeNpx(true));
    const ran = spawnSync('sh', [join(repo, '.husky', '_', 'pre-push'), 'origin', 'url'], { cwd: repo, input: pushInput, encoding: 'utf8', env: { ...process.env, PATH: pathWith(bin) } });
    expect(ran.stdout).toBe(`npx: --no-install release-lint hook pre-push origin url\n${pushInput}`);
    expect(cli(['install-hook', '-C', repo]).stdout).toBe(`release-lint: husky manages this repository's hooks and .husky/pre-push already runs release-lint; nothing to do.\n`);
  });

  it('husky before v9 (core.hooksPath .husky): the same line, nothing written', () => {
    const repo = repository();
    execFileSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: repo });
    mkdirSync(join(repo, '.husky', '_'), { recursive: true });
    writeFileSync(join(repo, '.husky', '_', 'husky.sh'), '#!/usr/bin/env sh\n');
    const advised = cli(['install-hook', '-C', repo]);
    expect(advised.code).toBe(0);
    expect(advised.stdout).toContain('Add this line to .husky/pre-push:\nnpx --no-install release-lint hook pre-push "$@"\n');
    expect(existsSync(join(repo, '.husky', 'pre-push'))).toBe(false);
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push'))).toBe(false);
  });

  it('lefthook (its config, its generated hook): prints the pre-push command and leaves its hook alone', () => {
    const repo = repository();
    writeFileSync(join(repo, 'lefthook.yml'), 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n');
    const generated = '#!/bin/sh\n\nif [ "$LEFTHOOK" = "0" ]; then\n  exit 0\nfi\n\ncall_lefthook()\n{\n  lefthook "$@"\n}\n\ncall_lefthook run "pre-push" "$@"\n';
    const hook = join(repo, '.git', 'hooks', 'pre-push');
    executable(hook, generated);
    const advised = cli(['install-hook', '-C', repo, '--force']);
    expect(advised.code).toBe(0);
    expect(advised.stdout).toBe(
      "release-lint: lefthook manages this repository's hooks, so nothing was written. Add this to lefthook.yml (use_stdin passes git's list of pushed refs):\n" +
        'pre-push:\n  commands:\n    release-lint:\n      run: npx --no-install release-lint hook pre-push {1} {2}\n      use_stdin: true\n',
    );
    expect(readFileSync(hook, 'utf8')).toBe(generated);
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push.local'))).toBe(false);

    writeFileSync(join(repo, 'lefthook.yml'), 'pre-push:\n  commands:\n    release-lint:\n      run: npx --no-install release-lint hook pre-push {1} {2}\n      use_stdin: true\n');
    expect(cli(['install-hook', '-C', repo]).stdout).toBe("release-lint: lefthook manages this repository's hooks and lefthook.yml already runs release-lint; nothing to do.\n");
  });

  it('lefthook known only by its .lefthook.yml (hooks not installed yet): nothing written', () => {
    const repo = repository();
    writeFileSync(join(repo, '.lefthook.yml'), 'pre-push:\n  commands: {}\n');
    const advised = cli(['install-hook', '-C', repo]);
    expect(advised.code).toBe(0);
    expect(advised.stdout).toMatch(/^release-lint: lefthook manages this repository's hooks, so nothing was written\. Add this to \.lefthook\.yml /);
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push'))).toBe(false);
  });
});
