import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { allQueries } from '../src/sources/github/queries.js';
import { graphqlEndpoint, repositoryFromUrl } from '../src/sources/github/client.js';
import { cliAsync } from './helpers.js';
import { page, queryProblems, startGitHubStandIn, type GitHubStandIn } from './github-server.js';

const token = 'ghp_0123456789abcdefSECRETtoken';
let clean: Scenario;
let github: GitHubStandIn;
let env: NodeJS.ProcessEnv;

const metadata = ['.release-please-manifest.json', 'CHANGELOG.md', 'deploy/helm/aegis/Chart.yaml', 'package-lock.json', 'package.json'];
const changelog = (entries: Array<[string, string]>) =>
  `# Changelog\n\n${entries.map(([v, from]) => `## [${v}](https://github.com/example/aegis/compare/${from}...v${v}) (2026-01-05)\n\n* x\n`).join('\n')}`;
const baseChangelog = changelog([['0.6.6-preview', 'v0.6.5-preview.1'], ['0.6.5-preview.1', 'v0.6.5-preview']]);

interface FixturePr {
  number: number;
  title: string;
  base: string;
  head: string;
  files: string[];
  checks: Array<{ name: string; status: string; conclusion: string | null; isRequired?: boolean }>;
  reviewDecision: string | null;
  reviews?: string[];
  changelog: string;
}

const prs: Record<number, FixturePr> = {
  12: {
    number: 12,
    title: 'chore(release): release 0.6.7-preview',
    base: 'release/0.6.7-preview',
    head: 'release-please--branches--release/0.6.7-preview',
    files: metadata,
    checks: [{ name: 'build', status: 'COMPLETED', conclusion: 'SUCCESS' }, { name: 'Release Dry Run', status: 'COMPLETED', conclusion: 'SUCCESS' }],
    reviewDecision: null,
    changelog: changelog([['0.6.7-preview', 'v0.6.6-preview'], ['0.6.6-preview', 'v0.6.5-preview.1']]),
  },
  13: {
    number: 13,
    title: 'chore(release): release 0.6.7-preview.1',
    base: 'release/0.6.7-preview',
    head: 'release-please--branches--release/0.6.7-preview',
    files: [...metadata, 'src/index.ts'],
    checks: [{ name: 'Release Dry Run', status: 'COMPLETED', conclusion: 'FAILURE' }],
    reviewDecision: null,
    changelog: changelog([['0.6.7-preview', 'v0.6.4'], ['0.6.6-preview', 'v0.6.5-preview.1']]),
  },
  14: {
    number: 14,
    title: 'chore(release): promote 0.6.7-preview to main',
    base: 'main',
    head: 'chore/promote-0.6.7-preview-main',
    files: metadata,
    checks: [{ name: 'Release Dry Run', status: 'IN_PROGRESS', conclusion: null }],
    reviewDecision: 'REVIEW_REQUIRED',
    changelog: baseChangelog,
  },
  15: {
    number: 15,
    title: 'chore(release): release 0.6.7-preview',
    base: 'release/0.6.7-preview',
    head: 'release-please--branches--release/0.6.7-preview',
    files: [...metadata, ...Array.from({ length: 245 }, (_, i) => `src/generated/file-${String(i).padStart(3, '0')}.ts`)],
    checks: [{ name: 'Release Dry Run', status: 'COMPLETED', conclusion: 'SUCCESS' }],
    reviewDecision: null,
    changelog: changelog([['0.6.7-preview', 'v0.6.6-preview']]),
  },
};

function repositoryFixture(rateLimit = { cost: 1, remaining: 4999, resetAt: new Date(Date.now() + 3600_000).toISOString() }) {
  const headOid = (n: number) => n.toString(16).padStart(40, 'a');
  const pullRequest = (pr: FixturePr) => ({
    __typename: 'PullRequest',
    number: pr.number,
    url: `https://github.com/example/aegis/pull/${pr.number}`,
    title: pr.title,
    state: 'OPEN',
    baseRefName: pr.base,
    headRefName: pr.head,
    headRefOid: headOid(pr.number),
    reviewDecision: pr.reviewDecision,
    latestOpinionatedReviews: () => ({ nodes: (pr.reviews ?? []).map((state) => ({ state })) }),
    files: (args: { first: number; after?: string }) => page(pr.files.map((path) => ({ path, changeType: 'MODIFIED' })), args),
  });
  const object = (args: { oid?: string; expression?: string }) => {
    if (args.oid) {
      const pr = Object.values(prs).find((p) => headOid(p.number) === args.oid);
      if (!pr) return null;
      const contexts = pr.checks.map((c) => ({ __typename: 'CheckRun', isRequired: c.isRequired ?? false, checkSuite: { workflowRun: null }, ...c }));
      return { __typename: 'Commit', statusCheckRollup: { contexts: (a: { first: number; after?: string }) => page(contexts, a) } };
    }
    const [ref] = String(args.expression).split(':');
    const pr = Object.values(prs).find((p) => headOid(p.number) === ref);
    return { __typename: 'Blob', text: pr ? pr.changelog : baseChangelog };
  };
  return {
    rateLimit: () => rateLimit,
    repository: (args: { owner: string; name: string }) =>
      args.owner === 'example' && args.name === 'aegis' ? { pullRequest: ({ number }: { number: number }) => (prs[number] ? pullRequest(prs[number]) : null), object } : null,
  };
}

