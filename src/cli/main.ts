import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config/load.js';
import { normalizeSeverity, type ResolvedConfig, type RuleSetting } from '../config/types.js';
import { evaluate } from '../engine/evaluate.js';
import { loadRules } from '../engine/rules.js';
import { InputError } from '../errors.js';
import { gitProcessCount } from '../git/run.js';
import { toolVersion } from '../package-root.js';
import { renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { summarize, type ReportInput } from '../report/types.js';
import { collectGitSnapshot, locateRepository, type CollectOptions, type RepositoryLocation } from '../snapshot/collect-git.js';
import { installHook, parsePrePushInput } from './hook.js';
import { loadSnapshotFile } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';

const usage = `Usage: release-lint [command] [options]

Commands:
  check                     lint the repository's release state (default)
  tag <name>                lint a tag before it is created or pushed: the existing tag, or the one
                            \`git tag -a <name> <ref> -m <message>\` would create; exit 0 = safe to push
      --ref <commit-ish>    where the tag would point (default HEAD)
      -m <message>          its message (repeatable, like git tag); without one it counts as lightweight
      --message-file <f>    its message from a file
  snapshot                  print the collected snapshot as JSON
  hook pre-push <remote> <url>   the pre-push hook: reads git's input, lints each pushed release tag
  install-hook [--force]    install that hook in .git/hooks (--force keeps a foreign hook as pre-push.local)

Options:
  -C, --repo <dir>           repository to lint (default: current folder)
  -c, --config <file>        config file (default: .releasepolicyrc.* or package.json#releasepolicy in the repository root)
  -f, --format <name>        human (default) or json
  -o, --output <file>        write the report to a file instead of standard output
      --snapshot <file>      lint a saved snapshot instead of reading git
      --rule <id>=<severity> override a rule's severity (off, note, warn, error); repeatable
      --max-warnings <n>     fail when there are more than n warnings
      --allow-inconclusive   do not fail on rules that could not be decided
      --offline              no network: the remote's tags are not read, so rules that need them are inconclusive
  -q, --quiet                report errors only
      --no-color, --color    never / always colour the output (also NO_COLOR=1, FORCE_COLOR=1)
      --debug                show stack traces and git process counts
  -v, --version              print the version
  -h, --help                 print this help

Exit codes: 0 no failing findings, 1 failing findings or inconclusive rules, 2 usage, config or runtime error.`;

const optionSpec: ParseArgsConfig['options'] = {
  repo: { type: 'string', short: 'C' },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  snapshot: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'max-warnings': { type: 'string' },
  'allow-inconclusive': { type: 'boolean' },
  offline: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  debug: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  ref: { type: 'string' },
  message: { type: 'string', short: 'm', multiple: true },
  'message-file': { type: 'string' },
  force: { type: 'boolean' },
};

const commands = ['check', 'snapshot', 'tag', 'hook', 'install-hook'] as const;
const formats = ['human', 'json'] as const;

interface Options {
  repo?: string;
  config?: string;
  format?: string;
  output?: string;
  snapshot?: string;
  rule?: string[];
  'max-warnings'?: string;
  'allow-inconclusive'?: boolean;
  quiet?: boolean;
  'no-color'?: boolean;
  color?: boolean;
  debug?: boolean;
  version?: boolean;
  help?: boolean;
  offline?: boolean;
  ref?: string;
  message?: string[];
  'message-file'?: string;
  force?: boolean;
}

type Command = (typeof commands)[number];

function parseCommandLine(argv: string[]): { command: Command; options: Options; args: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '')} (see release-lint --help)`);
  }
  const [command = 'check', ...rest] = parsed.positionals;
  if (!(commands as readonly string[]).includes(command)) throw new InputError(`unknown command "${command}" (commands: ${commands.join(', ')})`);
  const expected: Record<Command, [number, number]> = { check: [0, 0], snapshot: [0, 0], tag: [1, 1], hook: [1, 3], 'install-hook': [0, 0] };
  const [min, max] = expected[command as Command];
  if (rest.length < min) throw new InputError(command === 'tag' ? 'tag needs the tag name: release-lint tag <name>' : 'hook needs its type: release-lint hook pre-push');
  if (rest.length > max) throw new InputError(`unexpected argument "${rest[max]}" for ${command}`);
  if (command === 'hook' && rest[0] !== 'pre-push') throw new InputError(`unknown hook "${rest[0]}" (hooks: pre-push)`);
  const values = parsed.values as Options;
  if (command !== 'tag' && (values.ref !== undefined || values.message !== undefined || values['message-file'] !== undefined)) {
    throw new InputError('--ref, -m and --message-file go with the tag command');
  }
  if (values.message && values['message-file']) throw new InputError('give the message with -m or with --message-file, not both');
  return { command: command as Command, options: values, args: rest };
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

function useColor(options: Options): boolean {
  if (options['no-color'] || 'NO_COLOR' in process.env) return false;
  if (options.color || (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0')) return true;
  return !options.output && process.stdout.isTTY === true;
}

function write(text: string, output?: string): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new InputError(`cannot write the report: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, output);
  }
}

