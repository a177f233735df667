import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { releaseBranches } from './release-branch.js';
import { parseChangelog } from './version-files.js';
import type { ChangelogEntry, PullRequest, PullRequestCheck, PullRequestFile, Revision, UnavailableFact } from './types.js';
import { parseVersion, type Version } from './version.js';
import { GitHubError, type GitHubClient } from '../sources/github/client.js';
import { commitChecksQuery, filesAtRefsQuery, pullRequestFilesQuery, pullRequestQuery } from '../sources/github/queries.js';

interface Page<T> {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

interface RawPullRequest {
  number: number;
  url: string;
  title: string;
  state: string;
  baseRefName: string;
  headRefName: string;
  headRefOid: string;
  reviewDecision: string | null;
  latestOpinionatedReviews: { nodes: Array<{ state: string }> } | null;
  files: Page<{ path: string; changeType: string }> | null;
}

/** The pull request as GitHub has it, with every changed file (paged). */
export async function fetchPullRequest(client: GitHubClient, number: number): Promise<{ raw: RawPullRequest; files: Array<{ path: string; changeType: string }> }> {
  const { owner, name } = client.target;
  let data: { repository: { pullRequest: RawPullRequest | null } | null };
  try {
    data = await client.query(pullRequestQuery, { owner, name, number }, 'pull-requests: read');
  } catch (error) {
    if (error instanceof GitHubError && error.kind === 'not-found') throw new InputError(`pull request #${number} was not found in ${owner}/${name}`);
    throw error;
  }
  const raw = data.repository?.pullRequest;
  if (!raw) throw new InputError(`pull request #${number} was not found in ${owner}/${name}`);
  const files = [...(raw.files?.nodes ?? [])];
  let pageInfo = raw.files?.pageInfo;
  while (pageInfo?.hasNextPage) {
    const next: { repository: { pullRequest: { files: Page<{ path: string; changeType: string }> } } } = await client.query(
      pullRequestFilesQuery,
      { owner, name, number, after: pageInfo.endCursor },
      'pull-requests: read',
    );
    files.push(...next.repository.pullRequest.files.nodes);
    pageInfo = next.repository.pullRequest.files.pageInfo;
  }
  return { raw, files };
}

type CheckNode =
  | { __typename: 'CheckRun'; name: string; status: string; conclusion: string | null; isRequired: boolean; checkSuite: { workflowRun: { workflow: { name: string } } | null } | null }
  | { __typename: 'StatusContext'; context: string; state: string; isRequired: boolean };

function checkState(node: CheckNode): PullRequestCheck['state'] {
  if (node.__typename === 'StatusContext') return node.state === 'SUCCESS' ? 'success' : node.state === 'PENDING' || node.state === 'EXPECTED' ? 'pending' : 'failure';
  if (node.status !== 'COMPLETED') return 'pending';
  switch (node.conclusion) {
    case 'SUCCESS':
      return 'success';
    case 'SKIPPED':
      return 'skipped';
    case 'NEUTRAL':
      return 'neutral';
    default:
      return 'failure';
  }
}

/** Every check on the head commit (paged). */
async function fetchChecks(client: GitHubClient, number: number, oid: string): Promise<PullRequestCheck[]> {
  const { owner, name } = client.target;
  const checks: PullRequestCheck[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { repository: { object: { statusCheckRollup: { contexts: Page<CheckNode> } | null } | null } } = await client.query(
      commitChecksQuery,
      { owner, name, oid, number, after },
      'checks: read',
    );
    const contexts = data.repository.object?.statusCheckRollup?.contexts;
    if (!contexts) return checks;
    for (const node of contexts.nodes) {
      checks.push({
        name: node.__typename === 'CheckRun' ? node.name : node.context,
        workflow: node.__typename === 'CheckRun' ? (node.checkSuite?.workflowRun?.workflow.name ?? '') : '',
        state: checkState(node),
        required: node.isRequired,
      });
    }
    if (!contexts.pageInfo.hasNextPage) return checks;
    after = contexts.pageInfo.endCursor;
  }
}

/** Release Please PR (into a release branch) or promotion PR (into production), and its version. */
export function classifyPullRequest(base: string, head: string, config: ResolvedConfig): { kind: PullRequest['kind']; version: Version } {
  const release = config.branches.release ? releaseBranches(config.branches.release) : undefined;
  if (release?.matches(base)) return { kind: 'release-please', version: release.versionOf(base) };
  if (base === config.branches.production) {
    if (release?.matches(head)) return { kind: 'promotion', version: release.versionOf(head) };
    const promote = new RegExp(`^chore/promote-(.+)-${config.branches.production.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).exec(head);
    if (promote) return { kind: 'promotion', version: parseVersion(promote[1]) };
  }
  return { kind: 'other', version: parseVersion('') };
}

export interface PullRequestFacts {
  pullRequests: PullRequest[];
  pullRequestFiles: PullRequestFile[];
  changelogEntries: ChangelogEntry[];
  unavailable: UnavailableFact[];
}

const unavailableFrom = (fact: string, error: GitHubError): UnavailableFact => ({ fact, reason: error.message, fix: error.fix });

/** The facts of one pull request, from GitHub; what could not be read becomes an unavailable fact. */
export async function pullRequestFacts(client: GitHubClient, fetched: Awaited<ReturnType<typeof fetchPullRequest>>, config: ResolvedConfig): Promise<PullRequestFacts> {
  const { raw, files } = fetched;
  const { kind, version } = classifyPullRequest(raw.baseRefName, raw.headRefName, config);
  const unavailable: UnavailableFact[] = [];
  let checks: PullRequestCheck[] = [];
  try {
    checks = await fetchChecks(client, raw.number, raw.headRefOid);
  } catch (error) {
    if (!(error instanceof GitHubError) || error.kind === 'auth') throw error;
    unavailable.push(unavailableFrom('github-checks', error));
  }
  const reviews = raw.latestOpinionatedReviews?.nodes ?? [];
  const pullRequest: PullRequest = {
    number: raw.number,
    title: raw.title,
    url: raw.url,
    state: raw.state,
    baseRef: raw.baseRefName,
    headRef: raw.headRefName,
    headOid: raw.headRefOid,
    kind,
    version,
    reviewDecision: raw.reviewDecision ?? '',
    approvals: reviews.filter((r) => r.state === 'APPROVED').length,
    changesRequested: reviews.filter((r) => r.state === 'CHANGES_REQUESTED').length,
    checks,
    fileCount: files.length,
  };
  const changelogEntries: ChangelogEntry[] = [];
  if (config.changelog) {
    try {
      const { owner, name } = client.target;
      const data: { repository: { head: { text: string } | null; base: { text: string } | null } } = await client.query(
        filesAtRefsQuery,
        { owner, name, head: `${raw.headRefOid}:${config.changelog}`, base: `${raw.baseRefName}:${config.changelog}` },
        'contents: read',
      );
      const before = new Set(parseChangelog(data.repository.base?.text ?? '').map((e) => e.version.text));
      const at: Revision = { kind: 'pull-request', name: `#${raw.number}`, commit: raw.headRefOid, version, candidate: false, publishedAncestor: '' };
      for (const entry of parseChangelog(data.repository.head?.text ?? '')) {
        if (!before.has(entry.version.text)) changelogEntries.push({ at, file: config.changelog, ...entry, baselines: { latest: '', latestStable: '', ancestor: '', ancestorStable: '' }, judged: true });
      }
    } catch (error) {
      if (!(error instanceof GitHubError) || error.kind === 'auth') throw error;
      unavailable.push(unavailableFrom('github-contents', error));
    }
  }
  return {
    pullRequests: [pullRequest],
    pullRequestFiles: files.map((f) => ({ number: raw.number, kind, path: f.path, changeType: f.changeType })),
    changelogEntries,
    unavailable,
  };
}