beforeAll(async () => {
  clean = buildClean();
  github = await startGitHubStandIn(repositoryFixture());
  env = { GITHUB_REPOSITORY: 'example/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1' };
});
afterAll(async () => {
  await github.close();
  rmSync(dirname(clean.clone.dir), { recursive: true, force: true });
});
beforeEach(() => {
  github.root = repositoryFixture();
  github.faults = [];
  github.requests = [];
});

const pr = async (number: number, extra: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) => {
  const result = await cliAsync(['pr', String(number), '-C', clean.clone.dir, '-f', 'json', ...extra], { env: { ...env, ...extraEnv } });
  expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
};

afterEach_queriesAreValid();
function afterEach_queriesAreValid() {
  // Every query sent to the stand-in must validate against GitHub's schema and page by 100 at most.
  it.each(Object.entries(allQueries))('%s validates against the published schema', (_name, query) => {
    expect(queryProblems(query, { first: 100 })).toEqual([]);
  });
}

describe('release-lint pr', () => {
  it('passes a good Release Please PR, sending only valid queries with the token', async () => {
    const { code, report } = await pr(12);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive).toEqual([]);
    expect(code).toBe(0);
    expect(github.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of github.requests) {
      expect(request.problems).toEqual([]);
      expect(request.authorization).toBe(`bearer ${token}`);
    }
  });

  it('reports a wrong title, a non-metadata file, a failed dry run and a wrong CHANGELOG baseline', async () => {
    const { code, report } = await pr(13);
    expect(code).toBe(1);
    expect(report.findings.map((f: any) => [f.ruleId, f.message]).sort()).toEqual([
      ['pr-checks', `#13: Release Dry Run did not pass on ${(13).toString(16).padStart(40, 'a').slice(0, 12)}`],
      ['pr-title-version', '#13 "chore(release): release 0.6.7-preview.1" does not name its release version 0.6.7-preview'],
      ['pr-changelog-baseline', '#13 adds a CHANGELOG entry for 0.6.7-preview that compares from v0.6.4, but the latest published tag below it is v0.6.6-preview'],
      ['pr-changed-files', '#13 (Release Please PR) changes src/index.ts, which is not a release metadata file'],
    ].sort());
    const file = report.findings.find((f: any) => f.ruleId === 'pr-changed-files');
    expect(file).toMatchObject({ target: { kind: 'pr-file', name: 'src/index.ts', at: { kind: 'pr', name: '#13' } }, location: { file: 'src/index.ts', line: null } });
  });

  it('wants a promotion PR approved, and calls a running dry run inconclusive', async () => {
    const { code, report } = await pr(14);
    expect(code).toBe(1);
    expect(report.findings.map((f: any) => [f.ruleId, f.message])).toEqual([
      ['pr-reviewed', '#14 promotes 0.6.7-preview to main without an approving review (REVIEW_REQUIRED)'],
    ]);
    expect(report.inconclusive.map((i: any) => [i.ruleId, i.reason])).toEqual([
      ['pr-checks', `#14: Release Dry Run still running on ${(14).toString(16).padStart(40, 'a').slice(0, 12)}`],
    ]);
    prs[14].reviewDecision = 'APPROVED';
    prs[14].checks = [{ name: 'Release Dry Run', status: 'COMPLETED', conclusion: 'SUCCESS' }];
    expect((await pr(14)).code).toBe(0);
  });

  it('says in the human report whether the PR may be merged', async () => {
    const human = await cliAsync(['pr', '13', '-C', clean.clone.dir], { env });
    expect(human.stdout).toMatch(/✖ 4 problems \(4 errors, 0 warnings\): do not merge · #13 checked against \d+ rules/);
    const good = await cliAsync(['pr', '12', '-C', clean.clone.dir], { env });
    expect(good.stdout).toMatch(/✔ no problems: ready to merge as far as the policy goes · #12/);
  });

  it('pages through 250 changed files', async () => {
    const { report } = await pr(15);
    const files = report.findings.filter((f: any) => f.ruleId === 'pr-changed-files');
    expect(files).toHaveLength(245);
    const pages = github.requests.filter((r) => r.query.includes('PullRequestFilesPage'));
    expect(pages.map((r) => r.variables.after)).toEqual(['99', '199']);
  });

  it('judges the PR with the policy of its base branch, not the one in the work tree', async () => {
    const config = join(clean.clone.dir, '.releasepolicyrc.yml');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, `${original}rules:\n  pr-changed-files: off\n  pr-title-version: off\n`);
    try {
      expect((await pr(13)).report.findings.map((f: any) => f.ruleId)).toContain('pr-changed-files');
    } finally {
      writeFileSync(config, original);
    }
  });
});

