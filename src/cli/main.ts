import { closeSync, constants, existsSync, lstatSync, openSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { maxMessageFileBytes, readBoundedFile } from '../read-file.js';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { normalizeSeverity, type ResolvedConfig, type RuleSetting } from '../config/types.js';
import { readBaseline, renderBaseline } from '../engine/baseline-file.js';
import { defaultRuleTimeoutMs, evaluate, type Evaluation } from '../engine/evaluate.js';
import { inconclusiveEvaluation } from '../engine/inconclusive.js';
import { baselineRuleInfo, ignoreRuleInfo } from '../engine/pseudo-rules.js';
import { loadRules, ruleInfo, type CompiledRule } from '../engine/rules.js';
import { cancelEarlyRuns, gitProcessCount } from '../git/run.js';
import { InputError } from '../errors.js';
import { tagNameProblem } from '../refname.js';
import { renderTimings, startSpan, timed, timingsEnabled } from '../timings.js';
import { toolVersion } from '../package-root.js';
import { anchorResolver } from '../report/anchor.js';
import { formatNames, formatters, type FormatName } from '../report/formatters.js';
import { renderExplain, renderRuleTable } from '../docs/rule-docs.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { summarize } from '../engine/summary.js';
import type { Expand, ReportInput } from '../report/types.js';
import { locateRepository, type CollectOptions } from '../snapshot/collect-git.js';
import { gather, openRepository, type Gathered, type GatherRequest, type Repository } from '../snapshot/gather.js';
import type { Snapshot } from '../snapshot/types.js';
import { excludedTags } from '../snapshot/assemble.js';
import { didYouMean } from '../schema/validate.js';
import { installHook, parsePrePushInput } from './hook.js';
import { writeInitialConfig } from './init.js';
import { optionSpec, type Options } from './options.js';

const usage = `Usage: release-lint [command] [options]

Commands:
  check                     lint the repository's release state (default)
  tag <name>                lint a tag before it is created or pushed: the existing tag, or the one
                            \`git tag -a <name> <ref> -m <message>\` would create; exit 0 = safe to push
      --ref <commit-ish>    where the tag would point (default HEAD)
      -m <message>          its message (repeatable, like git tag); without one it counts as lightweight
      --message-file <f>    its message from a file
  pr <number>               lint a Release Please or promotion pull request (GitHub), with the policy
                            of its base branch
  release <tag>             check a published tag's GitHub Release: it exists, prerelease flag, assets,
                            recovery issue (check does this for every tag when a GitHub token is set)
  snapshot                  print the collected snapshot as JSON
  baseline                  accept today's findings: write their fingerprints to a baseline file
                            (-o, default .release-lint-baseline.json); --baseline <file> then reports new ones
  rules                     list the rules with their severity
  explain <rule-id>         a rule's description, options, examples and fix
  init                      write a commented .releasepolicyrc.yml for this repository
  hook pre-push <remote> <url>   the pre-push hook: reads git's input, lints each pushed release tag
  install-hook [--force]    install that hook in .git/hooks (--force keeps a foreign hook as pre-push.local)

Options:
  -C, --repo <dir>           repository to lint (default: current folder)
      --remote <owner/name>  check or snapshot a GitHub repository without a clone (needs a token); the
                            policy comes from its default branch unless --config is given
  -c, --config <file>        config file (default: .releasepolicyrc.* or package.json#releasepolicy in the repository root)
      --no-js-config         refuse JavaScript configs (releasepolicy.config.js/.mjs, .releasepolicyrc.js/.mjs): loading
                            them runs the repository's code; the GitHub Action passes this unless allow-js-config is true
  -f, --format <name>[=file] human (default), json, sarif, github, markdown (a job summary, under 1 MiB) or
                            markdown-comment (a PR or issue comment, under 65,536 characters); repeatable,
                            each to its own file
  -o, --output <file>        write the (last) format to a file instead of standard output
      --all                  list every finding (human and Markdown list a rule's 10 newest, then count the rest)
      --expand <rule-id>     list every finding of this rule; repeatable
      --snapshot <file>      lint a saved snapshot instead of reading git
      --baseline <file>      report only findings that are not in this baseline (counted as "in the baseline");
                            an entry that matches no finding any more is reported as a warning
      --rule <id>=<severity> override a rule's severity (off, note, warn, error); repeatable
      --max-warnings <n>     fail when there are more than n warnings
      --allow-inconclusive   do not fail on rules that could not be decided
      --rule-timeout <ms>    stop a rule that evaluates longer than this and report it inconclusive (default 10000)
      --offline              no network: the remote's tags are not read, so rules that need them are inconclusive
      --github-api-url <url> GitHub GraphQL endpoint (default: GITHUB_GRAPHQL_URL, GITHUB_API_URL, api.github.com);
                            the token comes from GITHUB_TOKEN or GH_TOKEN
  -q, --quiet                report errors only
      --no-color, --color    never / always colour the output (also NO_COLOR=1, FORCE_COLOR=1)
      --debug                show stack traces and git process counts
  -v, --version              print the version
  -h, --help                 print this help

Exit codes: 0 no failing findings, 1 failing findings or inconclusive rules, 2 usage, config or runtime error.`;

const commands = ['check', 'snapshot', 'tag', 'pr', 'release', 'hook', 'install-hook', 'rules', 'explain', 'init', 'baseline'] as const;
type Command = (typeof commands)[number];

function parseCommandLine(argv: string[]): { command: Command; options: Options; args: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '')} (see release-lint --help)`);
  }
  const [command = 'check', ...rest] = parsed.positionals;
  if (!(commands as readonly string[]).includes(command)) {
    const suggestion = didYouMean(command, commands);
    throw new InputError(`unknown command "${command}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''} (commands: ${commands.join(', ')})`);
  }
  const expected: Record<Command, [number, number, string]> = {
    check: [0, 0, ''],
    snapshot: [0, 0, ''],
    tag: [1, 1, 'tag needs the tag name: release-lint tag <name>'],
    pr: [1, 1, 'pr needs the pull request number: release-lint pr <number>'],
    release: [1, 1, 'release needs the tag name: release-lint release <tag>'],
    hook: [1, 3, 'hook needs its type: release-lint hook pre-push'],
    'install-hook': [0, 0, ''],
    rules: [0, 0, ''],
    explain: [1, 1, 'explain needs a rule id: release-lint explain <rule-id>'],
    init: [0, 0, ''],
    baseline: [0, 0, ''],
  };
  const [min, max, missing] = expected[command as Command];
  if (rest.length < min) throw new InputError(missing);
  if (rest.length > max) throw new InputError(`unexpected argument "${rest[max]}" for ${command}`);
  if (command === 'hook' && rest[0] !== 'pre-push') throw new InputError(`unknown hook "${rest[0]}" (hooks: pre-push)`);
  const values = parsed.values as Options;
  if (command !== 'tag' && (values.ref !== undefined || values.message !== undefined || values['message-file'] !== undefined)) {
    throw new InputError('--ref, -m and --message-file go with the tag command');
  }
  if (values.message && values['message-file']) throw new InputError('give the message with -m or with --message-file, not both');
  if (command === 'pr' && !/^[1-9]\d*$/.test(rest[0])) throw new InputError(`pr expects a pull request number, got "${rest[0]}"`);
  return { command: command as Command, options: values, args: rest };
}

