/**
 * The snapshot's types, written once: they declare the CEL types rules are checked against,
 * generate schemas/snapshot.schema.json (scripts/generate-schemas) and, at the type level, the
 * TypeScript interfaces of src/facts/types.ts (`FieldsOf`).
 *
 * A field is `type`, `[type, description]` or `[type, description, details]`; types are CEL type
 * names (`string`, `bool`, `int`, `list<T>`, or a type of the model). `details` carries what CEL
 * does not see but TypeScript and the JSON schema do: the values a string field takes (`enum`)
 * or the one value an int field has (`const`).
 */
export interface FieldDetails {
  /** The values of a string field: a union of literals in TypeScript, `enum` in the JSON schema; a plain string to CEL. */
  readonly enum?: readonly string[];
  /** The one value of an int field: a literal type in TypeScript, `const` in the JSON schema; an int to CEL. */
  readonly const?: number;
}

/** A field of the model: its CEL type, with a description and details when it has them. */
export type FieldSpec = string | readonly [type: string, description: string, details?: FieldDetails];

/** A field as CEL sees it: its type, and its description when it has one. */
type Field = string | [string, string];

const pullRequestKinds = ['release-please', 'promotion', 'other'] as const;

export const snapshotModel = {
  Version: {
    text: ['string', 'the version as written (tag name minus prefix, branch name minus pattern prefix, CHANGELOG heading)'],
    valid: ['bool', 'a valid semantic version; when false the numbers are 0'],
    major: 'int',
    minor: 'int',
    patch: 'int',
    prerelease: ['list<string>', 'prerelease identifiers: `1.2.3-rc.2` → ["rc", "2"]'],
    channel: ['string', 'first prerelease identifier when not numeric (`preview`, `rc`), else ""'],
    numbered: ['bool', 'the prerelease is `<channel>.<number>`'],
    number: ['int', 'the number of a numbered prerelease, else 0'],
    stable: ['bool', 'valid and without prerelease'],
  },
  Tagger: { name: 'string', email: 'string', date: ['string', 'ISO 8601, UTC'] },
  TagRelease: {
    found: ['bool', 'a GitHub Release exists for the tag'],
    isDraft: 'bool',
    isPrerelease: 'bool',
    assets: ['list<string>', 'names of the attached assets'],
  },
  RecoveryIssue: {
    number: ['int', 'the number in `recovery-issue: #N`, 0 when the message has none'],
    exists: ['bool', 'GitHub has an issue or pull request with that number'],
    isPullRequest: 'bool',
    state: ['string', 'OPEN, CLOSED or MERGED; "" when unknown'],
  },
  Tag: {
    name: ['string', 'tag name, e.g. v1.2.3'],
    version: ['Version', 'the name minus the configured prefix, parsed'],
    annotated: ['bool', 'an annotated tag object (git tag -a), not a lightweight ref'],
    objectType: ['string', 'type of the object the ref points at: tag, commit, tree, blob; for a tag object whose chain of tags ends at a tree or a blob, "tag of a tree" or "tag of a blob"'],
    object: ['string', 'object id the ref points at'],
    commit: ['string', 'the peeled commit (every tag object in between peeled), "" when the tag does not lead to a commit'],
    message: ['string', 'annotated tag message without signature, "" for lightweight tags'],
    messageLines: ['list<string>', 'message lines with trailing white space removed'],
    tagger: ['Tagger', 'empty strings for lightweight tags'],
    date: ['string', 'tagger date, else commit date (ISO 8601, UTC)'],
    timestamp: ['int', 'the same date in Unix seconds'],
    reachable: ['bool', 'the commit is an ancestor of <remote>/<production>'],
    releaseLine: ['string', 'the release line whose remote-tracking branch holds the commit: the production branch, else the first maintenance branch (branches.maintenance) that does; "" when none does'],
    otherBranch: ['string', 'when no release line holds the commit: a branch of the remote that does (a feature branch, develop, a release branch); "" when none does (its branch was deleted, or it was never pushed)'],
    published: ['bool', 'the tag exists on the remote (git ls-remote); with --offline and in the pre-push hook, every local tag not being judged as a candidate; in remote mode, every tag'],
    onRemote: [
      'string',
      'what the run knows of the tag on the remote: "yes" (git ls-remote lists it, the pre-push input updates or deletes it, remote mode), "no" (ls-remote does not list it, the push creates it) or "unknown" (--offline; local tags in the pre-push hook)',
      { enum: ['yes', 'no', 'unknown'] },
    ],
    judged: ['bool', 'false for tags dated before tags.since (facts only; rules skip them)'],
    remoteObject: ['string', 'the object the remote has under this tag name (git ls-remote or pre-push input), "" when it has none or it is unknown'],
    remoteAnnotated: ['bool', 'the remote\'s tag of this name is an annotated tag object (git ls-remote lists a peeled `^{}` line for it); false when the remote has none, a lightweight one, or it is unknown (--offline, the pre-push hook)'],
    remoteCommit: ['string', 'the commit the remote\'s tag peels to (its `^{}` line; a lightweight tag\'s own object), "" when the remote has none or it is unknown. After actions/checkout a pushed annotated tag is a local lightweight tag of the same commit: annotated false, remoteAnnotated true, remoteCommit == commit'],
    publishedBefore: ['string', 'the version this tag must be above: the highest published version of its own major.minor line dated before it; for the first tag of a line, the highest published version of any line dated before it; "" when none'],
    candidate: ['bool', 'a tag being linted before it is created or pushed (release-lint tag, pre-push hook)'],
    release: ['TagRelease', 'its GitHub Release (read when GitHub is queried)'],
    recoveryIssue: ['RecoveryIssue', 'the issue its `recovery-issue: #N` line names'],
    push: ['string', 'pre-push action for a pushed tag: create, update or delete; "" otherwise', { enum: ['', 'create', 'update', 'delete'] }],
  },
  Branch: {
    name: ['string', 'branch name without refs/heads/ or <remote>/'],
    release: ['bool', 'matches branches.release (and not branches.maintenance)'],
    maintenance: ['bool', 'matches branches.maintenance: a release line when it exists on the remote'],
    line: ['string', 'the version line the name carries: "1.82" for release/1.82.x and release/v1.82.0-rc.1, "12" for 12.x; "" when none'],
    version: ['Version', 'for release branches: the part matched by the pattern, parsed'],
    local: 'bool',
    remote: ['bool', 'exists as a remote-tracking branch of the configured remote'],
    localHead: 'string',
    remoteHead: 'string',
    head: ['string', 'remote-tracking head when there is one, else the local head'],
    tree: ['string', 'tree of the head commit; equal to repository.productionTree when the branch has no content difference with production'],
  },
  Revision: {
    kind: ['string', 'what the revision is: a tag, the production or integration head, a release branch head, a pull request head', { enum: ['tag', 'production', 'integration', 'release-branch', 'pull-request'] }],
    name: 'string',
    commit: 'string',
    version: ['Version', 'the version expected there: the tag or release branch version; invalid for production/integration'],
    candidate: ['bool', 'the revision of a candidate tag'],
    publishedAncestor: ['string', 'the highest published version among tags whose commit is this commit or an ancestor of it; "" when none or unknown'],
  },
  VersionReading: {
    at: ['Revision', 'where the file was read'],
    file: 'string',
    pointer: ['string', 'JSON Pointer (json, yaml, toml); for text: the pattern, or x-release-please-version for the generic markers; "" for the CHANGELOG'],
    format: ['string', 'how the file is read: the configured format, or changelog for the CHANGELOG heading', { enum: ['json', 'yaml', 'toml', 'text', 'changelog'] }],
    required: ['bool', 'a missing file is a finding: the source says so (default true); for the CHANGELOG, when the file exists at any revision read'],
    fileExists: 'bool',
    found: ['bool', 'a value was read (CHANGELOG: a version heading exists)'],
    value: ['string', 'the value read; CHANGELOG: the heading for at.version, else the newest heading'],
    line: ['int', '1-based line of the value, 0 when not found'],
    column: 'int',
    problem: ['string', 'why nothing was read: file missing, pointer not found, not a string, no version marked, parse error: ..., not read (a large file outside the window); else ""'],
  },
  ChangelogBaselines: {
    latest: ['string', 'the highest published version below the entry\'s among tags dated before the entry\'s release (its tag\'s date; now for a candidate, an untagged version or a pull request), wherever they sit'],
    latestStable: ['string', 'the same among stable versions'],
    ancestor: ['string', 'the highest published version below the entry\'s among tags whose commit is an ancestor of the entry\'s release commit (its tag; a candidate\'s commit; a pull request\'s base branch head); "" for an untagged version'],
    ancestorStable: ['string', 'the same among stable versions'],
  },
  ChangelogEntry: {
    at: ['Revision', 'where the CHANGELOG was read (branch heads, a candidate tag, a pull request)'],
    file: 'string',
    version: 'Version',
    heading: 'string',
    line: ['int', 'line of the heading'],
    compareFrom: ['string', 'base of the compare range (`v1.2.2` in `v1.2.2...v1.2.3`), "" when none'],
    compareTo: 'string',
    compareLine: ['int', 'line that states the range: the heading, a body line (`Full Changelog: …/compare/a...b`) or a link definition (`[1.2.3]: …`); the heading\'s line when there is none'],
    oldest: ['bool', 'the last version entry of the file: where the CHANGELOG starts, with no earlier entry to compare from'],
    baselines: ['ChangelogBaselines', 'where the range may start, by each definition of the baseline (all versions are published tags, without the prefix; "" when none)'],
    judged: ['bool', 'false when the version\'s tag is older than tags.since (facts only; rules skip the entry)'],
  },
  Commit: {
    sha: 'string',
    subject: 'string',
    author: 'string',
    date: ['string', 'commit date, ISO 8601 UTC'],
    timestamp: 'int',
    files: ['list<string>', 'files the commit changes'],
    patchEquivalent: ['bool', 'integration has a commit with the same patch (git cherry)'],
    addedLines: ['int', 'non-blank lines the commit adds'],
    missingLines: ['int', 'added lines not found in integration\'s version of their file (white space trimmed); in a commit that also changes other files, lines added to releaseMetadataFiles are not looked up (the next release replaces them)'],
    firstMissing: ['string', '`file: line` of the first missing line, "" when none'],
  },
  WorkflowStep: {
    file: ['string', 'workflow file, read at the production head'],
    job: 'string',
    index: ['int', 'step index in the job; -1 for a job that calls a reusable workflow'],
    name: 'string',
    uses: ['string', 'the `uses:` value, ""'],
    run: ['string', 'the `run:` script, ""'],
    line: 'int',
  },
  ConfigKey: {
    file: ['string', 'a Release Please config file, read at the production head'],
    scope: ['string', '"" for a top-level key, else the package path under `packages`'],
    key: 'string',
    value: ['string', 'strings as they are, other values as JSON'],
    line: 'int',
    column: 'int',
  },
  PullRequestCheck: {
    name: ['string', 'check run name or status context'],
    workflow: ['string', 'the workflow of a check run, "" otherwise'],
    state: ['string', 'the check\'s outcome', { enum: ['success', 'failure', 'pending', 'skipped', 'neutral'] }],
    required: ['bool', 'a required check of the base branch'],
  },
  PullRequest: {
    number: 'int',
    title: 'string',
    url: 'string',
    state: ['string', 'OPEN | CLOSED | MERGED'],
    baseRef: 'string',
    headRef: 'string',
    headOid: 'string',
    kind: ['string', 'release-please (targets a release branch), promotion (release branch or chore/promote-<version>-main into production), or other', { enum: pullRequestKinds }],
    version: ['Version', 'the release branch version (of the base for release-please PRs, of the head for promotion PRs)'],
    reviewDecision: ['string', 'APPROVED | CHANGES_REQUESTED | REVIEW_REQUIRED, "" when no review policy applies'],
    approvals: ['int', 'latest reviews that approve'],
    changesRequested: ['int', 'latest reviews that request changes'],
    checks: ['list<PullRequestCheck>', 'checks on the head commit'],
    fileCount: 'int',
  },
  PullRequestFile: {
    number: ['int', 'the pull request'],
    kind: ['string', 'the pull request kind', { enum: pullRequestKinds }],
    path: 'string',
    changeType: ['string', 'ADDED | DELETED | RENAMED | COPIED | MODIFIED | CHANGED'],
  },
  RepositoryFacts: {
    name: 'string',
    remote: 'string',
    shallow: 'bool',
    productionBranch: 'string',
    productionRef: 'string',
    productionHead: ['string', '"" when the production ref does not exist'],
    integrationBranch: 'string',
    integrationRef: 'string',
    integrationHead: 'string',
    productionTree: ['string', 'tree of the production head, "" when unknown'],
    excludedTags: ['int', 'tags under the prefix that tags.exclude leaves out (nightlies, test tags): never judged or compared'],
  },
  UnavailableFact: { fact: 'string', reason: 'string', fix: 'string' },
  Snapshot: {
    schemaVersion: ['int', 'incremented on incompatible changes', { const: 2 }],
    repository: 'RepositoryFacts',
    tags: ['list<Tag>', 'release tags (under the prefix), newest version first'],
    branches: ['list<Branch>', 'local and remote-tracking branches, merged by name'],
    revisions: ['list<Revision>', 'commits where files were read: judged tags (only the candidates when judging candidates), production, integration, release branches'],
    versionSources: ['list<VersionReading>', 'every configured version source and the CHANGELOG heading at every revision'],
    changelogEntries: ['list<ChangelogEntry>', 'CHANGELOG entries at the branch heads and at a candidate tag'],
    productionOnlyCommits: ['list<Commit>', 'non-merge commits on production that are not on integration'],
    workflowSteps: ['list<WorkflowStep>', 'steps of the GitHub workflows at the production head'],
    releasePleaseConfig: ['list<ConfigKey>', 'top-level and per-package keys of the Release Please config at the production head'],
    pullRequests: ['list<PullRequest>', 'the pull request judged by release-lint pr (GitHub)'],
    pullRequestFiles: ['list<PullRequestFile>', 'files that pull request changes'],
    collected: ['list<string>', 'facts this run set out to establish (production-history, remote-tags, github-pull-request, ...); rules that require other facts do not apply'],
    unavailable: ['list<UnavailableFact>', 'facts the collector could not establish; rules that need them are inconclusive'],
  },
} as const satisfies Record<string, Record<string, FieldSpec>>;