describe('GitHub failures', () => {
  it('a rejected token stops with exit 2, without the token in the message', async () => {
    github.faults = ['unauthorized'];
    const { code, stderr } = await pr(12);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('release-lint: GitHub rejected the token (401 Bad credentials); set GITHUB_TOKEN or GH_TOKEN to a valid token');
  });

  it('a token without a permission makes the affected rule inconclusive and names the permission', async () => {
    github.faults = [undefined as never, 'forbidden'];
    const { code, report } = await pr(12);
    expect(code).toBe(1);
    expect(report.inconclusive).toEqual([
      {
        ruleId: 'pr-checks',
        target: { kind: 'repository', name: 'aegis' },
        reason: 'the GitHub token lacks the checks: read permission (Resource not accessible by integration)',
        fix: 'give the token checks: read (in GitHub Actions, under permissions:)',
      },
    ]);
  });

  it('a 502 is retried, and repeated 502s make the PR rules inconclusive', async () => {
    github.faults = ['502'];
    expect((await pr(12)).code).toBe(0);
    github.faults = ['502', '502', '502'];
    const { code, report } = await pr(12);
    expect(code).toBe(1);
    expect(report.findings).toEqual([]);
    expect(report.inconclusive.map((i: any) => i.ruleId).sort()).toEqual(['pr-changed-files', 'pr-changelog-baseline', 'pr-checks', 'pr-reviewed', 'pr-title-version']);
    expect(report.inconclusive[0].reason).toBe('#12 could not be read: GitHub did not answer after 3 attempts (HTTP 502)');
  });

  it('an error GitHub reports in its answer is not retried: it would only repeat', async () => {
    github.faults = ['graphql-error'];
    const { code, report } = await pr(12);
    expect(code).toBe(1);
    expect(github.requests).toHaveLength(1);
    expect(report.inconclusive[0].reason).toBe("#12 could not be read: GitHub answered with errors: Field 'x' doesn't exist on type 'Repository'");
  });

  it('a malformed answer is retried like a failure', async () => {
    github.faults = ['malformed', 'malformed', 'malformed'];
    const { report } = await pr(12);
    expect(report.inconclusive[0].reason).toMatch(/^#12 could not be read: GitHub did not answer after 3 attempts/);
  });

  it('an exhausted rate limit is inconclusive, with the reset time', async () => {
    const resetAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    github.root = repositoryFixture({ cost: 1, remaining: 0, resetAt });
    const { code, report } = await pr(12);
    expect(code).toBe(1);
    expect(report.inconclusive[0].reason).toBe(`#12 could not be read: the GitHub API rate limit is used up until ${resetAt}`);
    github.root = repositoryFixture();
    github.faults = ['rate-limited'];
    expect((await pr(12)).report.inconclusive[0].reason).toBe('#12 could not be read: the GitHub API rate limit is used up');
  });

  it('refuses --offline and a missing pull request', async () => {
    expect((await pr(12, ['--offline'])).stderr.trim()).toBe('release-lint: this command reads from GitHub; it cannot run with --offline');
    const missing = await pr(99);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('release-lint: pull request #99 was not found in example/aegis');
  });
});

describe('GitHub identity', () => {
  it('reads owner and name from https and ssh remotes, and the endpoint from the environment', async () => {
    expect(repositoryFromUrl('https://github.com/OneStepAt4time/aegis.git')).toEqual({ owner: 'OneStepAt4time', name: 'aegis' });
    expect(repositoryFromUrl('git@github.com:OneStepAt4time/aegis.git')).toEqual({ owner: 'OneStepAt4time', name: 'aegis' });
    expect(repositoryFromUrl('ssh://git@ghe.example.com/org/repo')).toEqual({ owner: 'org', name: 'repo' });
    expect(repositoryFromUrl('/srv/git/repo.git')).toBeUndefined();
    expect(graphqlEndpoint(undefined, {})).toBe('https://api.github.com/graphql');
    expect(graphqlEndpoint(undefined, { GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).toBe('https://ghe.example.com/api/graphql');
    expect(graphqlEndpoint('http://127.0.0.1:1/graphql', { GITHUB_GRAPHQL_URL: 'x' })).toBe('http://127.0.0.1:1/graphql');
  });
});
