import type { Snapshot } from '../facts/types.js';
import { pointerOf } from '../json-pointer.js';

export interface Target {
  kind: 'tag' | 'branch' | 'changelog-entry' | 'version-source' | 'pr' | 'pr-file' | 'release' | 'commit' | 'repository' | 'revision' | 'workflow-step' | 'config-key';
  name: string;
  /** Where the object was read, for version sources and CHANGELOG entries. */
  at?: { kind: 'tag' | 'branch' | 'pr'; name: string };
}

export interface Location {
  file: string;
  line: number | null;
  /** The revision whose copy of the file holds the line (the work tree may differ). */
  revision?: string;
}

type Element = Record<string, any>;

const revisionOf = (revision: { kind: string; name: string }): Target['at'] => ({
  kind: revision.kind === 'tag' ? 'tag' : revision.kind === 'pull-request' ? 'pr' : 'branch',
  name: revision.name,
});

/** What a rule's `given` can name: the element variable, its CEL type, and how a finding names it. */
export interface Collection {
  variable: string;
  type: string;
  /** Kinds of subject (see subjectOf) its findings can concern, to skip rules that cannot judge a given tag. */
  subjectKinds: string[];
  /** How a finding names its element, for the rule-language reference (see `target`). */
  targetText: string;
  elements(snapshot: Snapshot): Element[];
  target(element: Element): Target;
  location(element: Element): Location | null;
}

export const collections: Record<string, Collection> = {
  tags: {
    variable: 'tag',
    type: 'Tag',
    subjectKinds: ['tag'],
    targetText: '`tag <name>`',
    elements: (s) => s.tags,
    target: (e) => ({ kind: 'tag', name: e.name }),
    location: () => null,
  },
  branches: {
    variable: 'branch',
    type: 'Branch',
    subjectKinds: ['branch'],
    targetText: '`branch <name>`',
    elements: (s) => s.branches,
    target: (e) => ({ kind: 'branch', name: e.name }),
    location: () => null,
  },
  revisions: {
    variable: 'revision',
    type: 'Revision',
    subjectKinds: ['tag', 'branch'],
    targetText: 'the tag or branch',
    elements: (s) => s.revisions,
    target: (e) => ({ kind: e.kind === 'tag' ? 'tag' : 'branch', name: e.name }),
    location: () => null,
  },
  versionSources: {
    variable: 'source',
    type: 'VersionReading',
    subjectKinds: ['tag', 'branch'],
    targetText: '`version-source <file>#<pointer>` at a tag or branch (the CHANGELOG heading: `changelog-entry <file>`)',
    elements: (s) => s.versionSources,
    target: (e) => ({
      kind: e.format === 'changelog' ? 'changelog-entry' : 'version-source',
      name: e.format === 'changelog' ? e.file : `${e.file}#${e.pointer}`,
      at: revisionOf(e.at),
    }),
    location: (e) => ({ file: e.file, line: e.line > 0 ? Number(e.line) : null, revision: e.at.name }),
  },
  changelogEntries: {
    variable: 'entry',
    type: 'ChangelogEntry',
    subjectKinds: ['tag', 'branch', 'pr'],
    targetText: '`changelog-entry <file>#<version>` at a tag, branch or pull request',
    elements: (s) => s.changelogEntries,
    target: (e) => ({ kind: 'changelog-entry', name: `${e.file}#${e.version.text}`, at: revisionOf(e.at) }),
    // The line that states the range: the heading, a Full Changelog line or a link definition.
    location: (e) => ({ file: e.file, line: Number(e.compareLine), revision: e.at.name }),
  },
  repository: {
    variable: 'repository',
    type: 'RepositoryFacts',
    subjectKinds: ['repository'],
    targetText: '`repository <name>` (one element: rules about the whole repository)',
    elements: (s) => [s.repository],
    target: (e) => ({ kind: 'repository', name: e.name }),
    location: () => null,
  },
  productionOnlyCommits: {
    variable: 'commit',
    type: 'Commit',
    subjectKinds: ['commit'],
    targetText: '`commit <sha>`',
    elements: (s) => s.productionOnlyCommits,
    target: (e) => ({ kind: 'commit', name: e.sha }),
    location: () => null,
  },
  workflowSteps: {
    variable: 'step',
    type: 'WorkflowStep',
    subjectKinds: ['workflow-step'],
    targetText: '`workflow-step <file>#<job>.steps[<i>]` (`<file>#<job>` for a job calling a reusable workflow)',
    elements: (s) => s.workflowSteps,
    target: (e) => ({ kind: 'workflow-step', name: `${e.file}#${e.job}${e.index >= 0 ? `.steps[${e.index}]` : ''}` }),
    location: (e) => ({ file: e.file, line: e.line > 0 ? Number(e.line) : null }),
  },
  pullRequests: {
    variable: 'pr',
    type: 'PullRequest',
    subjectKinds: ['pr'],
    targetText: '`pr #<number>`',
    elements: (s) => s.pullRequests,
    target: (e) => ({ kind: 'pr', name: `#${e.number}` }),
    location: () => null,
  },
  pullRequestFiles: {
    variable: 'file',
    type: 'PullRequestFile',
    subjectKinds: ['pr'],
    targetText: '`pr-file <path>` at `pr #<number>`',
    elements: (s) => s.pullRequestFiles,
    target: (e) => ({ kind: 'pr-file', name: e.path, at: { kind: 'pr', name: `#${e.number}` } }),
    location: (e) => ({ file: e.path, line: null }),
  },
  releasePleaseConfig: {
    variable: 'setting',
    type: 'ConfigKey',
    subjectKinds: ['config-key'],
    targetText: '`config-key <file>#<pointer>`',
    elements: (s) => s.releasePleaseConfig,
    target: (e) => ({ kind: 'config-key', name: `${e.file}#${pointerOf(e.scope ? ['packages', e.scope, e.key] : [e.key])}` }),
    location: (e) => ({ file: e.file, line: Number(e.line) }),
  },
};
