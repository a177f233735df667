import { firstError, runGit } from './run.js';

/**
 * What release-lint needs to know of git's config before it lets git connect anywhere, read by
 * one `git config` process: the configured remotes (a policy's `remote` must name one).
 * `--show-scope` says which file each value comes from: `local` and `worktree` are the
 * repository's (whoever made the repository wrote them); `system`, `global` and `command`
 * (GIT_CONFIG_PARAMETERS, -c) are the machine's and the user's.
 */
export const remoteConfigArgs = ['config', '--null', '--show-scope', '--get-regexp', '^remote\\..*\\.url$'];

interface ConfigEntry {
  scope: string;
  key: string;
  value: string | null;
}

export interface RemoteConfig {
  /** Names of the remotes with a `remote.<name>.url`. */
  remotes: Set<string>;
  entries: ConfigEntry[];
}

/** `scope NUL key LF value NUL`, or `scope NUL key NUL` for a key without a value. */
function parseEntries(output: string): ConfigEntry[] {
  const fields = output.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const newline = fields[i + 1].indexOf('\n');
    entries.push({
      scope: fields[i],
      key: newline < 0 ? fields[i + 1] : fields[i + 1].slice(0, newline),
      value: newline < 0 ? null : fields[i + 1].slice(newline + 1),
    });
  }
  return entries;
}

export async function readRemoteConfig(root: string): Promise<RemoteConfig> {
  const answer = await runGit(root, remoteConfigArgs);
  // Exit 1: no key matched (a repository without remotes).
  if (answer.exitCode !== 0 && answer.exitCode !== 1) throw new Error(`git config failed: ${firstError(answer.stderr)}`);
  const entries = parseEntries(answer.stdout.toString('utf8'));
  const remotes = new Set<string>();
  for (const entry of entries) {
    const url = /^remote\.(.+)\.url$/.exec(entry.key);
    if (url && entry.value) remotes.add(url[1]);
  }
  return { remotes, entries };
}
