import type { Tag, UnavailableFact } from './types.js';
import { GitHubError, type GitHubClient } from '../sources/github/client.js';
import { issueQuery, releaseByTagQuery, releasesQuery } from '../sources/github/queries.js';

interface RawRelease {
  tagName: string;
  isDraft: boolean;
  isPrerelease: boolean;
  releaseAssets: { nodes: Array<{ name: string }> };
}

const toFacts = (r: RawRelease): Tag['release'] => ({ found: true, isDraft: r.isDraft, isPrerelease: r.isPrerelease, assets: r.releaseAssets.nodes.map((a) => a.name) });

/**
 * Fills each judged tag's GitHub Release and the recovery issue its message names. `only` reads one
 * tag's release instead of paging through all releases. What GitHub refuses becomes an unavailable fact.
 */
export async function addReleaseFacts(client: GitHubClient, tags: Tag[], only?: string): Promise<UnavailableFact[]> {
  const { owner, name } = client.target;
  const unavailable: UnavailableFact[] = [];
  const judged = tags.filter((t) => t.judged && (!only || t.name === only));
  try {
    const releases = new Map<string, RawRelease>();
    if (only) {
      const data: { repository: { release: RawRelease | null } } = await client.query(releaseByTagQuery, { owner, name, tag: only }, 'contents: read');
      if (data.repository.release) releases.set(only, data.repository.release);
    } else {
      let after: string | null = null;
      for (;;) {
        const data: { repository: { releases: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: RawRelease[] } } } = await client.query(
          releasesQuery,
          { owner, name, after },
          'contents: read',
        );
        for (const release of data.repository.releases.nodes) releases.set(release.tagName, release);
        if (!data.repository.releases.pageInfo.hasNextPage) break;
        after = data.repository.releases.pageInfo.endCursor;
      }
    }
    for (const tag of judged) {
      const release = releases.get(tag.name);
      if (release) tag.release = toFacts(release);
    }
  } catch (error) {
    if (!(error instanceof GitHubError) || error.kind === 'auth') throw error;
    unavailable.push({ fact: 'github-releases', reason: error.message, fix: error.fix });
  }
  const numbers = [...new Set(judged.map((t) => t.recoveryIssue.number).filter((n) => n > 0))];
  try {
    for (const number of numbers) {
      const data: { repository: { issueOrPullRequest: { __typename: string; issueState?: string; pullRequestState?: string } | null } } = await client.query(
        issueQuery,
        { owner, name, number },
        'issues: read',
      );
      const found = data.repository.issueOrPullRequest;
      for (const tag of judged) {
        if (tag.recoveryIssue.number !== number) continue;
        tag.recoveryIssue = {
          number,
          exists: found !== null,
          isPullRequest: found?.__typename === 'PullRequest',
          state: found?.issueState ?? found?.pullRequestState ?? '',
        };
      }
    }
  } catch (error) {
    if (!(error instanceof GitHubError) || error.kind === 'auth') throw error;
    unavailable.push({ fact: 'github-issues', reason: error.message, fix: error.fix });
  }
  return unavailable;
}
