/**
 * Remote-only mode (`release-lint check --remote owner/name`): the snapshot a clone would give,
 * built from GitHub alone, so an organisation can audit repositories without cloning them.
 * Refs and messages come from GraphQL `refs`, reachability from batched `Ref.compare`, files from
 * batched `object(expression:)`, and the patches of production-only commits (which GraphQL does
 * not expose) from the REST commit endpoint.
 */
import { everyFact } from './plan.js';
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/types.js';
import type { ObjectReader } from '../sources/git/cat-file.js';
import { GitHubError, type GitHubClient } from '../sources/github/client.js';
import { GitHubObjectReader } from '../sources/github/objects.js';
import { ancestryQuery, compareCommitsQuery, containedQuery, refsQuery } from '../sources/github/queries.js';
import { assembleSnapshot, excludedTags, finishPublished, readIntegrationFiles, toTag, type GatheredRefs, type HistorySource, type RefRecord } from './assemble.js';
import type { LoggedCommit } from './history.js';
import type { Snapshot, UnavailableFact } from './types.js';

interface RawCommitFacts {
  __typename: 'Commit';
  oid: string;
  committedDate: string;
  tree: { oid: string };
}
type RawTarget =
  | RawCommitFacts
  | { __typename: 'Tag'; oid: string; message: string; tagger: { name: string | null; email: string | null; date: string | null } | null; target: RawCommitFacts | { __typename: string; oid: string } }
  | { __typename: 'Tree' | 'Blob'; oid: string };

interface RawRef {
  name: string;
  target: RawTarget | null;
}

/** Commits per compare page and the most a run pages through before calling the fact unavailable. */
const comparedCommitsLimit = 300;
/** Commits whose reachability one query establishes. */
const containedBatch = 50;

const unixOf = (iso: string | null | undefined): string => (iso ? String(Math.floor(Date.parse(iso) / 1000)) : '');

async function listRefs(client: GitHubClient, prefix: string): Promise<RawRef[]> {
  const { owner, name } = client.target;
  const refs: RawRef[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { repository: { refs: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: RawRef[] } | null } | null } = await client.query(
      refsQuery,
      { owner, name, prefix, after },
      'contents: read',
    );
    if (!data.repository) throw new GitHubError('not-found', `GitHub has no repository ${owner}/${name} (or the token cannot see it)`, 'check the owner/name given to --remote and the token');
    const page = data.repository.refs;
    if (!page) break;
    refs.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return refs;
}

/** A ref as git's for-each-ref would describe it. */
function toRecord(refname: string, target: RawTarget): RefRecord {
  const record: RefRecord = {
    refname,
    objecttype: target.__typename.toLowerCase(),
    objectname: target.oid,
    peeledName: '',
    peeledType: '',
    taggerDate: '',
    taggerName: '',
    taggerEmail: '',
    committerDate: '',
    tree: '',
    symref: '',
    contents: '',
  };
  if (target.__typename === 'Commit') {
    record.committerDate = unixOf(target.committedDate);
    record.tree = target.tree.oid;
  } else if (target.__typename === 'Tag') {
    record.peeledName = target.target.oid;
    record.peeledType = target.target.__typename.toLowerCase();
    record.taggerDate = unixOf(target.tagger?.date);
    record.taggerName = target.tagger?.name ?? '';
    record.taggerEmail = target.tagger?.email ?? '';
    record.contents = target.message;
  }
  return record;
}

/** The commits among `commits` that `branch` contains: batched aliased `Ref.compare` (BEHIND or IDENTICAL). */
async function containedIn(client: GitHubClient, branch: string, commits: string[]): Promise<Set<string>> {
  const { owner, name } = client.target;
  const contained = new Set<string>();
  for (let start = 0; start < commits.length; start += containedBatch) {
    const batch = commits.slice(start, start + containedBatch);
    const variables: Record<string, unknown> = { owner, name, base: branch };
    batch.forEach((commit, i) => (variables[`h${i}`] = commit));
    const data: { repository: { ref: Record<string, { status: string } | null> | null } } = await client.query(containedQuery(batch.length), variables, 'contents: read');
    batch.forEach((commit, i) => {
      const status = data.repository.ref?.[`c${i}`]?.status;
      if (status === 'BEHIND' || status === 'IDENTICAL') contained.add(commit);
    });
  }
  return contained;
}

