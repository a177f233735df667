import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { runGit, type GitResult } from './run.js';

const locateArgs = ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--show-toplevel'];
/** rev-parse answers started early, by folder (see prefetchLocation). */
const prefetched = new Map<string, Promise<GitResult>>();

/**
 * Starts the first git process (finding the work tree) before the rest of the CLI has loaded, so
 * loading and git overlap. `locateRepository` for the same folder takes the answer.
 */
export function prefetchLocation(dir: string): void {
  if (!prefetched.has(dir) && existsSync(dir)) {
    const answer = runGit(dir, locateArgs);
    answer.catch(() => {});
    prefetched.set(dir, answer);
  }
}

export interface RepositoryLocation {
  root: string;
  shallow: boolean;
}

/** Finds the work tree that contains `dir` (one git process). Bare repositories are refused. */
export async function locateRepository(dir: string): Promise<RepositoryLocation> {
  if (!existsSync(dir)) throw new InputError('folder does not exist', dir);
  const early = prefetched.get(dir);
  prefetched.delete(dir);
  const result = await (early ?? runGit(dir, locateArgs));
  const lines = result.stdout.toString('utf8').split('\n');
  if (lines[0] === 'true') throw new InputError('is a bare repository; release-lint needs a clone with a work tree', dir);
  if (result.exitCode !== 0 || !lines[2]) {
    const reason = result.stderr.includes('not a git repository') ? 'is not a git repository' : `cannot be read by git: ${result.stderr.trim().split('\n')[0]}`;
    throw new InputError(reason, dir);
  }
  return { root: lines[2], shallow: lines[1] === 'true' };
}

