import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import semver from 'semver';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { CatFileSession, parseTree, type BatchAnswer } from '../git/cat-file.js';
import { runGit } from '../git/run.js';
import { findChangelogHeading, parseChangelog, readJsonPointers, readYamlPointers, type LocatedValue, type ParsedChangelogEntry } from './sources.js';
import { measureBackport, parseProductionOnlyLog, productionOnlyLogArgs, type LoggedCommit } from './history.js';
import { releasePleaseConfigKeys } from './release-please.js';
import type { Branch, ChangelogEntry, Commit, ConfigKey, Revision, Snapshot, Tag, UnavailableFact, VersionReading, WorkflowStep } from './types.js';
import { releaseBranches } from './release-branch.js';
import { workflowSteps } from './workflows.js';
import { parseVersion } from './version.js';

export interface RepositoryLocation {
  root: string;
  shallow: boolean;
}

/** Finds the work tree that contains `dir` (one git process). Bare repositories are refused. */
export async function locateRepository(dir: string): Promise<RepositoryLocation> {
  if (!existsSync(dir)) throw new InputError('folder does not exist', dir);
  const result = await runGit(dir, ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--show-toplevel']);
  const lines = result.stdout.toString('utf8').split('\n');
  if (lines[0] === 'true') throw new InputError('is a bare repository; release-lint needs a clone with a work tree', dir);
  if (result.exitCode !== 0 || !lines[2]) {
    const reason = result.stderr.includes('not a git repository') ? 'is not a git repository' : `cannot be read by git: ${result.stderr.trim().split('\n')[0]}`;
    throw new InputError(reason, dir);
  }
  return { root: lines[2], shallow: lines[1] === 'true' };
}

const refFields = [
  'refname',
  'objecttype',
  'objectname',
  '*objectname',
  '*objecttype',
  'taggerdate:unix',
  'taggername',
  'taggeremail:trim',
  'committerdate:unix',
  'tree',
  'symref',
  'contents',
] as const;
const refFormat = refFields.map((f) => `%(${f})`).join('%00') + '%00';

interface RefRecord {
  refname: string;
  objecttype: string;
  objectname: string;
  peeledName: string;
  peeledType: string;
  taggerDate: string;
  taggerName: string;
  taggerEmail: string;
  committerDate: string;
  tree: string;
  symref: string;
  contents: string;
}

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

/** Escapes wildmatch special characters so a configured prefix is taken literally. */
function literalPattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Facts about a tag's GitHub Release before (or without) asking GitHub. */
export function noRelease(): Tag['release'] {
  return { found: false, isDraft: false, isPrerelease: false, assets: [] };
}

/** The issue a recovery tag's `recovery-issue: #N` line names; facts about it come from GitHub. */
function recoveryIssueOf(message: string): Tag['recoveryIssue'] {
  const match = message.includes('recovery-issue:') ? /^recovery-issue: #(\d+)\s*$/m.exec(message) : null;
  return { number: match ? Number(match[1]) : 0, exists: false, isPullRequest: false, state: '' };
}

/** Tag message without a trailing signature block. */
function tagMessage(contents: string): string {
  const signature = contents.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  return (signature >= 0 ? contents.slice(0, signature) : contents).replace(/\s+$/, '');
}

function isoDate(unix: number): string {
  return Number.isFinite(unix) && unix > 0 ? new Date(unix * 1000).toISOString().replace('.000Z', 'Z') : '';
}

/** A Tag from what git says about it; derived fields (version, lines, date, recovery issue) and defaults filled in. */
function makeTag(facts: {
  name: string;
  prefix: string;
  annotated: boolean;
  objectType: string;
  object: string;
  commit: string;
  message: string;
  tagger: Tag['tagger'];
  timestamp: number;
  reachable: boolean;
  candidate: boolean;
}): Tag {
  const { message, timestamp } = facts;
  // Fields written out rather than spread: this runs once per tag, ten thousand times and more.
  return {
    name: facts.name,
    annotated: facts.annotated,
    objectType: facts.objectType,
    object: facts.object,
    commit: facts.commit,
    tagger: facts.tagger,
    reachable: facts.reachable,
    candidate: facts.candidate,
    version: parseVersion(facts.name.slice(facts.prefix.length)),
    message,
    messageLines: message === '' ? [] : message.split('\n').map((line) => line.replace(/\s+$/, '')),
    date: isoDate(timestamp),
    timestamp,
    judged: true,
    remoteObject: '',
    publishedBefore: '',
    push: '',
    release: noRelease(),
    recoveryIssue: recoveryIssueOf(message),
  };
}

function toTag(record: RefRecord, prefix: string, reachable: Set<string>): Tag {
  const name = record.refname.slice('refs/tags/'.length);
  const annotated = record.objecttype === 'tag';
  const commit = annotated ? (record.peeledType === 'commit' ? record.peeledName : '') : record.objecttype === 'commit' ? record.objectname : '';
  const message = annotated ? tagMessage(record.contents) : '';
  return makeTag({
    name,
    prefix,
    annotated,
    objectType: record.objecttype,
    object: record.objectname,
    commit,
    message,
    tagger: annotated ? { name: record.taggerName, email: record.taggerEmail, date: isoDate(Number(record.taggerDate)) } : { name: '', email: '', date: '' },
    timestamp: Number(annotated ? record.taggerDate : record.committerDate) || 0,
    reachable: reachable.has(record.refname),
    candidate: false,
  });
}

/** release/7.15 before release/10.8, as people read versions. */
const naturalOrder = new Intl.Collator('en', { numeric: true });

function collectBranches(records: RefRecord[], config: ResolvedConfig): Branch[] {
  const release = releaseBranches(config.branches.release);
  const remotePrefix = `refs/remotes/${config.remote}/`;
  const byName = new Map<string, Branch>();
  const branchNamed = (name: string): Branch => {
    let branch = byName.get(name);
    if (!branch) {
      branch = {
        name,
        release: release.matches(name),
        version: release.versionOf(name),
        local: false,
        remote: false,
        localHead: '',
        remoteHead: '',
        head: '',
        tree: '',
      };
      byName.set(name, branch);
    }
    return branch;
  };
  for (const record of records) {
    if (record.symref) continue;
    if (record.refname.startsWith('refs/heads/')) {
      const branch = branchNamed(record.refname.slice('refs/heads/'.length));
      branch.local = true;
      branch.localHead = record.objectname;
      if (!branch.remote) branch.tree = record.tree;
    } else if (record.refname.startsWith(remotePrefix)) {
      const branch = branchNamed(record.refname.slice(remotePrefix.length));
      branch.remote = true;
      branch.remoteHead = record.objectname;
      branch.tree = record.tree;
    }
  }
  const branches = [...byName.values()];
  for (const branch of branches) branch.head = branch.remoteHead || branch.localHead;
  return branches.sort((a, b) => naturalOrder.compare(a.name, b.name));
}

function compareTagsNewestFirst(a: Tag, b: Tag): number {
  if (a.version.valid && b.version.valid) return semver.rcompare(a.version.text, b.version.text) || (a.name < b.name ? -1 : 1);
  if (a.version.valid !== b.version.valid) return a.version.valid ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Marks tags older than `tags.since` (a tag name or an ISO date) as not judged. */
function applySince(tags: Tag[], since: string | null): void {
  if (!since) return;
  let threshold: number;
  if (/^\d{4}-\d{2}-\d{2}/.test(since) && !Number.isNaN(Date.parse(since))) threshold = Date.parse(since) / 1000;
  else {
    const sinceTag = tags.find((t) => t.name === since);
    if (!sinceTag) throw new InputError(`tags.since names "${since}", which is neither an existing tag nor an ISO date (YYYY-MM-DD)`);
    threshold = sinceTag.timestamp;
  }
  for (const tag of tags) tag.judged = tag.timestamp >= threshold;
}

const noVersion = parseVersion('');

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

interface FileRead {
  exists: boolean;
  pointers?: Map<string, LocatedValue>;
  /** Every entry, for CHANGELOGs read at branch heads and at a candidate. */
  changelog?: ParsedChangelogEntry[];
  /** Newest and matching heading, for CHANGELOGs read at tags only. */
  headings?: Map<string, { newest?: ParsedChangelogEntry; matching?: ParsedChangelogEntry }>;
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

/**
 * For each tag, the highest version among published tags (reachable from production) dated
 * strictly before it: one sort and one sweep instead of a comparison per pair of tags.
 */
function setPublishedBefore(tags: Tag[]): void {
  const byDate = [...tags].sort((a, b) => a.timestamp - b.timestamp);
  let highest: semver.SemVer | null = null;
  for (let i = 0; i < byDate.length; ) {
    let j = i;
    while (j < byDate.length && byDate[j].timestamp === byDate[i].timestamp) j++;
    for (let k = i; k < j; k++) byDate[k].publishedBefore = highest?.version ?? '';
    for (let k = i; k < j; k++) {
      const tag = byDate[k];
      if (!tag.reachable || tag.candidate || !tag.version.valid) continue;
      const version = semver.parse(tag.version.text);
      if (version && (!highest || version.compare(highest) > 0)) highest = version;
    }
    i = j;
  }
}

/** Whether `commit` is on `ref`'s history: one git process, for a candidate that is no ref yet. */
async function isAncestor(root: string, commit: string, ref: string): Promise<boolean> {
  const answer = await runGit(root, ['merge-base', '--is-ancestor', commit, ref]);
  if (answer.exitCode > 1) throw new Error(`git merge-base failed: ${answer.stderr.trim().split('\n')[0]}`);
  return answer.exitCode === 0;
}

/** The tag `release-lint tag` judges: the existing local tag, or what `git tag [-a]` would create. */
async function candidateTag(root: string, candidate: CandidateTag, existing: Tag | undefined, prefix: string, productionRef: string, productionKnown: boolean): Promise<Tag> {
  if (existing) return { ...existing, candidate: true, judged: true };
  const resolved = await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate.ref}^{commit}`]);
  const commit = resolved.stdout.toString('utf8').trim();
  if (resolved.exitCode !== 0 || !commit) throw new InputError(`--ref "${candidate.ref}" does not name a commit in this repository`);
  const reachable = productionKnown && (await isAncestor(root, commit, productionRef));
  const message = candidate.message === null ? '' : candidate.message.replace(/\s+$/, '');
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
  const tagPattern = `refs/tags/${literalPattern(prefix)}*`;
  const productionRef = `refs/remotes/${config.remote}/${config.branches.production}`;
  const queryRemote = !options.offline && !options.pushed;
  const [refsResult, mergedResult, remoteResult] = await Promise.all([
    runGit(root, ['for-each-ref', `--format=${refFormat}`, tagPattern, 'refs/heads/', `refs/remotes/${config.remote}/`]),
    runGit(root, ['for-each-ref', `--merged=${productionRef}`, '--format=%(refname)', tagPattern]),
    queryRemote ? runGit(root, ['ls-remote', '--tags', '--end-of-options', config.remote]) : undefined,
  ]);
  if (refsResult.exitCode !== 0) throw new Error(`git for-each-ref failed: ${refsResult.stderr.trim().split('\n')[0]}`);
  const records = parseRefRecords(refsResult.stdout.toString('utf8'));
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
    throw new Error(`git for-each-ref --merged failed: ${mergedResult.stderr.trim().split('\n')[0]}`);
  }
  const productionKnown = productionRecord !== undefined && !location.shallow;
  const reachable = new Set(productionKnown && mergedResult.exitCode === 0 ? mergedResult.stdout.toString('utf8').split('\n') : []);

  let remoteObjects = new Map<string, string>();
  if (remoteResult && remoteResult.exitCode === 0) remoteObjects = parseLsRemote(remoteResult.stdout.toString('utf8'));
  else if (!options.pushed) {
    unavailable.push({
      fact: 'remote-tags',
      reason: options.offline
        ? `--offline: the tags on ${config.remote} were not read`
        : `the tags on ${config.remote} cannot be read (git ls-remote: ${remoteResult?.stderr.trim().split('\n')[0] || 'failed'})`,
      fix: options.offline ? 'run without --offline where the remote is reachable' : `check that the remote ${config.remote} exists and is reachable (git ls-remote --tags ${config.remote})`,
    });
  }

  const tags = records
    .filter((r) => r.refname.startsWith('refs/tags/') && r.refname.slice('refs/tags/'.length).startsWith(prefix))
    .map((r) => toTag(r, prefix, reachable));
  for (const tag of tags) tag.remoteObject = remoteObjects.get(tag.name) ?? '';

  if (options.candidate) {
    const index = tags.findIndex((t) => t.name === options.candidate!.name);
    if (index < 0 && options.requireExisting) throw new InputError(`there is no tag ${options.candidate.name} in this clone (git fetch --tags)`);
    const candidate = await candidateTag(root, options.candidate, tags[index], prefix, productionRef, productionKnown);
    candidate.remoteObject = remoteObjects.get(candidate.name) ?? '';
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
  tags.sort(compareTagsNewestFirst);
  applySince(tags, config.tags.since);
  for (const tag of tags) if (tag.candidate) tag.judged = true;
  setPublishedBefore(tags);
  const branches = collectBranches(records, config);

  const integration = config.branches.integration ? branches.find((b) => b.name === config.branches.integration) : undefined;
  if (config.branches.integration && !integration) {
    unavailable.push({
      fact: 'integration-branch',
      reason: `the integration branch ${config.branches.integration} exists neither locally nor as ${config.remote}/${config.branches.integration}`,
      fix: `fetch it (git fetch ${config.remote} ${config.branches.integration}), or set branches.integration: null if the project has none`,
    });
  }
  const integrationRef = integration ? (integration.remote ? `refs/remotes/${config.remote}/${integration.name}` : `refs/heads/${integration.name}`) : '';

  // Production's commits that integration lacks: only when both histories are complete.
  let logged: LoggedCommit[] = [];
  if (integration && productionKnown) {
    const log = await runGit(root, productionOnlyLogArgs(integrationRef, productionRef));
    if (log.exitCode !== 0) throw new Error(`git log failed: ${log.stderr.trim().split('\n')[0]}`);
    logged = parseProductionOnlyLog(log.stdout.toString('utf8'));
  }

  // Judging candidates only (tag command, pre-push hook), files are read at the candidates alone:
  // a push through the hook stays fast however many tags the repository has.
  const candidatesOnly = options.candidate !== undefined || options.pushed !== undefined || options.candidatesOnly === true;
  const revisions: Revision[] = [];
  for (const tag of tags) {
    if (tag.judged && tag.commit && (tag.candidate || !candidatesOnly)) revisions.push({ kind: 'tag', name: tag.name, commit: tag.commit, version: tag.version, candidate: tag.candidate });
  }
  if (productionRecord) revisions.push({ kind: 'production', name: config.branches.production, commit: productionRecord.objectname, version: noVersion, candidate: false });
  if (integration) revisions.push({ kind: 'integration', name: integration.name, commit: integration.head, version: noVersion, candidate: false });
  for (const branch of branches) if (branch.release) revisions.push({ kind: 'release-branch', name: branch.name, commit: branch.head, version: branch.version, candidate: false });

  const [files, backport, productionFiles] = await Promise.all([
    readFilesAtRevisions(session, revisions, config),
    readIntegrationFiles(session, logged, integration?.head ?? ''),
    readProductionPolicyFiles(session, productionRecord?.objectname ?? '', config),
  ]);
  if (productionFiles.problem) {
    unavailable.push({ fact: 'release-please-config', reason: productionFiles.problem, fix: `correct ${config.releasePleaseConfig} on ${config.branches.production}` });
  }
  return {
    schemaVersion: 1,
    repository: {
      name: basename(root),
      remote: config.remote,
      shallow: location.shallow,
      productionBranch: config.branches.production,
      productionRef,
      productionHead: productionRecord?.objectname ?? '',
      integrationBranch: config.branches.integration ?? '',
      integrationRef,
      integrationHead: integration?.head ?? '',
      productionTree: productionRecord?.tree ?? '',
    },
    tags,
    branches,
    revisions,
    versionSources: files.versionSources,
    changelogEntries: files.changelogEntries,
    productionOnlyCommits: backport,
    workflowSteps: productionFiles.steps,
    releasePleaseConfig: productionFiles.keys,
    pullRequests: [],
    pullRequestFiles: [],
    collected: ['production-history', 'production-head', 'integration-branch', 'release-please-config', ...(options.offline && !options.pushed ? [] : ['remote-tags'])],
    unavailable,
  };
}

/** Integration's version of every file a not patch-equivalent production commit adds lines to. */
async function readIntegrationFiles(session: CatFileSession, logged: LoggedCommit[], integrationHead: string): Promise<Commit[]> {
  const paths = [...new Set(logged.filter((c) => !c.patchEquivalent).flatMap((c) => [...c.added.keys()]))];
  const texts = new Map<string, string | undefined>();
  await session.read(
    paths.map((p) => `${integrationHead}:${p}`),
    (index, answer) => texts.set(paths[index], answer.kind === 'blob' ? answer.content.toString('utf8') : undefined),
  );
  return measureBackport(logged, texts);
}

const workflowsDir = '.github/workflows';

/** The workflows and the Release Please config at the production head: two rounds of one session. */
async function readProductionPolicyFiles(
  session: CatFileSession,
  productionHead: string,
  config: ResolvedConfig,
): Promise<{ steps: WorkflowStep[]; keys: ConfigKey[]; problem: string }> {
  const result = { steps: [] as WorkflowStep[], keys: [] as ConfigKey[], problem: '' };
  if (!productionHead) return result;
  let workflowEntries: Array<{ name: string; oid: string }> = [];
  const requests = [`${productionHead}:${workflowsDir}`, ...(config.releasePleaseConfig ? [`${productionHead}:${config.releasePleaseConfig}`] : [])];
  await session.read(requests, (index, answer) => {
    if (index === 0) {
      if (answer.kind === 'tree') workflowEntries = parseTree(answer.content, answer.oid.length).filter((e) => /\.ya?ml$/.test(e.name) && e.mode !== '40000');
    } else if (answer.kind === 'blob') {
      const parsed = releasePleaseConfigKeys(config.releasePleaseConfig!, answer.content.toString('utf8'));
      result.keys = parsed.keys;
      result.problem = parsed.problem;
    }
  });
  await session.read(
    workflowEntries.map((e) => e.oid),
    (index, answer) => {
      if (answer.kind === 'blob') result.steps.push(...workflowSteps(`${workflowsDir}/${workflowEntries[index].name}`, answer.content.toString('utf8')));
    },
  );
  return result;
}

async function readFilesAtRevisions(
  session: CatFileSession,
  revisions: Revision[],
  config: ResolvedConfig,
): Promise<{ versionSources: VersionReading[]; changelogEntries: ChangelogEntry[] }> {
  const pointersByFile = new Map<string, { format: 'json' | 'yaml'; pointers: string[] }>();
  for (const source of config.versionSources) {
    const entry = pointersByFile.get(source.file) ?? { format: source.format, pointers: [] };
    if (!entry.pointers.includes(source.pointer)) entry.pointers.push(source.pointer);
    pointersByFile.set(source.file, entry);
  }
  const files = [...pointersByFile.keys()];
  if (config.changelog && !files.includes(config.changelog)) files.push(config.changelog);
  const commits = [...new Set(revisions.map((r) => r.commit))];
  // A CHANGELOG read only at tags needs just its headings for those tags' versions.
  const fullChangelogAt = new Set(revisions.filter((r) => r.kind !== 'tag' || r.candidate).map((r) => r.commit));
  const tagVersionsAt = new Map<string, string[]>();
  for (const r of revisions) if (r.kind === 'tag') tagVersionsAt.set(r.commit, [...(tagVersionsAt.get(r.commit) ?? []), r.version.text]);
  const requests: Array<{ commit: string; file: string }> = [];
  for (const commit of commits) for (const file of files) requests.push({ commit, file });

  const reads = new Map<string, FileRead>();
  // Identical blobs (a file unchanged between tags) are parsed once.
  const parsedBlobs = new Map<string, FileRead>();
  await session.read(
    requests.map((r) => `${r.commit}:${r.file}`),
    (index, answer) => {
      const { commit, file } = requests[index];
      const key = `${commit}:${file}`;
      if (answer.kind !== 'blob') {
        reads.set(key, { exists: false });
        return;
      }
      const isChangelog = file === config.changelog;
      const cacheKey = isChangelog && !fullChangelogAt.has(commit) ? `${answer.oid}:${tagVersionsAt.get(commit)?.join(',')}` : answer.oid;
      const cached = parsedBlobs.get(cacheKey);
      if (cached) {
        reads.set(key, cached);
        return;
      }
      const text = answer.content.toString('utf8');
      const read: FileRead = { exists: true };
      const pointerSpec = pointersByFile.get(file);
      if (pointerSpec) read.pointers = (pointerSpec.format === 'yaml' ? readYamlPointers : readJsonPointers)(text, pointerSpec.pointers);
      if (isChangelog && fullChangelogAt.has(commit)) read.changelog = parseChangelog(text);
      else if (isChangelog) read.headings = new Map((tagVersionsAt.get(commit) ?? []).map((v) => [v, findChangelogHeading(text, v)]));
      parsedBlobs.set(cacheKey, read);
      reads.set(key, read);
    },
  );

  const versionSources: VersionReading[] = [];
  const changelogEntries: ChangelogEntry[] = [];
  for (const at of revisions) {
    for (const source of config.versionSources) {
      const read = reads.get(`${at.commit}:${source.file}`) ?? { exists: false };
      const value = read.pointers?.get(source.pointer);
      versionSources.push({
        at,
        file: source.file,
        pointer: source.pointer,
        format: source.format,
        required: source.required,
        fileExists: read.exists,
        found: value?.found ?? false,
        value: value?.value ?? '',
        line: value?.line ?? 0,
        column: value?.column ?? 0,
        problem: read.exists ? (value?.problem ?? 'pointer not found') : 'file missing',
      });
    }
    if (!config.changelog) continue;
    const read = reads.get(`${at.commit}:${config.changelog}`) ?? { exists: false };
    const entries = read.changelog ?? [];
    const headings = read.headings?.get(at.version.text);
    const matching = headings ? (headings.matching ?? headings.newest) : (entries.find((e) => e.version.text === at.version.text) ?? entries[0]);
    versionSources.push({
      at,
      file: config.changelog,
      pointer: '',
      format: 'changelog',
      required: true,
      fileExists: read.exists,
      found: matching !== undefined,
      value: matching?.version.text ?? '',
      line: matching?.line ?? 0,
      column: matching ? 1 : 0,
      problem: !read.exists ? 'file missing' : matching ? '' : 'no version heading',
    });
    // Full entries only at branch heads and candidates: other tags need just the heading above.
    if (at.kind !== 'tag' || at.candidate) for (const entry of entries) changelogEntries.push({ at, file: config.changelog, ...entry });
  }
  return { versionSources, changelogEntries };
}
