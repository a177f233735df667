import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { CatFileSession, promisorObjectMissing, type BatchAnswer } from '../sources/git/cat-file.js';
import { CommitGraph } from '../sources/git/commit-graph.js';
import { candidateCommitArgs, refCommands, refFields } from '../sources/git/ref-commands.js';
import { firstError, runGit, runGitEarly, streamGit, type GitResult } from '../sources/git/run.js';
import { lsRemoteCommand, readRemoteConfig } from '../sources/git/remote-config.js';
import { maintenanceBranches } from './release-branch.js';
import { assembleSnapshot, excludedTags, finishPublished, setOnRemote, setTagMessage, isoDate, makeTag, partialCloneFact, tagMessage, toTag, type GatheredRefs, type HistorySource, type RefRecord } from './assemble.js';
import { parseProductionOnlyLog, productionOnlyLogArgs } from './history.js';
import { startSpan } from '../timings.js';
import type { AncestryOracle, EntryAnchor } from './published.js';
import type { ChangelogEntry, Snapshot, Tag, UnavailableFact } from './types.js';
import { everyFact, type FactPlan } from './plan.js';

export { locateRepository, type RepositoryLocation } from '../sources/git/locate.js';
import type { RepositoryLocation } from '../sources/git/locate.js';


/**
 * Reads for-each-ref's NUL-separated records as they arrive, handing each over complete: ten
 * thousand tag messages (megabytes) are never held as one buffer and one string as well.
 */
export class RefRecordReader {
  private fields: string[] = [];
  /** The start of a field that continues in the next piece. */
  private partial = '';
  // One string per piece, split once: a Buffer-to-string call per field cost ten times as much.
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onRecord: (record: RefRecord) => void) {}

  feed(chunk: Buffer): void {
    // A piece inside one long field only extends it: splitting again each time would be quadratic.
    if (chunk.indexOf(0) < 0) {
      this.partial += this.decoder.write(chunk);
      return;
    }
    const pieces = (this.partial + this.decoder.write(chunk)).split('\0');
    this.partial = pieces.pop()!;
    for (const piece of pieces) {
      this.fields.push(piece);
      if (this.fields.length === refFields.length) this.record();
    }
  }

  private record(): void {
    const f = this.fields;
    this.fields = [];
    this.onRecord({
      // Each record after the first starts with for-each-ref's line break.
      refname: f[0].charCodeAt(0) === 10 ? f[0].slice(1) : f[0],
      objecttype: f[1],
      objectname: f[2],
      peeledName: f[3],
      peeledType: f[4],
      taggerDate: f[5],
      taggerName: f[6],
      taggerEmail: f[7],
      committerDate: f[8],
      tree: f[9],
      symref: f[10],
      contents: f[11],
    });
  }
}

/** A tag to lint before it exists (`release-lint tag`): created at `ref` with `message`, or lightweight. */
export interface CandidateTag {
  name: string;
  ref: string;
  message: string | null;
}

/** A release tag in git's pre-push input. `remoteSha`/`localSha` are '' for git's all-zero id. */
export interface PushedTag {
  name: string;
  localSha: string;
  remoteSha: string;
}

/** A branch in git's pre-push input: pushed from `localRef` at `localSha` ('' for a deletion). */
export interface PushedBranch {
  name: string;
  localRef: string;
  localSha: string;
}

export interface CollectOptions {
  /** No network: `git ls-remote` is not run, so the remote's tags are unknown. */
  offline?: boolean;
  candidate?: CandidateTag;
  /** Pre-push mode: the remote's objects for these tags come from git's input. */
  pushed?: PushedTag[];
  /** Pre-push mode: branches the same push moves on the remote (placement sees them moved). */
  pushedBranches?: PushedBranch[];
  /** Read files at candidate tags only (no other tag is judged: release-lint pr). */
  candidatesOnly?: boolean;
  /** The candidate must be an existing local tag (release-lint release). */
  requireExisting?: boolean;
  /** CHANGELOG entries a pull request adds (release-lint pr): their baselines are taken from the history of its base branch. */
  pullRequestEntries?: { entries: ChangelogEntry[]; baseBranch: string };
  /** The facts the run's rules need (default: every one). */
  plan?: FactPlan;
  /** Where the config sets a key, for errors about its value (the config's loader knows). */
  locateSetting?: (key: string) => Promise<{ file: string; line?: number; column?: number } | undefined>;
}

/**
 * The tags (`<oid>\trefs/tags/<name>`) and branch names of `git ls-remote --tags --heads`, and the
 * commits its peeled lines (`<oid>\trefs/tags/<name>^{}`, listed for annotated tags only) name.
 */