/** The model's types by name. */
export type SnapshotModel = typeof snapshotModel;
export type SnapshotTypeName = keyof SnapshotModel;

/**
 * The TypeScript type of a CEL type name. `Named` gives the interface of each type of the model
 * (src/facts/types.ts passes its own), so a field typed `Version` is the `Version` interface.
 */
export type TypeOfCel<T extends string, Named extends Record<SnapshotTypeName, unknown>> = T extends 'string'
  ? string
  : T extends 'bool'
    ? boolean
    : T extends 'int'
      ? number
      : T extends `list<${infer Item}>`
        ? TypeOfCel<Item, Named>[]
        : T extends SnapshotTypeName
          ? Named[T]
          : never;

/** The TypeScript type of a field: its `enum` or `const` when it has one, else its CEL type's. */
export type TypeOfField<F, Named extends Record<SnapshotTypeName, unknown>> = F extends readonly [string, string, { readonly enum: readonly (infer Value)[] }]
  ? Value
  : F extends readonly [string, string, { readonly const: infer Value }]
    ? Value
    : F extends readonly [infer T extends string, ...unknown[]]
      ? TypeOfCel<T, Named>
      : F extends string
        ? TypeOfCel<F, Named>
        : never;

/** The fields of a type of the model, as TypeScript types: what src/facts/types.ts's interfaces extend. */
export type FieldsOf<Name extends SnapshotTypeName, Named extends Record<SnapshotTypeName, unknown>> = {
  -readonly [K in keyof SnapshotModel[Name]]: TypeOfField<SnapshotModel[Name][K], Named>;
};

