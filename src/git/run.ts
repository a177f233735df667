import { spawn } from 'node:child_process';
import { gitStarted, startSpan } from '../timings.js';

/**
 * Environment for every git process: no prompts, no optional lock files (so reading never
 * writes to .git), no lazy fetch of missing blobs in partial clones, stable C messages.
 */
export const gitEnvForReading: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_NO_LAZY_FETCH: '1',
  LC_ALL: 'C',
};

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed (exit ${exitCode}): ${stderr.trim().split('\n')[0] ?? ''}`);
    this.name = 'GitError';
  }
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

let processCount = 0;
/** Number of git processes started by this process (reported with RELEASE_LINT_TIMINGS/--debug). */
export function gitProcessCount(): number {
  return processCount;
}

export function countGitProcess(): void {
  processCount++;
  gitStarted();
}

/**
 * Runs git without a shell. `input` is written to stdin. Never throws on a non-zero exit:
 * callers decide what a failure means (a missing ref is a fact, not a crash).
 */
export function runGit(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  countGitProcess();
  const done = startSpan(`git ${args.filter((a) => !a.startsWith('--format=')).join(' ').slice(0, 38)}`);
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnvForReading, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      done();
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 });
    });
    child.stdin.on('error', () => {
      /* git may exit before reading all input; its exit code tells the story */
    });
    child.stdin.end(input ?? '');
  });
}

/** Like runGit, but a non-zero exit is an error. */
export async function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  const result = await runGit(cwd, args, input);
  if (result.exitCode !== 0) throw new GitError(args, result.exitCode, result.stderr);
  return result.stdout;
}
