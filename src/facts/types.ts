/**
 * The snapshot's TypeScript types, derived from src/facts/model.ts: each interface extends its
 * type's fields there (`FieldsOf`), so the model is the one place the snapshot's shape is
 * written. Descriptions of the fields are in the model.
 */
import type { FieldsOf, SnapshotTypeName } from './model.js';

/** Each type of the model by name: how a field typed `Version` or `list<Tag>` resolves to an interface. */
export interface SnapshotTypes extends Record<SnapshotTypeName, unknown> {
  Version: Version;
  Tagger: Tagger;
  TagRelease: TagRelease;
  RecoveryIssue: RecoveryIssue;
  Tag: Tag;
  Branch: Branch;
  Revision: Revision;
  VersionReading: VersionReading;
  ChangelogBaselines: ChangelogBaselines;
  ChangelogEntry: ChangelogEntry;
  Commit: Commit;
  WorkflowStep: WorkflowStep;
  ConfigKey: ConfigKey;
  PullRequestCheck: PullRequestCheck;
  PullRequest: PullRequest;
  PullRequestFile: PullRequestFile;
  RepositoryFacts: RepositoryFacts;
  UnavailableFact: UnavailableFact;
  Snapshot: Snapshot;
}

/** The release state of a repository: plain JSON, described by schemas/snapshot.schema.json. */
export interface Snapshot extends FieldsOf<'Snapshot', SnapshotTypes> {}

export interface RepositoryFacts extends FieldsOf<'RepositoryFacts', SnapshotTypes> {}

/** A non-merge commit on production that is not on integration. */
export interface Commit extends FieldsOf<'Commit', SnapshotTypes> {}

export interface WorkflowStep extends FieldsOf<'WorkflowStep', SnapshotTypes> {}

export interface ConfigKey extends FieldsOf<'ConfigKey', SnapshotTypes> {}

/**
 * A version as rules see it. Never null: an unparsable text gives `valid: false` with zero
 * numbers, because CEL typed fields cannot hold null.
 */
export interface Version extends FieldsOf<'Version', SnapshotTypes> {}

export interface Tag extends FieldsOf<'Tag', SnapshotTypes> {}

/** The tagger of an annotated tag; empty strings for a lightweight tag. */
export interface Tagger extends FieldsOf<'Tagger', SnapshotTypes> {}

export interface TagRelease extends FieldsOf<'TagRelease', SnapshotTypes> {}

export interface RecoveryIssue extends FieldsOf<'RecoveryIssue', SnapshotTypes> {}

export interface Branch extends FieldsOf<'Branch', SnapshotTypes> {}

export type RevisionKind = Revision['kind'];

/** A commit at which files are read, and the version expected there (tags, release branches). */
export interface Revision extends FieldsOf<'Revision', SnapshotTypes> {}

export interface VersionReading extends FieldsOf<'VersionReading', SnapshotTypes> {}

export interface ChangelogEntry extends FieldsOf<'ChangelogEntry', SnapshotTypes> {}

/** Where an entry's compare range may start, by each definition (published versions, no prefix; '' when none). */
export interface ChangelogBaselines extends FieldsOf<'ChangelogBaselines', SnapshotTypes> {}

export interface UnavailableFact extends FieldsOf<'UnavailableFact', SnapshotTypes> {}

export interface PullRequestCheck extends FieldsOf<'PullRequestCheck', SnapshotTypes> {}

export interface PullRequest extends FieldsOf<'PullRequest', SnapshotTypes> {}

export interface PullRequestFile extends FieldsOf<'PullRequestFile', SnapshotTypes> {}
