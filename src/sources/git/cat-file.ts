import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { countGitProcess, firstError, gitEnvForReading, runGit } from './run.js';
import { startSpan } from '../../timings.js';

export interface TreeEntry {
  /** Octal, as git writes it: 100644, 100755, 40000, 120000, 160000. */
  mode: string;
  name: string;
  oid: string;
}

export type BatchAnswer =
  | { kind: 'blob' | 'tag' | 'commit'; oid: string; content: Buffer }
  | { kind: 'tree'; oid: string; entries: TreeEntry[] }
  | { kind: 'missing' }
  /** The tree lists the path, but the object (`oid`: the file's, or a folder's on the way) is not in the repository. */
  | { kind: 'unreadable'; oid: string }
  | { kind: 'other'; type: string };

/** An object a tree names that the repository lacks (a damaged clone): what was asked, and the object. */
export interface UnreadableObject {
  request: string;
  oid: string;
}

/**
 * Reads objects by `<rev>:<path>` or object id, in rounds. A git `cat-file --batch` session in a
 * clone; GitHub's GraphQL `object(expression:)` in remote mode.
 */
export interface ObjectReader {
  read(requests: readonly string[], onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void>;
  /**
   * True once an object could not be read because a partial clone left it on its promisor
   * remote; it and every later request were answered `missing`. Nothing is ever fetched.
   */
  readonly objectsMissing?: boolean;
  /** The size in bytes of each requested object without reading it; -1 when it is missing. */
  sizes(requests: readonly string[]): Promise<number[]>;
  /**
   * Objects that were answered `unreadable` so far: their trees list them, yet they are not
   * here (outside a partial clone, the repository is damaged). What needs them is inconclusive.
   */
  readonly unreadable?: readonly UnreadableObject[];
}

/** `<commit>:<path>`, the requests a missing answer to is looked into. */
const pathRequest = /^([0-9a-f]{40}|[0-9a-f]{64}):(.+)$/;
const objectId = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `a/b/c` → [`a/b`, `c`]; `c` → [``, `c`] (`<commit>:` is the commit's root tree). */
function splitPath(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
}

/** git's words when an object of a partial clone is not here and lazy fetching is off. */
export const promisorObjectMissing = /from promisor remote|lazy fetching disabled/;

interface Round {
  count: number;
  answered: number;
  onAnswer: (index: number, answer: BatchAnswer) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * One `git cat-file --batch` process for the whole run. Requests go in rounds (`read`), so a
 * later round can depend on an earlier one (a tree listing, then its blobs) without a second
 * process. Answers stream to `onAnswer`, so large files are never all held in memory at once.
 */
export class CatFileSession implements ObjectReader {
  private child?: ChildProcessWithoutNullStreams;
  private pending: Buffer = Buffer.alloc(0);
  /** Chunks of an object that is still arriving, and the bytes `pending` needs to hold all of it. */
  private waiting: Buffer[] = [];
  private waitingLength = 0;
  private needed = 0;
  private readonly rounds: Round[] = [];
  private stderr = '';
  private failure?: Error;
  objectsMissing = false;
  readonly unreadable: UnreadableObject[] = [];

  constructor(private readonly cwd: string) {}

  private start(): ChildProcessWithoutNullStreams {
    countGitProcess();
    const done = startSpan('git cat-file --batch (session)');
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.cwd, env: gitEnvForReading, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    // A session that died (a partial clone's missing object) must not turn the next write into a crash.
    child.stdin.on('error', () => {});
    child.on('error', (error) => this.fail(new Error(`cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      done();
      if (this.rounds.length === 0) return;
      if (promisorObjectMissing.test(this.stderr)) this.answerMissingFromNowOn();
      else this.fail(new Error(`git cat-file --batch stopped (exit ${code}): ${firstError(this.stderr)}`));
    });
    child.stdin.on('error', () => {});
    return child;
  }

  /**
   * cat-file dies on the first object a partial clone does not have (GIT_NO_LAZY_FETCH): the
   * request it died on and all later ones are answered `missing`, without another process, and
   * the collector reports the file contents as unavailable.
   */
  private answerMissingFromNowOn(): void {
    this.objectsMissing = true;
    this.child = undefined;
    this.pending = Buffer.alloc(0);
    for (const round of this.rounds.splice(0)) {
      while (round.answered < round.count) round.onAnswer(round.answered++, { kind: 'missing' });
      round.resolve();
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const round of this.rounds.splice(0)) round.reject(error);
    this.child?.kill();
  }

  private receive(chunk: Buffer): void {
    // A large object arrives in many chunks: they are joined once it is complete, not at every
    // chunk (joining at every chunk copied a 50 MB CHANGELOG about 700 times).
    if (this.needed > 0 && this.pending.length + this.waitingLength + chunk.length < this.needed) {
      this.waiting.push(chunk);
      this.waitingLength += chunk.length;
      return;
    }
    this.pending = this.pending.length || this.waiting.length ? Buffer.concat([this.pending, ...this.waiting, chunk]) : chunk;
    this.waiting = [];
    this.waitingLength = 0;
    this.needed = 0;
    try {
      while (this.rounds.length > 0) {
        const round = this.rounds[0];
        const newline = this.pending.indexOf(10);
        if (newline < 0) return;
        const header = this.pending.subarray(0, newline).toString('utf8');
        let answer: BatchAnswer;
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          answer = { kind: 'missing' };
          this.pending = this.pending.subarray(newline + 1);
        } else {
          const [oid, type, sizeText] = header.split(' ');
          const size = Number(sizeText);
          if (!Number.isFinite(size)) throw new Error(`unexpected cat-file output: ${header.slice(0, 80)}`);
          if (this.pending.length < newline + 1 + size + 1) {
            this.needed = newline + 1 + size + 1;
            return;
          }
          const content = this.pending.subarray(newline + 1, newline + 1 + size);
          answer =
            type === 'tree'
              ? { kind: 'tree', oid, entries: parseTree(content, oid.length) }
              : type === 'blob' || type === 'tag' || type === 'commit'
                ? { kind: type, oid, content }
                : { kind: 'other', type };
          this.pending = this.pending.subarray(newline + 1 + size + 1);
        }
        round.onAnswer(round.answered++, answer);
        if (round.answered === round.count) {
          this.rounds.shift();
          round.resolve();
        }
      }
    } catch (error) {
      this.fail(error as Error);
    }
  }

  /**
   * Reads `<rev>:<path>` or object-id requests; resolves once every answer was handed over.
   * cat-file answers `missing` both for a path the commit does not have and for one whose object
   * is gone: a missing `<commit>:<path>` is looked into through the trees above it (more rounds
   * of the same process, only for those answers), and answered `unreadable` when a tree lists it.
   * A missing object id (taken from a tree) is `unreadable` at once.
   */
  async read(requests: readonly string[], onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void> {
    const unexplained: Array<{ index: number; commit: string; path: string }> = [];
    await this.round(requests, (index, answer) => {
      if (answer.kind === 'missing' && !this.objectsMissing) {
        const request = requests[index];
        const path = pathRequest.exec(request);
        if (path) return void unexplained.push({ index, commit: path[1], path: path[2] });
        if (objectId.test(request)) return onAnswer(index, this.damaged(request, request));
      }
      onAnswer(index, answer);
    });
    if (unexplained.length > 0) await this.explainMissing(unexplained, onAnswer);
  }

  private damaged(request: string, oid: string): BatchAnswer {
    this.unreadable.push({ request, oid });
    return { kind: 'unreadable', oid };
  }

  /**
   * Walks up from each missing path, one round per level for all of them: the first tree that
   * can be read says whether it lists the next name down. It does not: the path is absent. It
   * does: that object (the file, or a folder on the way) is missing from the repository.
   */
  private async explainMissing(items: Array<{ index: number; commit: string; path: string }>, onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void> {
    let pending = items.map((item) => {
      const [folder, name] = splitPath(item.path);
      return { ...item, folder, name, file: true };
    });
    while (pending.length > 0 && !this.objectsMissing) {
      const requests = [...new Set(pending.map((p) => `${p.commit}:${p.folder}`))];
      const answers = new Map<string, BatchAnswer>();
      await this.round(requests, (index, answer) => answers.set(requests[index], answer));
      const next: typeof pending = [];
      for (const item of pending) {
        const request = `${item.commit}:${item.path}`;
        const answer = answers.get(`${item.commit}:${item.folder}`) ?? { kind: 'missing' };
        if (answer.kind === 'tree') {
          const entry = answer.entries.find((e) => e.name === item.name);
          // A submodule's commit is never in the repository; a folder's tree must be.
          const lost = entry !== undefined && (item.file ? entry.mode !== '160000' : entry.mode === '40000');
          onAnswer(item.index, lost ? this.damaged(request, entry.oid) : { kind: 'missing' });
        } else if (answer.kind === 'missing' && this.objectsMissing) {
          onAnswer(item.index, answer);
        } else if (answer.kind === 'missing' && item.folder !== '') {
          const [folder, name] = splitPath(item.folder);
          next.push({ ...item, folder, name, file: false });
        } else if (answer.kind === 'missing') {
          // Not even the commit's root tree can be read.
          onAnswer(item.index, this.damaged(request, item.commit));
        } else {
          onAnswer(item.index, { kind: 'missing' }); // a file where the path needs a folder
        }
      }
      pending = next;
    }
    for (const item of pending) onAnswer(item.index, { kind: 'missing' });
  }

  /** One round of requests, answered as cat-file answers them. */
  private round(requests: readonly string[], onAnswer: (index: number, answer: BatchAnswer) => void): Promise<void> {
    if (requests.length === 0) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (this.objectsMissing) {
      requests.forEach((_, index) => onAnswer(index, { kind: 'missing' }));
      return Promise.resolve();
    }
    this.child ??= this.start();
    return new Promise((resolve, reject) => {
      this.rounds.push({ count: requests.length, answered: 0, onAnswer, resolve, reject });
      this.child!.stdin.write(requests.join('\n') + '\n');
    });
  }

  /** One `git cat-file --batch-check` process answers them all (a large file is then never streamed). */
  async sizes(requests: readonly string[]): Promise<number[]> {
    if (requests.length === 0) return [];
    const answer = await runGit(this.cwd, ['cat-file', '--batch-check'], requests.join('\n') + '\n');
    if (answer.exitCode !== 0) throw new Error(`git cat-file --batch-check failed: ${firstError(answer.stderr)}`);
    const lines = answer.stdout.toString('utf8').split('\n');
    return requests.map((_, i) => {
      const size = / (?:blob|tree|commit|tag) (\d+)$/.exec(lines[i] ?? '');
      return size ? Number(size[1]) : -1;
    });
  }

  close(): void {
    this.child?.stdin.end();
  }
}

/** Entries of a git tree object: `<mode> <name>\0<20-byte id>`. */
function parseTree(content: Buffer, oidHexLength: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const oidBytes = oidHexLength / 2;
  let position = 0;
  while (position < content.length) {
    const space = content.indexOf(32, position);
    const nul = content.indexOf(0, space);
    if (space < 0 || nul < 0) break;
    entries.push({
      mode: content.subarray(position, space).toString('utf8'),
      name: content.subarray(space + 1, nul).toString('utf8'),
      oid: content.subarray(nul + 1, nul + 1 + oidBytes).toString('hex'),
    });
    position = nul + 1 + oidBytes;
  }
  return entries;
}
