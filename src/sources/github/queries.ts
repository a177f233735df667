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

/** What a snapshot needs of a commit a ref points at. */
const commitFacts = `fragment CommitFacts on Commit {
  committedDate
  tree { oid }
}`;

/** A page of refs under a prefix (refs/tags/, refs/heads/), with what git's for-each-ref gives. */
export const refsQuery = `query RefsPage($owner: String!, $name: String!, $prefix: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    refs(refPrefix: $prefix, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        target {
          __typename
          oid
          ...CommitFacts
          ... on Tag {
            message
            tagger { name email date }
            target { __typename oid ...CommitFacts }
          }
        }
      }
    }
  }
}
${commitFacts}`;

export const defaultBranchQuery = `query DefaultBranch($owner: String!, $name: String!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
  }
}`;

/** Aliases c0..c<n-1>: whether each head commit is contained in `$base` (status BEHIND or IDENTICAL). */
export function containedQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$h${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `      c${i}: compare(headRef: $h${i}) { status }`).join('\n');
  return `query ContainedInBranch($owner: String!, $name: String!, $base: String!, ${variables}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $base) {
${fields}
    }
  }
}`;
}

/** Aliases o0..o<n-1>: the size of blobs by revision expression, without their text. */
export function objectSizesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `    o${i}: object(expression: $e${i}) { ... on Blob { byteSize } }`).join('\n');
  return `query ObjectSizes($owner: String!, $name: String!, ${variables}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
${fields}
  }
}`;
}

/** Aliases a0..a<n-1>: for each pair, how commit-ish $h<i> compares with ref $b<i> (BEHIND or IDENTICAL: an ancestor). */
export function ancestryQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$b${i}: String!, $h${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `    a${i}: ref(qualifiedName: $b${i}) { compare(headRef: $h${i}) { status } }`).join('\n');
  return `query Ancestry($owner: String!, $name: String!, ${variables}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
${fields}
  }
}`;
}

/** Aliases o0..o<n-1>: objects by revision expression (`<commit>:<path>` or an object id). */
export function objectsQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `    o${i}: object(expression: $e${i}) { ...ObjectFacts }`).join('\n');
  return `query ObjectsByExpression($owner: String!, $name: String!, ${variables}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
${fields}
  }
}
fragment ObjectFacts on GitObject {
  __typename
  oid
  ... on Blob { text isBinary isTruncated }
  ... on Tree { entries { name oid mode } }
}`;
}

/** A page of the commits `$head` has and `$base` lacks. */
export const compareCommitsQuery = `query CompareCommitsPage($owner: String!, $name: String!, $base: String!, $head: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $base) {
      compare(headRef: $head) {
        aheadBy
        commits(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            oid
            messageHeadline
            committedDate
            author { name }
            parents(first: 2) { totalCount }
          }
        }
      }
    }
  }
}`;

export const allQueries = {
  pullRequestQuery,
  pullRequestFilesQuery,
  commitChecksQuery,
  filesAtRefsQuery,
  releaseByTagQuery,
  releasesQuery,
  issueQuery,
  refsQuery,
  defaultBranchQuery,
  containedQuery: containedQuery(3),
  objectSizesQuery: objectSizesQuery(3),
  ancestryQuery: ancestryQuery(3),
  objectsQuery: objectsQuery(3),
  compareCommitsQuery,
};
