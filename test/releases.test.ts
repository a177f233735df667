import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { cliAsync } from './helpers.js';
import { page, startGitHubStandIn, type GitHubStandIn } from './github-server.js';

const token = 'ghs_release_token_SECRET_42';
let clean: Scenario;
let github: GitHubStandIn;
const full = ['checksums.txt', 'sbom.json', 'package.sigstore'];

interface FixtureRelease {
  tagName: string;
  isDraft: boolean;
  isPrerelease: boolean;
  assets: string[];
}

let releases: FixtureRelease[];
let issues: Record<number, '' | 'Issue' | 'PullRequest'>;

function root() {
  const toNode = (r: FixtureRelease) => ({ __typename: 'Release', tagName: r.tagName, isDraft: r.isDraft, isPrerelease: r.isPrerelease, releaseAssets: (a: any) => page(r.assets.map((name) => ({ name })), a) });
  return {
    rateLimit: () => ({ cost: 1, remaining: 4000, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
    repository: () => ({
      release: ({ tagName }: { tagName: string }) => {
        const r = releases.find((x) => x.tagName === tagName);
        return r ? toNode(r) : null;
      },
      releases: (args: any) => page(releases.map(toNode), args),
      issueOrPullRequest: ({ number }: { number: number }) =>
        issues[number] === 'Issue' ? { __typename: 'Issue', state: 'CLOSED' } : issues[number] === 'PullRequest' ? { __typename: 'PullRequest', state: 'MERGED' } : null,
    }),
  };
}

beforeAll(async () => {
  clean = buildClean();
  github = await startGitHubStandIn(root());
});
afterAll(async () => {
  await github.close();
  rmSync(dirname(clean.clone.dir), { recursive: true, force: true });
});
beforeEach(() => {
  releases = [
    { tagName: 'v0.6.3', isDraft: false, isPrerelease: false, assets: full },
    { tagName: 'v0.6.4', isDraft: false, isPrerelease: false, assets: full },
    { tagName: 'v0.6.5-preview', isDraft: false, isPrerelease: true, assets: full },
    { tagName: 'v0.6.5-preview.1', isDraft: false, isPrerelease: true, assets: full },
    { tagName: 'v0.6.6-preview', isDraft: false, isPrerelease: true, assets: full },
  ];
  issues = { 42: 'Issue' };
  github.faults = [];
  github.requests = [];
});

const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const result = await cliAsync([...args, '-C', clean.clone.dir, '-f', 'json'], {
    env: { GITHUB_REPOSITORY: 'example/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1', ...env },
  });
  expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  for (const request of github.requests) expect(request.problems).toEqual([]);
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
};

describe('release-lint release', () => {
  it('passes a complete release, and a recovery release whose issue exists', async () => {
    expect((await run(['release', 'v0.6.6-preview'])).code).toBe(0);
    const recovery = await run(['release', 'v0.6.5-preview.1']);
    expect(recovery.report.findings).toEqual([]);
    expect(github.requests.some((r) => r.query.includes('IssueOrPullRequest') && r.variables.number === 42)).toBe(true);
  });

  it('reports a missing release, a draft, missing assets, a wrong prerelease flag and a recovery issue that is a PR', async () => {
    releases = releases.filter((r) => r.tagName !== 'v0.6.4');
    releases[0] = { tagName: 'v0.6.3', isDraft: true, isPrerelease: true, assets: ['checksums.txt'] };
    issues = { 42: 'PullRequest' };
    const messages = async (tag: string) => (await run(['release', tag])).report.findings.map((f: any) => `${f.ruleId}: ${f.message}`);
    expect(await messages('v0.6.4')).toEqual(['release-published: v0.6.4 has no GitHub Release']);
    expect((await messages('v0.6.3')).sort()).toEqual([
      'release-assets: v0.6.3: its GitHub Release lacks sbom.json, package.sigstore',
      'release-prerelease-flag: v0.6.3: its GitHub Release is marked as a prerelease, but 0.6.3 is a stable version',
      'release-published: v0.6.3: its GitHub Release is still a draft',
    ]);
    expect(await messages('v0.6.5-preview.1')).toEqual(['recovery-issue-exists: v0.6.5-preview.1: recovery-issue #42 is a pull request, not an issue']);
    issues = {};
    expect(await messages('v0.6.5-preview.1')).toEqual(['recovery-issue-exists: v0.6.5-preview.1: recovery-issue #42 does not exist']);
  });

  it('refuses a tag that is not in the clone', async () => {
    const result = await run(['release', 'v9.9.9']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('release-lint: there is no tag v9.9.9 in this clone (git fetch --tags)');
  });
});

describe('check with GitHub', () => {
  it('pages through all releases and judges every tag', async () => {
    releases.push(...Array.from({ length: 150 }, (_, i) => ({ tagName: `other-${i}`, isDraft: false, isPrerelease: false, assets: full })));
    releases = releases.filter((r) => r.tagName !== 'v0.6.5-preview');
    const { report } = await run(['check']);
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.target.name}`)).toEqual(['release-published v0.6.5-preview']);
    expect(github.requests.filter((r) => r.query.includes('ReleasesPage')).map((r) => r.variables.after ?? null)).toEqual([null, '99']);
  });

  it('leaves the release rules out without a token, and is inconclusive without the permission', async () => {
    const offline = await run(['check'], { GITHUB_TOKEN: '' });
    expect(offline.report.findings).toEqual([]);
    expect(offline.report.inconclusive).toEqual([]);
    expect(github.requests).toEqual([]);
    github.faults = ['forbidden'];
    const { report, code } = await run(['check']);
    expect(code).toBe(1);
    expect(report.inconclusive.map((i: any) => [i.ruleId, i.reason])).toEqual([
      ['release-assets', 'the GitHub token lacks the contents: read permission (Resource not accessible by integration)'],
      ['release-prerelease-flag', 'the GitHub token lacks the contents: read permission (Resource not accessible by integration)'],
      ['release-published', 'the GitHub token lacks the contents: read permission (Resource not accessible by integration)'],
    ]);
  });
});
