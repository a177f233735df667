import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.js';
import { runGit } from '../git/run.js';
import { packageRoot } from '../package-root.js';
import type { PushedTag } from '../snapshot/collect-git.js';

const marker = '# release-lint pre-push hook';
const chainedName = 'pre-push.local';

const prePushLine = /^(\S+) ([0-9a-f]{40}|[0-9a-f]{64}) (refs\/\S+) ([0-9a-f]{40}|[0-9a-f]{64})$/;

/** A line of the input for a message: escaped, cut to 100 characters. */
const quoted = (line: string) => JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Release tags in git's pre-push input (`<local ref> <local sha> <remote ref> <remote sha>` per
 * line). Branch pushes and excluded tag families are not returned: they pass. Input that is not
 * in that form is refused: a gate that cannot read what is pushed must not let it through.
 */
export function parsePrePushInput(input: string, prefix: string, isExcluded: (name: string) => boolean = () => false): PushedTag[] {
  const zero = /^0+$/;
  const pushed: PushedTag[] = [];
  for (const [index, line] of input.split('\n').entries()) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') continue;
    const fields = prePushLine.exec(text);
    if (!fields) throw new InputError(`pre-push input line ${index + 1} is not "<local ref> <local sha> <remote ref> <remote sha>": ${quoted(text)}`);
    const [, , localSha, remoteRef, remoteSha] = fields;
    if (!remoteRef.startsWith('refs/tags/') || !remoteRef.slice('refs/tags/'.length).startsWith(prefix)) continue;
    // A tag family that is not a release (tags.exclude: nightlies, test tags) passes like a branch.
    if (isExcluded(remoteRef.slice('refs/tags/'.length))) continue;
    pushed.push({
      name: remoteRef.slice('refs/tags/'.length),
      localSha: zero.test(localSha) ? '' : localSha,
      remoteSha: zero.test(remoteSha) ? '' : remoteSha,
    });
  }
  return pushed;
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
