import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { gitStarted, startSpan } from '../../timings.js';

/**
 * Variables that choose the repository git works on. Every git hook runs with some of them set
 * (GIT_DIR at least), and they override `-C`: inherited, a hook of one repository would have
 * release-lint judge another's refs with the first one's config. They are removed for every git
 * process, except in the pre-push hook (`useHookRepository`).
 */
export const repositoryVariables = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE'] as const;

/**
 * Environment for every git process: no prompts, no optional lock files (so reading never
 * writes to .git), no lazy fetch of missing blobs in partial clones, no replace refs (`git
 * replace` would change the history and the files a ref shows), stable C messages, and the
 * repository chosen by `-C` alone.
 */
function readingEnv(hookRepository: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
    // git before 2.45 ignores GIT_NO_LAZY_FETCH: with no transport allowed, its lazy fetch of a
    // partial clone's missing object fails too (ls-remote, the one command that connects, gets
    // the user's own setting back: see lsRemoteCommand).
    GIT_ALLOW_PROTOCOL: '',
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
  };
  for (const name of repositoryVariables) {
    const value = env[name];
    if (!hookRepository || value === undefined) delete env[name];
    // git resolves relative paths against the folder it runs in, and release-lint runs git at the
    // work tree's root, not where the hook started: they are made absolute once.
    else if (name === 'GIT_ALTERNATE_OBJECT_DIRECTORIES') env[name] = value.split(':').map((dir) => (dir && !isAbsolute(dir) ? resolve(dir) : dir)).join(':');
    else if (name !== 'GIT_NAMESPACE' && value !== '') env[name] = resolve(value);
  }
  return env;
}

export let gitEnvForReading: NodeJS.ProcessEnv = readingEnv(false);

/**
 * For a command whose whole answer is read at its end: into a pipe, git otherwise writes each
 * line with its own system call (ten thousand for the history graph, and as many pieces for node).
 */
let oneAnswerEnv: NodeJS.ProcessEnv = { ...gitEnvForReading, GIT_FLUSH: '0' };

/**
 * The pre-push hook runs inside `git push`: the repository is the one git set in the
 * environment (`git --git-dir=… push` runs the hook outside the work tree, with GIT_DIR and
 * GIT_WORK_TREE set), so those variables are kept. Called before any git process starts.
 */
export function useHookRepository(): void {
  gitEnvForReading = readingEnv(true);
  oneAnswerEnv = { ...gitEnvForReading, GIT_FLUSH: '0' };
}

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
  /** Variables set for this command on top of the reading environment. */
  env?: NodeJS.ProcessEnv;
}

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, 19);
  } catch {
    /* not permitted, or already exited */
  }
}

/** Receives a command's standard output as it arrives, instead of as one buffer at the end. */
export type OutputSink = (chunk: Buffer) => void;

interface StartedGit {
  cwd: string;
  child: ChildProcess;
  answer: Promise<GitResult>;
  /** Hands the output to `sink` from now on, after what arrived before (the answer's stdout is then empty). */
  stream(sink: OutputSink): void;
}

function startGit(cwd: string, args: readonly string[], input?: string, options: GitRunOptions = {}): StartedGit {
  countGitProcess();
  const done = startSpan(`git ${args.filter((a) => !a.startsWith('--format=')).join(' ').slice(0, 38)}`);
  const child = spawn('git', args, { cwd, env: options.env ? { ...oneAnswerEnv, ...options.env } : oneAnswerEnv, stdio: ['pipe', 'pipe', 'pipe'] });
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
  return { cwd, child, answer, stream };
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

/** Stops the early commands nobody took (the config asked for other refs), so the process can exit. */
export function cancelEarlyRuns(): void {
  for (const started of early.values()) started.child.kill();
  early.clear();
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
export function streamGit(cwd: string, args: readonly string[], sink: OutputSink): Promise<GitResult> {
  const started = takeOrStart(cwd, args, undefined, {});
  started.stream(sink);
  return started.answer;
}

/** Like runGit, but a non-zero exit is an error. */
export async function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  const result = await runGit(cwd, args, input);
  if (result.exitCode !== 0) throw new GitError(args, result.exitCode, result.stderr);
  return result.stdout;
}
