/**
 * Every GraphQL document release-lint sends. Each selects rateLimit, asks for at most 100 nodes
 * per connection, and is validated against GitHub's published schema by the tests.
 */
export const pullRequestQuery = `query PullRequestByNumber($owner: String!, $name: String!, $number: Int!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      number
      url
      title
      state
      baseRefName
      headRefName
      headRefOid
      reviewDecision
      latestOpinionatedReviews(first: 100) { nodes { state } }
      files(first: 100) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { path changeType }
      }
    }
  }
}`;

export const pullRequestFilesQuery = `query PullRequestFilesPage($owner: String!, $name: String!, $number: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      files(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { path changeType }
      }
    }
  }
}`;

export const commitChecksQuery = `query CommitChecksPage($owner: String!, $name: String!, $oid: GitObjectID!, $number: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        statusCheckRollup {
          contexts(first: 100, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes {
              __typename
              ... on CheckRun {
                name
                status
                conclusion
                isRequired(pullRequestNumber: $number)
                checkSuite { workflowRun { workflow { name } } }
              }
              ... on StatusContext {
                context
                state
                isRequired(pullRequestNumber: $number)
              }
            }
          }
        }
      }
    }
  }
}`;

export const filesAtRefsQuery = `query FilesAtPullRequest($owner: String!, $name: String!, $head: String!, $base: String!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    head: object(expression: $head) { ... on Blob { text } }
    base: object(expression: $base) { ... on Blob { text } }
  }
}`;


/** What the release rules read of a GitHub Release, shared by the two release queries. */
const releaseFacts = `fragment ReleaseFacts on Release {
  tagName
  isDraft
  isPrerelease
  releaseAssets(first: 100) { nodes { name } }
}`;

export const releaseByTagQuery = `query ReleaseByTag($owner: String!, $name: String!, $tag: String!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    release(tagName: $tag) { ...ReleaseFacts }
  }
}
${releaseFacts}`;

export const releasesQuery = `query ReleasesPage($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    releases(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...ReleaseFacts }
    }
  }
}
${releaseFacts}`;

export const issueQuery = `query IssueOrPullRequest($owner: String!, $name: String!, $number: Int!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue { issueState: state }
      ... on PullRequest { pullRequestState: state }
    }
  }
}`;

export const allQueries = { pullRequestQuery, pullRequestFilesQuery, commitChecksQuery, filesAtRefsQuery, releaseByTagQuery, releasesQuery, issueQuery };
