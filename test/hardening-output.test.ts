/**
 * Issue 14, "Hardening, round 2": the attack cases on what release-lint prints and what it takes
 * from GitHub (defects 4, 8, 18 and 19), each named after its defect.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDemo } from '../fixtures/scenarios.js';
import { fingerprintOf, type Finding } from '../src/engine/evaluate.js';
import { renderGithub } from '../src/report/github.js';
import { renderHuman } from '../src/report/human.js';
import { renderJson } from '../src/report/json.js';
import { markdownBudgets, renderMarkdown } from '../src/report/markdown.js';
import { renderExplain, renderRuleTable } from '../src/docs/rule-docs.js';
import { renderSarif } from '../src/report/sarif.js';
import type { RuleInfo } from '../src/engine/rule-info.js';
import { summarize } from '../src/engine/summary.js';
import type { ReportInput } from '../src/report/types.js';
import { gitBackedGitHub } from './github-from-git.js';
import { page, startGitHubStandIn, type Fault } from './github-server.js';
import { attackerGit, cleanRepositoryForSuite, cli, cliAsync, tempDir } from './helpers.js';

/** The clean repository's origin, and fresh full clones of it to spoil. */
const { clean, origin, freshClone } = cleanRepositoryForSuite();
const git = attackerGit;

/** What no report but JSON may print raw: C0/C1 controls but tab and line feed, and the direction and line-separator marks. */
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Our own colours are the only escape sequences the human report may print. */
const withoutOwnColours = (text: string) => text.replace(/\u001b\[\d+m/g, '');

const ruleInfo = (id: string, title: string): RuleInfo => ({
  id,
  title,
  description: `${title}.`,
  fix: 'fix it',
  defaultSeverity: 'error',
  severity: 'error',
  tags: [],
  options: {},
  file: `rules/${id}.yml`,
  idLine: 1,
  builtIn: true,
});

/** A report about one branch and one version value, every piece of repository text `text`. */
function hostileInput(text: string): ReportInput {
  const branch = { kind: 'branch' as const, name: `release/${text}` };
  const tag = { kind: 'tag' as const, name: 'v1.0.0' };
  const finding = (ruleId: string, target: Finding['target'], message: string): Finding => ({
    ruleId,
    severity: 'error',
    message,
    target,
    location: { file: `deploy/${text}/Chart.yaml`, line: 3 },
    evidence: { value: text },
    fingerprint: fingerprintOf(ruleId, target),
    fix: `git push origin --delete release/${text}`,
  });
  const evaluation = {
    findings: [finding('release-branch-stale', branch, `release/${text} was released`), finding('metadata-version-match', tag, `v1.0.0: package.json says ${text}`)],
    inconclusive: [{ ruleId: 'release-published', target: tag, reason: `GitHub said: ${text}`, fix: `ask ${text}` }],
    suppressed: [],
    applied: ['release-branch-stale', 'metadata-version-match', 'release-published'],
  };
  return {
    tool: { name: 'release-lint', version: '0.0.0' },
    repository: `acme/${text}`,
    counts: { tags: 1, excludedTags: 0, branches: 1, rules: 3 },
    evaluation,
    summary: summarize(evaluation, { tags: [{ name: 'v1.0.0', timestamp: 1, published: true }] }),
    rules: [ruleInfo('release-branch-stale', `Stale ${text}`), ruleInfo('metadata-version-match', 'Versions match'), ruleInfo('release-published', 'Published')],
    anchor: (f) => ({ file: f.location?.file ?? '.releasepolicyrc.yml', line: 3 }),
  };
}

/** Texts an attacker puts in a branch name or a version value: terminal escapes, hyperlinks, direction marks, anything. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('\u001b', '\u0007', '\u009b', '\u202e', '\u2066', '\u2028', '\r', '\n', ']8;;', '[2J', '%', ':', ',', '|', '<', 'a') }),
  fc.constant('1.0.0\u001b]8;;https://evil.invalid\u0007click\u001b]8;;\u0007 \u202eevil\u202c \u009b31m'),
);

describe('4. every output format escapes control and direction characters', () => {
  it('holds for every text, in every format (property)', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const input = hostileInput(text);
        for (const color of [false, true]) expect(withoutOwnColours(renderHuman(input, { color }))).not.toMatch(unsafe);
        for (const budget of [markdownBudgets.jobSummary, markdownBudgets.comment]) {
          const markdown = renderMarkdown(input, { budget });
          expect(markdown).not.toMatch(unsafe);
          expect(markdown).not.toMatch(/<(?!!--)/);
        }
        const annotations = renderGithub(input);
        expect(annotations).not.toMatch(unsafe);
        // Each workflow command stays one line that we started: data cannot start a command of its own.
        for (const line of annotations.trimEnd().split('\n')) expect(line).toMatch(/^(::(error|warning|notice) |release-lint: )/);
        const sarif = renderSarif(input, { start: new Date(0), end: new Date(0) });
        expect(sarif).not.toMatch(unsafe);
        const run = JSON.parse(sarif).runs[0];
        for (const result of run.results) expect(result.message.text).not.toMatch(unsafe);
        // JSON keeps the text exact, unsafe characters written as JSON escapes.
        const jsonText = renderJson(input);
        expect(jsonText).not.toMatch(unsafe);
        const json = JSON.parse(jsonText);
        expect(json.findings[0].target.name).toBe(`release/${text}`);
        expect(json.findings[1].message).toBe(`v1.0.0: package.json says ${text}`);
        expect(json.inconclusive[0].reason).toBe(`GitHub said: ${text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('holds for release-lint rules and explain, which print a policy\'s rule files', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const rule = { ...ruleInfo('hostile-rule', `Title ${text}`), description: `Line one\n${text}`, rationale: text, fix: `fix ${text}`, file: `rules/${text}.yml`, builtIn: false, examples: { valid: [text], invalid: [text] } };
        expect(renderRuleTable([rule])).not.toMatch(unsafe);
        expect(renderExplain(rule)).not.toMatch(unsafe);
      }),
      { numRuns: 200 },
    );
  });

  it('holds for a real repository: a version value and a branch name with ESC, BEL, OSC 8 and U+202E', () => {
    const dir = freshClone('escapes');
    const hostile = '0.7.0\u001b]8;;https://evil.invalid\u0007click\u001b]8;;\u0007\u202eevil';
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: hostile }, null, 2) + '\n');
    git(dir, 'commit', '-qam', 'chore(main): release 0.7.0');
    git(dir, 'tag', '-a', 'v0.7.0', '-m', 'Release v0.7.0');
    // git refuses control characters in ref names, not C1 controls or direction marks.
    const branch = 'release/0.6.9\u202e\u0085evil';
    git(dir, 'update-ref', `refs/remotes/origin/${branch}`, 'HEAD~1');
    const sarifFile = join(tempDir(), 'r.sarif');
    const outputs: Record<string, string> = {};
    for (const format of ['human', 'github', 'markdown', 'markdown-comment', 'json']) outputs[format] = cli(['-C', dir, '-f', format, '--all']).stdout;
    expect(cli(['-C', dir, '-f', `sarif=${sarifFile}`]).code).toBe(1);
    outputs.sarif = readFileSync(sarifFile, 'utf8');
    const json = JSON.parse(outputs.json);
    const quoted = json.findings.filter((f: Finding) => f.message.includes(hostile) || f.message.includes(branch));
    expect(quoted.length).toBeGreaterThan(0);
    for (const format of ['human', 'github', 'markdown', 'markdown-comment', 'sarif', 'json']) {
      expect(withoutOwnColours(outputs[format]), format).not.toMatch(unsafe);
      expect(outputs[format], format).toMatch(/\\u202e/);
    }
    expect(outputs.github).toMatch(/0\.7\.0\\u001b\]8;;https%3A\/\/evil\.invalid\\u0007click|0\.7\.0\\u001b]8;;https:\/\/evil\.invalid\\u0007click/);
  });
});

describe('8. duplicate JSON keys are read as npm reads them: the last one counts', () => {
  it('judges the version npm would publish, not the first key that matches the tag', () => {
    const dir = freshClone('duplicates');
    // The attack: a first "version" key that matches the tag for the gate, and a last one that npm publishes.
    const text = readFileSync(join(dir, 'package.json'), 'utf8').replace(/"version": "[^"]*"/, '"version": "0.7.0",\n  "version": "6.6.6"');
    writeFileSync(join(dir, 'package.json'), text);
    expect(JSON.parse(text).version).toBe('6.6.6');
    git(dir, 'commit', '-qam', 'chore(main): release 0.7.0');
    git(dir, 'tag', '-a', 'v0.7.0', '-m', 'Release v0.7.0');
    const result = cli(['-C', dir, '-f', 'json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings.filter((f: Finding) => f.ruleId === 'metadata-version-match' && f.target.name === 'package.json#/version');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('6.6.6');
    // The finding points at the key npm reads.
    expect(findings[0].location).toMatchObject({ file: 'package.json', line: text.split('\n').findIndex((l) => l.includes('6.6.6')) + 1 });
  });
});

/** Whether any run of 8 characters of the token shows in the text, in any case. */
function leaks(text: string, token: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (let i = 0; i + 8 <= token.length; i++) if (lower.includes(token.slice(i, i + 8).toLowerCase())) found.push(token.slice(i, i + 8));
  return found;
}

/** Answers for `check` with a token: no releases, no issues. */
const quietGitHub = () => ({
  rateLimit: () => ({ cost: 1, remaining: 4000, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
  repository: () => ({
    release: () => null,
    releases: (args: any) => page([], args),
    issueOrPullRequest: () => null,
  }),
});

describe('18. the token is redacted in any case and cut, in every message and report', () => {
  const token = 'ghp_Zq8xT4mW9kLr2Vn7Bc5Hd1Jf6Gs3Py0QaE';

  it('leaves no run of the token in an inconclusive reason, in any format, nor in an exit-2 message', async () => {
    const github = await startGitHubStandIn(quietGitHub());
    const dir = freshClone('token');
    const env = { GITHUB_REPOSITORY: 'acme/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1' };
    // A server (or a proxy in front of it) that quotes the credentials it was sent: upper-cased, cut, cut by a line break.
    const echo: Fault = { status: 200, body: { data: null, errors: [{ message: `Bad credentials ${token.toUpperCase()}; saw ${token.slice(0, -1)} and ${token.slice(6, 22)}` }] } };
    const cutByLine: Fault = { status: 422, body: { message: `token ${token.slice(0, 20)}\n${token.slice(20)} refused` } };
    try {
      const sarifFile = join(tempDir(), 'r.sarif');
      for (const format of ['human', 'json', 'github', 'markdown', `sarif=${sarifFile}`]) {
        for (const faults of [[echo], [cutByLine, cutByLine, cutByLine]]) {
          github.faults = [...faults];
          const result = await cliAsync(['-C', dir, '-f', format], { env });
          const output = result.stdout + result.stderr + (format.startsWith('sarif') ? readFileSync(sarifFile, 'utf8') : '');
          expect(result.code, output).toBe(1);
          // The reason is still told, without the token.
          // SARIF lists findings only, not inconclusive rules.
          if (!format.startsWith('sarif')) expect(output.replace(/\\/g, ''), format).toMatch(faults.length === 1 ? /Bad credentials \*\*\*; saw \*\*\* and \*\*\*/ : /HTTP 422: token \*\*\*/);
          expect(leaks(output, token), format).toEqual([]);
        }
      }
      // The one-line message of a run GitHub stops.
      github.faults = [echo];
      const stopped = await cliAsync(['check', '--remote', 'acme/aegis'], { cwd: tempDir(), env });
      expect(stopped.code).toBe(2);
      expect(stopped.stderr).toMatch(/^release-lint: GitHub answered with errors: Bad credentials \*\*\*/);
      expect(leaks(stopped.stdout + stopped.stderr, token)).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('redacts runs of 8 or more characters of the token, in any case, and leaves shorter ones and other text alone', () => {
    const saved = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = token;
    try {
      const input = hostileInput(`${token.toLowerCase()} ${token.slice(10, 18)} ${token.slice(10, 17)} ghp_ and github`);
      for (const text of [renderHuman(input, { color: false, quiet: false }), renderMarkdown(input), renderGithub(input), renderJson(input), renderSarif(input)]) {
        expect(leaks(text, token)).toEqual([]);
        // Markdown escapes the asterisks and underscores.
        expect(text.replace(/\\/g, '')).toContain(`*** *** ${token.slice(10, 17)} ghp_ and github`);
      }
      expect(JSON.parse(renderJson(input)).findings[0].target.name).toBe(`release/*** *** ${token.slice(10, 17)} ghp_ and github`);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = saved;
    }
  });
});

describe('19. a GitHub answer has a size cap, and a timeout or a cut-off answer is not called HTTP 500', () => {
  const token = 'ghs_size_cap_token_4711';

  it('makes the rules that need an answer over the cap inconclusive ("answer too large"), without retrying it; tells timeouts, cut-off answers and HTTP 500 apart', async () => {
    const github = await startGitHubStandIn(quietGitHub());
    const dir = freshClone('answers');
    const env = { GITHUB_REPOSITORY: 'acme/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1', RELEASE_LINT_GITHUB_TIMEOUT_MS: '500' };
    const releaseRules = ['release-assets', 'release-prerelease-flag', 'release-published'];
    const reasons = async (faults: Fault[]) => {
      github.faults = faults;
      github.requests = [];
      const result = await cliAsync(['-C', dir, '-f', 'json'], { env });
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout);
      const items = report.inconclusive.filter((i: { ruleId: string }) => releaseRules.includes(i.ruleId));
      expect(items.map((i: { ruleId: string }) => i.ruleId).sort()).toEqual(releaseRules);
      return [...new Set(items.map((i: { reason: string }) => i.reason))];
    };
    try {
      expect(await reasons(['too-large'])).toEqual([
        "answer too large: GitHub sent more than 8 MiB for one GraphQL request, release-lint's cap for GraphQL answers",
      ]);
      // Asked once (the same answer would come again), and read no further than the cap.
      expect(github.requests.filter((r) => r.query.includes('ReleasesPage'))).toHaveLength(1);
      expect(github.tooLargeSent).toBeLessThan(256 * 1024 * 1024);
      expect(await reasons(['no-answer', 'no-answer', 'no-answer'])).toEqual(['GitHub did not answer after 3 attempts (no answer within 0.5 s)']);
      expect(await reasons(['cut-off', 'cut-off', 'cut-off'])).toEqual([expect.stringMatching(/^GitHub did not answer after 3 attempts \(the answer was cut off after \d+ bytes\)$/)]);
      const serverError: Fault = { status: 500, body: { message: 'Server Error' } };
      expect(await reasons([serverError, serverError, serverError])).toEqual(['GitHub did not answer after 3 attempts (HTTP 500)']);
    } finally {
      await github.close();
    }
  });

  it('caps REST answers (commit patches) too: hotfix-backport is inconclusive, not passed', async () => {
    const demo = buildDemo();
    const origin = join(dirname(demo.clone.dir), 'origin.git');
    const backed = gitBackedGitHub(origin);
    const github = await startGitHubStandIn({
      rateLimit: () => ({ cost: 1, remaining: 4000, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
      repository: () => backed.repository({ releases: (args: any) => page([], args), issueOrPullRequest: () => null }),
    });
    github.rest = () => 'too-large';
    try {
      const result = await cliAsync(['check', '--remote', 'acme/aegis', '-f', 'json'], {
        cwd: tempDir(),
        env: { GITHUB_REPOSITORY: 'acme/aegis', GITHUB_TOKEN: token, GITHUB_GRAPHQL_URL: github.url, RELEASE_LINT_GITHUB_BACKOFF_MS: '1' },
      });
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('hotfix-backport');
      expect(report.inconclusive).toEqual([
        expect.objectContaining({ ruleId: 'hotfix-backport', reason: "answer too large: GitHub sent more than 64 MiB for one REST request, release-lint's cap for REST answers" }),
      ]);
      expect(github.restRequests).toHaveLength(1);
    } finally {
      await github.close();
      rmSync(dirname(demo.clone.dir), { recursive: true, force: true });
    }
  });
});
