/**
 * The command line's entry point, kept small: it starts the git commands a check most likely
 * needs, then loads the rest of the CLI while they run. The guesses are read-only commands for
 * the default settings; a run whose config asks for other refs starts its own and the unused
 * ones are stopped.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { prefetchLocation } from '../sources/git/locate.js';
import { defaultRefSettings } from '../config/types.js';
import { candidateCommitArgs, refCommands } from '../sources/git/ref-commands.js';
import { remoteConfigArgs } from '../sources/git/remote-config.js';
import { runGitEarly, useHookRepository } from '../sources/git/run.js';
import { optionSpec, type Options } from './options.js';

/** What can be started before the CLI has loaded: nothing for bad or non-git command lines. */
function earlyWork(argv: string[]): { folder: string; check: boolean; collects: boolean; hook: boolean; candidates: boolean; candidateRef?: string } | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch {
    return undefined; // the CLI reports it
  }
  const options = parsed.values as Options;
  if (options.help || options.version || options.snapshot !== undefined || options.remote !== undefined) return undefined;
  const command = parsed.positionals[0] ?? 'check';
  const collects = ['check', 'snapshot', 'tag', 'release', 'hook', 'pr', 'baseline'].includes(command);
  return {
    folder: resolve(options.repo ?? '.'),
    check: command === 'check',
    collects,
    hook: command === 'hook',
    candidates: ['tag', 'hook', 'release'].includes(command),
    candidateRef: command === 'tag' ? (options.ref ?? 'HEAD') : undefined,
  };
}

export async function main(argv: string[]): Promise<number> {
  // V8 doubles the young generation up to 2 x 16 MB while a check builds its long-lived snapshot,
  // a third of the peak memory at 10,000 tags; kept at its initial size, it costs some more
  // scavenges. Judging one tag (tag, the hook, release) keeps little: there the default saves half
  // the collection time (30 ms at 10,000 tags), which a push waits for. The factor is read at each
  // growth, so setting it now takes effect; it changes when memory is collected, never results.
  const early = earlyWork(argv);
  if (!early?.candidates) setFlagsFromString('--semi-space-growth-factor=1');
  // A rule's regular expression that backtracks without end (`(a+)+$` on a tag message) falls
  // back to V8's linear-time engine instead of hanging CI; --rule-timeout catches the rest.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  // Run by `git push`, the hook judges the repository git names in its environment; any other
  // command judges the one -C names, whatever GIT_DIR an enclosing git process left set.
  if (early?.hook) useHookRepository();
  if (early && existsSync(early.folder)) {
    const commands = refCommands(defaultRefSettings);
    // The history walk is what a check waits for longest: it goes first.
    if (early.check) runGitEarly(early.folder, commands.history);
    prefetchLocation(early.folder);
    if (early.check) runGitEarly(early.folder, commands.records);
    // A candidate run reads the tags without their messages, while the CLI loads.
    if (early.candidates) runGitEarly(early.folder, commands.recordsWithoutMessages);
    if (early.candidateRef !== undefined) runGitEarly(early.folder, candidateCommitArgs(early.candidateRef));
    // Which remotes the clone has: ls-remote waits for it, and connects only to one of them.
    if (early.collects) runGitEarly(early.folder, remoteConfigArgs);
  }
  // A promise that never settles (a JavaScript config whose top-level await waits forever) lets
  // node end the run with exit code 13 and not a word: say so, and exit 2 like any bad input.
  let finished = false;
  process.once('exit', () => {
    // Node's own exit listener sets the 13 after the exit code was passed to listeners.
    if (finished || process.exitCode !== 13) return;
    process.stderr.write("release-lint: stopped before judging anything: it waited on a promise that never settles (a JavaScript config's top-level await?)\n");
    process.exitCode = 2;
  });
  const cli = await import('./main.js');
  const code = await cli.main(argv);
  finished = true;
  return code;
}
