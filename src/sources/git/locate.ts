import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { firstError, moveEarlyRuns, runGit, runGitEarly } from './run.js';

/** Also asks where git reads grafts (info/grafts, or GIT_GRAFT_FILE): they rewrite parents, and git has no switch to ignore them. */
const locateArgs = ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--show-toplevel', '--git-path', 'info/grafts'];

/**
 * Starts the first git process (finding the work tree) before the rest of the CLI has loaded, so
 * loading and git overlap; `locateRepository` for the same folder takes the answer.
 */
export function prefetchLocation(dir: string): void {
  if (existsSync(dir)) runGitEarly(dir, locateArgs);
}

export interface RepositoryLocation {
  root: string;
  shallow: boolean;
  /** The graft file when it exists: the history git shows is then not the repository's own. */
  grafts?: string;
}

/** Finds the work tree that contains `dir` (one git process). Bare repositories are refused. */
export async function locateRepository(dir: string): Promise<RepositoryLocation> {
  if (!existsSync(dir)) throw new InputError('folder does not exist', dir);
  const result = await runGit(dir, locateArgs);
  const lines = result.stdout.toString('utf8').split('\n');
  if (lines[0] === 'true') throw new InputError('is a bare repository; release-lint needs a clone with a work tree', dir);
  if (result.exitCode !== 0 || !lines[2]) {
    const reason = result.stderr.includes('not a git repository') ? 'is not a git repository' : `cannot be read by git: ${firstError(result.stderr)}`;
    throw new InputError(reason, dir);
  }
  moveEarlyRuns(dir, lines[2]);
  // git prints the path relative to the folder it ran in.
  const grafts = lines[3] ? resolve(dir, lines[3]) : '';
  return { root: lines[2], shallow: lines[1] === 'true', ...(grafts && existsSync(grafts) ? { grafts } : {}) };
}

