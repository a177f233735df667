/** What the command line uses from GitHub, in one module it loads only when a command talks to GitHub. */
export { GitHubClient, GitHubError, graphqlEndpoint, repositoryFromUrl, toInputError } from './client.js';
export { GitHubObjectReader } from './objects.js';
export { defaultBranchQuery } from './queries.js';
export { fetchPullRequest, pullRequestFacts } from './pull-request.js';
export { addReleaseFacts } from './releases.js';
export { collectGitHubSnapshot } from '../snapshot/collect-github.js';
