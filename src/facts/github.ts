/** What the command line uses from GitHub, in one module it loads only when a command talks to GitHub. */
export { GitHubClient, GitHubError, graphqlEndpoint, repositoryFromUrl, toInputError } from '../sources/github/client.js';
export { GitHubObjectReader } from '../sources/github/objects.js';
export { defaultBranchQuery } from '../sources/github/queries.js';
export { fetchPullRequest, pullRequestFacts } from './github-pull-request.js';
export { addReleaseFacts } from './github-releases.js';
export { collectGitHubSnapshot } from './collect-github.js';