interface ComparedCommit {
  oid: string;
  messageHeadline: string;
  committedDate: string;
  author: { name: string | null } | null;
  parents: { totalCount: number };
}

/** The non-merge commits `head` has and `baseBranch` lacks, newest first (as git log lists them); undefined past the limit. */
async function commitsMissingFrom(client: GitHubClient, baseBranch: string, head: string): Promise<ComparedCommit[] | undefined> {
  const { owner, name } = client.target;
  const commits: ComparedCommit[] = [];
  let after: string | null = null;
  for (;;) {
    const data: {
      repository: { ref: { compare: { aheadBy: number; commits: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ComparedCommit[] } } | null } | null };
    } = await client.query(compareCommitsQuery, { owner, name, base: baseBranch, head, after }, 'contents: read');
    const compare = data.repository.ref?.compare;
    if (!compare) throw new GitHubError('not-found', `GitHub cannot compare ${baseBranch} with ${head.slice(0, 12)}`, 'check that both branches exist');
    if (compare.aheadBy > comparedCommitsLimit) return undefined;
    commits.push(...compare.commits.nodes);
    if (!compare.commits.pageInfo.hasNextPage) break;
    after = compare.commits.pageInfo.endCursor;
  }
  // GitHub lists oldest first; git log newest first by commit date.
  return commits
    .filter((c) => c.parents.totalCount < 2)
    .reverse()
    .map((c, order) => ({ c, order }))
    .sort((a, b) => Date.parse(b.c.committedDate) - Date.parse(a.c.committedDate) || a.order - b.order)
    .map(({ c }) => c);
}

interface RestFile {
  filename: string;
  status: string;
  additions: number;
  patch?: string;
  previous_filename?: string;
}