interface Repository {
  location: RepositoryLocation;
  config: ResolvedConfig;
}

async function openRepository(options: Options): Promise<Repository> {
  const location = await locateRepository(resolve(options.repo ?? '.'));
  return { location, config: await loadConfig(location.root, options.config) };
}

async function gather(options: Options, repository?: Repository, collect: CollectOptions = {}): Promise<{ config: ResolvedConfig; snapshot: Snapshot }> {
  if (options.snapshot) {
    const config = await loadConfig(resolve(options.repo ?? '.'), options.config);
    return { config, snapshot: loadSnapshotFile(options.snapshot) };
  }
  const { location, config } = repository ?? (await openRepository(options));
  return { config, snapshot: await collectGitSnapshot(location, config, { offline: options.offline, ...collect }) };
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
    try {
      return readFileSync(options['message-file'], 'utf8');
    } catch (error) {
      throw new InputError(`cannot read the message file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, options['message-file']);
    }
  }
  // Like git tag, each -m is a paragraph.
  return options.message ? options.message.join('\n\n') : null;
}

async function run(argv: string[]): Promise<number> {
  const { command, options, args } = parseCommandLine(argv);
  if (options.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (options.version) {
    process.stdout.write(`${toolVersion}\n`);
    return 0;
  }
  const format = options.format ?? 'human';
  if (!(formats as readonly string[]).includes(format)) throw new InputError(`unknown format "${format}" (formats: ${formats.join(', ')})`);
  const maxWarnings = options['max-warnings'] === undefined ? Infinity : Number(options['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new InputError(`--max-warnings expects a whole number, got "${options['max-warnings']}"`);
  if (maxWarnings < 0) throw new InputError(`--max-warnings expects a whole number, got "${options['max-warnings']}"`);
  const overrides = ruleOverrides(options.rule);

  if (command === 'install-hook') {
    const location = await locateRepository(resolve(options.repo ?? '.'));
    const hook = await installHook(location.root, options.force === true);
    process.stdout.write(`release-lint: installed ${hook}\n`);
    return 0;
  }

  let subjects: Set<string> | undefined;
  let repository: Repository | undefined;
  let collect: CollectOptions = {};
  if (command === 'tag') {
    if (options.snapshot) throw new InputError('the tag command reads the repository; it cannot lint a saved snapshot');
    const candidate = { name: args[0], ref: options.ref ?? 'HEAD', message: tagMessage(options) };
    subjects = new Set([`tag ${candidate.name}`]);
    collect = { candidate };
  } else if (command === 'hook') {
    const input = await readStdin();
    repository = await openRepository(options);
    const pushed = parsePrePushInput(input, repository.config.tags.prefix);
    // Branch pushes pass without collecting anything.
    if (pushed.length === 0) return 0;
    subjects = new Set(pushed.map((p) => `tag ${p.name}`));
    collect = { pushed };
  }

  if (command === 'snapshot') {
    const { snapshot } = await gather(options);
    write(JSON.stringify(snapshot, null, 2) + '\n', options.output);
    return 0;
  }

  const { config, snapshot } = await gather(options, repository, collect);
  const rules = loadRules(config, overrides);
  const evaluation = evaluate(rules, snapshot, config, { subjects });
  const summary = summarize(evaluation);
  const input: ReportInput = {
    tool: { name: 'release-lint', version: toolVersion },
    repository: snapshot.repository.name,
    counts: { tags: snapshot.tags.filter((t) => t.judged).length, branches: snapshot.branches.length, rules: rules.filter((r) => r.severity !== 'off').length },
    subjects: subjects ? [...subjects].map((s) => s.slice('tag '.length)) : undefined,
    evaluation,
    summary,
  };
  const report = format === 'json' ? renderJson(input) : renderHuman(input, { color: useColor(options), quiet: options.quiet === true });
  // A hook's output goes to the terminal of whoever pushed; git shows the hook's stderr.
  if (command === 'hook' && !options.output) process.stderr.write(report);
  else write(report, options.output);
  if (options.debug) process.stderr.write(`release-lint: ${gitProcessCount()} git processes\n`);
  const failed = summary.errors > 0 || summary.warnings > maxWarnings || (summary.inconclusive > 0 && !options['allow-inconclusive']);
  return failed ? 1 : 0;
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
