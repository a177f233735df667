/**
 * The part of collecting that does not depend on where the objects come from: a clone (collect-git)
 * or GitHub (collect-github).
 */
import type { SemVer } from 'semver';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import type { ObjectReader } from '../git/cat-file.js';
import { findChangelogHeading, parseChangelog, readJsonPointers, readYamlPointers, type LocatedValue, type ParsedChangelogEntry } from './sources.js';
import { measureBackport, type LoggedCommit } from './history.js';
import { releasePleaseConfigKeys } from './release-please.js';
import type { Branch, ChangelogEntry, Commit, ConfigKey, Revision, Snapshot, Tag, UnavailableFact, VersionReading, WorkflowStep } from './types.js';
import { releaseBranches } from './release-branch.js';
import { workflowSteps } from './workflows.js';
import { parseVersion } from './version.js';
import { compareSemver, parseSemver } from '../semver-cache.js';
import { compareNatural } from '../natural-order.js';

/** One ref as `git for-each-ref` describes it (GitHub answers are put in the same shape). */
export interface RefRecord {
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
export function tagMessage(contents: string): string {
  const signature = contents.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  return (signature >= 0 ? contents.slice(0, signature) : contents).trimEnd();
}

export function isoDate(unix: number): string {
  return Number.isFinite(unix) && unix > 0 ? new Date(unix * 1000).toISOString().replace('.000Z', 'Z') : '';
}

/** A Tag from what git says about it; derived fields (version, lines, date, recovery issue) and defaults filled in. */
export function makeTag(facts: {
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
    messageLines: message === '' ? [] : message.split('\n').map((line) => line.trimEnd()),
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

/** A tag from its ref record; `reachable` is set by the collector once it knows. */
export function toTag(record: RefRecord, prefix: string): Tag {
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
    reachable: false,
    candidate: false,
  });
}


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
  return branches.sort((a, b) => compareNatural(a.name, b.name));
}