/** `-f human -f sarif -o x.sarif` or `-f sarif=x.sarif`: each format with its file, at most one on stdout. */
function outputsOf(options: Options): Array<{ format: FormatName; file?: string }> {
  const specs = (options.format ?? ['human']).map((spec) => {
    const [name, ...file] = spec.split('=');
    if (!(formatNames as readonly string[]).includes(name)) throw new InputError(`unknown format "${name}" (formats: ${formatNames.join(', ')})`);
    return { format: name as FormatName, file: file.length ? file.join('=') : undefined };
  });
  if (options.output) {
    const last = [...specs].reverse().find((s) => s.file === undefined);
    if (!last) throw new InputError('-o has no format to write: every -f already names its file');
    last.file = options.output;
  }
  if (specs.filter((s) => s.file === undefined).length > 1) {
    throw new InputError('two formats would share standard output; give one of them a file (-f sarif=results.sarif)');
  }
  return specs;
}

function ruleOverrides(values: string[] = []): Record<string, RuleSetting> {
  const overrides: Record<string, RuleSetting> = {};
  for (const value of values) {
    const match = /^([^=]+)=(off|note|warn|warning|error)$/.exec(value);
    if (!match) throw new InputError(`--rule expects <id>=<off|note|warn|error>, got "${value}"`);
    overrides[match[1]] = { severity: normalizeSeverity(match[2]) };
  }
  return overrides;
}

