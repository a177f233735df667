/** Which GitHub repository a clone belongs to, and a client for it: asked only when a fact needs GitHub. */
import { InputError } from '../../errors.js';
import { runGit } from '../git/run.js';
import type { GitHubClient } from './client.js';
import { githubToken } from './token.js';

/** The client and its helpers, loaded only by the runs that talk to GitHub. */
const loadClient = () => import('./client.js');

/** How GitHub may be reached: not at all (--offline), and at which endpoint (--github-api-url); the token comes from GITHUB_TOKEN or GH_TOKEN. */
export interface GitHubAccess {
  offline?: boolean;
  apiUrl?: string;
}

/** A client only when GitHub can be asked: a token, a GitHub repository, not --offline. */
export async function optionalGithubClient(access: GitHubAccess, root: string, remote: string): Promise<GitHubClient | undefined> {
  if (access.offline || !githubToken(process.env)) return undefined;
  try {
    return await githubClient(access, root, remote);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/** The GitHub repository and client: owner/name from GITHUB_REPOSITORY or the remote's URL. */
export async function githubClient(access: GitHubAccess, root: string, remote: string): Promise<GitHubClient> {
  if (access.offline) throw new InputError('this command reads from GitHub; it cannot run with --offline');
  const { GitHubClient, graphqlEndpoint, repositoryFromUrl } = await loadClient();
  let identity = process.env.GITHUB_REPOSITORY ? repositoryFromUrl(`https://github.invalid/${process.env.GITHUB_REPOSITORY}`) : undefined;
  if (!identity) {
    const url = (await runGit(root, ['config', '--get', `remote.${remote}.url`])).stdout.toString('utf8').trim();
    identity = url ? repositoryFromUrl(url) : undefined;
    if (!identity) throw new InputError(`cannot tell the GitHub repository: set GITHUB_REPOSITORY=owner/name (the remote ${remote} has ${url ? `the URL ${url}` : 'no URL'})`);
  }
  return new GitHubClient({ ...identity, endpoint: graphqlEndpoint(access.apiUrl, process.env), token: githubToken(process.env) });
}