/** The model as CEL sees it: field types and descriptions, without the details CEL does not check. */
export const snapshotTypes: Record<string, Record<string, Field>> = Object.fromEntries(
  Object.entries(snapshotModel as Record<string, Record<string, FieldSpec>>).map(([name, fields]) => [
    name,
    Object.fromEntries(Object.entries(fields).map(([key, field]): [string, Field] => [key, typeof field === 'string' ? field : [field[0], field[1]]])),
  ]),
);

/**
 * `index`: lookups the engine derives from the snapshot once per run, so a rule judging each of
 * many elements need not scan every tag for each of them (`x in index.tagVersions` is one native
 * lookup; `snapshot.tags.exists(t, ...)` is a comprehension over all tags).
 */
export const indexTypes: Record<string, Record<string, Field>> = {
  SnapshotIndex: {
    tagVersions: ['list<string>', 'the valid versions of all release tags'],
    publishedTagVersions: ['list<string>', 'the valid versions of the published release tags (on the remote)'],
    newestOnReleaseLine: ['int', 'the timestamp of the newest published release tag on a release line, 0 when none'],
  },
};

/** The policy settings rules can read as `config`. */
export const configTypes: Record<string, Record<string, Field>> = {
  PolicyBranches: {
    production: 'string',
    maintenance: ['list<string>', 'globs of maintenance branches (release lines besides production)'],
    integration: ['string', '"" when there is none'],
    release: ['string', '"" when there is none'],
  },
  PolicyTags: { prefix: 'string', exclude: ['list<string>', 'globs of tag families that are not releases'] },
  PolicyVersions: { recoveryChannels: 'list<string>' },
  PolicyConfig: {
    remote: 'string',
    branches: 'PolicyBranches',
    tags: 'PolicyTags',
    versions: 'PolicyVersions',
    changelog: ['string', '"" when there is none'],
    releaseMetadataFiles: 'list<string>',
  },
};

