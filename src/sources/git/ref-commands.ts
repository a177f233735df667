import { commitGraphArgs } from './commit-graph.js';

/**
 * The git commands that list refs for a check, built in one place so the entry point can start
 * them for the default settings before the config has even loaded (see `runGitEarly`).
 */

/** Fields of the tag and branch records, NUL-separated, parsed by the git collector in this order. */
export const refFields = [
  'refname',
  'objecttype',
  'objectname',
  '*objectname',
  '*objecttype',
  'taggerdate:unix',
  'taggername',
  'taggeremail:trim',
  'committerdate:unix',
  'tree',
  'symref',
  'contents',
] as const;
const refFormat = refFields.map((f) => `%(${f})`).join('%00') + '%00';

/** The settings the commands depend on, with the config's defaults. */
export interface RefSettings {
  remote: string;
  production: string;
  tagPrefix: string;
}

/** Escapes wildmatch special characters so a configured prefix is taken literally. */
function literalPattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export function refCommands({ remote, production, tagPrefix }: RefSettings): {
  productionRef: string;
  /** The release tags, as a for-each-ref pattern. */
  tagPattern: string;
  /**
   * The commit graph of every release tag and every branch of the remote, and the local branches
   * (walks the whole history: the slow one). Where each tag sits and which tags are ancestors of
   * which commits are answered from it in memory.
   */
  history: string[];
  /** Tag records with their messages, local branches and the remote's branches. */
  records: string[];
  /** The same records without the tag messages (a candidate run reads only the candidates'). */
  recordsWithoutMessages: string[];
} {
  const tagPattern = `refs/tags/${literalPattern(tagPrefix)}*`;
  const productionRef = `refs/remotes/${remote}/${production}`;
  return {
    productionRef,
    tagPattern,
    history: commitGraphArgs([tagPattern, `refs/remotes/${literalPattern(remote)}/*`, 'refs/heads/*']),
    records: ['for-each-ref', `--format=${refFormat}`, tagPattern, 'refs/heads/', `refs/remotes/${remote}/`],
    recordsWithoutMessages: ['for-each-ref', `--format=${refFormat.replace('%(contents)', '')}`, tagPattern, 'refs/heads/', `refs/remotes/${remote}/`],
  };
}

/** The commit a candidate tag would point at (`release-lint tag --ref`), resolved as git tag would. */
export function candidateCommitArgs(ref: string): string[] {
  return ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
}
