/**
 * Facts that follow from which tags are published (on the remote): the version each tag must be
 * above, and where a CHANGELOG range or a manifest may start. They are derived once the remote's
 * tag list has been read, for a clone and for GitHub alike.
 */
import { parseSemver, type SemVer } from '../semver-cache.js';
import type { ChangelogBaselines, ChangelogEntry, Revision, Tag, UnavailableFact } from './types.js';

/** A commit, and a ref naming it where one exists (GitHub compares refs, git commits). */
export interface AncestryAnchor {
  commit: string;
  ref: string;
}

/** Answers, for many searches at once, which of a commit's candidate ancestors comes first. */
export interface AncestryOracle {
  /**
   * For each search, the index of the first candidate commit at or after `from` (in the order of
   * `candidates`, a list many searches share) that is `of` or one of its ancestors; -1 when none is.
   */
  firstAncestors(searches: ReadonlyArray<AncestrySearch>): Promise<number[] | UnavailableFact>;
  /** Whether it reads the searches' hints (an oracle that has the whole history does not). */
  readonly usesHints?: boolean;
}

/** One search: see AncestryOracle. */
export interface AncestrySearch {
  of: AncestryAnchor;
  candidates: readonly string[];
  from: number;
  /**
   * The candidate the CHANGELOG names as the baseline (-1 when it names none): the answer is
   * usually it, so an oracle without the whole history asks about the candidates up to it first.
   */
  hint: number;
}

/** A published release tag as a baseline candidate. */
interface PublishedVersion {
  version: SemVer;
  commit: string;
  timestamp: number;
  stable: boolean;
}

/** A tag's major.minor line. */
const lineOf = (version: SemVer) => `${version.major}.${version.minor}`;

/**
 * For each tag, the version it must be above: the highest published version of its own
 * major.minor dated strictly before it, or, for the first tag of a line, the highest published
 * version of any line dated before it. So `v1.51.4` after `v1.52.0` is a maintenance release of
 * the 1.51 line, while `v1.52.0` after `v1.53.0` is a regression. One sort and one sweep.
 */
export function setPublishedBefore(tags: Tag[]): void {
  const byDate = [...tags].sort((a, b) => a.timestamp - b.timestamp);
  let highest: SemVer | null = null;
  const highestOfLine = new Map<string, SemVer>();
  for (let i = 0; i < byDate.length; ) {
    let j = i;
    while (j < byDate.length && byDate[j].timestamp === byDate[i].timestamp) j++;
    for (let k = i; k < j; k++) {
      const version = byDate[k].version.valid ? parseSemver(byDate[k].version.text) : null;
      const before = (version && highestOfLine.get(lineOf(version))) ?? highest;
      byDate[k].publishedBefore = before?.version ?? '';
    }
    for (let k = i; k < j; k++) {
      const tag = byDate[k];
      if (!tag.published || tag.candidate || !tag.version.valid) continue;
      const version = parseSemver(tag.version.text);
      if (!version) continue;
      if (!highest || version.compare(highest) > 0) highest = version;
      const line = highestOfLine.get(lineOf(version));
      if (!line || version.compare(line) > 0) highestOfLine.set(lineOf(version), version);
    }
    i = j;
  }
}

/** Published release tags with a valid version and a commit, highest version first (usually the order `tags` come in). */
function publishedVersions(tags: Tag[]): PublishedVersion[] {
  const published: PublishedVersion[] = [];
  for (const tag of tags) {
    if (!tag.published || tag.candidate || !tag.version.valid || tag.commit === '') continue;
    const version = parseSemver(tag.version.text);
    if (version) published.push({ version, commit: tag.commit, timestamp: tag.timestamp, stable: version.prerelease.length === 0 });
  }
  // Sorting ten thousand versions costs more than checking that they are sorted.
  const sorted = published.every((p, i) => i === 0 || published[i - 1].version.compare(p.version) >= 0);
  return sorted ? published : published.sort((a, b) => b.version.compare(a.version));
}