export function fieldType(field: FieldSpec): string {
  return typeof field === 'string' ? field : field[0];
}

export function fieldDescription(field: FieldSpec): string | undefined {
  return typeof field === 'string' ? undefined : field[1];
}

export function fieldDetails(field: FieldSpec): FieldDetails {
  return typeof field === 'string' ? {} : (field[2] ?? {});
}

function jsonSchemaOf(type: string): Record<string, unknown> {
  const list = /^list<(.+)>$/.exec(type);
  if (list) return { type: 'array', items: jsonSchemaOf(list[1]) };
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer' };
    default:
      return { $ref: `#/definitions/${type}` };
  }
}

function fieldJsonSchema(field: FieldSpec): Record<string, unknown> {
  const details = fieldDetails(field);
  const description = fieldDescription(field);
  const schema = details.const !== undefined ? { const: details.const } : { ...jsonSchemaOf(fieldType(field)), ...(details.enum ? { enum: [...details.enum] } : {}) };
  return { ...schema, ...(description ? { description } : {}) };
}

/** JSON Schema (draft-07) of a saved snapshot, generated from `snapshotModel`. */
export function snapshotJsonSchema(): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  for (const [name, fields] of Object.entries(snapshotModel as Record<string, Record<string, FieldSpec>>)) {
    const properties: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields)) properties[key] = fieldJsonSchema(field);
    definitions[name] = { type: 'object', additionalProperties: false, required: Object.keys(fields), properties };
  }
  const root = definitions.Snapshot as Record<string, unknown>;
  delete definitions.Snapshot;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://release-lint.invalid/schemas/snapshot.schema.json',
    title: 'release-lint snapshot',
    description: 'The release state of a repository as collected by release-lint (`release-lint snapshot`). Generated from src/facts/model.ts.',
    ...root,
    definitions,
  };
}

