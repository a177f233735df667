/**
 * Every fact a rule can need, by id. Rules list the facts they read in `requires` (the rule
 * schema's enum is generated from `factIds`); a fact the run could not establish makes them
 * inconclusive, and a fact no enabled rule needs is not collected (./plan.ts).
 */

/** Fact ids with what each one is; the order is the documentation's. */
export const facts = {
  'all-tags': 'every release tag of the remote is in the clone (names, objects, peeled commits, dates)',
  'tag-messages': 'the messages of annotated tags (for-each-ref %(contents)); a candidate run reads only the candidates\'',
  'remote-tags': 'the tags on the remote, by name and object (git ls-remote); a candidate run asks for the candidates only',
  'published-tags': 'which tags are published: on the remote, or every local tag with --offline and in the pre-push hook',
  'production-history': 'the production branch exists and its whole history is in the clone (not shallow, no grafts)',
  'release-lines': 'where each tag sits: the release line (production, a maintenance branch) or other branch holding its commit',
  'tag-ancestry': 'which published tags are ancestors of a commit: the baselines of CHANGELOG entries and branch heads',
  'integration-branch': 'the integration branch (branches.integration) exists',
  'commit-patches': 'production\'s commits that integration lacks, with their patches (the backport log)',
  'production-head': 'the workflows at the production branch\'s head',
  'release-please-config': 'the Release Please config at the production branch\'s head',
  'file-contents': 'the files at the revisions read could be read (not a partial or damaged clone)',
  'files-at-tags': 'version sources and the CHANGELOG at the tags of the window (tags.filesAt) and at candidates',
  'files-at-branch-heads': 'version sources and the CHANGELOG at the heads of the production, integration and release branches; a rule may name the files it reads there',
  'github-releases': 'the GitHub Release of each tag',
  'github-issues': 'the issues recovery tags name',
  'github-pull-request': 'the pull request being linted (release-lint pr)',
  'github-checks': 'the checks of that pull request and the ones its base branch requires',
  'github-contents': 'the files that pull request changes, at its head',
} as const;

export type FactId = keyof typeof facts;
export const factIds = Object.keys(facts) as FactId[];

/** The kinds of branch head files are read at (files-at-branch-heads), as revisions name them. */
export const branchHeadKinds = ['production', 'integration', 'release-branch'] as const;

/**
 * Snapshot fields that only a fact fills: a team's rule that reads one without listing the fact
 * gets it all the same (see impliedFacts in the engine).
 */
export const fieldsOfFacts: Partial<Record<FactId, readonly string[]>> = {
  'tag-messages': ['message', 'messageLines', 'recoveryIssue'],
};

/**
 * The rule schema's `requires` and `branchHeads` properties, generated from the ids and kinds
 * (npm run schemas writes them into schemas/rule.schema.json; a test fails when the committed
 * schema differs).
 */
export function ruleFactsJsonSchema(): { requires: object; branchHeads: object } {
  return {
    requires: {
      type: 'array',
      items: { enum: factIds },
      description: `Facts the rule reads; a run collects only the facts of its enabled rules, and when the snapshot lacks one, the rule is inconclusive instead of passing. ${factIds.map((id) => `\`${id}\`: ${facts[id]}.`).join(' ')}`,
    },
    branchHeads: {
      type: 'array',
      items: { enum: branchHeadKinds },
      uniqueItems: true,
      description: 'With files-at-branch-heads: the kinds of branch head the rule reads files at; without it, every kind.',
    },
  };
}