function parseLsRemote(output: string): { tags: Map<string, string>; peeled: Map<string, string>; heads: Set<string> } {
  const tags = new Map<string, string>();
  const peeled = new Map<string, string>();
  const heads = new Set<string>();
  for (let start = 0; start < output.length; ) {
    const newline = output.indexOf('\n', start);
    const end = newline < 0 ? output.length : newline;
    const tab = output.indexOf('\t', start);
    if (tab > start && tab < end) {
      const ref = output.slice(tab + 1, end);
      // A peeled line repeats a tag for the object its chain ends at: the tag's own object is the
      // one a local copy must match; the peeled one says the remote's tag is annotated, and of what.
      if (ref.startsWith('refs/tags/')) {
        if (ref.endsWith('^{}')) peeled.set(ref.slice('refs/tags/'.length, -'^{}'.length), output.slice(start, tab));
        else tags.set(ref.slice('refs/tags/'.length), output.slice(start, tab));
      } else if (ref.startsWith('refs/heads/')) heads.add(ref.slice('refs/heads/'.length));
    }
    start = end + 1;
  }
  return { tags, peeled, heads };
}

/** The tag `release-lint tag` judges: the existing local tag, or what `git tag [-a]` would create. */
async function candidateTag(root: string, candidate: CandidateTag, existing: Tag | undefined, prefix: string): Promise<Tag> {
  if (existing) return { ...existing, candidate: true, judged: true };
  const resolved = await runGit(root, candidateCommitArgs(candidate.ref));
  const commit = resolved.stdout.toString('utf8').trim();
  if (resolved.exitCode !== 0 || !commit) throw new InputError(`--ref "${candidate.ref}" does not name a commit in this repository`);
  const message = candidate.message === null ? '' : candidate.message.trimEnd();
  return makeTag({
    name: candidate.name,
    prefix,
    annotated: candidate.message !== null,
    objectType: candidate.message !== null ? 'tag' : 'commit',
    // An annotated tag gets a new object when it is created; a lightweight one is the commit.
    object: candidate.message !== null ? '' : commit,
    commit,
    message,
    tagger: { name: '', email: '', date: '' },
    timestamp: Math.floor(Date.now() / 1000),
    candidate: true,
  });
}

/**
 * Peels annotated tags to the object at the end of their chain (`^{}`: a tag of a tag of a commit
 * is a release of that commit), in one round of the cat-file session, whatever their number. A
 * chain that ends at a tree or a blob says which (`tag of a tree`); the tag keeps no commit.
 */
async function peelFully(session: CatFileSession, tags: readonly Tag[]): Promise<void> {
  await session.read(
    tags.map((tag) => `${tag.object}^{}`),
    (index, answer) => {
      const tag = tags[index];
      if (answer.kind === 'commit') tag.commit = answer.oid;
      else if (answer.kind === 'tree' || answer.kind === 'blob') tag.objectType = `tag of a ${answer.kind}`;
    },
  );
}

/** A tag or commit object's headers (`type commit`, `tagger …`) and the text after them. */
function gitObjectParts(content: Buffer): { header: (name: string) => string; body: string } {
  const text = content.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const headers = (headerEnd < 0 ? text : text.slice(0, headerEnd)).split('\n');
  return {
    header: (name) => headers.find((h) => h.startsWith(`${name} `))?.slice(name.length + 1) ?? '',
    body: headerEnd < 0 ? '' : text.slice(headerEnd + 2),
  };
}

/** `Name <email> 1700000000 +0000` → name, email, unix time. */
function parseIdentity(line: string): { name: string; email: string; time: number } {
  const match = /^(.*?) <([^>]*)> (\d+)/.exec(line);
  return match ? { name: match[1], email: match[2], time: Number(match[3]) } : { name: '', email: '', time: 0 };
}

/**
 * A pushed tag that is not a local ref (deleted locally, or pushed from an object id): its facts
 * come from the object itself, read through the cat-file session. A deletion describes the
 * published object the remote has.
 */
async function describePushedObject(session: CatFileSession, pushed: PushedTag, prefix: string, remote: string): Promise<Tag> {
  const sha = pushed.localSha || pushed.remoteSha;
  let answer: BatchAnswer = { kind: 'missing' };
  await session.read([sha], (_i, a) => (answer = a));
  const found = answer as BatchAnswer;
  if (found.kind !== 'tag' && found.kind !== 'commit') {
    throw new InputError(`the object ${sha.slice(0, 12)} pushed as ${pushed.name} is not in this clone; fetch it (git fetch ${remote} tag ${pushed.name}) and push again`);
  }
  const { header, body } = gitObjectParts(found.content);
  const annotated = found.kind === 'tag';
  const commit = annotated ? (header('type') === 'commit' ? header('object') : '') : sha;
  const identity = parseIdentity(header(annotated ? 'tagger' : 'committer'));
  const message = annotated ? tagMessage(body) : '';
  const tag = makeTag({
    name: pushed.name,
    prefix,
    annotated,
    objectType: found.kind,
    object: sha,
    commit,
    message,
    tagger: annotated ? { name: identity.name, email: identity.email, date: isoDate(identity.time) } : { name: '', email: '', date: '' },
    timestamp: identity.time,
    candidate: true,
  });
  if (annotated && header('type') !== 'commit') await peelFully(session, [tag]);
  return tag;
}

