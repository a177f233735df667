import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClean, buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { gitBackedGitHub } from './github-from-git.js';
import { startGitHubStandIn, type GitHubStandIn } from './github-server.js';
import { cliAsync, tempDir } from './helpers.js';

const token = 'ghs_remote_mode_SECRET_7';
let demo: Scenario;
let clean: Scenario;
let elsewhere: string;

/** A stand-in serving `origin.git` of a scenario as GitHub would, and a fresh clone of the same origin. */
async function serve(scenario: Scenario): Promise<{ github: GitHubStandIn; clone: string }> {
  const origin = join(dirname(scenario.clone.dir), 'origin.git');
  const backed = gitBackedGitHub(origin);
  const github = await startGitHubStandIn({
    rateLimit: () => ({ cost: 1, remaining: 4000, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
    repository: () =>
      backed.repository({
        releases: () => ({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }),
        issueOrPullRequest: ({ number }: { number: number }) => (number === 42 ? { __typename: 'Issue', state: 'CLOSED' } : null),
      }),
  });
  github.rest = backed.rest;
  // A clone as CI makes it: every branch as origin/*, every tag, nothing local but main.
  const clone = join(dirname(scenario.clone.dir), 'fresh', 'aegis');
  if (!existsSync(clone)) {
    mkdirSync(dirname(clone), { recursive: true });
    execFileSync('git', ['clone', '-q', '--no-local', origin, clone]);
  }
  return { github, clone };
}

const env = (github: GitHubStandIn) => ({ GITHUB_REPOSITORY: 'acme/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1' });

async function lint(github: GitHubStandIn, args: string[], cwd: string) {
  const result = await cliAsync([...args, '-f', 'json'], { cwd, env: env(github) });
  expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  for (const request of github.requests) expect(request.problems).toEqual([]);
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
}

beforeAll(() => {
  demo = buildDemo();
  clean = buildClean();
  elsewhere = tempDir();
});
afterAll(() => {
  for (const s of [demo, clean]) rmSync(dirname(s.clone.dir), { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('check --remote (GitHub alone, no clone)', () => {
  it('gives the same findings as check on a clone of the same repository', async () => {
    const { github, clone } = await serve(demo);
    try {
      const local = await lint(github, ['check', '-C', clone], elsewhere);
      github.requests = [];
      const remote = await lint(github, ['check', '--remote', 'acme/aegis'], elsewhere);
      expect(remote.stderr).toBe('');
      expect(remote.code).toBe(1);
      expect(remote.report.findings).toEqual(local.report.findings);
      expect(remote.report.inconclusive).toEqual(local.report.inconclusive);
      expect(remote.report.summary).toEqual(local.report.summary);
      // Every rule that needs git history or files fired, hotfix-backport through REST patches.
      const rules = new Set(remote.report.findings.map((f: { ruleId: string }) => f.ruleId));
      for (const rule of ['tag-reachable', 'tag-annotated', 'metadata-version-match', 'changelog-baseline', 'manifest-baseline', 'hotfix-backport', 'workflow-release-please-cli', 'release-branch-stale', 'release-published']) {
        expect(rules).toContain(rule);
      }
      expect(remote.report.inconclusive).toEqual([]);
      // GraphQL did the work, and only commit patches went through REST.
      expect(github.requests.length).toBeGreaterThan(3);
      expect(github.restRequests.map((r) => r.path).every((p) => /^\/repos\/acme\/aegis\/commits\/[0-9a-f]{40}\?per_page=100&page=1$/.test(p))).toBe(true);
      expect(github.restRequests.every((r) => r.authorization === `bearer ${token}`)).toBe(true);
    } finally {
      await github.close();
    }
  });

  it('passes the repository that follows the policy, as a clone does', async () => {
    const { github, clone } = await serve(clean);
    try {
      const local = await lint(github, ['check', '-C', clone], elsewhere);
      const remote = await lint(github, ['check', '--remote', 'acme/aegis'], elsewhere);
      expect(remote.report.findings).toEqual(local.report.findings);
      // The clean history has no GitHub Releases in this stand-in: only release-published fires.
      expect(new Set(remote.report.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['release-published']));
      expect(remote.report.inconclusive).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('tells a cherry-picked removal from a missing one, as git cherry does', async () => {
    const scenario = buildClean();
    const { seed } = scenario;
    const origin = join(dirname(scenario.clone.dir), 'origin.git');
    // Commits that only remove lines: only patch equivalence can show they were backported.
    seed.checkout('main');
    seed.commit('fix: drop the answer', { 'src/index.ts': '' });
    seed.checkout('develop');
    seed.git('cherry-pick', '-x', 'main');
    seed.checkout('main');
    seed.commit('fix: drop the stream flag', { 'src/api.ts': 'export const closeOnError = true;\n' });
    seed.git('push', '-q', origin, 'main', 'develop');
    const { github, clone } = await serve(scenario);
    try {
      const local = await lint(github, ['check', '-C', clone, '--rule', 'release-published=off'], elsewhere);
      const remote = await lint(github, ['check', '--remote', 'acme/aegis', '--rule', 'release-published=off'], elsewhere);
      const hotfixes = (r: typeof local) => r.report.findings.filter((f: { ruleId: string }) => f.ruleId === 'hotfix-backport').map((f: { message: string }) => f.message.replace(/^[0-9a-f]{12} /, ''));
      expect(hotfixes(local)).toEqual(['"fix: drop the stream flag" is on main but not on develop: it only removes lines, and develop has no patch-equivalent commit']);
      expect(remote.report.findings).toEqual(local.report.findings);
    } finally {
      await github.close();
      rmSync(dirname(scenario.clone.dir), { recursive: true, force: true });
    }
  });

  it('reports hotfix-backport inconclusive, not passed, when GitHub will not give the patches', async () => {
    const { github } = await serve(demo);
    github.rest = () => ({ status: 502, body: { message: 'Bad Gateway' } });
    try {
      const remote = await lint(github, ['check', '--remote', 'acme/aegis'], elsewhere);
      expect(remote.code).toBe(1);
      expect(remote.report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('hotfix-backport');
      expect(remote.report.inconclusive).toEqual([
        expect.objectContaining({ ruleId: 'hotfix-backport', reason: expect.stringMatching(/^GitHub did not answer after 3 attempts \(HTTP 502\)/) }),
      ]);
      expect(github.restRequests).toHaveLength(3);
    } finally {
      await github.close();
    }
  });

  it('snapshot --remote describes the same refs as the clone', async () => {
    const { github, clone } = await serve(demo);
    try {
      const local = JSON.parse((await cliAsync(['snapshot', '-C', clone, '--offline'], { cwd: elsewhere })).stdout);
      const remote = JSON.parse((await cliAsync(['snapshot', '--remote', 'acme/aegis'], { cwd: elsewhere, env: env(github) })).stdout);
      const tagFacts = (s: { tags: Array<Record<string, unknown>> }) => s.tags.map(({ name, annotated, object, commit, message, tagger, reachable, timestamp }) => ({ name, annotated, object, commit, message, tagger, reachable, timestamp }));
      expect(tagFacts(remote)).toEqual(tagFacts(local));
      expect(remote.branches.map((b: { name: string; head: string; tree: string }) => [b.name, b.head, b.tree])).toEqual(
        local.branches.filter((b: { remote: boolean }) => b.remote).map((b: { name: string; head: string; tree: string }) => [b.name, b.head, b.tree]),
      );
      expect(remote.versionSources).toEqual(local.versionSources);
      expect(remote.productionOnlyCommits).toEqual(local.productionOnlyCommits);
    } finally {
      await github.close();
    }
  });

  it('refuses bad use with one line and exit 2', async () => {
    const github = await startGitHubStandIn({});
    try {
      const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
        [['check', '--remote', 'acme'], env(github), /--remote expects owner\/name, got "acme"/],
        [['check', '--remote', 'acme/aegis'], { ...env(github), GITHUB_TOKEN: '', GH_TOKEN: '' }, /--remote needs a GitHub token/],
        [['check', '--remote', 'acme/aegis', '--offline'], env(github), /cannot run with --offline/],
        [['tag', 'v1.0.0', '--remote', 'acme/aegis'], env(github), /--remote works with check and snapshot, not tag/],
      ];
      for (const [args, environment, message] of cases) {
        const result = await cliAsync(args, { cwd: elsewhere, env: environment });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
      github.faults = ['unauthorized'];
      const rejected = await cliAsync(['check', '--remote', 'acme/aegis'], { cwd: elsewhere, env: env(github) });
      expect(rejected.code).toBe(2);
      expect(rejected.stderr).toMatch(/GitHub rejected the token/);
      expect(rejected.stderr).not.toContain(token);
    } finally {
      await github.close();
    }
  });
});
