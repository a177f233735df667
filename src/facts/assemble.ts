/**
 * The part of collecting that does not depend on where the objects come from: a clone (collect-git)
 * or GitHub (collect-github).
 */
import picomatch from 'picomatch';
import { largeSourceBytes, type ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import type { ObjectReader, UnreadableObject } from '../sources/git/cat-file.js';
import { findChangelogHeading, genericMarker, parseChangelog, readJsonPointers, readTextVersion, readTomlPointers, readYamlPointers, type LocatedValue, type ParsedChangelogEntry } from './version-files.js';
import { setBaselines, setPublishedBefore, type AncestryOracle, type EntryAnchor } from './published.js';
import { measureBackport, type LoggedCommit } from './history.js';
import { releasePleaseConfigKeys } from './release-please.js';
import type { Branch, ChangelogEntry, Commit, ConfigKey, Revision, Snapshot, Tag, UnavailableFact, VersionReading, WorkflowStep } from './types.js';
import { maintenanceBranches, releaseBranches } from './release-branch.js';
import { workflowSteps } from './workflows.js';
import { applySince, parseVersion, versionLineInName, type Version } from './version.js';
import { parseSemver } from '../semver-cache.js';
import { compareNatural } from '../natural-order.js';
import { startSpan } from '../timings.js';
import type { FactPlan } from './plan.js';

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
  return noReleaseFound;
}

// Shared by every tag they describe (a hundred thousand tags, most without a release, a recovery
// issue or a message): facts are replaced, never changed in place, and CEL's conversion of their
// integers gives the same result however often it meets them.
const noReleaseFound: Tag['release'] = { found: false, isDraft: false, isPrerelease: false, assets: [] };
const noRecoveryIssue: Tag['recoveryIssue'] = { number: 0, exists: false, isPullRequest: false, state: '' };
const noLines: string[] = [];
const noTagger: Tag['tagger'] = { name: '', email: '', date: '' };

/** The issue a recovery tag's `recovery-issue: #N` line names; facts about it come from GitHub. */
function recoveryIssueOf(message: string): Tag['recoveryIssue'] {
  const match = message.includes('recovery-issue:') ? /^recovery-issue: #(\d+)\s*$/m.exec(message) : null;
  return match ? { number: Number(match[1]), exists: false, isPullRequest: false, state: '' } : noRecoveryIssue;
}

/** Tag message without a trailing signature block. */
export function tagMessage(contents: string): string {
  const signature = contents.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  return (signature >= 0 ? contents.slice(0, signature) : contents).trimEnd();
}

export function isoDate(unix: number): string {
  if (!(Number.isFinite(unix) && unix > 0)) return '';
  // Whole seconds up to year 9999 are written here, ten times faster than through a Date (a run
  // dates every tag); the rest as Date writes them.
  if (!Number.isInteger(unix) || unix > 253402300799) return new Date(unix * 1000).toISOString().replace('.000Z', 'Z');
  const days = Math.floor(unix / 86400);
  const seconds = unix - days * 86400;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), in 400-year eras from 0000-03-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  // Joined, not a template: a template of many parts leaves a tree of string pieces per tag.
  return [String(year).padStart(4, '0'), '-', two(month), '-', two(day), 'T', two(Math.floor(seconds / 3600)), ':', two(Math.floor((seconds % 3600) / 60)), ':', two(seconds % 60), 'Z'].join('');
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
    reachable: false,
    releaseLine: '',
    otherBranch: '',
    published: false,
    onRemote: 'unknown',
    candidate: facts.candidate,
    version: parseVersion(facts.name.slice(facts.prefix.length)),
    message,
    messageLines: message === '' ? noLines : message.split('\n').map((line) => line.trimEnd()),
    date: isoDate(timestamp),
    timestamp,
    judged: true,
    remoteObject: '',
    remoteAnnotated: false,
    remoteCommit: '',
    publishedBefore: '',
    push: '',
    release: noRelease(),
    recoveryIssue: recoveryIssueOf(message),
  };
}

