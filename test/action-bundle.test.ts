// The Action runs a prebuilt bundle committed in action/dist: no `npm ci`, no build. These tests
// rebuild it to catch a stale copy, run the Action's lint step from a copy of the files its
// checkout has (no node_modules anywhere above it), and read action.yml's wiring.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionStepEnv, tempDir } from './helpers.js';

const repositoryRoot = resolve(__dirname, '..');
const bundlePath = join(repositoryRoot, 'action', 'dist', 'release-lint.mjs');

let root: string;
/** The Action's files as its checkout has them, without node_modules or the git-ignored dist/. */
let actionPath: string;
/** A repository to lint: one commit and a release tag, and no remote. */
let repository: string;

beforeAll(() => {
  root = tempDir();
  actionPath = join(root, 'action-checkout');
  for (const entry of ['action.yml', 'action', 'rules', 'presets', 'schemas', 'docs', 'package.json', 'README.md']) {
    cpSync(join(repositoryRoot, entry), join(actionPath, entry), { recursive: true });
  }
  repository = join(root, 'repository');
  mkdirSync(repository);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Release Bot', '-c', 'user.email=bot@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: repository, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repository, 'package.json'), '{ "name": "demo", "version": "1.0.0" }\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'first release');
  git('tag', '-a', 'v1.0.0', '-m', 'Release v1.0.0');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs action/run.sh from the copied Action in the repository, as a workflow run on a branch push. */
function runLintStep(inputs: Record<string, string>): {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  report: { inconclusive: unknown[] };
  sarif: string;
} {
  const run = join(root, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(run);
  const outputFile = join(run, 'output');
  const summaryFile = join(run, 'summary.md');
  const reportFile = join(run, 'report.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const result = spawnSync('bash', [join(actionPath, 'action', 'run.sh')], {
    cwd: repository,
    encoding: 'utf8',
    env: actionStepEnv({
      actionPath,
      workspace: repository,
      ref: 'refs/heads/main',
      outputFile,
      summaryFile,
      inputs: { INPUT_SARIF: join(run, 'release-lint.sarif'), INPUT_ARGS: `-f json=${reportFile}`, ...inputs },
    }),
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { inconclusive: [] };
  return { code: result.status ?? -1, stdout: result.stdout, outputs, summary: readFileSync(summaryFile, 'utf8'), report, sarif: join(run, 'release-lint.sarif') };
}

describe('the Action bundle', () => {
  it('is what scripts/bundle-action.mjs builds from the sources (else: npm run bundle:action and commit it)', () => {
    const out = join(root, 'rebuilt');
    execFileSync(process.execPath, [join(repositoryRoot, 'scripts', 'bundle-action.mjs'), out], { cwd: repositoryRoot, stdio: 'pipe' });
    const rebuilt = readFileSync(join(out, 'release-lint.mjs'));
    const committed = readFileSync(bundlePath);
    if (!rebuilt.equals(committed)) {
      expect.fail('action/dist/release-lint.mjs is stale: run `npm run bundle:action` and commit action/dist/release-lint.mjs');
    }
  });

  it('starts well within the 5 s the Action may take before linting', () => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [join(actionPath, 'action', 'dist', 'release-lint.mjs'), '--version'], { cwd: repository, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')).version);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe("the Action's lint step, with no node_modules", () => {
  it('has no node_modules in reach of the copied Action', () => {
    for (let dir = actionPath; ; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      if (dirname(dir) === dir) break;
    }
  });

  it('lints the repository and writes SARIF, the summary and its outputs', () => {
    const { code, stdout, outputs, summary, report, sarif } = runLintStep({ INPUT_UPLOAD_INCONCLUSIVE: 'true' });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].tool.driver.name).toBe('release-lint');
    expect(stdout).toMatch(/release-lint: /);
    expect(outputs['exit-code']).toBe('1');
    expect(summary).toMatch(/release-lint/);
    expect(report.inconclusive.length).toBeGreaterThan(0);
    // Asked to: the run is uploaded although rules are undecided.
    expect(outputs.upload).toBe('true');
  });

  it('does not upload the SARIF of a quiet run, wherever -q is written, since its warnings are left out of it', () => {
    // Undecided rules may be uploaded here: -q alone keeps the SARIF back.
    for (const inputs of [{ INPUT_COMMAND: 'check -q' }, { INPUT_ARGS: '-qC .' }, { INPUT_ARGS: '--quiet' }]) {
      const { outputs, stdout } = runLintStep({ INPUT_UPLOAD_INCONCLUSIVE: 'true', ...inputs });
      expect(outputs.upload, JSON.stringify(inputs)).toBe('false');
      expect(stdout).toMatch(/^::notice title=release-lint::The SARIF was not uploaded to code scanning: -q leaves the warnings out/m);
    }
  });

  it('keeps a run with undecided rules from code scanning, and says so in the log and the summary', () => {
    const { stdout, outputs, summary, report } = runLintStep({});
    const count = report.inconclusive.length;
    expect(count).toBeGreaterThan(0);
    expect(outputs.upload).toBe('false');
    expect(stdout).toMatch(new RegExp(`^::notice title=release-lint::The SARIF was not uploaded to code scanning: ${count} rules? could not be decided`, 'm'));
    expect(summary).toMatch(/The SARIF was not uploaded to code scanning/);
  });

  it('on a tag push whose tag cannot be fetched from origin, warns and lints the local copy', () => {
    const { stdout, outputs, report } = runLintStep({ GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REF_NAME: 'v1.0.0', INPUT_UPLOAD_INCONCLUSIVE: 'true' });
    expect(stdout).toMatch(/^::warning title=release-lint::could not fetch the pushed tag v1\.0\.0 from origin \(.+\); linting the local copy/m);
    expect(outputs['exit-code']).toBe('1');
    expect(report.inconclusive.length).toBeGreaterThan(0);
  });

  it('says nothing about the upload when the workflow uploads no SARIF', () => {
    const { stdout, outputs } = runLintStep({ INPUT_UPLOAD_SARIF: 'false' });
    expect(outputs.upload).toBe('false');
    expect(stdout).not.toMatch(/::notice/);
  });

  it('refuses a fail-on value it does not know, with exit code 2 and nothing to upload', () => {
    const { stdout, outputs } = runLintStep({ INPUT_FAIL_ON: 'sometimes' });
    expect(stdout).toMatch(/::error title=release-lint::fail-on must be error, warning or never, not 'sometimes'/);
    expect(outputs['exit-code']).toBe('2');
    expect(outputs.upload).toBe('false');
  });
});

describe("the Action's lint step's command line", () => {
  /** run.sh with a stand-in bundle that records its arguments and reports `inconclusive` undecided rules. */
  function argumentsFor(inputs: Record<string, string>): string[] {
    return runWithStub(inputs).args;
  }

  function runWithStub(inputs: Record<string, string>): { args: string[]; outputs: string; stdout: string } {
    const stub = join(root, `stub-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(stub, 'action', 'dist'), { recursive: true });
    cpSync(join(repositoryRoot, 'action', 'run.sh'), join(stub, 'action', 'run.sh'));
    const argsFile = join(stub, 'args.json');
    writeFileSync(
      join(stub, 'action', 'dist', 'release-lint.mjs'),
      `import { writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(args));
const json = args[args.findIndex((a, i) => args[i - 1] === '-f' && a.startsWith('json='))].slice(5);
writeFileSync(json, JSON.stringify({ inconclusive: [], summary: { errors: 0, warnings: 0, notes: 0, inconclusive: 0 } }));
`,
    );
    const stdout = execFileSync('bash', [join(stub, 'action', 'run.sh')], {
      cwd: repository,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, GITHUB_ACTION_PATH: stub, GITHUB_OUTPUT: join(stub, 'output'), ...inputs },
    });
    return { args: JSON.parse(readFileSync(argsFile, 'utf8')) as string[], outputs: readFileSync(join(stub, 'output'), 'utf8'), stdout };
  }

  it('passes the category input as --sarif-category, and no category when it is empty', () => {
    expect(argumentsFor({ INPUT_CATEGORY: 'release-lint/nightly-check/' }).join(' ')).toContain('--sarif-category release-lint/nightly-check/');
    expect(argumentsFor({ INPUT_CATEGORY: '' })).not.toContain('--sarif-category');
  });

  it('builds the command from the inputs: command words, config, no JavaScript config unless allowed, SARIF, fail-on warning, extra args', () => {
    const args = argumentsFor({ INPUT_COMMAND: 'tag v1.2.0', INPUT_CONFIG: 'policy.yml', INPUT_SARIF: 'out.sarif', INPUT_FAIL_ON: 'warning', INPUT_ARGS: '--offline --allow-inconclusive' });
    expect(args.slice(0, 4)).toEqual(['tag', 'v1.2.0', '--config', 'policy.yml']);
    expect(args).toContain('--no-js-config');
    expect(args.join(' ')).toContain('-f sarif=out.sarif');
    expect(args.join(' ')).toContain('--max-warnings 0');
    expect(args.slice(-2)).toEqual(['--offline', '--allow-inconclusive']);
    expect(argumentsFor({ INPUT_ALLOW_JS_CONFIG: 'true' })).not.toContain('--no-js-config');
  });
});

describe('action.yml', () => {
  interface Step {
    id?: string;
    name: string;
    run?: string;
    uses?: string;
    if?: string;
    with?: Record<string, string>;
    env?: Record<string, string>;
    'continue-on-error'?: boolean;
  }
  const action = parse(readFileSync(join(repositoryRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: Step[] };
  };
  const steps = action.runs.steps;

  it('installs and builds nothing at run time', () => {
    for (const step of steps) expect(step.run ?? '').not.toMatch(/\bnpm\b|\bnpx\b|tsc|esbuild/);
    expect(steps.find((s) => s.id === 'lint')?.run).toContain('action/run.sh');
    expect(readFileSync(join(repositoryRoot, 'action', 'run.sh'), 'utf8')).toContain('action/dist/release-lint.mjs');
  });

  it("uses the runner's Node when it is 20.19 or later, else sets up Node 20", () => {
    const find = steps.find((s) => s.id === 'node')!;
    const setup = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setup.with?.['node-version']).toBe(20);
    expect(setup.if).toContain("steps.node.outputs.setup == 'true'");
    const outputFile = join(root, 'node-step-output');
    writeFileSync(outputFile, '');
    execFileSync('bash', ['-c', find.run!], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: outputFile } });
    // This suite runs on Node 20.19 or later (package.json engines): no setup needed.
    expect(readFileSync(outputFile, 'utf8')).toBe('setup=false\n');
  });

  it('uploads with upload-sarif v4, without a category (the SARIF carries it), and never fails the job on the upload', () => {
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload.with).toEqual({ sarif_file: '${{ inputs.sarif }}' });
    expect(upload['continue-on-error']).toBe(true);
    expect(upload.if).toContain("steps.lint.outputs.upload == 'true'");
    expect(upload.if).toContain('github.event.pull_request.head.repo.fork != true');
    const failed = steps.find((s) => s.if?.includes(`steps.${upload.id}.outcome == 'failure'`));
    expect(failed?.run).toMatch(/::notice /);
    const fork = steps.find((s) => s.if?.includes('github.event.pull_request.head.repo.fork == true'));
    expect(fork?.run).toMatch(/::notice /);
  });

  it('passes category and upload-inconclusive to the lint step, empty and false by default', () => {
    expect(action.inputs.category.default).toBe('');
    expect(action.inputs['upload-inconclusive'].default).toBe('false');
    const lint = steps.find((s) => s.id === 'lint')!;
    expect(lint.env?.INPUT_CATEGORY).toBe('${{ inputs.category }}');
    expect(lint.env?.INPUT_UPLOAD_INCONCLUSIVE).toBe('${{ inputs.upload-inconclusive }}');
    expect(lint.env?.INPUT_UPLOAD_SARIF).toBe('${{ inputs.upload-sarif }}');
  });
});