/** A commit's changed files with their patches (REST; GraphQL has none), every page of them. */
async function commitFiles(client: GitHubClient, sha: string): Promise<RestFile[]> {
  const { owner, name } = client.target;
  const files: RestFile[] = [];
  for (let page = 1; page <= 30; page++) {
    const data: { files?: RestFile[] } = await client.rest(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/commits/${sha}?per_page=100&page=${page}`, 'contents: read');
    files.push(...(data.files ?? []));
    if ((data.files ?? []).length < 100) break;
  }
  return files;
}

/**
 * A production-only commit as `git log --no-renames -p` shows it: a rename is the old file removed
 * and the new one added in full (read through `reader`), and added lines are trimmed, blank ones left out.
 */
async function loggedCommit(client: GitHubClient, reader: ObjectReader, commit: ComparedCommit): Promise<{ logged: LoggedCommit; patchId: string }> {
  const files = await commitFiles(client, commit.oid);
  const added = new Map<string, string[]>();
  const paths: string[] = [];
  const wholeFiles: string[] = [];
  for (const file of files) {
    if (file.previous_filename && (file.status === 'renamed' || file.status === 'copied')) {
      if (file.status === 'renamed') paths.push(file.previous_filename);
      wholeFiles.push(file.filename);
    } else if (file.status !== 'removed') {
      if (file.patch === undefined && file.additions > 0) {
        throw new GitHubError('unavailable', `GitHub gives no patch for ${file.filename} in ${commit.oid.slice(0, 12)} (too large)`, 'lint this repository from a clone');
      }
      if (file.status !== 'added') paths.push(file.filename);
      added.set(file.filename, addedLinesOf(file.patch ?? ''));
    } else paths.push(file.filename);
  }
  await reader.read(
    wholeFiles.map((path) => `${commit.oid}:${path}`),
    (index, answer) => {
      if (answer.kind === 'blob') added.set(wholeFiles[index], answer.content.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== ''));
    },
  );
  for (const path of added.keys()) if (!paths.includes(path)) paths.push(path);
  const timestamp = Math.floor(Date.parse(commit.committedDate) / 1000) || 0;
  return {
    logged: {
      sha: commit.oid,
      subject: commit.messageHeadline,
      author: commit.author?.name ?? '',
      date: timestamp ? new Date(timestamp * 1000).toISOString().replace('.000Z', 'Z') : '',
      timestamp,
      files: paths,
      patchEquivalent: false,
      addedLines: [...added.values()].reduce((n, lines) => n + lines.length, 0),
      missingLines: 0,
      firstMissing: '',
      added,
    },
    patchId: patchId(files),
  };
}

function addedLinesOf(patch: string): string[] {
  const lines: string[] = [];
  for (const line of patch.split('\n')) {
    if (!line.startsWith('+')) continue;
    const text = line.slice(1).trim();
    if (text !== '') lines.push(text);
  }
  return lines;
}

/** Like git patch-id: the changed lines per file without white space or line numbers, so a cherry-pick has the same id. */
function patchId(files: RestFile[]): string {
  const hash = createHash('sha1');
  for (const file of [...files].sort((a, b) => (a.filename < b.filename ? -1 : 1))) {
    hash.update(`${file.previous_filename ?? ''}>${file.filename}\n`);
    for (const line of (file.patch ?? '').split('\n')) if (line.startsWith('+') || line.startsWith('-')) hash.update(line.replace(/\s+/g, '') + '\n');
  }
  return hash.digest('hex');
}

/** Production's commits that integration lacks, with added lines and patch equivalence (git cherry-mark). */
async function productionOnlyCommits(
  client: GitHubClient,
  reader: ObjectReader,
  config: ResolvedConfig,
  integrationHead: string,
  productionHead: string,
): Promise<LoggedCommit[] | UnavailableFact> {
  const production = config.branches.production;
  const integration = config.branches.integration!;
  const tooMany = (side: string): UnavailableFact => ({
    fact: 'commit-patches',
    reason: `${side} has more than ${comparedCommitsLimit} commits the other branch lacks; comparing that many patches through GitHub's REST API is not attempted`,
    fix: 'lint this repository from a clone (release-lint check)',
  });
  try {
    const onProduction = await commitsMissingFrom(client, `refs/heads/${integration}`, productionHead);
    if (!onProduction) return tooMany(production);
    const described = [];
    for (const commit of onProduction) described.push(await loggedCommit(client, reader, commit));
    const logged = described.map((d) => d.logged);
    // Patch equivalence only matters for commits whose lines are not all on integration. The
    // reader keeps its answers, so the assembly measuring them again asks GitHub nothing.
    const undecided = (await readIntegrationFiles(reader, logged, integrationHead, config.releaseMetadataFiles)).filter((c) => c.addedLines === 0 || c.missingLines > 0);
    if (undecided.length > 0) {
      const onIntegration = await commitsMissingFrom(client, `refs/heads/${production}`, integrationHead);
      if (!onIntegration) return tooMany(integration);
      const ids = new Set<string>();
      for (const commit of onIntegration) ids.add((await loggedCommit(client, reader, commit)).patchId);
      for (const d of described) d.logged.patchEquivalent = ids.has(d.patchId);
    }
    return logged;
  } catch (error) {
    if (!(error instanceof GitHubError) || error.kind === 'auth') throw error;
    return { fact: 'commit-patches', reason: error.message, fix: error.fix };
  }
}