/** Sets an annotated tag's message and what follows from it, read after its record (a candidate run reads no messages with the records). */
export function setTagMessage(tag: Tag, message: string): void {
  tag.message = message;
  tag.messageLines = message === '' ? noLines : message.split('\n').map((line) => line.trimEnd());
  tag.recoveryIssue = recoveryIssueOf(message);
}

/** A tag from its ref record; where it sits and whether it is published are set later. */
export function toTag(record: RefRecord, prefix: string, withMessage = true): Tag {
  const name = record.refname.slice('refs/tags/'.length);
  const annotated = record.objecttype === 'tag';
  const commit = annotated ? (record.peeledType === 'commit' ? record.peeledName : '') : record.objecttype === 'commit' ? record.objectname : '';
  // A run whose rules read no tag message keeps none (nor its lines).
  const message = annotated && withMessage ? tagMessage(record.contents) : '';
  return makeTag({
    name,
    prefix,
    annotated,
    objectType: record.objecttype,
    object: record.objectname,
    commit,
    message,
    tagger: annotated ? { name: record.taggerName, email: record.taggerEmail, date: isoDate(Number(record.taggerDate)) } : noTagger,
    timestamp: Number(annotated ? record.taggerDate : record.committerDate) || 0,
    candidate: false,
  });
}

/** Matches tag names against `tags.exclude`: families under the prefix that are not releases. */
export function excludedTags(globs: readonly string[]): (name: string) => boolean {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (name) => matchers.some((matches) => matches(name));
}