function useColor(options: Options, toFile: boolean): boolean {
  if (options['no-color'] || 'NO_COLOR' in process.env) return false;
  if (options.color || (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0')) return true;
  return !toFile && process.stdout.isTTY === true;
}

/** A folder git would take for a repository's git directory (its own test: HEAD, objects/, refs/), or one named .git. */
function isGitDirectory(dir: string): boolean {
  if (basename(dir) === '.git') return true;
  const isFolder = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };
  return existsSync(join(dir, 'HEAD')) && isFolder(join(dir, 'objects')) && isFolder(join(dir, 'refs'));
}

/**
 * Refuses a report path that is a symbolic link (a committed `release-lint.sarif -> ../../x` would
 * redirect the write) or that lies inside a git directory, whichever way it is written
 * (`.git/config`, `sub/../.git/config`, a folder that links into .git).
 */
function checkOutputPath(output: string): void {
  if (standardStreams[output]) return;
  const file = resolve(output);
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    /* it does not exist yet */
  }
  if (link) throw new InputError('refusing to write the report through a symbolic link; remove the link or write elsewhere', output);
  if (basename(file) === '.git') throw new InputError('refusing to write the report over a repository\'s .git', output);
  let folder = dirname(file);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    folder = realpathSync(folder);
  } catch {
    return; // the write itself reports it
  }
  for (let dir = folder; ; dir = dirname(dir)) {
    if (isGitDirectory(dir)) throw new InputError(`refusing to write the report inside the git directory ${dir}`, output);
    if (dirname(dir) === dir) break;
  }
}

/** The names of the standard streams: links the system makes, written to as the streams they are. */
const standardStreams: Record<string, NodeJS.WriteStream | undefined> = { '/dev/stdout': process.stdout, '/dev/stderr': process.stderr };

