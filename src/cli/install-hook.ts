import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { runGit } from '../sources/git/run.js';
import { locateRepository } from '../facts/collect-git.js';
import type { Invocation } from './arguments.js';

const marker = '# release-lint pre-push hook';
const chainedName = 'pre-push.local';
/** How a hook manager's own hook runs release-lint: the project's install, never a download. */
const hookCommandLine = 'npx --no-install release-lint hook pre-push';

/** `release-lint install-hook [--force]`: the pre-push hook in the repository's hooks folder, or the line a hook manager needs. */
export async function installHookCommand({ options }: Invocation): Promise<number> {
  const location = await locateRepository(resolve(options.repo ?? '.'));
  const outcome = await installHook(location.root, options.force === true);
  process.stdout.write(outcome.kind === 'installed' ? `release-lint: installed ${outcome.hook}\n` : outcome.advice);
  return 0;
}

/**
 * The hook finds release-lint as the team runs it, so it holds no path of this machine (node,
 * the npx cache, a global prefix) and keeps working for teammates, after an nvm switch or a
 * cleared cache: the project's node_modules/.bin, then PATH, then whatever `npx --no-install`
 * finds (its cache, a global install), never a download.
 */
function hookScript(): string {
  return `#!/bin/sh
${marker}: written by \`release-lint install-hook\`.
# Lints every release tag being pushed and refuses the push when it breaks the release policy.
# A hook that was here before is kept as ${chainedName} and runs first.
input=$(cat)
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${chainedName}" ]; then
  printf '%s\\n' "$input" | "$hook_dir/${chainedName}" "$@" || exit $?
fi
# Only tags are judged: a push of branches alone needs no release-lint and starts no node.
case "$input" in
  *refs/tags/*) ;;
  *) exit 0 ;;
esac
top=$(git rev-parse --show-toplevel 2>/dev/null) || top=.
if [ -x "$top/node_modules/.bin/release-lint" ]; then
  set -- "$top/node_modules/.bin/release-lint" hook pre-push "$@"
elif command -v release-lint >/dev/null 2>&1; then
  set -- release-lint hook pre-push "$@"
# npx asks the registry even with --no-install: offline, it answers from its cache at once instead
# of hanging the push while the network times out.
elif command -v npx >/dev/null 2>&1 && npm_config_offline=true npx --no-install release-lint --version >/dev/null 2>&1; then
  set -- env npm_config_offline=true npx --no-install release-lint hook pre-push "$@"
else
  echo "release-lint: the pre-push hook cannot find release-lint (not in node_modules/.bin, not on PATH, not through npx --no-install)." >&2
  echo "Install it in this project: npm i -D release-lint   (or skip this check once: git push --no-verify)" >&2
  exit 1
fi
printf '%s\\n' "$input" | "$@"
`;
}

export type InstallOutcome =
  | { kind: 'installed'; hook: string }
  /** A hook manager owns the hooks: nothing written, `advice` says what to add to its config. */
  | { kind: 'managed'; manager: 'husky' | 'lefthook'; advice: string };

const lefthookConfigs = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml', '.config/lefthook.yml', '.config/lefthook.yaml', 'lefthook.toml', '.lefthook.toml', 'lefthook.json', '.lefthook.json'];

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Husky (core.hooksPath `.husky/_` since v9, `.husky` before, whose stubs call husky's own
 * script) or lefthook (its config at the top level, or its generated hook in the hooks folder).
 * Writing into a folder they manage would be overwritten or would displace their stubs; the team
 * adds release-lint to their config instead.
 */
function hookManagerAdvice(repoRoot: string, hooks: string, existing: string): InstallOutcome | undefined {
  const huskyFolder = basename(hooks) === '.husky' ? hooks : basename(hooks) === '_' && basename(dirname(hooks)) === '.husky' ? dirname(hooks) : undefined;
  if (huskyFolder || /\bhusky\b/.test(existing)) {
    const userHook = join(huskyFolder ?? join(repoRoot, '.husky'), 'pre-push');
    const shown = relative(repoRoot, userHook);
    const advice = readText(userHook).includes('release-lint hook pre-push')
      ? `release-lint: husky manages this repository's hooks and ${shown} already runs release-lint; nothing to do.\n`
      : `release-lint: husky manages this repository's hooks, so nothing was written. Add this line to ${shown}:\n${hookCommandLine} "$@"\n`;
    return { kind: 'managed', manager: 'husky', advice };
  }
  const lefthookConfig = lefthookConfigs.find((name) => existsSync(join(repoRoot, name)));
  if (lefthookConfig || /\blefthook\b/.test(existing)) {
    const config = lefthookConfig ?? 'lefthook.yml';
    const advice = readText(join(repoRoot, config)).includes('release-lint hook pre-push')
      ? `release-lint: lefthook manages this repository's hooks and ${config} already runs release-lint; nothing to do.\n`
      : `release-lint: lefthook manages this repository's hooks, so nothing was written. Add this to ${config} (use_stdin passes git's list of pushed refs):\n` +
        ['pre-push:', '  commands:', '    release-lint:', `      run: ${hookCommandLine} {1} {2}`, '      use_stdin: true', ''].join('\n');
    return { kind: 'managed', manager: 'lefthook', advice };
  }
  return undefined;
}

/**
 * Writes an executable pre-push hook into the repository's hooks folder (honouring core.hooksPath).
 * Our own hook is replaced; another one is kept as pre-push.local and chained, but only with
 * `force`, so nobody's hook is displaced without being asked. Where husky or lefthook manage the
 * hooks, nothing is written, whatever `force` says.
 */
export async function installHook(repoRoot: string, force: boolean): Promise<InstallOutcome> {
  const result = await runGit(repoRoot, ['rev-parse', '--git-path', 'hooks']);
  if (result.exitCode !== 0) throw new InputError('cannot find the hooks folder', repoRoot);
  const gitPath = result.stdout.toString('utf8').trim();
  const hooks = isAbsolute(gitPath) ? gitPath : join(repoRoot, gitPath);
  const hook = join(hooks, 'pre-push');
  const existing = readText(hook);
  const ours = existing.includes(marker);
  // Our own hook (an earlier install, say with --force into husky's folder) says nothing of a manager.
  const managed = hookManagerAdvice(repoRoot, hooks, ours ? '' : existing);
  if (managed) return managed;
  if (existsSync(hook) && !ours) {
    if (!force) {
      throw new InputError(
        `a pre-push hook that release-lint did not write is already installed; rerun with --force to keep it as ${chainedName} and run it before release-lint`,
        hook,
      );
    }
    if (existsSync(join(hooks, chainedName))) throw new InputError(`${chainedName} already exists; move one of the two hooks aside first`, join(hooks, chainedName));
    renameSync(hook, join(hooks, chainedName));
  }
  try {
    writeFileSync(hook, hookScript());
    chmodSync(hook, 0o755);
  } catch (error) {
    throw new InputError(`cannot write the hook: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, hook);
  }
  return { kind: 'installed', hook };
}