export async function collectGitHubSnapshot(client: GitHubClient, config: ResolvedConfig): Promise<Snapshot> {
  const reader = new GitHubObjectReader(client);
  const prefix = config.tags.prefix;
  const [tagRefs, headRefs] = await Promise.all([listRefs(client, 'refs/tags/'), listRefs(client, 'refs/heads/')]);
  const tagRecords = tagRefs.filter((r) => r.target && r.name.startsWith(prefix)).map((r) => toRecord(`refs/tags/${r.name}`, r.target!));
  // Every branch is on the remote, as in a clone's refs/remotes/<remote>/*.
  const records = headRefs.filter((r) => r.target?.__typename === 'Commit').map((r) => toRecord(`refs/remotes/${config.remote}/${r.name}`, r.target!));
  const productionRecord = records.find((r) => r.refname === `refs/remotes/${config.remote}/${config.branches.production}`);
  const unavailable: UnavailableFact[] = [];
  if (!productionRecord) {
    const missing = `the branch ${config.branches.production} does not exist on GitHub`;
    unavailable.push({ fact: 'production-history', reason: `${missing}, so the release lines and the history between tags cannot be established`, fix: 'check branches.production in the config' });
    unavailable.push({ fact: 'release-lines', reason: `${missing}, so where tags sit (on a release line or not) cannot be established`, fix: 'check branches.production in the config' });
    unavailable.push({ fact: 'production-head', reason: `${missing}, so its workflows and Release Please config cannot be read`, fix: 'check branches.production in the config' });
  }
  const isExcluded = excludedTags(config.tags.exclude);
  const tags = tagRecords.filter((r) => !isExcluded(r.refname.slice('refs/tags/'.length))).map((r) => toTag(r, prefix));
  // The repository is the remote: every tag is published as it is.
  for (const tag of tags) Object.assign(tag, { remoteObject: tag.object, remoteAnnotated: tag.annotated, remoteCommit: tag.commit });
  const refs: GatheredRefs = {
    name: client.target.name,
    shallow: false,
    records,
    productionRecord,
    productionKnown: productionRecord !== undefined,
    tags,
    excluded: tagRecords.length - tags.length,
    candidatesOnly: false,
    tagCandidates: false,
    plan: everyFact,
    unavailable,
    // GitHub is the remote: every tag is there.
    collected: ['remote-tags', 'all-tags'],
  };
  const history = githubHistory(client, reader, config);
  const snapshot = await assembleSnapshot(refs, config, reader, history);
  await finishPublished(snapshot, 'all-remote', history.ancestry);
  return snapshot;
}

/** Comparisons a run may ask GitHub for, to place tags on branches or to relate tags: 100 queries. */
const comparisonBudget = 5_000;

/** What GitHub answers about the history: placement and ancestry through batched `Ref.compare`, backports through REST. */
function githubHistory(client: GitHubClient, reader: ObjectReader, config: ResolvedConfig): HistorySource {
  let spent = 0;
  const overBudget = (fact: string, what: string): UnavailableFact => ({
    fact,
    reason: `${what} takes more than ${comparisonBudget} comparisons through GitHub's API, which is not attempted`,
    fix: 'lint this repository from a clone (release-lint check)',
  });
  return {
    productionOnly: ({ integrationHead, productionHead }) => productionOnlyCommits(client, reader, config, integrationHead, productionHead),
    async holders(commits, tips) {
      const holder = commits.map(() => -1);
      let open = [...new Set(commits)];
      for (let index = 0; index < tips.length && open.length > 0; index++) {
        spent += open.length;
        if (spent > comparisonBudget) return overBudget('release-lines', `placing ${commits.length} tags on ${tips.length} branches`);
        const contained = await containedIn(client, `refs/heads/${tips[index].name}`, open);
        commits.forEach((commit, i) => {
          if (holder[i] < 0 && contained.has(commit)) holder[i] = index;
        });
        open = open.filter((commit) => !contained.has(commit));
      }
      return holder;
    },
    ancestry: {
      // Rounds: each asks, for every unfinished search, about its next candidate, in batched
      // compares. Usually the first candidate is the answer (the previous release on its line).
      async firstAncestors(searches) {
        const found = searches.map(() => -1);
        const next = searches.map((search) => search.from);
        const { owner, name } = client.target;
        for (;;) {
          const open = searches.map((_, i) => i).filter((i) => found[i] < 0 && next[i] < searches[i].candidates.length);
          if (open.length === 0) return found;
          spent += open.length;
          if (spent > comparisonBudget) return overBudget('tag-ancestry', 'relating the published tags to each other');
          for (let start = 0; start < open.length; start += containedBatch) {
            const batch = open.slice(start, start + containedBatch);
            const variables: Record<string, unknown> = { owner, name };
            batch.forEach((search, i) => {
              variables[`b${i}`] = searches[search].of.ref;
              variables[`h${i}`] = searches[search].candidates[next[search]];
            });
            const data: { repository: Record<string, { compare: { status: string } | null } | null> } = await client.query(ancestryQuery(batch.length), variables, 'contents: read');
            batch.forEach((search, i) => {
              const status = data.repository[`a${i}`]?.compare?.status;
              if (status === 'BEHIND' || status === 'IDENTICAL') found[search] = next[search];
              else next[search]++;
            });
          }
        }
      },
    },
  };
}
