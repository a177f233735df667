/** The command line: reads it, runs its command, and turns errors into one line and exit code 2. */
import { cancelEarlyRuns, gitProcessCount } from '../sources/git/run.js';
import { InputError } from '../errors.js';
import { toolVersion } from '../package-root.js';
import { renderTimings, timingsEnabled } from '../timings.js';
import { invocationOf, parseCommandLine, type Command, type Invocation } from './arguments.js';
import { baselineCommand } from './baseline.js';
import { checkCommand } from './check.js';
import { explainCommand } from './explain.js';
import { hookCommand } from './hook.js';
import { initCommand } from './init.js';
import { installHookCommand } from './install-hook.js';
import { prCommand } from './pr.js';
import { releaseCommand } from './release.js';
import { rulesCommand } from './rules.js';
import { snapshotCommand } from './snapshot.js';
import { tagCommand } from './tag.js';
import { testCommand } from './test.js';
import { usage } from './usage.js';

const commandRuns: Record<Command, (invocation: Invocation) => Promise<number>> = {
  check: checkCommand,
  snapshot: snapshotCommand,
  tag: tagCommand,
  pr: prCommand,
  release: releaseCommand,
  hook: hookCommand,
  'install-hook': installHookCommand,
  rules: rulesCommand,
  explain: explainCommand,
  init: initCommand,
  baseline: baselineCommand,
  test: testCommand,
};

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
  return commandRuns[command](invocationOf(command, options, args, started));
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
