import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import picomatch from 'picomatch';
import semver from 'semver';
import type { ResolvedConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { catFileBatch } from '../git/cat-file.js';
import { runGit } from '../git/run.js';
import { findChangelogHeading, parseChangelog, readJsonPointers, readYamlPointers, type LocatedValue, type ParsedChangelogEntry } from './sources.js';
import type { Branch, ChangelogEntry, Revision, Snapshot, Tag, UnavailableFact, VersionReading } from './types.js';
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
      symref: f[9],
      contents: f[10],
    });
  }
  return records;
}

/** Escapes wildmatch special characters so a configured prefix is taken literally. */
function literalPattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Tag message without a trailing signature block. */
function tagMessage(contents: string): string {
  const signature = contents.search(/^-----BEGIN (PGP|SSH) SIGNATURE-----$/m);
  return (signature >= 0 ? contents.slice(0, signature) : contents).replace(/\s+$/, '');
}

function isoDate(unix: number): string {
  return Number.isFinite(unix) && unix > 0 ? new Date(unix * 1000).toISOString().replace('.000Z', 'Z') : '';
}

function toTag(record: RefRecord, prefix: string, reachable: Set<string>): Tag {
  const name = record.refname.slice('refs/tags/'.length);
  const annotated = record.objecttype === 'tag';
  const commit = annotated ? (record.peeledType === 'commit' ? record.peeledName : '') : record.objecttype === 'commit' ? record.objectname : '';
  const message = annotated ? tagMessage(record.contents) : '';
  const timestamp = Number(annotated ? record.taggerDate : record.committerDate) || 0;
  return {
    name,
    version: parseVersion(name.slice(prefix.length)),
    annotated,
    objectType: record.objecttype,
    object: record.objectname,
    commit,
    message,
    messageLines: message === '' ? [] : message.split('\n').map((line) => line.replace(/\s+$/, '')),
    tagger: annotated
      ? { name: record.taggerName, email: record.taggerEmail, date: isoDate(Number(record.taggerDate)) }
      : { name: '', email: '', date: '' },
    date: isoDate(timestamp),
    timestamp,
    reachable: reachable.has(record.refname),
    judged: true,
  };
}

/** release/7.15 before release/10.8, as people read versions. */
const naturalOrder = new Intl.Collator('en', { numeric: true });

/** `release/*` → /^release\/(.*)$/: the text matched by the first `*` is the branch's version. */
function releaseVersionPattern(glob: string): RegExp {
  const star = glob.indexOf('*');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (star < 0) return new RegExp(`^${escape(glob)}()$`);
  return new RegExp(`^${escape(glob.slice(0, star))}(.*?)${escape(glob.slice(star + 1)).replace(/\\\*/g, '.*')}$`);
}

