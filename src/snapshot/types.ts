import type { Version } from './version.js';

/** The release state of a repository: plain JSON, described by schemas/snapshot.schema.json. */
export interface Snapshot {
  schemaVersion: 2;
  repository: RepositoryFacts;
  tags: Tag[];
  branches: Branch[];
  revisions: Revision[];
  versionSources: VersionReading[];
  changelogEntries: ChangelogEntry[];
  productionOnlyCommits: Commit[];
  workflowSteps: WorkflowStep[];
  releasePleaseConfig: ConfigKey[];
  pullRequests: PullRequest[];
  pullRequestFiles: PullRequestFile[];
  /** Facts this run set out to establish; a rule requiring another fact does not apply. */
  collected: string[];
  /** Facts the collector could not establish; rules that need them are inconclusive. */
  unavailable: UnavailableFact[];
}

export interface RepositoryFacts {
  name: string;
  remote: string;
  shallow: boolean;
  productionBranch: string;
  productionRef: string;
  /** '' when the production ref does not exist. */
  productionHead: string;
  integrationBranch: string;
  integrationRef: string;
  integrationHead: string;
  productionTree: string;
  /** Tags under the prefix that `tags.exclude` leaves out. */
  excludedTags: number;
}

export interface Commit {
  sha: string;
  subject: string;
  author: string;
  date: string;
  timestamp: number;
  files: string[];
  patchEquivalent: boolean;
  addedLines: number;
  missingLines: number;
  firstMissing: string;
}

export interface WorkflowStep {
  file: string;
  job: string;
  index: number;
  name: string;
  uses: string;
  run: string;
  line: number;
}

export interface ConfigKey {
  file: string;
  scope: string;
  key: string;
  value: string;
  line: number;
  column: number;
}

export interface Tag {
  name: string;
  version: Version;
  annotated: boolean;
  /** Type of the object the ref points at: `tag` for annotated tags, else usually `commit`; `tag of a tree` (or `blob`) for a tag object whose chain ends there. */
  objectType: string;
  object: string;
  /** The commit at the end of the chain of tag objects; '' when the chain does not end at a commit. */
  commit: string;
  message: string;
  messageLines: string[];
  tagger: { name: string; email: string; date: string };
  /** Tagger date of an annotated tag, else the commit date (ISO 8601, UTC). */
  date: string;
  timestamp: number;
  /** Reachable from <remote>/<production>. */
  reachable: boolean;
  /** The release line whose remote-tracking branch holds the commit ('' when none). */
  releaseLine: string;
  /** When no release line holds it: another branch of the remote that does ('' when none). */
  otherBranch: string;
  /** On the remote (or, offline and in the hook, a local tag that is not a candidate). */
  published: boolean;
  /** What the run knows of it on the remote; fixes give only the advice that applies. */
  onRemote: 'yes' | 'no' | 'unknown';
  /** False for tags older than `tags.since`: kept as facts, not judged. */
  judged: boolean;
  /** The object the remote has under this name; '' when none or unknown. */
  remoteObject: string;
  /** The version this tag must be above: the highest published one of its major.minor line dated before it, or of any line for a line's first tag; '' when none. */
  publishedBefore: string;
  candidate: boolean;
  push: '' | 'create' | 'update' | 'delete';
  release: TagRelease;
  recoveryIssue: RecoveryIssue;
}

export interface TagRelease {
  found: boolean;
  isDraft: boolean;
  isPrerelease: boolean;
  assets: string[];
}

export interface RecoveryIssue {
  number: number;
  exists: boolean;
  isPullRequest: boolean;
  state: string;
}

export interface Branch {
  name: string;
  release: boolean;
  maintenance: boolean;
  /** The version line in the name: `1.82` for release/1.82.x, `12` for 12.x; '' when none. */
  line: string;
  /** The part of a release branch name after the pattern's prefix, parsed. */
  version: Version;
  local: boolean;
  remote: boolean;
  localHead: string;
  remoteHead: string;
  /** The remote-tracking head when there is one, else the local head. */
  head: string;
  tree: string;
}

export type RevisionKind = 'tag' | 'production' | 'integration' | 'release-branch' | 'pull-request';

/** A commit at which files are read, and the version expected there (tags, release branches). */
export interface Revision {
  kind: RevisionKind;
  name: string;
  commit: string;
  version: Version;
  candidate: boolean;
  /** Highest published version whose tag commit is this commit or an ancestor of it; '' when none or unknown. */
  publishedAncestor: string;
}

export interface VersionReading {
  at: Revision;
  file: string;
  /** JSON Pointer (json, yaml, toml); the pattern or `x-release-please-version` for text; '' for the CHANGELOG. */
  pointer: string;
  format: 'json' | 'yaml' | 'toml' | 'text' | 'changelog';
  required: boolean;
  /** The file exists at this revision. */
  fileExists: boolean;
  /** A value was read (the pointer resolved to a string; for the CHANGELOG: a version heading exists). */
  found: boolean;
  /** The value read; for the CHANGELOG the heading matching `at.version`, else the newest heading. */
  value: string;
  /** 1-based line of the value (0 when not found). */
  line: number;
  column: number;
  /** Why nothing was read: 'file missing', 'pointer not found', 'not a string', 'parse error: …'; else ''. */
  problem: string;
}

export interface ChangelogEntry {
  at: Revision;
  file: string;
  version: Version;
  heading: string;
  line: number;
  /** The compare range's base and head refs (`v1.2.2`, `v1.2.3`), '' when the entry states none. */
  compareFrom: string;
  compareTo: string;
  /** Line of the range (heading link, body line or link definition); the heading's when none. */
  compareLine: number;
  /** The file's last version entry: where the CHANGELOG starts. */
  oldest: boolean;
  baselines: ChangelogBaselines;
  /** False when the version's tag is older than `tags.since`. */
  judged: boolean;
}

/** Where an entry's compare range may start, by each definition (published versions, no prefix; '' when none). */
export interface ChangelogBaselines {
  latest: string;
  latestStable: string;
  ancestor: string;
  ancestorStable: string;
}

export interface UnavailableFact {
  fact: string;
  reason: string;
  fix: string;
}

export interface PullRequestCheck {
  name: string;
  workflow: string;
  state: 'success' | 'failure' | 'pending' | 'skipped' | 'neutral';
  required: boolean;
}

export interface PullRequest {
  number: number;
  title: string;
  url: string;
  state: string;
  baseRef: string;
  headRef: string;
  headOid: string;
  kind: 'release-please' | 'promotion' | 'other';
  version: Version;
  reviewDecision: string;
  approvals: number;
  changesRequested: number;
  checks: PullRequestCheck[];
  fileCount: number;
}

export interface PullRequestFile {
  number: number;
  kind: string;
  path: string;
  changeType: string;
}
