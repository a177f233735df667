import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, read, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The line of git's stderr that says what failed: the fatal one, not a warning printed before it. */
export function firstError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.find((line) => line.startsWith('fatal:') || line.startsWith('error:')) ?? lines[0] ?? '';
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed (exit ${exitCode}): ${firstError(stderr)}`);
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

export interface GitRunOptions {
  /** Run at the lowest CPU priority: for work whose answer is needed last (a failure to renice is harmless). */
  lowPriority?: boolean;
  /**
   * For a large answer read as it arrives (streamGit): git writes it to a temporary file, in full
   * blocks (GIT_FLUSH=0), and the run reads the file as it grows. Through a pipe, git stops
   * whenever the pipe's 64 KiB are full and node is busy elsewhere (loading rules, parsing the
   * tags): that stalled a 100,000-commit walk by half; and it wrote a line per system call.
   */
  spooled?: boolean;
}

/** Receives a command's standard output as it arrives, instead of as one buffer at the end. */
export type OutputSink = (chunk: Buffer) => void;

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, 19);
  } catch {
    /* not permitted, or already exited */
  }
}

interface StartedGit {
  cwd: string;
  child: ChildProcess;
  answer: Promise<GitResult>;
  /** Hands the output to `sink` from now on, after what arrived before (streamed commands); a chunk is valid during the call only. */
  stream(sink: OutputSink): void;
  /** Stops the command and removes what it left (a spool file). */
  stop(): void;
}

const spooledEnv: NodeJS.ProcessEnv = { ...gitEnvForReading, GIT_FLUSH: '0' };

/** Spooled commands still running or being read: stopped (and their files removed) by stopGitRuns. */
const spooledRuns = new Set<StartedGit>();

const spanName = (args: readonly string[]) => `git ${args.filter((a) => !a.startsWith('--format=')).join(' ').slice(0, 38)}`;

function startGit(cwd: string, args: readonly string[], input?: string, options: GitRunOptions = {}): StartedGit {
  if (options.spooled) return startSpooledGit(cwd, args);
  countGitProcess();
  const done = startSpan(spanName(args));
  const child = spawn('git', args, { cwd, env: gitEnvForReading, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.lowPriority && child.pid !== undefined) lowerPriority(child.pid);
  let out: Buffer[] = [];
  let sink: OutputSink | undefined;
  const stream = (to: OutputSink) => {
    for (const chunk of out) to(chunk);
    out = [];
    sink = to;
  };
  const answer = new Promise<GitResult>((resolve, reject) => {
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => (sink ? sink(chunk) : out.push(chunk)));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      done();
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 });
    });
    child.stdin!.on('error', () => {
      /* git may exit before reading all input; its exit code tells the story */
    });
    child.stdin!.end(input ?? '');
  });
  return { cwd, child, answer, stream, stop: () => child.kill() };
}

/**
 * A git command whose standard output goes to a temporary file, read back in large pieces as it
 * grows (see GitRunOptions.spooled). The answer resolves once git has exited and the sink has had
 * every byte; the file is removed then, or when the run is stopped.
 */
function startSpooledGit(cwd: string, args: readonly string[]): StartedGit {
  countGitProcess();
  const done = startSpan(spanName(args));
  const folder = mkdtempSync(join(tmpdir(), 'release-lint-'));
  const file = join(folder, 'out');
  const fd = openSync(file, 'w+', 0o600);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  };
  const child = spawn('git', args, { cwd, env: spooledEnv, stdio: ['ignore', fd, 'pipe'] });
  const err: Buffer[] = [];
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  let exitCode: number | undefined;
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      done();
      exitCode = code ?? -1;
      resolve();
    });
  });
  let sink: OutputSink | undefined;
  let drained: () => void = () => {};
  const readAll = new Promise<void>((resolve) => (drained = resolve));
  const piece = Buffer.allocUnsafe(1 << 18);
  let position = 0;
  // Reads what git has written so far; when there is nothing new, waits a moment unless git had
  // already exited before this read began (then nothing more can come).
  const pump = () => {
    if (removed) return drained();
    const finished = exitCode !== undefined;
    read(fd, piece, 0, piece.length, position, (error, bytes) => {
      if (error || removed) return drained();
      if (bytes > 0) {
        position += bytes;
        sink!(piece.subarray(0, bytes));
        setImmediate(pump);
      } else if (finished) drained();
      else setTimeout(pump, 2);
    });
  };
  const started: StartedGit = {
    cwd,
    child,
    stream: (to) => {
      sink = to;
      pump();
    },
    stop: () => {
      child.kill();
      remove();
    },
    // Answered once git has exited and a sink has read every byte (an early run nobody takes never is).
    answer: Promise.all([exited, readAll])
      .then(() => ({ stdout: Buffer.alloc(0), stderr: Buffer.concat(err).toString('utf8'), exitCode: exitCode ?? -1 }))
      .finally(() => {
        remove();
        spooledRuns.delete(started);
      }),
  };
  spooledRuns.add(started);
  return started;
}

/** Read-only commands started before anyone asked, by their arguments (see runGitEarly). */
const early = new Map<string, StartedGit>();
const keyOf = (args: readonly string[]) => args.join('\0');

/**
 * Starts a read-only git command now, for a later `runGit` with the same folder and arguments to
 * take: the entry point runs the commands a check will most likely need while the CLI loads.
 */
export function runGitEarly(cwd: string, args: readonly string[], options: GitRunOptions = {}): void {
  const key = keyOf(args);
  if (early.has(key)) return;
  const started = startGit(cwd, args, undefined, options);
  started.answer.catch(() => {});
  early.set(key, started);
}

/**
 * Early commands started in `from` serve runs in `to` as well: both are folders of one repository
 * (a sub-folder and its work tree's root), and these commands read only refs and objects.
 */
export function moveEarlyRuns(from: string, to: string): void {
  for (const started of early.values()) if (started.cwd === from) started.cwd = to;
}

/**
 * Stops the early commands nobody took (the config asked for other refs) and spooled commands a
 * failed run left reading, and removes their files, so the process can exit leaving nothing behind.
 */
export function cancelEarlyRuns(): void {
  for (const started of [...early.values(), ...spooledRuns]) started.stop();
  early.clear();
  spooledRuns.clear();
}

/**
 * Runs git without a shell. `input` is written to stdin. Never throws on a non-zero exit:
 * callers decide what a failure means (a missing ref is a fact, not a crash).
 */
export function runGit(cwd: string, args: readonly string[], input?: string, options: GitRunOptions = {}): Promise<GitResult> {
  return takeOrStart(cwd, args, input, options).answer;
}

function takeOrStart(cwd: string, args: readonly string[], input: string | undefined, options: GitRunOptions): StartedGit {
  const key = keyOf(args);
  const started = input === undefined ? early.get(key) : undefined;
  if (started?.cwd === cwd) {
    early.delete(key);
    return started;
  }
  return startGit(cwd, args, input, options);
}

/**
 * Like runGit, but the output goes to `sink` as it arrives (the result's stdout is empty): a
 * large answer is parsed while git still writes it, and never held whole.
 */
export function streamGit(cwd: string, args: readonly string[], sink: OutputSink, options: GitRunOptions = {}): Promise<GitResult> {
  return openGit(cwd, args, options).read(sink);
}

/**
 * Starts a command (or takes its early run) now and reads its output later, when `read` is
 * called: a spooled command keeps writing meanwhile, and the reading waits for a quieter moment.
 */
export function openGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): { read(sink: OutputSink): Promise<GitResult> } {
  const started = takeOrStart(cwd, args, undefined, options);
  return {
    read(sink) {
      started.stream(sink);
      return started.answer;
    },
  };
}

/** Like runGit, but a non-zero exit is an error. */
export async function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  const result = await runGit(cwd, args, input);
  if (result.exitCode !== 0) throw new GitError(args, result.exitCode, result.stderr);
  return result.stdout;
}