/**
 * The value a field of `type` takes when nothing says otherwise: "" (or an enum's first value),
 * false, 0 (or the const), an empty list, or an object of such defaults.
 */
export function defaultOf(field: FieldSpec): unknown {
  const details = fieldDetails(field);
  if (details.const !== undefined) return details.const;
  if (details.enum) return details.enum[0];
  const type = fieldType(field);
  if (type.startsWith('list<')) return [];
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    default:
      return withDefaults(type as SnapshotTypeName, {});
  }
}

/**
 * A partial object of a model type with every field it leaves out at its default, filled
 * recursively (nested objects and the items of lists of model types). The one place the
 * defaults come from: rule test cases (rules/<id>.test.yml) and the hand-made snapshots of the
 * tests. A key the type does not have is an error, as in the snapshot's schema.
 */
export function withDefaults(typeName: SnapshotTypeName, partial: Record<string, unknown>): Record<string, unknown> {
  const fields = snapshotModel[typeName] as Record<string, FieldSpec>;
  for (const key of Object.keys(partial)) if (!(key in fields)) throw new Error(`${typeName} has no field "${key}"`);
  const filled: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = partial[key];
    if (value === undefined || value === null) {
      filled[key] = defaultOf(field);
      continue;
    }
    const type = fieldType(field);
    const item = /^list<(.+)>$/.exec(type)?.[1];
    if (item && item in snapshotModel && Array.isArray(value)) filled[key] = value.map((element) => withDefaults(item as SnapshotTypeName, element as Record<string, unknown>));
    else if (type in snapshotModel && typeof value === 'object' && !Array.isArray(value)) filled[key] = withDefaults(type as SnapshotTypeName, value as Record<string, unknown>);
    else filled[key] = value;
  }
  return filled;
}

/**
 * The snapshot schema's definitions with no required field: what a rule test case's partial
 * snapshot may hold. A version may be written as its text (`version: 1.2.3`), parsed when read.
 */
export function partialSnapshotDefinitions(): Record<string, unknown> {
  const schema = snapshotJsonSchema();
  const definitions: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(schema.definitions as Record<string, Record<string, unknown>>)) {
    const { required: _required, properties, ...rest } = definition;
    const partialProperties = Object.fromEntries(
      Object.entries(properties as Record<string, Record<string, unknown>>).map(([key, property]) => {
        if (property.$ref !== '#/definitions/Version') return [key, property];
        const { $ref, description } = property;
        return [key, { ...(description ? { description: `${String(description)}; the text alone (1.2.3) is parsed` } : {}), anyOf: [{ type: 'string' }, { $ref }] }];
      }),
    );
    definitions[name] = { ...rest, properties: partialProperties };
  }
  definitions.Snapshot = { type: 'object', additionalProperties: false, properties: schema.properties, description: 'A partial snapshot: every field left out takes its default' };
  return definitions;
}