export function compareTagsNewestFirst(a: Tag, b: Tag): number {
  if (a.version.valid && b.version.valid) return compareSemver(b.version.text, a.version.text) || (a.name < b.name ? -1 : 1);
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

interface FileRead {
  exists: boolean;
  pointers?: Map<string, LocatedValue>;
  /** Every entry, for CHANGELOGs read at branch heads and at a candidate. */
  changelog?: ParsedChangelogEntry[];
  /** Newest and matching heading, for CHANGELOGs read at tags only. */
  headings?: Map<string, { newest?: ParsedChangelogEntry; matching?: ParsedChangelogEntry }>;
}

/**
 * For each tag, the highest version among published tags (reachable from production) dated
 * strictly before it: one sort and one sweep instead of a comparison per pair of tags.
 */
function setPublishedBefore(tags: Tag[]): void {
  const byDate = [...tags].sort((a, b) => a.timestamp - b.timestamp);
  let highest: SemVer | null = null;
  for (let i = 0; i < byDate.length; ) {
    let j = i;
    while (j < byDate.length && byDate[j].timestamp === byDate[i].timestamp) j++;
    for (let k = i; k < j; k++) byDate[k].publishedBefore = highest?.version ?? '';
    for (let k = i; k < j; k++) {
      const tag = byDate[k];
      if (!tag.reachable || tag.candidate || !tag.version.valid) continue;
      const version = parseSemver(tag.version.text);
      if (version && (!highest || version.compare(highest) > 0)) highest = version;
    }
    i = j;
  }
}

/**
 * The judged tags whose files are read. A gate judges what is new: with `latest`, the newest
 * published tag and every tag dated at or after it (unpublished ones included), so the cost does
 * not grow with the history; `all` reads at every judged tag. Candidates are always read.
 */
function tagsWhoseFilesAreRead(tags: Tag[], filesAt: 'latest' | 'all', candidatesOnly: boolean): Set<Tag> {
  const judged = tags.filter((t) => t.judged && t.commit !== '' && (t.candidate || !candidatesOnly));
  if (filesAt === 'all' || candidatesOnly) return new Set(judged);
  // Tags are sorted newest version first: the first published one is the newest release.
  const newestPublished = tags.find((t) => t.reachable && !t.candidate && t.version.valid);
  if (!newestPublished) return new Set(judged);
  return new Set(judged.filter((t) => t.candidate || t.timestamp >= newestPublished.timestamp));
}

/** What a collector found out about the refs, before files and history are read. */
export interface GatheredRefs {
  /** The repository's name, for reports. */
  name: string;
  shallow: boolean;
  /** Branch records: refs/heads/* and refs/remotes/<remote>/*. */
  records: RefRecord[];
  productionRecord: RefRecord | undefined;
  /** Whether the production branch's whole history is known (tag reachability is then exact). */
  productionKnown: boolean;
  tags: Tag[];
  /** Read files at candidate tags only (tag, hook, pr). */
  candidatesOnly: boolean;
  unavailable: UnavailableFact[];
  /** Facts this collector adds to the common ones (remote-tags). */
  collected: string[];
}

/** Production's non-merge commits that integration lacks, with their added lines; or why they cannot be known. */
/** A fact a partial clone cannot give: release-lint never fetches (GIT_NO_LAZY_FETCH). */
export function partialCloneFact(fact: string, what: string): UnavailableFact {
  return {
    fact,
    reason: `this is a partial clone and ${what}; release-lint does not download objects`,
    fix: 'use a full clone: clone without --filter (in GitHub Actions, leave actions/checkout\'s filter unset), or fetch the missing objects before linting',
  };
}

export interface HistorySource {
  productionOnly(refs: { integrationRef: string; productionRef: string; integrationHead: string; productionHead: string }): Promise<LoggedCommit[] | UnavailableFact>;
}

/**
 * The snapshot from gathered refs: tag order and judging, branches, the revisions to read, the
 * files read at them, and the backport history. The same for a clone and for GitHub.
 */
export async function assembleSnapshot(refs: GatheredRefs, config: ResolvedConfig, reader: ObjectReader, history: HistorySource): Promise<Snapshot> {
  const { records, productionRecord, productionKnown, tags, unavailable, candidatesOnly } = refs;
  const productionRef = `refs/remotes/${config.remote}/${config.branches.production}`;
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
  if (integration && productionKnown && productionRecord) {
    const found = await history.productionOnly({ integrationRef, productionRef, integrationHead: integration.head, productionHead: productionRecord.objectname });
    if (Array.isArray(found)) logged = found;
    else unavailable.push(found);
  }

  // Judging candidates only (tag command, pre-push hook), files are read at the candidates alone:
  // a push through the hook stays fast however many tags the repository has.
  const revisions: Revision[] = [];
  const readAt = tagsWhoseFilesAreRead(tags, config.tags.filesAt, candidatesOnly);
  for (const tag of tags) {
    if (readAt.has(tag)) revisions.push({ kind: 'tag', name: tag.name, commit: tag.commit, version: tag.version, candidate: tag.candidate });
  }
  if (productionRecord) revisions.push({ kind: 'production', name: config.branches.production, commit: productionRecord.objectname, version: noVersion, candidate: false });
  if (integration) revisions.push({ kind: 'integration', name: integration.name, commit: integration.head, version: noVersion, candidate: false });
  for (const branch of branches) if (branch.release) revisions.push({ kind: 'release-branch', name: branch.name, commit: branch.head, version: branch.version, candidate: false });

  const [files, backport, productionFiles] = await Promise.all([
    readFilesAtRevisions(reader, revisions, config),
    readIntegrationFiles(reader, logged, integration?.head ?? ''),
    readProductionPolicyFiles(reader, productionRecord?.objectname ?? '', config),
  ]);
  if (reader.objectsMissing) unavailable.push(partialCloneFact('file-contents', 'the files at some tags and branches were never downloaded'));
  if (productionFiles.problem) {
    unavailable.push({ fact: 'release-please-config', reason: productionFiles.problem, fix: `correct ${config.releasePleaseConfig} on ${config.branches.production}` });
  }
  return {
    schemaVersion: 1,
    repository: {
      name: refs.name,
      remote: config.remote,
      shallow: refs.shallow,
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
    collected: ['production-history', 'production-head', 'integration-branch', 'release-please-config', 'commit-patches', 'file-contents', ...refs.collected],
    unavailable,
  };
}

/** Measures production-only commits against integration's version of every file a not patch-equivalent one adds lines to. */
export async function readIntegrationFiles(reader: ObjectReader, logged: LoggedCommit[], integrationHead: string): Promise<Commit[]> {
  const paths = [...new Set(logged.filter((c) => !c.patchEquivalent).flatMap((c) => [...c.added.keys()]))];
  const texts = new Map<string, string | undefined>();
  await reader.read(
    paths.map((p) => `${integrationHead}:${p}`),
    (index, answer) => texts.set(paths[index], answer.kind === 'blob' ? answer.content.toString('utf8') : undefined),
  );
  return measureBackport(logged, texts);
}

const workflowsDir = '.github/workflows';

/** The workflows and the Release Please config at the production head: two rounds of reads. */
async function readProductionPolicyFiles(
  reader: ObjectReader,
  productionHead: string,
  config: ResolvedConfig,
): Promise<{ steps: WorkflowStep[]; keys: ConfigKey[]; problem: string }> {
  const result = { steps: [] as WorkflowStep[], keys: [] as ConfigKey[], problem: '' };
  if (!productionHead) return result;
  let workflowEntries: Array<{ name: string; oid: string }> = [];
  const requests = [`${productionHead}:${workflowsDir}`, ...(config.releasePleaseConfig ? [`${productionHead}:${config.releasePleaseConfig}`] : [])];
  await reader.read(requests, (index, answer) => {
    if (index === 0) {
      if (answer.kind === 'tree') workflowEntries = answer.entries.filter((e) => /\.ya?ml$/.test(e.name) && e.mode !== '40000');
    } else if (answer.kind === 'blob') {
      const parsed = releasePleaseConfigKeys(config.releasePleaseConfig!, answer.content.toString('utf8'));
      result.keys = parsed.keys;
      result.problem = parsed.problem;
    }
  });
  await reader.read(
    workflowEntries.map((e) => e.oid),
    (index, answer) => {
      if (answer.kind === 'blob') result.steps.push(...workflowSteps(`${workflowsDir}/${workflowEntries[index].name}`, answer.content.toString('utf8')));
    },
  );
  return result;
}

async function readFilesAtRevisions(
  reader: ObjectReader,
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
  await reader.read(
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