/** Release lines the remote has and this clone lacks: where tags sit cannot be told. */
function releaseLinesNotFetched(names: string[], remote: string): UnavailableFact {
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
  return {
    fact: 'release-lines',
    reason: `${names.length} release line${names.length === 1 ? '' : 's'} on ${remote} ${names.length === 1 ? 'is' : 'are'} not in this clone (${shown}), so the tags on ${names.length === 1 ? 'it' : 'them'} would look misplaced`,
    fix: `fetch the branches (git fetch ${remote}; a clone made with --single-branch fetches only one); in GitHub Actions use actions/checkout with fetch-depth: 0`,
  };
}

/** The remote has release tags this clone lacks: every judgement over the tags would be partial. */
function tagsNotFetched(names: string[], remote: string): UnavailableFact {
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
  return {
    fact: 'all-tags',
    reason: `${names.length} release tag${names.length === 1 ? '' : 's'} on ${remote} ${names.length === 1 ? 'is' : 'are'} not in this clone (${shown}): the tags were not fetched`,
    fix: `fetch them (git fetch --tags ${remote}; if remote.${remote}.tagOpt is --no-tags, unset it); in GitHub Actions use actions/checkout with fetch-depth: 0`,
  };
}

/**
 * Builds the snapshot from git with a constant number of processes whatever the number of tags
 * or branches (rev-parse by the caller, one rev-list history walk, one for-each-ref, ls-remote,
 * one log, one cat-file session; a candidate adds rev-parse, and a rev-list of every commit when
 * its commit is one no ref points at; `tags.filesAt: all` adds a cat-file size check).
 */
export async function collectGitSnapshot(location: RepositoryLocation, config: ResolvedConfig, options: CollectOptions = {}): Promise<Snapshot> {
  // The cat-file process starts on the first read and serves every round of the run.
  const session = new CatFileSession(location.root);
  try {
    return await collect(location, config, options, session);
  } finally {
    session.close();
  }
}

/**
 * The graph again, this time of every commit, when it left out one that is asked about because no
 * ref points at it (a candidate at HEAD~2, a tag pushed by its id, a tag on an empty root commit,
 * which git does not count): where that commit sits needs the commits around it. A second walk,
 * only in those rare runs.
 */
async function withEveryCommit(root: string, graph: CommitGraph, historyArgs: readonly string[], asked: readonly string[]): Promise<CommitGraph> {
  const leftOut = [...new Set(asked.filter((commit) => commit !== '' && graph.node(commit) < 0))];
  if (leftOut.length === 0) return graph;
  graph.release();
  const full = new CommitGraph();
  const args = [...historyArgs.filter((arg) => arg !== '--simplify-by-decoration'), '--stdin'];
  const walked = await runGit(root, args, `${leftOut.join('\n')}\n`);
  if (walked.exitCode !== 0) throw new Error(`git rev-list failed: ${firstError(walked.stderr)}`);
  full.feed(walked.stdout);
  return full;
}

/**
 * Starts the backport log (production's commits that integration lacks) now, while git walks the
 * history: it does not need the walk, and on two cores the walk leaves one idle. Assembly takes
 * its answer; it is started only when assembly will ask for it (both branches there, full history
 * without grafts).
 */
function startBackportLog(root: string, config: ResolvedConfig, records: readonly RefRecord[], productionRef: string, historyUnknown: boolean): void {
  const integration = config.branches.integration;
  if (!integration || historyUnknown || !records.some((r) => r.refname === productionRef)) return;
  const refs = [`refs/remotes/${config.remote}/${integration}`, `refs/heads/${integration}`];
  const integrationRef = refs.find((ref) => records.some((r) => r.refname === ref));
  if (integrationRef) runGitEarly(root, productionOnlyLogArgs(integrationRef, productionRef));
}

