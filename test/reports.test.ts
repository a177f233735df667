import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../fixtures/git-fixture.js';
import { buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { escapeData, escapeProperty } from '../src/report/github.js';
import { builtInRuleDocs, loadDefaultConfig } from '../src/docs/rule-docs-set.js';
import { cli, tempDir } from './helpers.js';

const root = join(__dirname, '..');
const require = createRequire(import.meta.url);
let demo: Scenario;
let sarifText: string;
let sarif: any;

beforeAll(() => {
  demo = buildDemo();
  const file = join(tempDir(), 'demo.sarif');
  const result = cli(['-C', demo.clone.dir, '-f', `sarif=${file}`]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(1);
  sarifText = readFileSync(file, 'utf8');
  sarif = JSON.parse(sarifText);
});
afterAll(() => rmSync(dirname(demo.clone.dir), { recursive: true, force: true }));

/** What GitHub code scanning needs to ingest a file and keep alerts stable. */
function githubIngestionProblems(log: any, repo: string): string[] {
  const problems: string[] = [];
  if (log.version !== '2.1.0' || !/sarif-2\.1\.0/.test(log.$schema)) problems.push('version/$schema');
  if (log.runs.length !== 1) problems.push('one run per upload');
  const run = log.runs[0];
  if (!run.automationDetails?.id) problems.push('automationDetails.id');
  const ids = run.tool.driver.rules.map((r: any) => r.id);
  for (const rule of run.tool.driver.rules) {
    for (const field of ['shortDescription', 'fullDescription', 'help']) if (!rule[field]?.text) problems.push(`${rule.id}: ${field}.text`);
    if (!rule.help?.markdown) problems.push(`${rule.id}: help.markdown`);
    if (rule.name === rule.id) problems.push(`${rule.id}: name equals id`);
  }
  const fingerprints = new Set<string>();
  for (const [i, result] of run.results.entries()) {
    const where = `results[${i}] ${result.ruleId}`;
    if (ids[result.ruleIndex] !== result.ruleId) problems.push(`${where}: ruleIndex`);
    if (!result.message?.text) problems.push(`${where}: message.text`);
    if (!Array.isArray(result.locations) || result.locations.length !== 1) {
      problems.push(`${where}: exactly one location`);
      continue;
    }
    const physical = result.locations[0].physicalLocation;
    const uri = physical?.artifactLocation?.uri;
    if (typeof uri !== 'string' || !uri || /^[a-z]+:/i.test(uri) || uri.startsWith('/') || uri.startsWith('..')) problems.push(`${where}: relative uri`);
    const file = join(repo, decodeURI(uri ?? ''));
    if (!existsSync(file)) problems.push(`${where}: ${uri} does not exist`);
    else if (!(physical.region?.startLine >= 1 && physical.region.startLine <= readFileSync(file, 'utf8').split('\n').length)) problems.push(`${where}: startLine within ${uri}`);
    const fingerprint = result.partialFingerprints?.primaryLocationLineHash;
    if (!fingerprint || fingerprints.has(fingerprint)) problems.push(`${where}: unique fingerprint`);
    fingerprints.add(fingerprint);
  }
  return problems;
}

describe('SARIF for code scanning', () => {
  it('lists every rule, with results for every built-in rule of the demo', () => {
    const run = sarif.runs[0];
    // Every loaded rule, also the pull request rules that do not apply to a check.
    expect(run.tool.driver.rules.map((r: any) => r.id)).toHaveLength(26);
    expect(new Set(run.results.map((r: any) => r.ruleId)).size).toBe(16);
    expect(run.automationDetails).toEqual({ id: 'release-lint/check/' });
    const tagResult = run.results.find((r: any) => r.ruleId === 'tag-annotated');
    expect(tagResult.locations[0]).toMatchObject({
      physicalLocation: { artifactLocation: { uri: '.releasepolicyrc.yml' }, region: { startLine: 10 } },
      logicalLocations: [{ name: 'v0.6.4', kind: 'tag', fullyQualifiedName: 'tag:v0.6.4' }],
    });
    expect(tagResult.message.text).toMatch(/^v0\.6\.4 is a lightweight tag; release tags must be annotated\.\n\nFix: v0\.6\.4 is already public: do not recreate it/);
  });

  it('is valid against the SARIF 2.1.0 schema (ajv)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
  });

  it('meets what GitHub code scanning ingests', () => {
    expect(githubIngestionProblems(sarif, demo.clone.dir)).toEqual([]);
  });

  it("passes Microsoft's SARIF Multitool with the GitHub rules on: no errors, no warnings", () => {
    const tool = join(root, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
    expect(existsSync(tool)).toBe(true);
    const dir = tempDir();
    const input = join(dir, 'demo.sarif');
    writeFileSync(input, sarifText);
    const output = join(dir, 'validation.sarif');
    const run = spawnSync(tool, ['validate', input, '--config', join(__dirname, 'data', 'sarif-github-rules.xml'), '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--output', output, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    expect(run.error).toBeUndefined();
    // The Multitool exits 0 even when it finds errors: read its report.
    const report = JSON.parse(readFileSync(output, 'utf8'));
    const serious = (report.runs[0].results ?? []).filter((r: any) => r.level === 'error' || r.level === 'warning').map((r: any) => `${r.ruleId} ${r.level}`);
    expect(serious).toEqual([]);
    // Negative control: with the same configuration, a result without locations is an error (GH1001 is on).
    const broken = JSON.parse(sarifText);
    broken.runs[0].results[0].locations = [];
    writeFileSync(input, JSON.stringify(broken));
    spawnSync(tool, ['validate', input, '--config', join(__dirname, 'data', 'sarif-github-rules.xml'), '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
    const control = JSON.parse(readFileSync(output, 'utf8'));
    expect((control.runs[0].results ?? []).filter((r: any) => r.level === 'error').map((r: any) => r.ruleId)).toContain('GH1001');
  }, 120_000);

  it('is identical for identical input apart from the invocation times', () => {
    const file = join(tempDir(), 'again.sarif');
    cli(['-C', demo.clone.dir, '-f', `sarif=${file}`]);
    const again = JSON.parse(readFileSync(file, 'utf8'));
    const withoutTimes = (log: any) => ({ ...log, runs: log.runs.map((r: any) => ({ ...r, invocations: [] })) });
    expect(withoutTimes(again)).toEqual(withoutTimes(sarif));
  });

  it('keeps fingerprints when unrelated lines of the config and the CHANGELOG move', () => {
    const moved = join(tempDir(), 'moved');
    execFileSync('git', ['clone', '-q', '--no-local', join(dirname(demo.clone.dir), 'origin.git'), moved]);
    const repo = new GitFixture(moved);
    repo.git('branch', '-q', '--track', 'develop', 'origin/develop');
    repo.git('branch', '-q', '--track', 'release/0.8.0-preview', 'origin/release/0.8.0-preview');
    repo.tag('v0.6.3', { message: 'Release v0.6.3 (re-tagged)', at: 'v0.6.3^{commit}' });
    const config = join(moved, '.releasepolicyrc.yml');
    writeFileSync(config, `# Release policy of the Aegis project.\n# Owners: release managers.\n\n${readFileSync(config, 'utf8')}`);
    const changelog = join(moved, 'CHANGELOG.md');
    writeFileSync(changelog, readFileSync(changelog, 'utf8').replace('# Changelog\n', '# Changelog\n\nAll notable changes are listed here.\n\n'));
    repo.commit('docs: explain the policy and the changelog');
    repo.git('push', '-q', 'origin', 'HEAD:main');
    const file = join(tempDir(), 'moved.sarif');
    cli(['-C', moved, '-f', `sarif=${file}`]);
    const after = JSON.parse(readFileSync(file, 'utf8'));
    const prints = (log: any) => Object.fromEntries(log.runs[0].results.map((r: any) => [`${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`, r.partialFingerprints.primaryLocationLineHash]));
    const before = prints(sarif);
    const now = prints(after);
    const common = Object.keys(before).filter((k) => k in now);
    expect(common.length).toBeGreaterThanOrEqual(14);
    for (const key of common) expect(now[key], key).toBe(before[key]);
    // The anchors did move with the lines.
    const anchored = (log: any) => log.runs[0].results.find((r: any) => r.ruleId === 'tag-annotated').locations[0].physicalLocation.region.startLine;
    expect(anchored(after)).toBe(anchored(sarif) + 3);
  });

  it('refuses to write SARIF when a finding has no file in the repository to anchor to', () => {
    const result = cli(['-C', demo.clone.dir, '-c', join(demo.clone.dir, '.releasepolicyrc.yml'), '--snapshot', '/nonexistent.json', '-f', 'sarif']);
    expect(result.code).toBe(2);
    const outside = join(tempDir(), 'policy.yml');
    writeFileSync(outside, readFileSync(join(demo.clone.dir, '.releasepolicyrc.yml'), 'utf8'));
    rmSync(join(demo.clone.dir, '.releasepolicyrc.yml'));
    try {
      const refused = cli(['-C', demo.clone.dir, '-c', outside, '-f', 'sarif', '-o', join(tempDir(), 'x.sarif')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toMatch(/^release-lint: SARIF needs a file in the repository to anchor [a-z-]+ findings about [a-z-]+s; commit a config file/);
    } finally {
      demo.clone.git('checkout', '--', '.releasepolicyrc.yml');
    }
  });
});

describe("GitHub's upload limits", () => {
  const input = (findings: any[]) => ({
    tool: { name: 'release-lint', version: '0.0.0' },
    repository: 'r',
    counts: { tags: 0, branches: 0, rules: 1 },
    evaluation: { findings, inconclusive: [], suppressed: [] },
    summary: { errors: findings.length, warnings: 0, notes: 0, inconclusive: 0, suppressed: 0 },
    rules: [{ id: 'x-rule', title: 't', description: 'd', fix: 'f', defaultSeverity: 'error' as const, severity: 'error' as const, tags: [], options: {}, file: 'r.yml', idLine: 1, builtIn: false }],
    anchor: () => ({ file: 'README.md', line: 1 }),
  });
  const finding = (i: number, message: string) => ({
    ruleId: 'x-rule',
    severity: 'error' as const,
    message,
    target: { kind: 'tag' as const, name: `v${i}` },
    location: null,
    evidence: {},
    fingerprint: i.toString(16).padStart(16, '0'),
    fix: 'f',
  });
  it('refuses more than 25,000 results and more than 10 MB gzipped', async () => {
    const { renderSarif } = await import('../src/report/sarif.js');
    const many = Array.from({ length: 25_001 }, (_, i) => finding(i, 'm'));
    expect(() => renderSarif(input(many))).toThrow(/^25001 results exceed GitHub code scanning's limit of 25,000 per upload/);
    expect(() => renderSarif(input(many.slice(0, 25_000)))).not.toThrow();
    const { randomBytes } = await import('node:crypto');
    const large = Array.from({ length: 16_000 }, (_, i) => finding(i, randomBytes(1000).toString('base64')));
    expect(() => renderSarif(input(large))).toThrow(/^the SARIF file is \d+\.\d MB gzipped, over GitHub code scanning's 10 MB upload limit/);
  });
});

describe('the GitHub Action', () => {
  it('declares its inputs and uploads SARIF before failing the job', async () => {
    const { parse } = await import('yaml');
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
    expect(Object.keys(action.inputs)).toEqual(['command', 'config', 'format', 'fail-on', 'sarif', 'upload-sarif', 'upload-inconclusive', 'category', 'step-summary', 'allow-js-config', 'args']);
    const steps = action.runs.steps.map((s: any) => s.uses ?? s.name);
    expect(steps).toEqual([
      'Find Node.js for release-lint',
      'actions/setup-node@v4',
      'Run release-lint',
      'Skip the upload on a fork\'s pull request',
      'github/codeql-action/upload-sarif@v4',
      'Report a failed upload',
      'Fail on findings',
    ]);
    const upload = action.runs.steps.find((s: any) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload.if).toContain('always()');
    expect(action.runs.steps.at(-1).name).toBe('Fail on findings');
  });

  it('runs release-lint with the inputs, writes SARIF, the summary and the exit code', () => {
    const dir = tempDir();
    const env = {
      ...process.env,
      GITHUB_ACTION_PATH: root,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      INPUT_COMMAND: 'check',
      INPUT_FORMAT: 'github',
      INPUT_FAIL_ON: 'error',
      INPUT_SARIF: join(dir, 'results.sarif'),
      INPUT_STEP_SUMMARY: 'true',
      INPUT_ARGS: '--rule release-branch-stale=off',
    };
    writeFileSync(env.GITHUB_STEP_SUMMARY, '# earlier step\n');
    const run = spawnSync('bash', [join(root, 'action', 'run.sh')], { cwd: demo.clone.dir, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^::error file=/m);
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=1\nupload=true\n');
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toMatch(/^# earlier step\n## release-lint\n/);
    expect(JSON.parse(readFileSync(env.INPUT_SARIF, 'utf8')).runs[0].results).toHaveLength(15);
    writeFileSync(env.GITHUB_OUTPUT, '');
    spawnSync('bash', [join(root, 'action', 'run.sh')], { cwd: demo.clone.dir, env: { ...env, INPUT_FAIL_ON: 'never' }, encoding: 'utf8' });
    expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe('exit-code=0\nupload=true\n');
  });
});

describe('GitHub annotations', () => {
  it('escape %, line breaks and :: from repository data', () => {
    expect(escapeData('100% done\r\nnext::line')).toBe('100%25 done%0D%0Anext::line');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('come out escaped for a hostile tag message, at most ten per severity, with a summary', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'tag-message-echo.yml'),
      "id: tag-message-echo\ntitle: Echo\ndescription: Shows the tag message.\nseverity: warning\ngiven: tags\nwhen: tag.annotated\nassert:\n  - that: 'false'\n    message: \"${tag.name}: ${tag.message}\"\nfix: nothing\n",
    );
    const policy = join(dir, 'policy.yml');
    writeFileSync(policy, `${readFileSync(join(demo.clone.dir, '.releasepolicyrc.yml'), 'utf8')}rulesDirs: [rules]\n`);
    const repo = new GitFixture(join(tempDir(), 'hostile'));
    execFileSync('git', ['clone', '-q', '--no-local', join(dirname(demo.clone.dir), 'origin.git'), repo.dir]);
    repo.tag('v0.9.0', { message: ['Release 100% done', '::error file=x::pwned\nsecond line'], at: 'origin/main' });
    const out = cli(['-C', repo.dir, '-c', policy, '-f', 'github']).stdout.split('\n');
    const line = out.find((l) => l.startsWith('::warning') && l.includes('v0.9.0'))!;
    expect(line).toBe('::warning title=release-lint tag-message-echo::v0.9.0: Release 100%25 done%0A%0A::error file=x::pwned%0Asecond line%0AFix: nothing');
    expect(out.every((l) => !l.startsWith('::error file=x'))).toBe(true);
    const errors = out.filter((l) => l.startsWith('::error'));
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(out.filter((l) => l.length > 0).at(-1)).toMatch(/^release-lint: \d+ errors, \d+ warnings, 0 notes, 0 inconclusive/);
  });

  it('point at files where they can', () => {
    const out = cli(['-C', demo.clone.dir, '-f', 'github']).stdout;
    expect(out).toContain('::error file=deploy/helm/aegis/Chart.yaml,line=4,title=release-lint metadata-version-match::v0.6.6-preview%3A'.replace('%3A', ':'));
    expect(out).toMatch(/^::warning file=\.releasepolicyrc\.yml,line=8,title=release-lint release-branch-stale::release\/0\.6\.6-preview was released/m);
  });
});

describe('markdown and several formats at once', () => {
  it('writes human to stdout and SARIF and markdown to files in one run', () => {
    const dir = tempDir();
    const result = cli(['-C', demo.clone.dir, '-f', 'human', '-f', 'markdown=' + join(dir, 'summary.md'), '-f', `markdown-comment=${join(dir, 'comment.md')}`, '-f', 'sarif', '-o', join(dir, 'r.sarif')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✖ 16 problems');
    expect(JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')).runs[0].results).toHaveLength(16);
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(markdown).toMatch(/^## release-lint\n\n❌ `aegis`: \*\*15 errors\*\*, 1 warning, /);
    expect(markdown).toContain('### ❌ `tag-annotated` · 1 finding · Release tags are annotated\n\n**Fix**: ');
    expect(markdown).toContain('| tag v0.6.4 | v0.6.4 is a lightweight tag; release tags must be annotated |');
    // 16 findings fit both budgets: the comment is the same text.
    expect(readFileSync(join(dir, 'comment.md'), 'utf8')).toBe(markdown);
    expect(cli(['-C', demo.clone.dir, '-f', 'json', '-f', 'sarif']).stderr.trim()).toBe(
      'release-lint: two formats would share standard output; give one of them a file (-f sarif=results.sarif)',
    );
  });

  it('keeps table cells safe from pipes and markup in repository data', async () => {
    const { cell } = await import('../src/report/markdown.js');
    // ESC shown as \u001b, as every report shows it (escapeText).
    expect(cell('a|b <script> *x* \u001b[31m')).toBe('a\\|b &lt;script&gt; \\*x\\* \\\\u001b\\[31m');
  });
});

describe('baselines and ignore entries', () => {
  it('accepts today\'s findings and then reports only new ones, in the baseline in the summaries, suppressed in JSON and SARIF', () => {
    const dir = tempDir();
    const baseline = join(dir, 'baseline.json');
    const written = cli(['baseline', '-C', demo.clone.dir, '-o', baseline]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/16 findings accepted in /);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings).toHaveLength(16);
    const result = cli(['-C', demo.clone.dir, '--baseline', baseline, '-f', 'json', '-f', `sarif=${join(dir, 'b.sarif')}`]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, inconclusive: 0, baselined: 16 });
    expect(report.suppressed).toHaveLength(16);
    expect(report.suppressed[0].reason).toBe(`accepted in the baseline ${baseline}`);
    const results = JSON.parse(readFileSync(join(dir, 'b.sarif'), 'utf8')).runs[0].results;
    expect(results[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: `accepted in the baseline ${baseline}` }]);
    expect(cli(['-C', demo.clone.dir, '--baseline', baseline]).stdout).toMatch(/^✔ no problems \(16 in the baseline\) · /m);
    // An entry whose finding is gone is reported, with the command that rewrites the file.
    const accepted = JSON.parse(readFileSync(baseline, 'utf8'));
    const gone = { ...accepted.findings.find((f: any) => f.ruleId === 'tag-annotated'), fingerprint: '0123456789abcdef' };
    writeFileSync(baseline, JSON.stringify({ ...accepted, findings: [...accepted.findings, gone] }));
    const stale = cli(['-C', demo.clone.dir, '--baseline', baseline, '-f', 'json', '-f', `markdown=${join(dir, 'summary.md')}`]);
    expect(stale.code).toBe(0);
    const staleReport = JSON.parse(stale.stdout);
    expect(staleReport.findings.map((f: any) => [f.ruleId, f.severity, f.message])).toEqual([
      ['release-lint:baseline', 'warning', `1 entry of the baseline ${baseline} matches no finding any more (tag-annotated 1): fixed, or the object is gone`],
    ]);
    expect(staleReport.findings[0].fix).toContain(`release-lint baseline -o ${baseline}`);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('0 suppressed by ignore, 16 in the baseline.');
    writeFileSync(join(dir, 'bad.json'), '{"findings": 3}');
    expect(cli(['-C', demo.clone.dir, '--baseline', join(dir, 'bad.json')]).stderr.trim()).toBe(
      `release-lint: ${join(dir, 'bad.json')}: not a release-lint baseline (expected {"version": 1, "findings": [...]})`,
    );
  });

  it('reports an expired and an unused ignore entry at their line of the config', () => {
    const policy = join(tempDir(), 'policy.yml');
    writeFileSync(
      policy,
      `${readFileSync(join(demo.clone.dir, '.releasepolicyrc.yml'), 'utf8')}ignore:\n  - { rule: tag-annotated, target: v0.6.4, reason: "released by hand", expires: 2026-01-01 }\n  - { rule: tag-reachable, target: v0.1.0, reason: "old" }\n  - { rule: tag-version-format, target: v0.7, reason: "typo kept for history" }\n`,
    );
    const report = JSON.parse(cli(['-C', demo.clone.dir, '-c', policy, '-f', 'json']).stdout);
    const entries = report.findings.filter((f: any) => f.ruleId === 'release-lint:ignore');
    expect(entries.map((f: any) => [f.message, f.location.line, f.severity])).toEqual([
      ['the ignore entry for tag-annotated on v0.6.4 expired on 2026-01-01; the exception no longer applies', 23, 'warning'],
      ['the ignore entry for tag-reachable on v0.1.0 matches no finding; remove it', 24, 'warning'],
    ]);
    expect(report.suppressed.map((s: any) => [s.ruleId, s.target.name, s.reason])).toEqual([['tag-version-format', 'v0.7', 'typo kept for history']]);
  });
});

describe('rule documentation', () => {
  it('lists and explains rules', () => {
    const list = cli(['rules', '-C', demo.clone.dir]).stdout;
    expect(list).toMatch(/^tag-annotated\s+error\s+Release tags are annotated$/m);
    expect(list).toMatch(/^release-branch-stale\s+warning\s+Release branches are deleted/m);
    const explain = cli(['explain', 'changelog-baseline', '-C', demo.clone.dir]).stdout;
    expect(explain).toMatch(/^changelog-baseline: CHANGELOG compare ranges start at the previous published release\n/);
    expect(explain).toContain('prereleaseBaselines (default true)');
    expect(explain).toContain('Fix: The range comes from');
    expect(cli(['explain', 'tag-anotated', '-C', demo.clone.dir]).stderr.trim()).toBe('release-lint: unknown rule "tag-anotated" (did you mean "tag-annotated"?); release-lint rules lists them');
  });

  it('docs/rules is generated from the rule files and up to date (npm run docs)', async () => {
    const pages = builtInRuleDocs(await loadDefaultConfig());
    const dir = join(root, 'docs', 'rules');
    expect(readdirSync(dir).sort()).toEqual([...pages.keys()].sort());
    for (const [name, text] of pages) expect(readFileSync(join(dir, name), 'utf8'), `${name} is stale: run npm run docs`).toBe(text);
  });
});

describe('init', () => {
  it('writes a commented config for the version sources it finds, and never replaces one', () => {
    const repo = GitFixture.init(tempDir());
    repo.commit('chore: start', {
      'package.json': '{ "version": "1.0.0" }\n',
      '.release-please-manifest.json': '{ ".": "1.0.0" }\n',
      'deploy/helm/app/Chart.yaml': 'version: 1.0.0\nappVersion: 1.0.0\n',
      'CHANGELOG.md': '# Changelog\n',
    });
    repo.git('branch', 'develop');
    const written = cli(['init', '-C', repo.dir]);
    expect(written.code).toBe(0);
    const text = readFileSync(join(repo.dir, '.releasepolicyrc.yml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+config\.schema\.json\n/);
    expect(text).toContain('  - { file: deploy/helm/app/Chart.yaml, pointer: /appVersion }');
    // A local develop branch alone is no integration process: that takes release/<version> branches beside it.
    expect(text).toMatch(/^  integration: null +# no integration branch$/m);
    expect(text).not.toContain('package-lock.json');
    expect(cli(['-C', repo.dir, '-f', 'json', '--offline', '--allow-inconclusive']).code).toBe(0);
    const again = cli(['init', '-C', repo.dir]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`release-lint: ${join(repo.dir, '.releasepolicyrc.yml')}: a release-lint config already exists; edit it instead`);
  });
});
