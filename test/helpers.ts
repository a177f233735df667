import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { loadConfig } from '../src/config/load.js';
import { evaluate, subjectOf, type Evaluation } from '../src/engine/evaluate.js';
import { loadRules } from '../src/engine/rules.js';
import type { Branch, ChangelogBaselines, ChangelogEntry, Commit, ConfigKey, Revision, Snapshot, Tag, VersionReading, WorkflowStep } from '../src/facts/types.js';
import { parseVersion } from '../src/facts/version.js';
import { withDefaults } from '../src/facts/model.js';

export const binPath = resolve(__dirname, '..', 'bin', 'release-lint.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: a separate node process. */
export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? process.cwd(),
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like cli, without blocking the event loop: for tests whose stand-in servers run in this process. */
export function cliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** git as an attacker runs it in a repository the tests then lint: unsigned, under a made-up name. */
export function attackerGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Mallory', '-c', 'user.email=m@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** Folders tempDir made in this test file, removed after its tests. */
const madeTempDirs: string[] = [];
// Registered as the module loads, in the file that imports it: that file's afterAll.
afterAll(() => {
  for (const dir of madeTempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, removed after the test file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-lint-test-'));
  madeTempDirs.push(dir);
  return dir;
}

/**
 * A PATH with the build under test first, as `release-lint`: the installed pre-push hook runs
 * release-lint the way the team installed it (node_modules/.bin, then PATH), never by a path.
 */
export function pathWithReleaseLint(): string {
  const bin = tempDir();
  symlinkSync(binPath, join(bin, 'release-lint'));
  return `${bin}${delimiter}${process.env.PATH}`;
}

/**
 * The environment GitHub Actions gives the Action's lint step (action/run.sh): the runner's
 * variables for a push of `ref` and the Action's inputs at their action.yml defaults, which
 * `inputs` overrides.
 */
export function actionStepEnv(o: { actionPath: string; workspace: string; ref: string; sha?: string; outputFile: string; summaryFile: string; inputs?: Record<string, string> }): NodeJS.ProcessEnv {
  const tag = o.ref.startsWith('refs/tags/');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: o.ref,
    GITHUB_REF_NAME: o.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: tag ? 'tag' : 'branch',
    ...(o.sha ? { GITHUB_SHA: o.sha } : {}),
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_OUTPUT: o.outputFile,
    GITHUB_STEP_SUMMARY: o.summaryFile,
    GITHUB_ACTION_PATH: o.actionPath,
    INPUT_COMMAND: 'check',
    INPUT_CONFIG: '',
    INPUT_FORMAT: 'github',
    INPUT_FAIL_ON: 'error',
    INPUT_SARIF: 'release-lint.sarif',
    INPUT_CATEGORY: '',
    INPUT_UPLOAD_INCONCLUSIVE: 'false',
    INPUT_STEP_SUMMARY: 'true',
    INPUT_ALLOW_JS_CONFIG: 'false',
    ...o.inputs,
  };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

/** [ruleId, "kind name" of the finding's subject, severity], sorted: what tests compare. */
export function findingKeys(evaluation: Evaluation | { findings: Array<{ ruleId: string; target: any; severity: string }> }): string[] {
  return evaluation.findings.map((f) => `${f.ruleId} | ${subjectOf(f.target).kind} ${subjectOf(f.target).name} | ${f.severity}`).sort();
}

// ---- hand-made snapshots for fast rule tests ---------------------------------------------

let counter = 0;
const sha = () => (++counter).toString(16).padStart(40, '0');

export function tag(name: string, fields: Partial<Tag> = {}): Tag {
  const message = fields.message ?? `Release ${name}`;
  return {
    name,
    version: parseVersion(name.replace(/^v/, '')),
    annotated: true,
    objectType: 'tag',
    object: sha(),
    commit: sha(),
    message,
    messageLines: message.split('\n'),
    tagger: { name: 'Bot', email: 'bot@example.invalid', date: '2026-01-01T00:00:00Z' },
    date: '2026-01-01T00:00:00Z',
    timestamp: 1767225600 + counter,
    reachable: true,
    releaseLine: 'main',
    otherBranch: '',
    published: true,
    onRemote: fields.published === false ? 'no' : 'yes',
    judged: true,
    remoteObject: '',
    remoteAnnotated: false,
    remoteCommit: '',
    publishedBefore: '',
    candidate: false,
    push: '',
    release: withDefaults('TagRelease', {}) as Tag['release'],
    recoveryIssue: withDefaults('RecoveryIssue', {}) as Tag['recoveryIssue'],
    ...fields,
  };
}

export function branch(name: string, fields: Partial<Branch> = {}): Branch {
  const release = name.startsWith('release/');
  const head = sha();
  return {
    name,
    release,
    maintenance: false,
    line: '',
    version: parseVersion(release ? name.slice('release/'.length) : ''),
    local: false,
    remote: true,
    localHead: '',
    remoteHead: head,
    head,
    tree: sha(),
    ...fields,
  };
}

export function revision(kind: Revision['kind'], name: string): Revision {
  return { kind, name, commit: sha(), version: parseVersion(kind === 'tag' ? name.replace(/^v/, '') : kind === 'release-branch' ? name.slice(8) : ''), candidate: false, publishedAncestor: '' };
}

export function reading(at: Revision, file: string, pointer: string, value: string | null, fields: Partial<VersionReading> = {}): VersionReading {
  return {
    at,
    file,
    pointer,
    format: file.endsWith('.md') ? 'changelog' : file.endsWith('.yaml') ? 'yaml' : 'json',
    required: true,
    fileExists: value !== null,
    found: value !== null,
    value: value ?? '',
    line: value !== null ? 3 : 0,
    column: value !== null ? 3 : 0,
    problem: value !== null ? '' : 'file missing',
    ...fields,
  };
}

export function changelogEntry(at: Revision, version: string, compareFrom: string, baselines: Partial<ChangelogBaselines> = {}): ChangelogEntry {
  return {
    at,
    file: 'CHANGELOG.md',
    version: parseVersion(version),
    heading: `## [${version}]`,
    line: 3,
    compareFrom,
    compareTo: `v${version}`,
    compareLine: 3,
    oldest: false,
    baselines: withDefaults('ChangelogBaselines', baselines) as ChangelogBaselines,
    judged: true,
  };
}

export function snapshotOf(parts: Partial<Snapshot>): Snapshot {
  return {
    schemaVersion: 2,
    repository: {
      name: 'repo',
      remote: 'origin',
      shallow: false,
      productionBranch: 'main',
      productionRef: 'refs/remotes/origin/main',
      productionHead: sha(),
      integrationBranch: 'develop',
      integrationRef: 'refs/remotes/origin/develop',
      integrationHead: sha(),
      productionTree: 'production-tree',
      excludedTags: 0,
    },
    tags: [],
    branches: [],
    revisions: [],
    versionSources: [],
    changelogEntries: [],
    productionOnlyCommits: [],
    workflowSteps: [],
    releasePleaseConfig: [],
    pullRequests: [],
    pullRequestFiles: [],
    collected: [
      'production-history',
      'production-head',
      'integration-branch',
      'remote-tags',
      'release-please-config',
      'commit-patches',
      'all-tags',
      'file-contents',
      'files-at-tags',
      'files-at-branch-heads',
      'tag-messages',
      'release-lines',
      'published-tags',
      'tag-ancestry',
    ],
    unavailable: [],
    ...parts,
  };
}

let defaultConfig: ResolvedConfig | undefined;

/**
 * Every rule at its rule file's severity (no preset), with the runbook's branches and recovery
 * channel: rule tests judge each rule in full, whatever a preset would switch off.
 */
const everyRuleConfig = 'extends: []\nbranches: { integration: develop, release: "release/*" }\nversions: { recoveryChannels: [preview] }\n';

/** Evaluates built-in rules (or only `only`) against a hand-made snapshot with every rule on. */
export async function lintSnapshot(snapshot: Snapshot, only?: string[], configure?: (c: ResolvedConfig) => void): Promise<Evaluation> {
  if (!defaultConfig) {
    const dir = tempDir();
    writeFileSync(join(dir, '.releasepolicyrc.yml'), everyRuleConfig);
    defaultConfig = await loadConfig(dir);
    defaultConfig.file = null;
  }
  const config: ResolvedConfig = structuredClone(defaultConfig);
  configure?.(config);
  const rules = loadRules(config).filter((r) => !only || only.includes(r.definition.id));
  return evaluate(rules, snapshot, config, { today: '2026-11-24' });
}

export function commit(subject: string, fields: Partial<Commit> = {}): Commit {
  return {
    sha: sha(),
    subject,
    author: 'Dev',
    date: '2026-06-01T10:00:00Z',
    timestamp: 1780308000,
    files: ['src/app.ts'],
    patchEquivalent: false,
    addedLines: 2,
    missingLines: 0,
    firstMissing: '',
    ...fields,
  };
}

export function step(fields: Partial<WorkflowStep>): WorkflowStep {
  return { file: '.github/workflows/release.yml', job: 'release', index: 0, name: '', uses: '', run: '', line: 5, ...fields };
}

export function configKey(key: string, value: string, scope = ''): ConfigKey {
  return { file: 'release-please-config.json', scope, key, value, line: 2, column: 3 };
}

/**
 * The clean Aegis-style repository for one suite (built before its tests, removed after), with its
 * bare origin, and fresh full clones of that origin for a test to spoil.
 */
export function cleanRepositoryForSuite(): { clean: () => Scenario; origin: () => string; freshClone: (name: string) => string } {
  let scenario: Scenario | undefined;
  beforeAll(() => {
    scenario = buildClean();
  });
  afterAll(() => rmSync(dirname(scenario!.clone.dir), { recursive: true, force: true }));
  const origin = () => join(dirname(scenario!.clone.dir), 'origin.git');
  return {
    clean: () => scenario!,
    origin,
    freshClone: (name) => {
      const dir = join(tempDir(), name);
      execFileSync('git', ['clone', '-q', '--no-local', origin(), dir]);
      return dir;
    },
  };
}
