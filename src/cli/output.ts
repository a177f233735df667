/**
 * Where reports go: standard output, or a file the user named, never through a symbolic link nor
 * into a git directory. Kept in the CLI: the reporters only make text, and these checks are about
 * the paths given on the command line (-o, -f format=file), refused before any work is done.
 */
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import type { Options } from './options.js';

/**
 * Colour for a report: --no-color and --color first, then FORCE_COLOR (as node reads it: `0` or
 * `false` turns colour off, any other value, empty too, on), then NO_COLOR (only when not empty,
 * as no-color.org says), else only on a terminal.
 */
export function useColor(options: Options, toFile: boolean): boolean {
  if (options['no-color']) return false;
  if (options.color) return true;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (process.env.NO_COLOR) return false;
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

/** The work tree around a folder: the nearest folder, itself or above, that holds a `.git` entry. */
export function workTreeAround(folder: string): string | undefined {
  let dir = resolve(folder);
  try {
    dir = realpathSync(dir);
  } catch {
    return undefined;
  }
  for (; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Refuses a report path that is a symbolic link (a committed `release-lint.sarif -> ../../x` would
 * redirect the write) or that lies inside a git directory, whichever way it is written
 * (`.git/config`, `sub/../.git/config`, a folder that links into .git).
 */
export function checkOutputPath(output: string): void {
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

/**
 * A report path as the command line gives it: checkOutputPath, and a folder that does not exist is
 * accepted only inside the work tree (write creates it there); a mistyped path elsewhere is
 * refused rather than built.
 */
export function checkReportPath(output: string, workTree: string | undefined): void {
  checkOutputPath(output);
  if (standardStreams[output]) return;
  let existing = dirname(resolve(output));
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const missing = relative(existing, dirname(resolve(output)));
  if (missing === '') return;
  const inside = workTree === undefined ? '..' : relative(workTree, join(realpathSync(existing), missing));
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside) || missing.split(sep).includes('.git')) {
    const where = workTree === undefined ? 'release-lint creates report folders only inside a work tree' : `release-lint creates report folders only inside the work tree ${workTree}`;
    throw new InputError(`the folder ${dirname(output)} does not exist (${where})`, output);
  }
}

/** The names of the standard streams: links the system makes, written to as the streams they are. */
const standardStreams: Record<string, NodeJS.WriteStream | undefined> = { '/dev/stdout': process.stdout, '/dev/stderr': process.stderr };

/** The report goes to standard output, or to a file opened without following a symbolic link. */
export function write(report: string | Iterable<string>, output?: string): void {
  const stream = output ? standardStreams[output] : process.stdout;
  if (stream) {
    for (const text of batches(report)) stream.write(text);
    return;
  }
  output = output!;
  checkOutputPath(output);
  let fd: number | undefined;
  try {
    // The command line accepted a missing folder only inside the work tree (checkReportPath).
    if (!existsSync(dirname(output))) mkdirSync(dirname(output), { recursive: true });
    // O_NOFOLLOW: a link that appears after the check is refused by the kernel too.
    fd = openSync(output, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o666);
    for (const text of batches(report)) writeFileSync(fd, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new InputError('refusing to write the report through a symbolic link; remove the link or write elsewhere', output);
    throw new InputError(`cannot write the report: ${code ?? (error as Error).message}`, output);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A report in pieces of at least 64 KiB (a whole text as it is): few writes, never the whole report at once. */
function* batches(report: string | Iterable<string>): Generator<string> {
  if (typeof report === 'string') {
    yield report;
    return;
  }
  let batch = '';
  for (const piece of report) {
    batch += piece;
    if (batch.length >= 65536) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}