/** Index of the first version (highest first) below `limit`. */
function firstBelow(published: PublishedVersion[], limit: SemVer): number {
  let low = 0;
  let high = published.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (published[middle].version.compare(limit) < 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Candidates, highest version first, with their commits as the oracle takes them. */
interface CandidateList {
  versions: PublishedVersion[];
  commits: string[];
}

const candidateList = (versions: PublishedVersion[]): CandidateList => ({ versions, commits: versions.map((v) => v.commit) });

/** A search among a list's candidates from `from` on, for the first whose commit is an ancestor of `of`. */
interface AncestorSearch {
  of: AncestryAnchor;
  list: CandidateList;
  from: number;
  hint: number;
  found: string;
}

/** Asks the oracle about every search at once (one pass in memory for a clone, batched queries for GitHub). */
async function runSearches(searches: AncestorSearch[], oracle: AncestryOracle): Promise<UnavailableFact | undefined> {
  const open = searches.filter((s) => s.from < s.list.commits.length && s.of.commit !== '');
  if (open.length === 0) return undefined;
  const answers = await oracle.firstAncestors(open.map((s) => ({ of: s.of, candidates: s.list.commits, from: s.from, hint: s.hint })));
  if (!Array.isArray(answers)) return answers;
  open.forEach((search, i) => (search.found = answers[i] >= 0 ? search.list.versions[answers[i]].version.version : ''));
  return undefined;
}

const noBaselines = (): ChangelogBaselines => ({ latest: '', latestStable: '', ancestor: '', ancestorStable: '' });

/** Where a CHANGELOG entry's release sits: its tag (or the candidate's commit, a PR's base) and date. */
export interface EntryAnchor {
  commit: string;
  /** A ref naming the commit, for GitHub ('' when there is none). */
  ref: string;
  timestamp: number;
}

/**
 * Each entry's baselines (see ChangelogBaselines) and each revision's highest published ancestor.
 * `tags` come highest version first, as the snapshot holds them. `anchorOf` says where an entry's
 * version was released; undefined for an untagged version.
 */
export async function setBaselines(
  tags: Tag[],
  entries: ChangelogEntry[],
  revisions: Revision[],
  anchorOf: (entry: ChangelogEntry) => EntryAnchor | undefined,
  refOfRevision: (revision: Revision) => string,
  oracle: AncestryOracle,
  /** Entries whose ancestor baselines are wanted (a candidate run: the candidates' own); every one by default. */
  wantsAncestors: (entry: ChangelogEntry) => boolean = () => true,
): Promise<UnavailableFact | undefined> {
  const published = candidateList(publishedVersions(tags));
  const commitOfTag = oracle.usesHints ? new Map(tags.map((tag) => [tag.name, tag.commit])) : undefined;
  const hintIn = (list: CandidateList, from: number, compareFrom: string) => {
    const commit = compareFrom ? commitOfTag?.get(compareFrom) : undefined;
    return commit ? list.commits.indexOf(commit, from) : -1;
  };
  const stable = candidateList(published.versions.filter((p) => p.stable));
  const now = Math.floor(Date.now() / 1000);
  const searches: AncestorSearch[] = [];
  const assign: Array<() => void> = [];
  for (const entry of entries) {
    entry.baselines = noBaselines();
    const limit = entry.version.valid ? parseSemver(entry.version.text) : null;
    if (!limit) continue;
    const anchor = anchorOf(entry);
    const before = anchor?.timestamp ?? now;
    const datedBefore = ({ versions }: CandidateList) => {
      for (let i = firstBelow(versions, limit); i < versions.length; i++) if (versions[i].timestamp < before) return versions[i].version.version;
      return '';
    };
    entry.baselines.latest = datedBefore(published);
    entry.baselines.latestStable = datedBefore(stable);
    if (!anchor || !wantsAncestors(entry)) continue;
    const from = firstBelow(published.versions, limit);
    const stableFrom = firstBelow(stable.versions, limit);
    const all: AncestorSearch = { of: anchor, list: published, from, hint: hintIn(published, from, entry.compareFrom), found: '' };
    const stableOnly: AncestorSearch = { of: anchor, list: stable, from: stableFrom, hint: hintIn(stable, stableFrom, entry.compareFrom), found: '' };
    searches.push(all, stableOnly);
    assign.push(() => {
      entry.baselines.ancestor = all.found;
      entry.baselines.ancestorStable = stableOnly.found;
    });
  }
  for (const revision of revisions) {
    revision.publishedAncestor = '';
    if (revision.kind === 'tag' || revision.commit === '') continue;
    const search: AncestorSearch = { of: { commit: revision.commit, ref: refOfRevision(revision) }, list: published, from: 0, hint: -1, found: '' };
    searches.push(search);
    assign.push(() => (revision.publishedAncestor = search.found));
  }
  const unavailable = await runSearches(searches, oracle);
  if (unavailable) return unavailable;
  for (const set of assign) set();
  return undefined;
}