/** What a clone's history answers: placement and ancestry from the commit graph, backports from git log. */
function gitHistory(root: string, graph: CommitGraph): HistorySource {
  const ancestry: AncestryOracle = {
    async firstAncestors(searches) {
      // Searches from one commit (an entry's two, branch heads at one commit) share its walk.
      const histories = new Map<string, ReturnType<CommitGraph['ancestryOf']>>();
      const order = searches.map((_, i) => i).sort((a, b) => (searches[a].of.commit < searches[b].of.commit ? -1 : searches[a].of.commit > searches[b].of.commit ? 1 : 0));
      const answers: number[] = [];
      for (const i of order) {
        const { of, candidates, from } = searches[i];
        let history = histories.get(of.commit);
        if (!history) histories.set(of.commit, (history = graph.ancestryOf(graph.node(of.commit))));
        answers[i] = -1;
        for (let c = from; c < candidates.length && answers[i] < 0; c++) if (history.isAncestor(graph.node(candidates[c]))) answers[i] = c;
      }
      return answers;
    },
  };
  return {
    ancestry,
    async holders(commits, tips) {
      const holder = graph.holders(tips.map((tip) => graph.node(tip.commit)));
      return commits.map((commit) => {
        const node = graph.node(commit);
        return node < 0 ? -1 : holder[node];
      });
    },
    async productionOnly({ integrationRef, productionRef }) {
      const log = await runGit(root, productionOnlyLogArgs(integrationRef, productionRef));
      if (log.exitCode !== 0 && promisorObjectMissing.test(log.stderr)) return partialCloneFact('commit-patches', 'the patches of production-only commits cannot be compared');
      if (log.exitCode !== 0) throw new Error(`git log failed: ${firstError(log.stderr)}`);
      return parseProductionOnlyLog(log.stdout.toString('utf8'));
    },
  };
}

/** The messages of annotated candidate tags, from their tag objects: one round of the cat-file session. */
async function readCandidateMessages(session: CatFileSession, tags: readonly Tag[]): Promise<void> {
  await session.read(
    tags.map((tag) => tag.object),
    (index, answer) => {
      if (answer.kind === 'tag') setTagMessage(tags[index], tagMessage(gitObjectParts(answer.content).body));
    },
  );
}

/**
 * The remote's branches whose history holds `commit` (`for-each-ref --contains`): a candidate's
 * release line without walking the whole history, as `merge-base --is-ancestor` would for one line.
 */
async function branchesHolding(root: string, commit: string, remote: string, production: string, pushedBranches: readonly PushedBranch[]): Promise<Set<string>> {
  const prefix = `refs/remotes/${remote}/`;
  // A branch the same push moves is asked about through the local ref it is pushed from (its new
  // head); one pushed from something else, or deleted, holds nothing the run can vouch for.
  const pushed = new Map(pushedBranches.map((branch) => [branch.name, branch.localSha !== '' && branch.localRef.startsWith('refs/') ? branch.localRef : '']));
  const nameOf = new Map([...pushed].filter(([, ref]) => ref !== '').map(([name, ref]) => [ref, name]));
  // Production first: it usually holds the candidate, and asking about one branch walks no other's
  // history (each branch that does not hold the commit is walked down to where they part).
  const productionRef = pushed.has(production) ? pushed.get(production)! : `${prefix}${production}`;
  if (productionRef !== '') {
    const onProduction = await runGit(root, ['for-each-ref', `--contains=${commit}`, '--format=%(refname)', productionRef]);
    if (onProduction.exitCode === 0 && onProduction.stdout.toString('utf8').trim() === productionRef) return new Set([production]);
  }
  // %(symref) tells origin/HEAD, which names another branch, from the branches themselves.
  const answer = await runGit(root, ['for-each-ref', `--contains=${commit}`, '--format=%(refname) %(symref)', prefix, ...nameOf.keys()]);
  if (answer.exitCode !== 0) throw new Error(`git for-each-ref --contains failed: ${firstError(answer.stderr)}`);
  const holding = new Set<string>();
  for (const line of answer.stdout.toString('utf8').split('\n')) {
    if (!line.endsWith(' ')) continue;
    const ref = line.slice(0, -1);
    if (nameOf.has(ref)) holding.add(nameOf.get(ref)!);
    else if (ref.startsWith(prefix) && !pushed.has(ref.slice(prefix.length))) holding.add(ref.slice(prefix.length));
  }
  return holding;
}

/** The remote's branch records as the push will leave them: moved to the pushed commits, or gone. */
function movePushedBranches(records: RefRecord[], pushedBranches: readonly PushedBranch[], remote: string): void {
  for (const branch of pushedBranches) {
    const refname = `refs/remotes/${remote}/${branch.name}`;
    const index = records.findIndex((record) => record.refname === refname);
    if (branch.localSha === '') {
      if (index >= 0) records.splice(index, 1);
      continue;
    }
    const empty = { objecttype: 'commit', peeledName: '', peeledType: '', taggerDate: '', taggerName: '', taggerEmail: '', committerDate: '', tree: '', symref: '', contents: '' };
    const moved: RefRecord = { ...(index >= 0 ? records[index] : { refname, ...empty }), objectname: branch.localSha, tree: '' };
    if (index >= 0) records[index] = moved;
    else records.push(moved);
  }
}

