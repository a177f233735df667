/** The command line read: the command, its arguments and options, checked before any work. */
import { parseArgs } from 'node:util';
import type { LoadOptions } from '../config/load.js';
import { normalizeSeverity, type RuleSetting } from '../config/types.js';
import { defaultRuleTimeoutMs } from '../engine/evaluate.js';
import { InputError } from '../errors.js';
import { formatNames, type FormatName } from '../report/formatters.js';
import { didYouMean } from '../schema/validate.js';
import type { GatherRequest } from './gather.js';
import { optionSpec, type Options } from './options.js';
import { checkReportPath, workTreeAround } from './output.js';

export const commands = ['check', 'snapshot', 'tag', 'pr', 'release', 'hook', 'install-hook', 'rules', 'explain', 'init', 'baseline', 'test'] as const;
export type Command = (typeof commands)[number];

/** A format and the file it goes to (standard output without one). */
export interface Output {
  format: FormatName;
  file?: string;
}

/** A command as the command line asks for it, its options checked. */
export interface Invocation {
  command: Command;
  options: Options;
  args: string[];
  outputs: Output[];
  overrides: Record<string, RuleSetting>;
  maxWarnings: number;
  /** When the run started (SARIF's invocation). */
  started: Date;
}

export function parseCommandLine(argv: string[]): { command: Command; options: Options; args: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${commandLineProblem(error as NodeJS.ErrnoException)} (see release-lint --help)`);
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
    test: [0, Infinity, ''],
  };
  const [min, max, missing] = expected[command as Command];
  if (rest.length < min) throw new InputError(missing);
  if (rest.length > max) throw new InputError(`unexpected argument "${rest[max]}" for ${command}`);
  if (command === 'hook' && rest[0] !== 'pre-push') throw new InputError(`unknown hook "${rest[0]}" (hooks: pre-push)`);
  const values = parsed.values as Options;
  if (command !== 'tag' && (values.ref !== undefined || values.message !== undefined || values['message-file'] !== undefined)) {
    throw new InputError('--ref, -m and --message-file go with the tag command');
  }
  if (values.trace !== undefined && !['check', 'tag', 'pr', 'release'].includes(command)) throw new InputError('--trace goes with check (and tag, pr, release)');
  if (values.message && values['message-file']) throw new InputError('give the message with -m or with --message-file, not both');
  if (command === 'pr' && !/^[1-9]\d*$/.test(rest[0])) throw new InputError(`pr expects a pull request number, got "${rest[0]}"`);
  return { command: command as Command, options: values, args: rest };
}

/** node's parseArgs error in one line; a mistyped long option gets the closest known one. */
function commandLineProblem(error: NodeJS.ErrnoException): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']+)'/.exec(error.message)?.[1] : undefined;
  if (unknown) {
    // A short option is one letter: any other is as close, so only long ones get a suggestion.
    const suggestion = unknown.startsWith('--') ? didYouMean(unknown.slice(2), Object.keys(optionSpec ?? {})) : undefined;
    return `unknown option ${unknown}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`;
  }
  return error.message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
}

/**
 * The options every command shares, checked before any work: the formats and their files (a
 * report path that would be refused is refused now), --max-warnings, --rule, --rule-timeout,
 * --sarif-category.
 */
export function invocationOf(command: Command, options: Options, args: string[], started: Date): Invocation {
  const outputs = outputsOf(options);
  // Before any work: a report path that would be refused is refused now.
  const reportFiles = [...outputs.map((o) => o.file), command === 'baseline' ? options.output : undefined].filter((file): file is string => file !== undefined);
  // Walked up to only when a report goes to a file: most runs write to the terminal.
  const workTree = reportFiles.length > 0 ? workTreeAround(options.repo ?? '.') : undefined;
  for (const file of reportFiles) checkReportPath(file, workTree);
  const maxWarnings = options['max-warnings'] === undefined ? Infinity : Number(options['max-warnings']);
  if ((!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) || maxWarnings < 0) {
    throw new InputError(`--max-warnings expects a whole number, got "${options['max-warnings']}"`);
  }
  const overrides = ruleOverrides(options.rule);
  const ruleTimeoutMs = ruleTimeout(options);
  if (!Number.isInteger(ruleTimeoutMs) || ruleTimeoutMs < 1) {
    throw new InputError(`--rule-timeout expects a number of milliseconds, got "${options['rule-timeout']}"`);
  }
  const category = options['sarif-category'];
  // Code scanning reads the id up to its last '/' as the category: it must not be empty.
  if (category !== undefined && (category.replace(/\/+$/, '') === '' || /[\u0000-\u001f\u007f]/.test(category))) {
    throw new InputError(`--sarif-category expects a category such as release-lint/tag, got ${JSON.stringify(category)}`);
  }
  return { command, options, args, outputs, overrides, maxWarnings, started };
}

/** `-f human -f sarif -o x.sarif` or `-f sarif=x.sarif`: each format with its file, at most one on stdout. */
function outputsOf(options: Options): Output[] {
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

/** --rule-timeout, checked when the command line is read. */
export function ruleTimeout(options: Options): number {
  return options['rule-timeout'] === undefined ? defaultRuleTimeoutMs : Number(options['rule-timeout']);
}

/** How configs may be loaded: --no-js-config refuses JavaScript ones. */
export function configLoading(options: Options): LoadOptions {
  return { javascript: options['no-js-config'] !== true };
}

/** What the command line asks gathering for, whatever the command. */
export function gatherRequest(options: Options): GatherRequest {
  return {
    folder: options.repo,
    configFile: options.config,
    loading: configLoading(options),
    remote: options.remote,
    snapshotFile: options.snapshot,
    github: { offline: options.offline, apiUrl: options['github-api-url'] },
  };
}
