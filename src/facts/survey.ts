/**
 * What `release-lint init` reads of a repository to choose a policy: its remote, its branches, its
 * tags (with their messages) and where the tags that are not on production sit. Three git processes
 * whatever the number of tags and branches: the remotes' config, one for-each-ref, one history
 * walk answered in memory.
 */
import { CommitGraph, commitGraphArgs } from '../sources/git/commit-graph.js';
import { readRemoteConfig } from '../sources/git/remote-config.js';
import { firstError, runGit } from '../sources/git/run.js';

export interface SurveyedTag {
  name: string;
  commit: string;
  annotated: boolean;
  message: string;
  timestamp: number;
  onProduction: boolean;
  /** Remote branches (names without the remote) whose history holds the tag, when production's does not. */
  heldBy: string[];
}

export interface RepositorySurvey {
  /** The remote to judge against: the preferred one when configured, else the first; null when none is. */
  remote: string | null;
  production: string;
  /** How production was found: the remote's HEAD, or the branch name that exists. */
  productionFrom: string;
  /** Branch names on the remote (remote-tracking), without the remote's name. */
  remoteBranches: string[];
  tags: SurveyedTag[];
}

const fieldSeparator = '\u0000';
const recordEnd = '\u0000\u0000\n';
const refFormat = ['%(refname)', '%(symref)', '%(objecttype)', '%(objectname)', '%(*objectname)', '%(creatordate:unix)', '%(contents)'].join('%00') + '%00%00';

interface RefLine {
  ref: string;
  symref: string;
  type: string;
  object: string;
  peeled: string;
  timestamp: number;
  contents: string;
}

function parseRefs(output: string): RefLine[] {
  return output
    .split(recordEnd)
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const [ref, symref, type, object, peeled, timestamp, ...contents] = record.replace(/^\n/, '').split(fieldSeparator);
      return { ref, symref, type, object, peeled, timestamp: Number(timestamp) || 0, contents: contents.join(fieldSeparator) };
    });
}

/** Reads the repository at `root`; `remote` is the preferred remote's name. */
export async function surveyRepository(root: string, preferredRemote = 'origin'): Promise<RepositorySurvey> {
  const configured = [...(await readRemoteConfig(root)).remotes].sort();
  const listed = await runGit(root, ['for-each-ref', `--format=${refFormat}`, 'refs/tags/', 'refs/remotes/', 'refs/heads/']);
  if (listed.exitCode !== 0) throw new Error(`git for-each-ref failed: ${firstError(listed.stderr)}`);
  const refs = parseRefs(listed.stdout.toString('utf8'));

  const remote = configured.includes(preferredRemote) ? preferredRemote : (configured[0] ?? null);
  const remotePrefix = `refs/remotes/${remote ?? preferredRemote}/`;
  const remoteBranches = refs.filter((r) => r.ref.startsWith(remotePrefix) && r.ref !== `${remotePrefix}HEAD`).map((r) => r.ref.slice(remotePrefix.length));
  const localBranches = refs.filter((r) => r.ref.startsWith('refs/heads/')).map((r) => r.ref.slice('refs/heads/'.length));
  const head = refs.find((r) => r.ref === `${remotePrefix}HEAD`)?.symref.slice(remotePrefix.length);
  const known = (name: string) => remoteBranches.includes(name) || localBranches.includes(name);
  const [production, productionFrom] = head
    ? [head, `${remote}/HEAD points at it`]
    : known('main') || !known('master')
      ? ['main', known('main') ? 'the branch main exists' : 'the usual name; no branch found']
      : ['master', 'the branch master exists'];

  const tagLines = refs.filter((r) => r.ref.startsWith('refs/tags/'));
  const graph = new CommitGraph();
  const walked = await runGit(root, commitGraphArgs(['refs/tags/*', `${remotePrefix}*`]));
  if (walked.exitCode !== 0) throw new Error(`git rev-list failed: ${firstError(walked.stderr)}`);
  graph.feed(walked.stdout);

  const tipOf = (branch: string) => graph.node(refs.find((r) => r.ref === `${remotePrefix}${branch}`)?.object ?? '');
  const productionTip = tipOf(production);
  const onProduction = graph.holders([productionTip]);
  const tags: SurveyedTag[] = tagLines.map((r) => {
    const commit = r.type === 'tag' ? r.peeled : r.object;
    const node = graph.node(commit);
    return {
      name: r.ref.slice('refs/tags/'.length),
      commit,
      annotated: r.type === 'tag',
      message: r.type === 'tag' ? r.contents.replace(/-----BEGIN PGP SIGNATURE-----[\s\S]*$/, '').trim() : '',
      timestamp: r.timestamp,
      onProduction: node >= 0 && onProduction[node] === 0,
      heldBy: [],
    };
  });
  // Which branches hold each tag that production does not: one walk per branch, lookups after.
  const offProduction = tags.filter((t) => !t.onProduction && graph.node(t.commit) >= 0);
  if (offProduction.length > 0) {
    for (const branch of remoteBranches) {
      if (branch === production) continue;
      const ancestry = graph.ancestryOf(tipOf(branch));
      for (const tag of offProduction) if (ancestry.isAncestor(graph.node(tag.commit))) tag.heldBy.push(branch);
    }
  }
  graph.release();
  return { remote, production, productionFrom, remoteBranches, tags };
}