/** At most this many tags are named in one ancestry question; more, and every tag is asked about. */
const ancestryWindow = 64;

/**
 * What a candidate run knows of the history without walking it: the branches that hold the
 * candidate, and ancestry answered by `for-each-ref --merged=<commit>` over the few published tags
 * that can be the answer (git stops as soon as it has found them all, when they are ancestors).
 */
function candidateHistory(root: string, holding: Set<string>, tags: readonly Tag[], tagPattern: string): HistorySource {
  const candidateCommit = tags.find((t) => t.candidate && t.commit !== '')?.commit ?? '';
  const refOfCommit = new Map<string, string>();
  const commitOfRef = new Map<string, string>();
  for (const tag of tags) {
    if (tag.candidate || tag.commit === '') continue;
    if (!refOfCommit.has(tag.commit)) refOfCommit.set(tag.commit, `refs/tags/${tag.name}`);
    commitOfRef.set(`refs/tags/${tag.name}`, tag.commit);
  }
  /** The commits among `refs` (or every release tag) that are `of` or its ancestors. */
  const mergedInto = async (of: string, refs: string[] | 'all'): Promise<Set<string>> => {
    const patterns = refs === 'all' ? [tagPattern] : refs;
    const answer = await runGit(root, ['for-each-ref', `--merged=${of}`, '--format=%(refname)', ...patterns]);
    if (answer.exitCode !== 0) throw new Error(`git for-each-ref --merged failed: ${firstError(answer.stderr)}`);
    // By name, to the commit each tag peels to in the end (%(*objectname) peels one level only:
    // a tag of a tag would name the inner tag).
    const commits = new Set<string>();
    for (const ref of answer.stdout.toString('utf8').split('\n')) {
      const commit = commitOfRef.get(ref);
      if (commit) commits.add(commit);
    }
    return commits;
  };
  return {
    ancestry: {
      usesHints: true,
      async firstAncestors(searches) {
        const answers = searches.map(() => -1);
        const byCommit = new Map<string, number[]>();
        searches.forEach((search, i) => byCommit.set(search.of.commit, [...(byCommit.get(search.of.commit) ?? []), i]));
        for (const [of, indexes] of byCommit) {
          // First the candidates up to the one the CHANGELOG names (or a few): usually all ancestors.
          const ranges = indexes.map((i) => {
            const { from, hint, candidates } = searches[i];
            return { i, from, to: Math.min(candidates.length, hint >= from ? hint + 1 : from + 8, from + ancestryWindow) };
          });
          const refs = [...new Set(ranges.flatMap(({ i, from, to }) => searches[i].candidates.slice(from, to).map((c) => refOfCommit.get(c)).filter((r): r is string => r !== undefined)))];
          const near = refs.length > 0 ? await mergedInto(of, refs) : new Set<string>();
          let all: Set<string> | undefined;
          for (const { i, from, to } of ranges) {
            const { candidates } = searches[i];
            for (let c = from; c < to && answers[i] < 0; c++) if (near.has(candidates[c])) answers[i] = c;
            if (answers[i] >= 0 || to >= candidates.length) continue;
            all ??= await mergedInto(of, 'all');
            for (let c = to; c < candidates.length && answers[i] < 0; c++) if (all.has(candidates[c])) answers[i] = c;
          }
        }
        return answers;
      },
    },
    // Only the candidate's commit is placed: every other tag stays off the lines, unplaced.
    async holders(commits, tips) {
      const holder = tips.findIndex((tip) => holding.has(tip.name));
      return commits.map((commit) => (commit === candidateCommit ? holder : -1));
    },
    async productionOnly() {
      return [];
    },
  };
}