function collectBranches(records: RefRecord[], config: ResolvedConfig): Branch[] {
  const isRelease = picomatch(config.branches.release, { dot: true });
  const versionOf = releaseVersionPattern(config.branches.release);
  const remotePrefix = `refs/remotes/${config.remote}/`;
  const byName = new Map<string, Branch>();
  const branchNamed = (name: string): Branch => {
    let branch = byName.get(name);
    if (!branch) {
      const release = isRelease(name);
      branch = {
        name,
        release,
        version: parseVersion(release ? (versionOf.exec(name)?.[1] ?? '') : ''),
        local: false,
        remote: false,
        localHead: '',
        remoteHead: '',
        head: '',
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
    } else if (record.refname.startsWith(remotePrefix)) {
      const branch = branchNamed(record.refname.slice(remotePrefix.length));
      branch.remote = true;
      branch.remoteHead = record.objectname;
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

interface FileRead {
  exists: boolean;
  pointers?: Map<string, LocatedValue>;
  /** Every entry, for CHANGELOGs read at branch heads. */
  changelog?: ParsedChangelogEntry[];
  /** Newest and matching heading, for CHANGELOGs read at tags only. */
  headings?: Map<string, { newest?: ParsedChangelogEntry; matching?: ParsedChangelogEntry }>;
}

/**
 * Builds the snapshot from git. Runs four git processes whatever the number of tags:
 * rev-parse (done by the caller), for-each-ref over tags and branches, for-each-ref --merged
 * for reachability, and one cat-file --batch for every file at every revision.
 */
export async function collectGitSnapshot(location: RepositoryLocation, config: ResolvedConfig): Promise<Snapshot> {
  const { root } = location;
  const prefix = config.tags.prefix;
  const tagPattern = `refs/tags/${literalPattern(prefix)}*`;
  const productionRef = `refs/remotes/${config.remote}/${config.branches.production}`;
  const [refsResult, mergedResult] = await Promise.all([
    runGit(root, ['for-each-ref', `--format=${refFormat}`, tagPattern, 'refs/heads/', `refs/remotes/${config.remote}/`]),
    runGit(root, ['for-each-ref', `--merged=${productionRef}`, '--format=%(refname)', tagPattern]),
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
  } else if (location.shallow) {
    unavailable.push({
      fact: 'production-history',
      reason: 'the clone is shallow, so the history of the production branch and tag reachability are incomplete',
      fix: `fetch the full history (git fetch --unshallow --tags ${config.remote}); in GitHub Actions use actions/checkout with fetch-depth: 0`,
    });
  } else if (mergedResult.exitCode !== 0) {
    throw new Error(`git for-each-ref --merged failed: ${mergedResult.stderr.trim().split('\n')[0]}`);
  }
  const reachable = new Set(productionRecord && mergedResult.exitCode === 0 ? mergedResult.stdout.toString('utf8').split('\n') : []);

  const tags = records
    .filter((r) => r.refname.startsWith('refs/tags/') && r.refname.slice('refs/tags/'.length).startsWith(prefix))
    .map((r) => toTag(r, prefix, reachable))
    .sort(compareTagsNewestFirst);
  applySince(tags, config.tags.since);
  const branches = collectBranches(records, config);

  const integration = config.branches.integration ? branches.find((b) => b.name === config.branches.integration) : undefined;
  if (config.branches.integration && !integration) {
    unavailable.push({
      fact: 'integration-branch',
      reason: `the integration branch ${config.branches.integration} exists neither locally nor as ${config.remote}/${config.branches.integration}`,
      fix: `fetch it (git fetch ${config.remote} ${config.branches.integration}), or set branches.integration: null if the project has none`,
    });
  }

  const revisions: Revision[] = [];
  for (const tag of tags) if (tag.judged && tag.commit) revisions.push({ kind: 'tag', name: tag.name, commit: tag.commit, version: tag.version });
  if (productionRecord) revisions.push({ kind: 'production', name: config.branches.production, commit: productionRecord.objectname, version: noVersion });
  if (integration) revisions.push({ kind: 'integration', name: integration.name, commit: integration.head, version: noVersion });
  for (const branch of branches) if (branch.release) revisions.push({ kind: 'release-branch', name: branch.name, commit: branch.head, version: branch.version });

  const { versionSources, changelogEntries } = await readFilesAtRevisions(root, revisions, config);

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
      integrationRef: integration ? (integration.remote ? `refs/remotes/${config.remote}/${integration.name}` : `refs/heads/${integration.name}`) : '',
      integrationHead: integration?.head ?? '',
    },
    tags,
    branches,
    revisions,
    versionSources,
    changelogEntries,
    unavailable,
  };
}

async function readFilesAtRevisions(
  root: string,
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
  const fullChangelogAt = new Set(revisions.filter((r) => r.kind !== 'tag').map((r) => r.commit));
  const tagVersionsAt = new Map<string, string[]>();
  for (const r of revisions) if (r.kind === 'tag') tagVersionsAt.set(r.commit, [...(tagVersionsAt.get(r.commit) ?? []), r.version.text]);
  const requests: Array<{ commit: string; file: string }> = [];
  for (const commit of commits) for (const file of files) requests.push({ commit, file });

  const reads = new Map<string, FileRead>();
  // Identical blobs (a file unchanged between tags) are parsed once.
  const parsedBlobs = new Map<string, FileRead>();
  await catFileBatch(
    root,
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
    // Full entries only at branch heads: tags need just the heading checked above.
    if (at.kind !== 'tag') for (const entry of entries) changelogEntries.push({ at, file: config.changelog, ...entry });
  }
  return { versionSources, changelogEntries };
}
