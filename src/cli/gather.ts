/**
 * The one place that makes a command's finished snapshot: from the repository (git, then GitHub's
 * releases or a pull request), from GitHub alone (--remote) or from a saved file (--snapshot),
 * with the policy that judges it. A command never adds facts to the snapshot it gets.
 */
import type { FactPlan } from '../facts/plan.js';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { policyAtRef } from './policy-at-ref.js';
import { loadConfig, locateSetting, type LoadOptions } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { CatFileSession } from '../sources/git/cat-file.js';
import { runGit } from '../sources/git/run.js';
import type { GitHubClient, GitHubError } from '../sources/github/client.js';
import { githubClient, optionalGithubClient, type GitHubAccess } from '../sources/github/connect.js';
import { githubToken } from '../sources/github/token.js';
import { startSpan } from '../timings.js';
import { collectGitSnapshot, locateRepository, type CollectOptions, type RepositoryLocation } from '../facts/collect-git.js';
import type { ChangelogEntry, Snapshot } from '../facts/types.js';

/** The GitHub client and collectors, loaded only by the runs that talk to GitHub. */
const loadGitHub = () => import('../facts/github.js');

/** A repository and the policy in it. */
export interface Repository {
  location: RepositoryLocation;
  config: ResolvedConfig;
}

/** Where a repository's policy is found, and how configs may be loaded. */
export interface PolicyRequest {
  /** The repository's folder (-C; default: the current folder); with a saved snapshot, where its config is. */
  folder?: string;
  /** The config file (--config); without it the repository's own, or the default (--remote) or base branch's (pr). */
  configFile?: string;
  /** --no-js-config refuses JavaScript configs. */
  loading: LoadOptions;
}

/** What a command needs gathered. */
export interface GatherRequest extends PolicyRequest {
  /** --remote owner/name: every fact from GitHub, no clone. */
  remote?: string;
  /** --snapshot: a saved snapshot, judged as it is (no git, no GitHub). */
  snapshotFile?: string;
  /** The repository and its policy, when the command read them before gathering (the hook; rules compiled meanwhile). */
  repository?: Repository;
  /** What the command asks of the git collector (a candidate tag, pushed tags), passed on untouched. */
  collect?: CollectOptions;
  /** The facts the run's rules need (default: every one). */
  plan?: FactPlan;
  /**
   * GitHub Releases of the tags (github-releases, github-issues): `required` (release, one tag) or
   * only when GitHub can be asked (check). A saved snapshot gets none.
   */
  releases?: { required: boolean; tag?: string };
  /** The pull request judged (pr): its facts from GitHub, the release state from git, the policy of its base branch. */
  pullRequest?: number;
  /** How GitHub may be reached; --offline also keeps the collector off the network. */
  github: GitHubAccess;
  /** Aborted when the command gave up while git was collecting: GitHub is then not asked. */
  signal?: AbortSignal;
}

export interface Gathered {
  config: ResolvedConfig;
  snapshot: Snapshot;
  /** Where the config and anchor files are: the work tree, or the policy copied from GitHub. */
  root: string;
  client?: GitHubClient;
  /** Removes what gathering left behind (the policy copied from GitHub). */
  cleanup?: () => void;
  /** The pull request's own facts could not be read (pr): every rule about it is inconclusive for this reason. */
  unreadablePullRequest?: GitHubError;
}

/** The repository around the folder and its policy. */
export async function openRepository(request: PolicyRequest): Promise<Repository> {
  const location = await locateRepository(resolve(request.folder ?? '.'));
  const done = startSpan('config');
  const config = await loadConfig(location.root, request.configFile, request.loading);
  done();
  return { location, config };
}

/** Every fact the command needs, in one snapshot, with the policy that judges it. */
export async function gather(request: GatherRequest): Promise<Gathered> {
  if (request.pullRequest !== undefined) return gatherPullRequest(request, request.pullRequest);
  const gathered = await gatherSnapshot(request);
  if (request.releases && !request.snapshotFile) {
    try {
      await addReleases(gathered, request, request.releases);
    } catch (error) {
      gathered.cleanup?.();
      throw error;
    }
  }
  return gathered;
}

/**
 * The git collector's options, built here and nowhere else: the command's own (request.collect)
 * over the defaults, or those of a pull request, with the run's fact plan.
 */
function collectOptions(request: GatherRequest, config: ResolvedConfig, pullRequestEntries?: { entries: ChangelogEntry[]; baseBranch: string }): CollectOptions {
  const located = { plan: request.plan, locateSetting: (key: string) => locateSetting(config, key, request.loading) };
  // The entries the PR adds get their baselines from the history of its base branch.
  if (request.pullRequest !== undefined) return { offline: true, candidatesOnly: true, pullRequestEntries, ...located };
  return { offline: request.github.offline, ...request.collect, ...located };
}

async function gatherSnapshot(request: GatherRequest): Promise<Gathered> {
  if (request.remote) return gatherRemote(request, request.remote);
  if (request.snapshotFile) {
    const root = resolve(request.folder ?? '.');
    const config = await loadConfig(root, request.configFile, request.loading);
    const { loadSnapshotFile } = await import('../facts/load.js');
    return { config, snapshot: loadSnapshotFile(request.snapshotFile), root };
  }
  const { location, config } = request.repository ?? (await openRepository(request));
  const done = startSpan('collect (git, parsing)');
  const snapshot = await collectGitSnapshot(location, config, collectOptions(request, config));
  done();
  return { config, snapshot, root: location.root };
}

