import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { runGit } from '../sources/git/run.js';
import { packageRoot } from '../package-root.js';
import { locateRepository } from '../facts/collect-git.js';
import type { Invocation } from './arguments.js';

const marker = '# release-lint pre-push hook';
const chainedName = 'pre-push.local';

/** `release-lint install-hook [--force]`: the pre-push hook in the repository's hooks folder. */
export async function installHookCommand({ options }: Invocation): Promise<number> {
  const location = await locateRepository(resolve(options.repo ?? '.'));
  process.stdout.write(`release-lint: installed ${await installHook(location.root, options.force === true)}\n`);
  return 0;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function hookScript(): string {
  const bin = join(packageRoot, 'bin', 'release-lint.js');
  return `#!/bin/sh
${marker}: written by \`release-lint install-hook\`.
# Lints every release tag being pushed and refuses the push when it breaks the release policy.
# A hook that was here before is kept as ${chainedName} and runs first.
input=$(cat)
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${chainedName}" ]; then
  printf '%s\\n' "$input" | "$hook_dir/${chainedName}" "$@" || exit $?
fi
printf '%s\\n' "$input" | ${shellQuote(process.execPath)} ${shellQuote(bin)} hook pre-push "$@"
`;
}

/**
 * Writes an executable pre-push hook into the repository's hooks folder (honouring core.hooksPath).
 * Our own hook is replaced; another one is kept as pre-push.local and chained, but only with
 * `force`, so nobody's hook is displaced without being asked.
 */
export async function installHook(repoRoot: string, force: boolean): Promise<string> {
  const result = await runGit(repoRoot, ['rev-parse', '--git-path', 'hooks']);
  if (result.exitCode !== 0) throw new InputError('cannot find the hooks folder', repoRoot);
  const relative = result.stdout.toString('utf8').trim();
  const hooks = isAbsolute(relative) ? relative : join(repoRoot, relative);
  const hook = join(hooks, 'pre-push');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(marker)) {
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
  return hook;
}
