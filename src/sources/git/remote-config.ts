import { firstError, runGit, type GitRunOptions } from './run.js';

/**
 * What release-lint needs to know of git's config before it lets git connect anywhere, read by
 * one `git config` process: the configured remotes (a policy's `remote` must name one), and the
 * settings through which a repository's own config could run programs when `ls-remote`
 * connects. `--show-scope` says which file each value comes from: `local` and `worktree` are the
 * repository's (whoever made the repository wrote them); `system`, `global` and `command`
 * (GIT_CONFIG_PARAMETERS, -c) are the machine's and the user's.
 */
export const remoteConfigArgs = [
  'config',
  '--null',
  '--show-scope',
  '--get-regexp',
  '^(remote\\..*\\.(url|uploadpack)|core\\.(sshcommand|gitproxy|askpass)|credential\\..*helper)$',
];

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

const isRepositorys = (entry: ConfigEntry) => entry.scope === 'local' || entry.scope === 'worktree';

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

/** Quotes a word for the shell git runs core.sshCommand with. */
const shellWord = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `git ls-remote` for `remote`, such that the repository's own config cannot make it run a
 * program: the `ext::` transport is off whatever `protocol.*.allow` says, and the repository's
 * `core.sshCommand`, `core.gitProxy`, `core.askPass`, credential helpers and
 * `remote.<name>.uploadpack` are not used (the user's and the system's settings and environment
 * still are). What else of the repository's config git still honours is listed in the README.
 * It lists the remote's tags (and branches, to see that the release lines were fetched), whose
 * answer is needed last: on a two-core runner it would compete with the history walk everyone
 * waits for, so it runs at the lowest priority (8% off a 10,000-tag check).
 */
export function lsRemoteCommand(remote: string, config: RemoteConfig, env: NodeJS.ProcessEnv = process.env): { args: string[]; options: GitRunOptions } {
  const own = config.entries.filter(isRepositorys);
  const trusted = config.entries.filter((entry) => !isRepositorys(entry));
  const overrides = ['-c', 'protocol.ext.allow=never'];
  // Every other git process runs with no transport allowed (no lazy fetch); this one connects.
  const runEnv: NodeJS.ProcessEnv = { GIT_ALLOW_PROTOCOL: env.GIT_ALLOW_PROTOCOL };
  // GIT_SSH_COMMAND outranks core.sshCommand; GIT_SSH does not, so it is turned into the former.
  if (env.GIT_SSH_COMMAND === undefined && own.some((entry) => entry.key === 'core.sshcommand')) {
    const users = trusted.filter((entry) => entry.key === 'core.sshcommand' && entry.value).pop()?.value;
    runEnv.GIT_SSH_COMMAND = users ?? (env.GIT_SSH ? shellWord(env.GIT_SSH) : 'ssh');
  }
  // core.gitProxy takes the first match in config order, so a later -c cannot outrank the
  // repository's: an empty GIT_PROXY_COMMAND (which git reads first) turns every one off.
  if (env.GIT_PROXY_COMMAND === undefined && own.some((entry) => entry.key === 'core.gitproxy')) runEnv.GIT_PROXY_COMMAND = '';
  // No password is ever asked (GIT_TERMINAL_PROMPT=0): an empty GIT_ASKPASS keeps any
  // core.askPass from running, and SSH_ASKPASS from being tried.
  if (env.GIT_ASKPASS === undefined) runEnv.GIT_ASKPASS = '';
  // An empty credential.helper empties the list so far; the user's helpers are then listed again.
  if (own.some((entry) => entry.key.startsWith('credential.'))) {
    overrides.push('-c', 'credential.helper=');
    for (const entry of trusted) if (entry.key.startsWith('credential.') && entry.value !== null) overrides.push('-c', `${entry.key}=${entry.value}`);
  }
  const uploadPack = own.some((entry) => entry.key === `remote.${remote}.uploadpack`) ? ['--upload-pack=git-upload-pack'] : [];
  return {
    args: [...overrides, 'ls-remote', '--tags', '--heads', ...uploadPack, '--end-of-options', remote],
    options: { lowPriority: true, env: runEnv },
  };
}