/** Published releases: always for `release`, and in `check` when GitHub can be asked. */
async function addReleases(gathered: Gathered, request: GatherRequest, { required, tag }: { required: boolean; tag?: string }): Promise<void> {
  request.signal?.throwIfAborted();
  const { config, snapshot, root } = gathered;
  const client =
    gathered.client ?? (required ? await githubClient(request.github, root, config.remote) : await optionalGithubClient(request.github, root, config.remote));
  if (!client) return;
  const { GitHubError, addReleaseFacts, toInputError } = await loadGitHub();
  try {
    snapshot.unavailable.push(...(await addReleaseFacts(client, snapshot.tags, tag)));
  } catch (error) {
    if (error instanceof GitHubError) throw toInputError(error);
    throw error;
  }
  snapshot.collected.push('github-releases', 'github-issues');
}

/**
 * Remote-only mode: the snapshot from GitHub, judged by the policy on the repository's default
 * branch (or --config). Anything GitHub refuses while reading refs stops the run (exit 2): without
 * the refs there is nothing to judge.
 */
async function gatherRemote(request: GatherRequest, remote: string): Promise<Gathered> {
  const { GitHubClient, GitHubError, GitHubObjectReader, collectGitHubSnapshot, defaultBranchQuery, graphqlEndpoint, repositoryFromUrl, toInputError } = await loadGitHub();
  const identity = repositoryFromUrl(`https://github.invalid/${remote}`);
  if (!identity || remote.split('/').length !== 2) throw new InputError(`--remote expects owner/name, got "${remote}"`);
  if (request.github.offline) throw new InputError('--remote reads GitHub; it cannot run with --offline');
  if (request.snapshotFile) throw new InputError('--remote and --snapshot exclude each other');
  const token = githubToken(process.env);
  if (!token) throw new InputError('--remote needs a GitHub token: set GITHUB_TOKEN or GH_TOKEN');
  const client = new GitHubClient({ ...identity, endpoint: graphqlEndpoint(request.github.apiUrl, process.env), token });
  try {
    let root = process.cwd();
    let cleanup: (() => void) | undefined;
    let config: ResolvedConfig;
    if (request.configFile) config = await loadConfig(root, request.configFile, request.loading);
    else {
      const data: { repository: { defaultBranchRef: { name: string } | null } | null } = await client.query(defaultBranchQuery, identity, 'contents: read');
      if (!data.repository) throw new InputError(`GitHub has no repository ${remote} (or the token cannot see it)`);
      const branch = data.repository.defaultBranchRef?.name;
      if (!branch) throw new InputError(`${remote} has no default branch to read the policy from; pass --config`);
      root = await policyAtRef(new GitHubObjectReader(client), branch);
      const dir = root;
      cleanup = () => rmSync(dir, { recursive: true, force: true });
      try {
        config = await loadConfig(root, undefined, request.loading);
      } catch (error) {
        cleanup();
        throw error;
      }
    }
    try {
      return { config, snapshot: await collectGitHubSnapshot(client, config), root, client, cleanup };
    } catch (error) {
      cleanup?.();
      throw error;
    }
  } catch (error) {
    if (error instanceof GitHubError) throw toInputError(error);
    throw error;
  }
}

/**
 * `release-lint pr <n>`: the PR's facts from GitHub, the release state from git, and the policy of
 * the PR's base branch (unless --config names one). A PR GitHub refuses to show (other than for a
 * bad token) still gathers the release state, and says why the PR's own facts are missing.
 */
async function gatherPullRequest(request: GatherRequest, number: number): Promise<Gathered> {
  const location = await locateRepository(resolve(request.folder ?? '.'));
  const remote = 'origin';
  const client = await githubClient(request.github, location.root, remote);
  const { GitHubError, fetchPullRequest, pullRequestFacts, toInputError } = await loadGitHub();
  let fetched: Awaited<ReturnType<typeof fetchPullRequest>> | undefined;
  let unreadable: GitHubError | undefined;
  try {
    fetched = await fetchPullRequest(client, number);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    if (error.kind === 'auth') throw toInputError(error);
    unreadable = error;
  }
  let config: ResolvedConfig;
  if (request.configFile || !fetched) config = await loadConfig(location.root, request.configFile, request.loading);
  else {
    const baseRef = `refs/remotes/${remote}/${fetched.raw.baseRefName}`;
    const exists = await runGit(location.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', baseRef]);
    if (exists.exitCode !== 0) {
      throw new InputError(`the base branch ${remote}/${fetched.raw.baseRefName} of #${number} is not in this clone; fetch it (git fetch ${remote} ${fetched.raw.baseRefName}, or fetch-depth: 0) so the policy is read from it`);
    }
    const session = new CatFileSession(location.root);
    const policyDir = await policyAtRef(session, baseRef).finally(() => session.close());
    try {
      config = await loadConfig(policyDir, undefined, request.loading);
    } finally {
      rmSync(policyDir, { recursive: true, force: true });
    }
  }
  const facts = fetched
    ? await pullRequestFacts(client, fetched, config).catch((error: unknown) => {
        if (error instanceof GitHubError && error.kind === 'auth') throw toInputError(error);
        throw error;
      })
    : undefined;
  const snapshot = await collectGitSnapshot(
    location,
    config,
    collectOptions(request, config, facts && fetched ? { entries: facts.changelogEntries, baseBranch: fetched.raw.baseRefName } : undefined),
  );
  if (facts) {
    snapshot.pullRequests = facts.pullRequests;
    snapshot.pullRequestFiles = facts.pullRequestFiles;
    snapshot.unavailable.push(...facts.unavailable);
    snapshot.collected.push('github-pull-request', 'github-checks', 'github-contents');
  }
  return { config, snapshot, root: location.root, client, unreadablePullRequest: unreadable };
}