async function collect(location: RepositoryLocation, config: ResolvedConfig, options: CollectOptions, session: CatFileSession): Promise<Snapshot> {
  const { root } = location;
  const prefix = config.tags.prefix;
  const commands = refCommands({ remote: config.remote, production: config.branches.production, tagPrefix: prefix });
  const { productionRef } = commands;
  // git connects only to a remote of the clone: a committed policy must not choose the address
  // (`remote: ssh://…` would offer the runner's keys to whoever wrote it).
  const remoteConfig = await readRemoteConfig(root);
  const remoteConfigured = remoteConfig.remotes.has(config.remote);
  if (!remoteConfigured) {
    const fallback = config.file ? { file: config.file, line: undefined, column: undefined } : undefined;
    const setting = options.locateSetting ? await options.locateSetting('remote').catch(() => fallback) : fallback;
    if (setting) {
      throw new InputError(
        `remote "${config.remote}" is not a remote of this repository (git remote -v lists them); name one, not a URL or path`,
        setting.file,
        setting.line,
        setting.line !== undefined ? setting.column : undefined,
      );
    }
  }
  const plan = options.plan ?? everyFact;
  // Judging candidate tags (tag, the pre-push hook, release): their facts, not the history's.
  const tagCandidates = options.candidate !== undefined || options.pushed !== undefined;
  const queryRemote = !options.offline && !options.pushed && remoteConfigured;
  // The three run at once: git walks the history while the tag records are parsed and the rules
  // load. The walk prints the graph of the commits refs point at only when it has finished. A
  // candidate run walks only when its candidate sits on no release line (see below), and a check
  // whose rules ask nothing about where tags sit or descend from does not walk at all.
  const walkNeeded = plan.needs('release-lines') || plan.needs('tag-ancestry') || plan.needs('published-tags');
  let walking = tagCandidates || !walkNeeded ? undefined : runGit(root, commands.history);
  // The repository's own config must not make ls-remote run a program (see lsRemoteCommand). A
  // candidate run asks for every tag too: a release tag the clone has not fetched (a higher version
  // published meanwhile) must make it inconclusive, not pass it.
  const lsRemote = lsRemoteCommand(config.remote, remoteConfig);
  const askingRemote = queryRemote ? runGit(root, lsRemote.args, undefined, lsRemote.options) : undefined;
  askingRemote?.catch(() => {}); // awaited at the end; a run that fails before then must not also report it unhandled
  // Tags become Tag objects as their records arrive; branch records are kept.
  const isExcluded = excludedTags(config.tags.exclude);
  let excluded = 0;
  const tags: Tag[] = [];
  const records: RefRecord[] = [];
  // Annotated tags whose object for-each-ref did not peel to a commit (it peels one level).
  const unpeeled: Tag[] = [];
  const withMessages = plan.needs('tag-messages');
  const reader = new RefRecordReader((record) => {
    if (!record.refname.startsWith('refs/tags/')) records.push(record);
    else if (!record.refname.slice('refs/tags/'.length).startsWith(prefix)) return;
    else if (isExcluded(record.refname.slice('refs/tags/'.length))) excluded++;
    else {
      const tag = toTag(record, prefix, withMessages);
      tags.push(tag);
      if (record.objecttype === 'tag' && record.peeledType !== 'commit') unpeeled.push(tag);
    }
  });
  const refsResult = await streamGit(root, tagCandidates ? commands.recordsWithoutMessages : commands.records, (chunk) => reader.feed(chunk));
  if (refsResult.exitCode !== 0) throw new Error(`git for-each-ref failed: ${firstError(refsResult.stderr)}`);
  await peelFully(session, unpeeled);
  if (!tagCandidates && plan.needs('commit-patches')) startBackportLog(root, config, records, productionRef, location.shallow || location.grafts !== undefined);

  if (options.candidate) {
    const index = tags.findIndex((t) => t.name === options.candidate!.name);
    if (index < 0 && options.requireExisting) throw new InputError(`there is no tag ${options.candidate.name} in this clone (git fetch --tags)`);
    const candidate = await candidateTag(root, options.candidate, tags[index], prefix);
    if (index >= 0) tags[index] = candidate;
    else tags.push(candidate);
  }
  for (const pushed of options.pushed ?? []) {
    const index = tags.findIndex((t) => t.name === pushed.name);
    const local = index >= 0 && (tags[index].object === pushed.localSha || pushed.localSha === '') ? tags[index] : undefined;
    const tag = local ? { ...local } : await describePushedObject(session, pushed, prefix, config.remote);
    Object.assign(tag, {
      candidate: true,
      judged: true,
      object: pushed.localSha,
      remoteObject: pushed.remoteSha,
      // git's pre-push input names the remote's object only, not what it is.
      remoteAnnotated: false,
      remoteCommit: '',
      push: pushed.localSha === '' ? 'delete' : pushed.remoteSha === '' ? 'create' : 'update',
    });
    if (index >= 0) tags[index] = tag;
    else tags.push(tag);
  }

  movePushedBranches(records, options.pushedBranches ?? [], config.remote);
  const productionRecord = records.find((r) => r.refname === productionRef);
  const historyComplete = productionRecord !== undefined && !location.shallow && !location.grafts;
  if (tagCandidates) {
    // Their records carried no messages: the candidates' own are read from their tag objects.
    await readCandidateMessages(session, tags.filter((t) => t.candidate && t.annotated && t.objectType === 'tag' && t.object !== '' && t.message === ''));
  }
  // A candidate on a release line is placed by the branches that hold it; one off every line
  // needs every tag placed (a tag of a deleted maintenance line may pass by its date against the others).
  const candidateCommits = [...new Set(tags.filter((t) => t.candidate && t.commit !== '').map((t) => t.commit))];
  let holding: Set<string> | undefined;
  if (tagCandidates && historyComplete && candidateCommits.length === 1) {
    holding = await branchesHolding(root, candidateCommits[0], config.remote, config.branches.production, options.pushedBranches ?? []);
    const isMaintenance = maintenanceBranches(config.branches.maintenance);
    if (![...holding].some((name) => name === config.branches.production || isMaintenance(name))) holding = undefined;
  }
  if (tagCandidates && !holding && historyComplete) walking = runGit(root, commands.history);
  const walked = walking ? await walking : { stdout: Buffer.alloc(0), stderr: '', exitCode: 0 };
  let graph = new CommitGraph();
  graph.feed(walked.stdout);
  const unavailable: UnavailableFact[] = [];
  if (!productionRecord) {
    unavailable.push(
      {
        fact: 'production-history',
        reason: `${productionRef} does not exist, so the release lines and the history between tags cannot be established`,
        fix: `fetch it (git fetch ${config.remote} ${config.branches.production}); in GitHub Actions use actions/checkout with fetch-depth: 0`,
      },
      {
        fact: 'release-lines',
        reason: `${productionRef} does not exist, so where tags sit (on a release line or not) cannot be established`,
        fix: `fetch it (git fetch ${config.remote} ${config.branches.production}); in GitHub Actions use actions/checkout with fetch-depth: 0`,
      },
      {
        fact: 'production-head',
        reason: `${productionRef} does not exist, so the workflows and Release Please config on ${config.branches.production} cannot be read`,
        fix: `fetch it (git fetch ${config.remote} ${config.branches.production})`,
      },
    );
  } else if (location.shallow) {
    const fix = `fetch the full history (git fetch --unshallow --tags ${config.remote}); in GitHub Actions use actions/checkout with fetch-depth: 0`;
    unavailable.push(
      { fact: 'production-history', reason: 'the clone is shallow, so the history of the production branch and between tags is incomplete', fix },
      { fact: 'release-lines', reason: 'the clone is shallow, so where tags sit (on a release line or not) cannot be established', fix },
    );
  } else if (location.grafts) {
    // git has no switch that ignores grafts (replace refs it ignores: GIT_NO_REPLACE_OBJECTS).
    const reason = `${location.grafts} rewrites the parents of commits (grafts), so the history git shows is not the repository's own`;
    const fix = `convert the grafts into replace refs, which release-lint ignores (git replace --convert-graft-file), or remove ${location.grafts}`;
    unavailable.push(
      { fact: 'production-history', reason: `${reason}: the history of the production branch and between tags cannot be established`, fix },
      { fact: 'release-lines', reason: `${reason}: where tags sit (on a release line or not) cannot be established`, fix },
      { fact: 'tag-ancestry', reason: `${reason}: which tags are ancestors of which commits cannot be established`, fix },
    );
  } else if (walked.exitCode !== 0) {
    throw new Error(`git rev-list failed: ${firstError(walked.stderr)}`);
  }
  const productionKnown = historyComplete;

  if (productionKnown && walking) graph = await withEveryCommit(root, graph, commands.history, [...tags.map((t) => t.commit), ...records.map((r) => r.objectname)]);

  const candidatesOnly = options.candidate !== undefined || options.pushed !== undefined || options.candidatesOnly === true;
  const refs: GatheredRefs = {
    name: basename(root),
    shallow: location.shallow,
    records,
    productionRecord,
    productionKnown,
    tags,
    excluded,
    candidatesOnly,
    tagCandidates,
    plan,
    unavailable,
    // Without the remote's list (--offline, the hook) the local tags are trusted to be all.
    collected: options.offline && !options.pushed ? ['all-tags'] : ['remote-tags', 'all-tags'],
  };
  const historySource = holding ? candidateHistory(root, holding, tags, commands.tagPattern) : gitHistory(root, graph);
  const snapshot = await assembleSnapshot(refs, config, session, historySource);
  const pullRequest = options.pullRequestEntries;
  const baseHead = pullRequest ? records.find((r) => r.refname === `refs/remotes/${config.remote}/${pullRequest.baseBranch}`)?.objectname : undefined;
  if (pullRequest) snapshot.changelogEntries.push(...pullRequest.entries);
  const anchors = (entry: ChangelogEntry): EntryAnchor | undefined =>
    entry.at.kind === 'pull-request' && baseHead ? { commit: baseHead, ref: `refs/heads/${pullRequest!.baseBranch}`, timestamp: Math.floor(Date.now() / 1000) } : undefined;
  // What follows from the published tags is first worked out with the local tags standing for
  // them (offline and in the hook they do): ls-remote, a network round trip at low priority, is
  // awaited last, and in the usual case (every local tag pushed) its answer changes nothing.
  await finishPublished(snapshot, 'local-tags', historySource.ancestry, anchors, tagCandidates);
  if (askingRemote) {
    const answer = await askingRemote;
    const comparing = startSpan('comparing with the remote tags');
    const remoteTags = compareWithRemoteTags(snapshot, answer, config, isExcluded);
    comparing();
    if (!remoteTags) snapshot.unavailable.push(publishedUnknown(config.remote, answer));
    else if (snapshot.tags.some((tag) => tag.published !== remoteTags.has(tag.name))) {
      await finishPublished(snapshot, { remoteTags }, historySource.ancestry, anchors, tagCandidates);
    } else setOnRemote(snapshot.tags, { remoteTags });
  } else if (options.offline && !options.pushed) {
    snapshot.unavailable.push({
      fact: 'remote-tags',
      reason: `--offline: the tags on ${config.remote} were not read`,
      fix: 'run without --offline where the remote is reachable',
    });
  } else if (!remoteConfigured && !options.pushed) {
    const reason = `this repository has no remote named ${config.remote} (the default)`;
    const fix = `add it (git remote add ${config.remote} <url>), set remote: in the config to the remote the releases are pushed to, or run with --offline to take the local tags as the published ones`;
    snapshot.unavailable.push({ fact: 'remote-tags', reason: `${reason}, so its tags cannot be read`, fix }, { fact: 'published-tags', reason: `${reason}, so which tags are published is unknown`, fix });
  }
  // Every question about the history has been answered: its memory can go before rules run.
  graph.release();
  return snapshot;
}