function collectBranches(records: RefRecord[], config: ResolvedConfig): Branch[] {
  const release = config.branches.release ? releaseBranches(config.branches.release) : undefined;
  const isMaintenance = maintenanceBranches(config.branches.maintenance);
  const remotePrefix = `refs/remotes/${config.remote}/`;
  const byName = new Map<string, Branch>();
  const branchNamed = (name: string): Branch => {
    let branch = byName.get(name);
    if (!branch) {
      const maintenance = isMaintenance(name);
      const isRelease = !maintenance && release !== undefined && release.matches(name);
      branch = {
        name,
        release: isRelease,
        maintenance,
        line: maintenance ? versionLineInName(name) : '',
        version: isRelease ? release!.versionOf(name) : noVersion,
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

/**
 * Sorts tags newest version first (valid versions by precedence, then by name; the others after,
 * by name), each version parsed once up front rather than looked up at every comparison (ten
 * thousand tags are compared 140,000 times).
 */
export function sortTagsNewestFirst(tags: Tag[]): void {
  const keyed = tags.map((tag) => ({ tag, version: tag.version.valid ? parseSemver(tag.version.text) : null }));
  keyed.sort((a, b) => {
    if (a.version && b.version) return b.version.compare(a.version) || (a.tag.name < b.tag.name ? -1 : 1);
    if ((a.version !== null) !== (b.version !== null)) return a.version ? -1 : 1;
    return a.tag.name < b.tag.name ? -1 : a.tag.name > b.tag.name ? 1 : 0;
  });
  keyed.forEach((entry, i) => (tags[i] = entry.tag));
}

const noVersion = parseVersion('');

interface FileRead {
  exists: boolean;
  /** The tree lists the file, but its object is missing from the repository. */
  unreadable?: boolean;
  pointers?: Map<string, LocatedValue>;
  /** The text, kept for text sources, which are read against the version expected at the revision. */
  text?: string;
  /** Every entry, for CHANGELOGs read at branch heads and at a candidate. */
  changelog?: ParsedChangelogEntry[];
  /** Newest and matching heading, for CHANGELOGs read at tags only. */
  headings?: Map<string, { newest?: ParsedChangelogEntry; matching?: ParsedChangelogEntry }>;
}

/**
 * The tags whose files the default window reads: a gate judges what is new, so the newest release
 * on a release line and every tag dated at or after it (unplaced and local ones included), plus
 * the candidates; the cost does not grow with the history. Without placement facts (no production
 * history), the newest tag stands in for it.
 */
function windowTags(tags: Tag[], candidatesOnly: boolean): Set<Tag> {
  const judged = tags.filter((t) => t.judged && t.commit !== '' && (t.candidate || !candidatesOnly));
  if (candidatesOnly) return new Set(judged);
  // Tags are sorted newest version first.
  const newest = tags.find((t) => t.releaseLine !== '' && !t.candidate && t.version.valid);
  if (!newest) return new Set(judged);
  return new Set(judged.filter((t) => t.candidate || t.timestamp >= newest.timestamp));
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
  /** Tags under the prefix that tags.exclude left out. */
  excluded: number;
  /** Read files at candidate tags only (tag, hook, pr). */
  candidatesOnly: boolean;
  /**
   * Only candidate tags are judged (tag, hook, release): nothing at branch heads, no workflows,
   * no backport log; the production head is asked only whether it keeps a CHANGELOG.
   */
  tagCandidates: boolean;
  /** The facts the run's rules need. */
  plan: FactPlan;
  unavailable: UnavailableFact[];
  /** Facts this collector adds to the common ones (remote-tags). */
  collected: string[];
}

/** A fact a partial clone cannot give: release-lint never fetches (GIT_NO_LAZY_FETCH). */
export function partialCloneFact(fact: string, what: string): UnavailableFact {
  return {
    fact,
    reason: `this is a partial clone and ${what}; release-lint does not download objects`,
    fix: 'use a full clone: clone without --filter (in GitHub Actions, leave actions/checkout\'s filter unset), or fetch the missing objects before linting',
  };
}

/** A branch of the remote as a placement tip: its name and head commit. */
export interface BranchTip {
  name: string;
  commit: string;
}

export interface HistorySource {
  productionOnly(refs: { integrationRef: string; productionRef: string; integrationHead: string; productionHead: string }): Promise<LoggedCommit[] | UnavailableFact>;
  /**
   * For each commit, the first of `tips` (in that order: the release lines, production first, then
   * the other branches of the remote) whose history holds it: its index, or -1.
   */
  holders(commits: readonly string[], tips: readonly BranchTip[]): Promise<number[] | UnavailableFact>;
  /** Ancestry between commits, for the baselines that follow from the published tags. */
  ancestry: AncestryOracle;
}

/**
 * Sets each tag's release line (production, else a maintenance branch), the other branch that
 * holds it when no line does, and `reachable` (production). Remote-tracking branches only: a
 * release line is what the remote has.
 */
async function placeTags(tags: Tag[], branches: Branch[], productionRecord: RefRecord | undefined, config: ResolvedConfig, history: HistorySource): Promise<UnavailableFact | undefined> {
  const onRemote = branches.filter((b) => b.remote && b.remoteHead !== '');
  const production = productionRecord ? [{ name: config.branches.production, commit: productionRecord.objectname }] : [];
  const lines = [...production, ...onRemote.filter((b) => b.maintenance).map((b) => ({ name: b.name, commit: b.remoteHead }))];
  const others = onRemote.filter((b) => !b.maintenance && b.name !== config.branches.production).map((b) => ({ name: b.name, commit: b.remoteHead }));
  const tips = [...lines, ...others];
  const placed = tags.filter((t) => t.commit !== '');
  const holders = await history.holders(
    placed.map((t) => t.commit),
    tips,
  );
  if (!Array.isArray(holders)) return holders;
  placed.forEach((tag, i) => {
    const holder = holders[i];
    tag.reachable = holder === 0 && production.length > 0;
    tag.releaseLine = holder >= 0 && holder < lines.length ? tips[holder].name : '';
    tag.otherBranch = holder >= lines.length ? tips[holder].name : '';
  });
  return undefined;
}

/**
 * The snapshot from gathered refs: tag order and judging, branches, where each tag sits, the
 * revisions to read, the files read at them, and the backport history. The same for a clone and
 * for GitHub. What follows from the published tags is added by `finishPublished`, once the
 * remote's tags are known.
 */
export async function assembleSnapshot(refs: GatheredRefs, config: ResolvedConfig, reader: ObjectReader, history: HistorySource): Promise<Snapshot> {
  const { records, productionRecord, productionKnown, tags, unavailable, candidatesOnly, tagCandidates, plan } = refs;
  const productionRef = `refs/remotes/${config.remote}/${config.branches.production}`;
  sortTagsNewestFirst(tags);
  applySince(tags, config.tags.since);
  for (const tag of tags) if (tag.candidate) tag.judged = true;
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

  // Production's commits that integration lacks, only when both histories are complete: git
  // works them out while the tags are placed.
  const loggedCommits =
    integration && productionKnown && productionRecord && !tagCandidates && plan.needs('commit-patches')
      ? history.productionOnly({ integrationRef, productionRef, integrationHead: integration.head, productionHead: productionRecord.objectname })
      : Promise.resolve([]);
  // Where tags sit: only when the history is complete (else release-lines is unavailable already).
  if (productionKnown) {
    const done = startSpan('placing tags on release lines');
    const problem = await placeTags(tags, branches, productionRecord, config, history);
    done();
    if (problem) unavailable.push(problem);
  }
  let logged: LoggedCommit[] = [];
  const found = await loggedCommits;
  if (Array.isArray(found)) logged = found;
  else unavailable.push(found);

  // Judging candidates only (tag command, pre-push hook), files are read at the candidates alone:
  // a push through the hook stays fast however many tags the repository has.
  const revisions: Revision[] = [];
  const window = windowTags(tags, candidatesOnly);
  const readAt = config.tags.filesAt === 'all' && !candidatesOnly ? new Set(tags.filter((t) => t.judged && t.commit !== '')) : window;
  const revision = (kind: Revision['kind'], name: string, commit: string, version: Version, candidate: boolean): Revision => ({ kind, name, commit, version, candidate, publishedAncestor: '' });
  for (const tag of tags) if (readAt.has(tag)) revisions.push(revision('tag', tag.name, tag.commit, tag.version, tag.candidate));
  if (!tagCandidates) {
    if (productionRecord) revisions.push(revision('production', config.branches.production, productionRecord.objectname, noVersion, false));
    if (integration) revisions.push(revision('integration', integration.name, integration.head, noVersion, false));
    for (const branch of branches) if (branch.release) revisions.push(revision('release-branch', branch.name, branch.head, branch.version, false));
  }
  const windowNames = new Set([...window].map((t) => t.name));

  const reading = startSpan('reading files');
  const [files, backport, productionFiles] = await Promise.all([
    readFilesAtRevisions(reader, revisions, config, (r) => r.kind !== 'tag' || windowNames.has(r.name), {
      plan,
      // A candidate is told it lacks the CHANGELOG only where the project keeps one: kept at one of
      // its ten newest releases, as far as a candidate run looks (it reads no branch head).
      changelogProbes: tagCandidates ? [...new Set(tags.filter((t) => !t.candidate && t.commit !== '' && t.version.valid).slice(0, 10).map((t) => t.commit))] : [],
    }),
    readIntegrationFiles(reader, logged, integration?.head ?? '', config.releaseMetadataFiles),
    readProductionPolicyFiles(reader, !tagCandidates && (plan.needs('production-head') || plan.needs('release-please-config')) ? (productionRecord?.objectname ?? '') : '', config),
  ]);
  reading();
  // An entry for a version tagged before tags.since is history, as its tag is.
  const unjudged = new Set(tags.filter((t) => !t.judged).map((t) => t.version.text));
  if (unjudged.size > 0) for (const entry of files.changelogEntries) entry.judged = !unjudged.has(entry.version.text);
  if (reader.objectsMissing) unavailable.push(partialCloneFact('file-contents', 'the files at some tags and branches were never downloaded'));
  else if (reader.unreadable && reader.unreadable.length > 0) unavailable.push(unreadableObjects(reader.unreadable, revisions, config.remote));
  if (productionFiles.problem) {
    unavailable.push({ fact: 'release-please-config', reason: productionFiles.problem, fix: `correct ${config.releasePleaseConfig} on ${config.branches.production}` });
  }
  return {
    schemaVersion: 2,
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
      excludedTags: refs.excluded,
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
    collected: [
      'production-history',
      'production-head',
      'integration-branch',
      'release-please-config',
      'commit-patches',
      'file-contents',
      // What only some runs read: listed when this run's plan asked for it.
      ...(['files-at-tags', 'files-at-branch-heads', 'tag-messages'] as const).filter((fact) => plan.needs(fact)),
      'release-lines',
      ...refs.collected,
    ],
    unavailable,
  };
}

/** How the published tags are known: the remote's tag names, or every local tag (offline, the hook). */
export type PublishedSource = { remoteTags: Map<string, string> } | 'local-tags' | 'all-remote';

/** Whether each tag is on the remote, as far as the run can tell: fixes say only what applies. */
export function setOnRemote(tags: Tag[], source: PublishedSource): void {
  for (const tag of tags) tag.onRemote = remoteKnowledge(tag, source);
}

function remoteKnowledge(tag: Tag, source: PublishedSource): Tag['onRemote'] {
  if (source === 'all-remote') return 'yes';
  if (tag.push !== '') return tag.push === 'create' ? 'no' : 'yes';
  if (source === 'local-tags') return 'unknown';
  return source.remoteTags.has(tag.name) ? 'yes' : 'no';
}

/**
 * What follows from which tags are published: each tag's `published` flag and the version it must
 * be above, each CHANGELOG entry's baselines and each branch head's highest published ancestor.
 */
export async function finishPublished(
  snapshot: Snapshot,
  source: PublishedSource,
  ancestry: AncestryOracle,
  anchors: (entry: ChangelogEntry) => EntryAnchor | undefined = () => undefined,
  ancestorsForCandidatesOnly = false,
): Promise<void> {
  for (const tag of snapshot.tags) tag.published = source === 'all-remote' ? true : source === 'local-tags' ? !tag.candidate : source.remoteTags.has(tag.name);
  setOnRemote(snapshot.tags, source);
  const ordering = startSpan('version order');
  setPublishedBefore(snapshot.tags);
  ordering();
  const candidateTimes = new Map(snapshot.tags.filter((tag) => tag.candidate).map((tag) => [tag.name, tag.timestamp]));
  const byVersion = new Map<string, Tag>();
  for (const tag of snapshot.tags) if (tag.version.valid && !byVersion.has(tag.version.text)) byVersion.set(tag.version.text, tag);
  const anchorOf = (entry: ChangelogEntry): EntryAnchor | undefined => {
    const own = anchors(entry);
    if (own) return own;
    // A candidate's entry is released at its tag's date: now for a tag still to be made, the tag's
    // own for one that exists (pushed by the hook, judged by release-lint tag or release).
    if (entry.at.candidate && entry.version.text === entry.at.version.text) return { commit: entry.at.commit, ref: '', timestamp: candidateTimes.get(entry.at.name) ?? Math.floor(Date.now() / 1000) };
    const tag = byVersion.get(entry.version.text);
    return tag && tag.commit !== '' && !tag.candidate ? { commit: tag.commit, ref: `refs/tags/${tag.name}`, timestamp: tag.timestamp } : undefined;
  };
  const refOfRevision = (r: Revision) => (r.kind === 'production' || r.kind === 'integration' || r.kind === 'release-branch' ? `refs/heads/${r.name}` : '');
  const done = startSpan('baselines');
  // A candidate run judges a candidate's own entry alone: the other entries need no ancestry.
  const wantsAncestors = ancestorsForCandidatesOnly ? (entry: ChangelogEntry) => entry.at.candidate && entry.version.text === entry.at.version.text : undefined;
  const problem = await setBaselines(snapshot.tags, snapshot.changelogEntries, snapshot.revisions, anchorOf, refOfRevision, ancestry, wantsAncestors);
  done();
  if (problem && !snapshot.unavailable.some((u) => u.fact === problem.fact)) snapshot.unavailable.push(problem);
  for (const fact of ['published-tags', 'tag-ancestry']) if (!snapshot.collected.includes(fact)) snapshot.collected.push(fact);
}

/**
 * Measures production-only commits against integration's version of every file a not
 * patch-equivalent one adds lines to, release metadata files aside in a commit that changes other
 * files too: the version lines a squash promotion writes there are replaced by the next release,
 * never backported.
 */
export async function readIntegrationFiles(reader: ObjectReader, logged: LoggedCommit[], integrationHead: string, metadataFiles: readonly string[]): Promise<Commit[]> {
  const metadata = new Set(metadataFiles);
  const lookedUp = (commit: LoggedCommit) => {
    const files = [...commit.added.keys()];
    return files.some((file) => !metadata.has(file)) ? files.filter((file) => !metadata.has(file)) : files;
  };
  const paths = [...new Set(logged.filter((c) => !c.patchEquivalent).flatMap(lookedUp))];
  const texts = new Map<string, string | undefined>();
  await reader.read(
    paths.map((p) => `${integrationHead}:${p}`),
    (index, answer) => texts.set(paths[index], answer.kind === 'blob' ? answer.content.toString('utf8') : undefined),
  );
  return measureBackport(logged, texts, metadata);
}

const workflowsDir = '.github/workflows';

/** The problem of a reading whose file the tree lists but whose object is gone. */
const objectMissing = 'object missing; run git fsck';

/**
 * Objects the trees name and the repository lacks: a damaged clone (objects deleted, a broken
 * alternate). A file whose object is gone is not absent: everything that reads files is
 * inconclusive until the objects are back.
 */
function unreadableObjects(lost: readonly UnreadableObject[], revisions: readonly Revision[], remote: string): UnavailableFact {
  const described = lost.map(({ request, oid }) => {
    const colon = request.indexOf(':');
    const [commit, path] = colon < 0 ? ['', ''] : [request.slice(0, colon), request.slice(colon + 1)];
    const at = revisions.find((r) => r.commit === commit)?.name ?? commit.slice(0, 12);
    return path ? `${path} at ${at} (object ${oid.slice(0, 12)})` : `object ${oid.slice(0, 12)}`;
  });
  const shown = [...new Set(described)];
  return {
    fact: 'file-contents',
    reason: `${shown.slice(0, 3).join(', ')}${shown.length > 3 ? `, and ${shown.length - 3} more` : ''}: listed in the tree, but the object is missing from this clone (object missing; run git fsck)`,
    fix: `run git fsck --full to see what is damaged, then get the objects back: git fetch --refetch ${remote}, or a fresh clone`,
  };
}

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

/** How much of a CHANGELOG is decoded first when only a tag's heading is wanted: it is usually the first. */
const changelogHeadBytes = 1024;

/**
 * A tag's heading in a CHANGELOG (and the newest heading): looked for in the first KiB, up to its
 * last line break, and in the whole text only when that part does not hold it. Ten thousand tags
 * of a long CHANGELOG read with tags.filesAt: all are not decoded ten thousand times in full.
 */
function headingFor(content: Buffer, version: string, whole: () => string): ReturnType<typeof findChangelogHeading> {
  if (content.length > changelogHeadBytes) {
    const cut = content.lastIndexOf(10, changelogHeadBytes - 1);
    if (cut > 0) {
      const found = findChangelogHeading(content.toString('utf8', 0, cut + 1), version);
      if (found.matching) return found;
    }
  }
  return findChangelogHeading(whole(), version);
}

/**
 * Version sources and the CHANGELOG at every revision: one object read per file and commit, a
 * blob parsed once however many revisions share it. A version source larger than
 * `largeSourceBytes` (a lock file) is read outside the default window only when a source of that
 * file says `at: all`: its size is asked first, without streaming it.
 */
async function readFilesAtRevisions(
  reader: ObjectReader,
  revisions: Revision[],
  config: ResolvedConfig,
  inWindow: (revision: Revision) => boolean,
  { plan, changelogProbes }: { plan: FactPlan; changelogProbes: readonly string[] },
): Promise<{ versionSources: VersionReading[]; changelogEntries: ChangelogEntry[] }> {
  // What the rules read: files at tags, and at branch heads the files they name.
  const wanted = (at: Revision, file: string) => (at.kind === 'tag' ? plan.needs('files-at-tags') : plan.readsAtBranchHeads(file, at.kind));
  const pointersByFile = new Map<string, { format: 'json' | 'yaml' | 'toml'; pointers: string[] }>();
  const textFiles = new Set<string>();
  for (const source of config.versionSources) {
    if (source.format === 'text') {
      textFiles.add(source.file);
      continue;
    }
    const entry = pointersByFile.get(source.file) ?? { format: source.format, pointers: [] };
    if (!entry.pointers.includes(source.pointer)) entry.pointers.push(source.pointer);
    pointersByFile.set(source.file, entry);
  }
  const files = [...new Set([...pointersByFile.keys(), ...textFiles])];
  if (config.changelog && !files.includes(config.changelog)) files.push(config.changelog);
  const parseToml = [...pointersByFile.values()].some((p) => p.format === 'toml') ? (await import('smol-toml')).parse : undefined;
  const commits = [...new Set(revisions.map((r) => r.commit))];
  // A CHANGELOG read only at tags needs just its headings for those tags' versions.
  const fullChangelogAt = new Set(revisions.filter((r) => r.kind !== 'tag' || r.candidate).map((r) => r.commit));
  const tagVersionsAt = new Map<string, string[]>();
  for (const r of revisions) if (r.kind === 'tag') tagVersionsAt.set(r.commit, [...(tagVersionsAt.get(r.commit) ?? []), r.version.text]);

  // Outside the window, the size of files that may be large is asked before they are read.
  const windowCommits = new Set(revisions.filter(inWindow).map((r) => r.commit));
  const sizeLimited = files.filter((file) => file !== config.changelog && config.versionSources.every((s) => s.file !== file || s.at === 'window'));
  const sizeQuestions = commits.filter((c) => !windowCommits.has(c)).flatMap((commit) => sizeLimited.map((file) => `${commit}:${file}`));
  const sizes = await reader.sizes(sizeQuestions);
  const tooLarge = new Set(sizeQuestions.filter((_, i) => sizes[i] > largeSourceBytes));

  const wantedAt = new Map<string, Set<string>>();
  for (const at of revisions) {
    for (const file of files) {
      if (!wanted(at, file)) continue;
      let set = wantedAt.get(at.commit);
      if (!set) wantedAt.set(at.commit, (set = new Set()));
      set.add(file);
    }
  }
  const requests: Array<{ commit: string; file: string }> = [];
  for (const commit of commits) for (const file of files) if (!tooLarge.has(`${commit}:${file}`) && wantedAt.get(commit)?.has(file)) requests.push({ commit, file });
  const probes = config.changelog ? changelogProbes.filter((commit) => !wantedAt.get(commit)?.has(config.changelog!)).map((commit) => `${commit}:${config.changelog}`) : [];
  let probeFound = false;

  const reads = new Map<string, FileRead>();
  // Identical blobs (a file unchanged between tags) are parsed once.
  const parsedBlobs = new Map<string, FileRead>();
  await reader.read(
    [...requests.map((r) => `${r.commit}:${r.file}`), ...probes],
    (index, answer) => {
      if (index >= requests.length) {
        probeFound ||= answer.kind === 'blob' || answer.kind === 'unreadable';
        return;
      }
      const { commit, file } = requests[index];
      const key = `${commit}:${file}`;
      if (answer.kind !== 'blob') {
        reads.set(key, answer.kind === 'unreadable' ? { exists: true, unreadable: true } : { exists: false });
        return;
      }
      const isChangelog = file === config.changelog;
      const cacheKey = isChangelog && !fullChangelogAt.has(commit) ? `${answer.oid}:${tagVersionsAt.get(commit)?.join(',')}` : answer.oid;
      const cached = parsedBlobs.get(cacheKey);
      if (cached) {
        reads.set(key, cached);
        return;
      }
      // Decoded once, when something reads the whole text.
      let decoded: string | undefined;
      const text = () => (decoded ??= answer.content.toString('utf8'));
      const read: FileRead = { exists: true };
      const pointerSpec = pointersByFile.get(file);
      if (pointerSpec?.format === 'toml') read.pointers = readTomlPointers(text(), pointerSpec.pointers, parseToml!);
      else if (pointerSpec) read.pointers = (pointerSpec.format === 'yaml' ? readYamlPointers : readJsonPointers)(text(), pointerSpec.pointers);
      if (textFiles.has(file)) read.text = text();
      if (isChangelog && fullChangelogAt.has(commit)) read.changelog = parseChangelog(text());
      else if (isChangelog) read.headings = new Map((tagVersionsAt.get(commit) ?? []).map((v) => [v, headingFor(answer.content, v, text)]));
      parsedBlobs.set(cacheKey, read);
      reads.set(key, read);
    },
  );

  const versionSources: VersionReading[] = [];
  const changelogEntries: ChangelogEntry[] = [];
  // A project that keeps no CHANGELOG (the file exists at none of the revisions read) is not told
  // that each tag lacks one; where it keeps one, a tag without it is.
  const changelogKept = config.changelog !== null && (probeFound || revisions.some((at) => reads.get(`${at.commit}:${config.changelog}`)?.exists === true));
  for (const at of revisions) {
    for (const source of config.versionSources) {
      if (!wanted(at, source.file)) continue;
      // A large file outside the window was not read: no reading, rather than a wrong one.
      if (tooLarge.has(`${at.commit}:${source.file}`)) continue;
      const read = reads.get(`${at.commit}:${source.file}`) ?? { exists: false };
      const value =
        source.format === 'text'
          ? read.text !== undefined
            ? readTextVersion(read.text, source.pattern, at.kind === 'tag' ? at.version.text : '')
            : undefined
          : read.pointers?.get(source.pointer);
      versionSources.push({
        at,
        file: source.file,
        pointer: source.format === 'text' ? (source.pattern ?? genericMarker) : source.pointer,
        format: source.format,
        required: source.required,
        fileExists: read.exists,
        found: value?.found ?? false,
        value: value?.value ?? '',
        line: value?.line ?? 0,
        column: value?.column ?? 0,
        problem: read.unreadable ? objectMissing : read.exists ? (value?.problem ?? 'pointer not found') : 'file missing',
      });
    }
    if (!config.changelog || !wanted(at, config.changelog)) continue;
    const read = reads.get(`${at.commit}:${config.changelog}`) ?? { exists: false };
    const entries = read.changelog ?? [];
    const headings = read.headings?.get(at.version.text);
    const matching = headings ? (headings.matching ?? headings.newest) : (entries.find((e) => e.version.text === at.version.text) ?? entries[0]);
    versionSources.push({
      at,
      file: config.changelog,
      pointer: '',
      format: 'changelog',
      required: changelogKept,
      fileExists: read.exists,
      found: matching !== undefined,
      value: matching?.version.text ?? '',
      line: matching?.line ?? 0,
      column: matching ? 1 : 0,
      problem: read.unreadable ? objectMissing : !read.exists ? 'file missing' : matching ? '' : 'no version heading',
    });
    // Full entries only at branch heads and candidates: other tags need just the heading above.
    if (at.kind !== 'tag' || at.candidate) for (const entry of entries) changelogEntries.push({ at, file: config.changelog, ...entry, baselines: { latest: '', latestStable: '', ancestor: '', ancestorStable: '' }, judged: true });
  }
  return { versionSources, changelogEntries };
}
