import { basename } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { CatFileSession, promisorObjectMissing, type BatchAnswer } from '../git/cat-file.js';
import { refCommands, refFields, remoteTagsOptions } from '../git/ref-commands.js';
import { firstError, runGit, type GitResult } from '../git/run.js';
import { assembleSnapshot, isoDate, makeTag, partialCloneFact, tagMessage, toTag, type GatheredRefs, type RefRecord } from './assemble.js';
import { parseProductionOnlyLog, productionOnlyLogArgs } from './history.js';
import type { Snapshot, Tag, UnavailableFact } from './types.js';

export { locateRepository, type RepositoryLocation } from '../git/locate.js';
import type { RepositoryLocation } from '../git/locate.js';


function parseRefRecords(output: string): RefRecord[] {
  const fields = output.split('\0');
  const records: RefRecord[] = [];
  for (let i = 0; i + refFields.length <= fields.length; i += refFields.length) {
    const f = fields.slice(i, i + refFields.length);
    records.push({
      refname: f[0].replace(/^\n/, ''),
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
  return records;
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

export interface CollectOptions {
  /** No network: `git ls-remote` is not run, so the remote's tags are unknown. */
  offline?: boolean;
  candidate?: CandidateTag;
  /** Pre-push mode: the remote's objects for these tags come from git's input. */
  pushed?: PushedTag[];
  /** Read files at candidate tags only (no other tag is judged: release-lint pr). */
  candidatesOnly?: boolean;
  /** The candidate must be an existing local tag (release-lint release). */
  requireExisting?: boolean;
}

/** `<oid>\trefs/tags/<name>` lines of `git ls-remote --tags`; peeled `^{}` lines are skipped. */
function parseLsRemote(output: string): Map<string, string> {
  const objects = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [oid, ref] = line.split('\t');
    if (oid && ref?.startsWith('refs/tags/') && !ref.endsWith('^{}')) objects.set(ref.slice('refs/tags/'.length), oid);
  }
  return objects;
}

/** Whether `commit` is on `ref`'s history: one git process, for a candidate that is no ref yet. */
async function isAncestor(root: string, commit: string, ref: string): Promise<boolean> {
  const answer = await runGit(root, ['merge-base', '--is-ancestor', '--end-of-options', commit, ref]);
  if (answer.exitCode > 1) throw new Error(`git merge-base failed: ${firstError(answer.stderr)}`);
  return answer.exitCode === 0;
}

/** The tag `release-lint tag` judges: the existing local tag, or what `git tag [-a]` would create. */
async function candidateTag(root: string, candidate: CandidateTag, existing: Tag | undefined, prefix: string, productionRef: string, productionKnown: boolean): Promise<Tag> {
  if (existing) return { ...existing, candidate: true, judged: true };
  const resolved = await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate.ref}^{commit}`]);
  const commit = resolved.stdout.toString('utf8').trim();
  if (resolved.exitCode !== 0 || !commit) throw new InputError(`--ref "${candidate.ref}" does not name a commit in this repository`);
  const reachable = productionKnown && (await isAncestor(root, commit, productionRef));
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
    reachable,
    candidate: true,
  });
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
async function describePushedObject(
  root: string,
  session: CatFileSession,
  pushed: PushedTag,
  prefix: string,
  productionRef: string,
  productionKnown: boolean,
  remote: string,
): Promise<Tag> {
  const sha = pushed.localSha || pushed.remoteSha;
  let answer: BatchAnswer = { kind: 'missing' };
  await session.read([sha], (_i, a) => (answer = a));
  const found = answer as BatchAnswer;
  if (found.kind !== 'tag' && found.kind !== 'commit') {
    throw new InputError(`the object ${sha.slice(0, 12)} pushed as ${pushed.name} is not in this clone; fetch it (git fetch ${remote} tag ${pushed.name}) and push again`);
  }
  const text = found.content.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const headers = (headerEnd < 0 ? text : text.slice(0, headerEnd)).split('\n');
  const header = (name: string) => headers.find((h) => h.startsWith(`${name} `))?.slice(name.length + 1) ?? '';
  const annotated = found.kind === 'tag';
  const commit = annotated ? (header('type') === 'commit' ? header('object') : '') : sha;
  const identity = parseIdentity(header(annotated ? 'tagger' : 'committer'));
  const message = annotated ? tagMessage(headerEnd < 0 ? '' : text.slice(headerEnd + 2)) : '';
  const reachable = productionKnown && commit !== '' && (await isAncestor(root, commit, productionRef));
  return makeTag({
    name: pushed.name,
    prefix,
    annotated,
    objectType: found.kind,
    object: sha,
    commit,
    message,
    tagger: annotated ? { name: identity.name, email: identity.email, date: isoDate(identity.time) } : { name: '', email: '', date: '' },
    timestamp: identity.time,
    reachable,
    candidate: true,
  });
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
 * (rev-parse by the caller, two for-each-ref, ls-remote, one log, one cat-file session; a
 * candidate adds rev-parse and merge-base).
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

async function collect(location: RepositoryLocation, config: ResolvedConfig, options: CollectOptions, session: CatFileSession): Promise<Snapshot> {
  const { root } = location;
  const prefix = config.tags.prefix;
  const commands = refCommands({ remote: config.remote, production: config.branches.production, tagPrefix: prefix });
  const { productionRef } = commands;
  const queryRemote = !options.offline && !options.pushed;
  // The three run at once; the tag records are parsed while --merged still walks the history.
  const merging = runGit(root, commands.merged);
  const askingRemote = queryRemote ? runGit(root, commands.remoteTags, undefined, remoteTagsOptions) : undefined;
  askingRemote?.catch(() => {}); // awaited at the end; a run that fails before then must not also report it unhandled
  const refsResult = await runGit(root, commands.records);
  if (refsResult.exitCode !== 0) throw new Error(`git for-each-ref failed: ${firstError(refsResult.stderr)}`);
  const records = parseRefRecords(refsResult.stdout.toString('utf8'));
  const tags = records
    .filter((r) => r.refname.startsWith('refs/tags/') && r.refname.slice('refs/tags/'.length).startsWith(prefix))
    .map((r) => toTag(r, prefix));
  const mergedResult = await merging;
  const productionRecord = records.find((r) => r.refname === productionRef);
  const unavailable: UnavailableFact[] = [];
  if (!productionRecord) {
    unavailable.push({
      fact: 'production-history',
      reason: `${productionRef} does not exist, so tag reachability and the published state cannot be established`,
      fix: `fetch it (git fetch ${config.remote} ${config.branches.production}); in GitHub Actions use actions/checkout with fetch-depth: 0`,
    });
    unavailable.push({
      fact: 'production-head',
      reason: `${productionRef} does not exist, so the workflows and Release Please config on ${config.branches.production} cannot be read`,
      fix: `fetch it (git fetch ${config.remote} ${config.branches.production})`,
    });
  } else if (location.shallow) {
    unavailable.push({
      fact: 'production-history',
      reason: 'the clone is shallow, so the history of the production branch and tag reachability are incomplete',
      fix: `fetch the full history (git fetch --unshallow --tags ${config.remote}); in GitHub Actions use actions/checkout with fetch-depth: 0`,
    });
  } else if (mergedResult.exitCode !== 0) {
    throw new Error(`git for-each-ref --merged failed: ${firstError(mergedResult.stderr)}`);
  }
  const productionKnown = productionRecord !== undefined && !location.shallow;
  const reachable = new Set(productionKnown && mergedResult.exitCode === 0 ? mergedResult.stdout.toString('utf8').split('\n') : []);
  for (const tag of tags) tag.reachable = reachable.has(`refs/tags/${tag.name}`);

  if (options.candidate) {
    const index = tags.findIndex((t) => t.name === options.candidate!.name);
    if (index < 0 && options.requireExisting) throw new InputError(`there is no tag ${options.candidate.name} in this clone (git fetch --tags)`);
    const candidate = await candidateTag(root, options.candidate, tags[index], prefix, productionRef, productionKnown);
    if (index >= 0) tags[index] = candidate;
    else tags.push(candidate);
  }
  for (const pushed of options.pushed ?? []) {
    const index = tags.findIndex((t) => t.name === pushed.name);
    const local = index >= 0 && (tags[index].object === pushed.localSha || pushed.localSha === '') ? tags[index] : undefined;
    const tag = local ? { ...local } : await describePushedObject(root, session, pushed, prefix, productionRef, productionKnown, config.remote);
    Object.assign(tag, {
      candidate: true,
      judged: true,
      object: pushed.localSha,
      remoteObject: pushed.remoteSha,
      push: pushed.localSha === '' ? 'delete' : pushed.remoteSha === '' ? 'create' : 'update',
    });
    if (index >= 0) tags[index] = tag;
    else tags.push(tag);
  }
  const candidatesOnly = options.candidate !== undefined || options.pushed !== undefined || options.candidatesOnly === true;
  const refs: GatheredRefs = {
    name: basename(root),
    shallow: location.shallow,
    records,
    productionRecord,
    productionKnown,
    tags,
    candidatesOnly,
    unavailable,
    // Without the remote's list (--offline, the tag command, the hook) the local tags are trusted to be all.
    collected: options.offline && !options.pushed ? ['all-tags'] : ['remote-tags', 'all-tags'],
  };
  const snapshot = await assembleSnapshot(refs, config, session, {
    async productionOnly({ integrationRef, productionRef }) {
      const log = await runGit(root, productionOnlyLogArgs(integrationRef, productionRef));
      if (log.exitCode !== 0 && promisorObjectMissing.test(log.stderr)) return partialCloneFact('commit-patches', 'the patches of production-only commits cannot be compared');
      if (log.exitCode !== 0) throw new Error(`git log failed: ${firstError(log.stderr)}`);
      return parseProductionOnlyLog(log.stdout.toString('utf8'));
    },
  });
  // The remote's tags matter only to the rules: waiting for them last lets ls-remote (a network
  // round trip, and at low priority) overlap with everything above.
  if (askingRemote) compareWithRemoteTags(snapshot, await askingRemote, config.remote, prefix);
  else if (options.offline && !options.pushed) {
    snapshot.unavailable.push({
      fact: 'remote-tags',
      reason: `--offline: the tags on ${config.remote} were not read`,
      fix: 'run without --offline where the remote is reachable',
    });
  }
  return snapshot;
}

/** Each tag's object on the remote, and the remote's release tags this clone lacks. */
function compareWithRemoteTags(snapshot: Snapshot, answer: GitResult, remote: string, prefix: string): void {
  if (answer.exitCode !== 0) {
    snapshot.unavailable.push({
      fact: 'remote-tags',
      reason: `the tags on ${remote} cannot be read (git ls-remote: ${firstError(answer.stderr) || 'failed'})`,
      fix: `check that the remote ${remote} exists and is reachable (git ls-remote --tags ${remote})`,
    });
    return;
  }
  const remoteObjects = parseLsRemote(answer.stdout.toString('utf8'));
  for (const tag of snapshot.tags) tag.remoteObject = remoteObjects.get(tag.name) ?? '';
  // The candidate of `release-lint tag` counts as here: it is the tag about to be created or pushed.
  const local = new Set(snapshot.tags.map((t) => t.name));
  const notFetched = [...remoteObjects.keys()].filter((name) => name.startsWith(prefix) && !local.has(name));
  if (notFetched.length > 0) snapshot.unavailable.push(tagsNotFetched(notFetched, remote));
}