/** The report goes to standard output, or to a file opened without following a symbolic link. */
function write(text: string, output?: string): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  const stream = standardStreams[output];
  if (stream) {
    stream.write(text);
    return;
  }
  checkOutputPath(output);
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a link that appears after the check is refused by the kernel too.
    fd = openSync(output, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o666);
    writeFileSync(fd, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new InputError('refusing to write the report through a symbolic link; remove the link or write elsewhere', output);
    throw new InputError(`cannot write the report: ${code ?? (error as Error).message}`, output);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** --rule-timeout, checked when the command line is read. */
function ruleTimeout(options: Options): number {
  return options['rule-timeout'] === undefined ? defaultRuleTimeoutMs : Number(options['rule-timeout']);
}

/** How configs may be loaded: --no-js-config refuses JavaScript ones. */
function configLoading(options: Options): LoadOptions {
  return { javascript: options['no-js-config'] !== true };
}

/** What the command line asks gathering for, whatever the command. */
function gatherRequest(options: Options): GatherRequest {
  return {
    folder: options.repo,
    configFile: options.config,
    loading: configLoading(options),
    remote: options.remote,
    snapshotFile: options.snapshot,
    github: { offline: options.offline, apiUrl: options['github-api-url'] },
  };
}

function readStdin(): Promise<string> {
  return new Promise((resolveInput, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolveInput(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function tagMessage(options: Options): string | null {
  if (options['message-file']) {
    return readBoundedFile(options['message-file'], 'the message file', maxMessageFileBytes);
  }
  // Like git tag, each -m is a paragraph.
  return options.message ? options.message.join('\n\n') : null;
}

async function run(argv: string[]): Promise<number> {
  const started = new Date();
  const { command, options, args } = parseCommandLine(argv);
  if (options.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (options.version) {
    process.stdout.write(`${toolVersion}\n`);
    return 0;
  }
  const outputs = outputsOf(options);
  // Before any work: a report path that would be refused is refused now.
  for (const { file } of outputs) if (file) checkOutputPath(file);
  if (command === 'baseline' && options.output) checkOutputPath(options.output);
  const maxWarnings = options['max-warnings'] === undefined ? Infinity : Number(options['max-warnings']);
  if ((!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) || maxWarnings < 0) {
    throw new InputError(`--max-warnings expects a whole number, got "${options['max-warnings']}"`);
  }
  const overrides = ruleOverrides(options.rule);
  const ruleTimeoutMs = ruleTimeout(options);
  if (!Number.isInteger(ruleTimeoutMs) || ruleTimeoutMs < 1) {
    throw new InputError(`--rule-timeout expects a number of milliseconds, got "${options['rule-timeout']}"`);
  }

  if (command === 'install-hook') {
    const location = await locateRepository(resolve(options.repo ?? '.'));
    process.stdout.write(`release-lint: installed ${await installHook(location.root, options.force === true)}\n`);
    return 0;
  }
  if (command === 'init') {
    const { location, config } = await openRepository(gatherRequest(options));
    process.stdout.write(`release-lint: wrote ${await writeInitialConfig(location.root, config.file)}\n`);
    return 0;
  }
  if (command === 'rules' || command === 'explain') {
    // Listing and explaining rules needs a policy, not a repository: outside one, the folder's own config.
    const folder = resolve(options.repo ?? '.');
    const root = options.snapshot || !existsSync(folder) ? folder : await locateRepository(folder).then((l) => l.root, () => folder);
    const config = await loadConfig(root, options.config, configLoading(options));
    const infos = loadRules(config, overrides).map(ruleInfo);
    if (command === 'rules') {
      process.stdout.write(renderRuleTable(infos));
      return 0;
    }
    const rule = infos.find((r) => r.id === args[0]);
    if (!rule) {
      const suggestion = didYouMean(args[0], infos.map((r) => r.id));
      throw new InputError(`unknown rule "${args[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; release-lint rules lists them`);
    }
    process.stdout.write(renderExplain(rule));
    return 0;
  }

  let subjects: Set<string> | undefined;
  let repository: Repository | undefined;
  let collect: CollectOptions = {};
  if (command === 'release') {
    if (options.snapshot) throw new InputError('the release command reads the repository; it cannot lint a saved snapshot');
    subjects = new Set([`tag ${args[0]}`]);
    collect = { candidate: { name: args[0], ref: args[0], message: null }, requireExisting: true };
  } else if (command === 'tag') {
    if (options.snapshot) throw new InputError('the tag command reads the repository; it cannot lint a saved snapshot');
    // A name git would refuse is never safe to push, and would be misquoted in fixes.
    const problem = tagNameProblem(args[0]);
    if (problem) throw new InputError(`${JSON.stringify(args[0])} is not a tag name git accepts: ${problem} (git check-ref-format)`);
    const candidate = { name: args[0], ref: options.ref ?? 'HEAD', message: tagMessage(options) };
    subjects = new Set([`tag ${candidate.name}`]);
    collect = { candidate };
  } else if (command === 'hook') {
    const input = await readStdin();
    repository = await openRepository(gatherRequest(options));
    const pushed = parsePrePushInput(input, repository.config.tags.prefix, excludedTags(repository.config.tags.exclude));
    // Branch pushes pass without collecting anything.
    if (pushed.length === 0) return 0;
    subjects = new Set(pushed.map((p) => `tag ${p.name}`));
    collect = { pushed };
  }

  if (command === 'pr') return lintPullRequest(options, Number(args[0]), outputs, overrides, maxWarnings, started);

  if (options.remote && command !== 'check' && command !== 'snapshot') throw new InputError(`--remote works with check and snapshot, not ${command}`);
  if (command === 'snapshot') {
    const { snapshot, cleanup } = await gather(gatherRequest(options));
    cleanup?.();
    write(JSON.stringify(snapshot, null, 2) + '\n', options.output);
    return 0;
  }

  if (!options.remote && !options.snapshot) repository ??= await openRepository(gatherRequest(options));
  const releases = command === 'release' ? { required: true, tag: args[0] } : command === 'check' ? { required: false } : undefined;
  // Git runs in its own processes: compile the rules while it works.
  const abandoned = new AbortController();
  const gathering = gather({ ...gatherRequest(options), repository, collect, releases, signal: abandoned.signal });
  gathering.catch(() => {});
  let rules: CompiledRule[] | undefined;
  try {
    rules = repository ? timed('rules (load, compile)', () => loadRules(repository!.config, overrides)) : undefined;
  } catch (error) {
    abandoned.abort(error);
    throw error;
  }
  const gathered = await gathering;
  try {
    return await judge(command, options, gathered, { subjects, overrides, outputs, maxWarnings, started, rules });
  } finally {
    gathered.cleanup?.();
  }
}

async function judge(
  command: Command,
  options: Options,
  { config, snapshot, root }: Gathered,
  {
    subjects,
    overrides,
    outputs,
    maxWarnings,
    started,
    rules: compiled,
  }: { subjects?: Set<string>; overrides: ReturnType<typeof ruleOverrides>; outputs: ReturnType<typeof outputsOf>; maxWarnings: number; started: Date; rules?: CompiledRule[] },
): Promise<number> {
  const rules = compiled ?? timed('rules (load, compile)', () => loadRules(config, overrides));
  const baseline = options.baseline ? readBaseline(options.baseline) : undefined;
  let done = startSpan('evaluation');
  const evaluation = evaluate(rules, snapshot, config, { subjects, baseline, ruleTimeoutMs: ruleTimeout(options) });
  done();
  if (command === 'baseline') {
    const file = options.output ?? resolve(root, '.release-lint-baseline.json');
    write(renderBaseline(evaluation), file);
    process.stdout.write(`release-lint: ${evaluation.findings.length + evaluation.suppressed.length} findings accepted in ${relative(process.cwd(), file) || file}\n`);
    return 0;
  }
  done = startSpan('report');
  try {
    return report({ command, options, outputs, config, snapshot, root, rules, evaluation, subjects, maxWarnings, started });
  } finally {
    done();
  }
}

interface ReportRequest {
  command: Command;
  options: Options;
  outputs: Array<{ format: FormatName; file?: string }>;
  config: ResolvedConfig;
  snapshot: Snapshot;
  root: string;
  rules: CompiledRule[];
  evaluation: Evaluation;
  subjects?: Set<string>;
  maxWarnings: number;
  started: Date;
}

/** Writes every requested format and returns the exit code. */
function report({ command, options, outputs, config, snapshot, root, rules, evaluation, subjects, maxWarnings, started }: ReportRequest): number {
  const summary = summarize(evaluation, { baseline: options.baseline !== undefined, tags: snapshot.tags });
  const infos = [...rules.map(ruleInfo), ignoreRuleInfo(config), ...(options.baseline ? [baselineRuleInfo(config)] : [])];
  const expand = expandedRules(options, infos);
  const input: ReportInput = {
    tool: { name: 'release-lint', version: toolVersion },
    repository: snapshot.repository.name,
    counts: { tags: snapshot.tags.filter((t) => t.judged).length, excludedTags: snapshot.repository.excludedTags, branches: snapshot.branches.length, rules: evaluation.applied.length },
    subjects: subjects ? [...subjects].map((s) => s.slice(s.indexOf(' ') + 1)) : undefined,
    verdict:
      command === 'tag' || command === 'hook'
        ? { pass: 'safe to push', fail: 'do not push' }
        : command === 'pr'
          ? { pass: 'ready to merge as far as the policy goes', fail: 'do not merge' }
          : command === 'release'
            ? { pass: 'the release is complete', fail: 'the release is incomplete' }
            : undefined,
    evaluation,
    summary,
    rules: infos,
    tagTimes: new Map(snapshot.tags.map((tag) => [tag.name, Number(tag.timestamp)])),
    anchor: anchorResolver(root, config.file, infos),
  };
  for (const { format, file } of outputs) {
    const text = formatters[format](input, {
      times: { start: started, end: new Date() },
      color: useColor(options, file !== undefined || command === 'hook'),
      quiet: options.quiet === true,
      expand,
    });
    // A hook's output goes to the terminal of whoever pushed; git shows the hook's stderr.
    if (command === 'hook' && !file) process.stderr.write(text);
    else write(text, file);
  }
  if (options.debug) process.stderr.write(`release-lint: ${gitProcessCount()} git processes\n`);
  const failed = summary.errors > 0 || summary.warnings > maxWarnings || (summary.inconclusive > 0 && !options['allow-inconclusive']);
  return failed ? 1 : 0;
}

/** --all or --expand <rule-id>: which rules the human and Markdown reports list in full. */
function expandedRules(options: Options, infos: RuleInfo[]): Expand | undefined {
  if (options.all) return 'all';
  if (!options.expand) return undefined;
  const ids = infos.map((rule) => rule.id);
  for (const id of options.expand) {
    if (ids.includes(id)) continue;
    const suggestion = didYouMean(id, ids);
    throw new InputError(`--expand names an unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; release-lint rules lists them`);
  }
  return new Set(options.expand);
}

/**
 * `release-lint pr <n>`: the PR's facts from GitHub, the release state from git, and the policy of
 * the PR's base branch (unless --config names one); only findings about the PR are reported.
 */
async function lintPullRequest(
  options: Options,
  number: number,
  outputs: Array<{ format: FormatName; file?: string }>,
  overrides: Record<string, RuleSetting>,
  maxWarnings: number,
  started: Date,
): Promise<number> {
  const { config, snapshot, root, client, unreadablePullRequest: unreadable } = await gather({ ...gatherRequest(options), pullRequest: number });
  const subjects = new Set([`pr #${number}`]);
  const rules = loadRules(config, overrides).filter((rule) => !unreadable || rule.collection.subjectKinds.includes('pr'));
  const evaluation = unreadable
    ? // Nothing about the PR could be read: every rule that judges pull requests is inconclusive.
      inconclusiveEvaluation(rules, 'github-pull-request', { kind: 'pr', name: `#${number}` }, `#${number} could not be read: ${unreadable.message}`, unreadable.fix)
    : evaluate(rules, snapshot, config, { subjects, ruleTimeoutMs: ruleTimeout(options) });
  if (options.debug) process.stderr.write(`release-lint: ${client!.calls} GitHub queries\n`);
  return report({ command: 'pr', options, outputs, config, snapshot, root, rules, evaluation, subjects: new Set([`pr #${number}`]), maxWarnings, started });
}

/** Runs the command line; returns the exit code. Errors are one line unless --debug. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`release-lint | head`) is not an error.
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  try {
    return await runReportingErrors(argv);
  } finally {
    cancelEarlyRuns();
    if (timingsEnabled) process.stderr.write(renderTimings(gitProcessCount()));
  }
}

async function runReportingErrors(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    const debug = argv.includes('--debug');
    if (error instanceof InputError) {
      process.stderr.write(`release-lint: ${error.toLine()}\n`);
      if (debug && error.stack) process.stderr.write(error.stack + '\n');
    } else {
      process.stderr.write(`release-lint: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
      if (debug) process.stderr.write(((error as Error).stack ?? '') + '\n');
      else process.stderr.write('release-lint: run with --debug for details\n');
    }
    return 2;
  }
}