/** The remote's tags could not be read: nothing can be said about which tags are published. */
function publishedUnknown(remote: string, answer: GitResult): UnavailableFact {
  return {
    fact: 'published-tags',
    reason: `the tags on ${remote} cannot be read (git ls-remote: ${firstError(answer.stderr) || 'failed'}), so which tags are published is unknown`,
    fix: `check that the remote ${remote} exists and is reachable (git ls-remote --tags ${remote}), or run with --offline to take the local tags as the published ones`,
  };
}

/**
 * Each tag's object on the remote, and the remote's release tags and release lines this clone
 * lacks; the remote's tags, or undefined when they cannot be read.
 */
function compareWithRemoteTags(snapshot: Snapshot, answer: GitResult, config: ResolvedConfig, isExcluded: (name: string) => boolean): Map<string, string> | undefined {
  const { remote } = config;
  const prefix = config.tags.prefix;
  if (answer.exitCode !== 0) {
    snapshot.unavailable.push({
      fact: 'remote-tags',
      reason: `the tags on ${remote} cannot be read (git ls-remote: ${firstError(answer.stderr) || 'failed'})`,
      fix: `check that the remote ${remote} exists and is reachable (git ls-remote --tags ${remote})`,
    });
    return undefined;
  }
  const { tags: remoteObjects, peeled, heads } = parseLsRemote(answer.stdout.toString('utf8'));
  for (const tag of snapshot.tags) {
    // The remote's ids are nearly always the local ones: a tag keeps one string of each, not a
    // second copy that would also hold on to the whole ls-remote output.
    const remoteObject = remoteObjects.get(tag.name) ?? '';
    tag.remoteObject = remoteObject === tag.object ? tag.object : remoteObject;
    const peeledCommit = peeled.get(tag.name);
    tag.remoteAnnotated = tag.remoteObject !== '' && peeledCommit !== undefined;
    const remoteCommit = peeledCommit ?? tag.remoteObject;
    tag.remoteCommit = remoteCommit === tag.commit ? tag.commit : remoteCommit;
  }
  // The candidate of `release-lint tag` counts as here: it is the tag about to be created or pushed.
  const local = new Set(snapshot.tags.map((t) => t.name));
  const notFetched = [...remoteObjects.keys()].filter((name) => name.startsWith(prefix) && !local.has(name) && !isExcluded(name));
  if (notFetched.length > 0) snapshot.unavailable.push(tagsNotFetched(notFetched, remote));
  // A maintenance branch the remote has but the clone lacks (a single-branch clone) would make its
  // tags look misplaced; production's absence is reported already.
  const fetched = new Set(snapshot.branches.filter((b) => b.remote).map((b) => b.name));
  const isMaintenance = maintenanceBranches(config.branches.maintenance);
  const linesNotFetched = [...heads].filter((name) => isMaintenance(name) && !fetched.has(name));
  if (linesNotFetched.length > 0 && !snapshot.unavailable.some((u) => u.fact === 'release-lines')) snapshot.unavailable.push(releaseLinesNotFetched(linesNotFetched, remote));
  return remoteObjects;
}
