import { InputError } from '../errors.js';
import { excludedTags } from '../facts/assemble.js';
import type { PushedBranch, PushedTag } from '../facts/collect-git.js';
import { openRepository } from './gather.js';
import { gatherRequest, type Invocation } from './arguments.js';
import { judge } from './pipeline.js';

const prePushLine = /^(\S+) ([0-9a-f]{40}|[0-9a-f]{64}) (refs\/\S+) ([0-9a-f]{40}|[0-9a-f]{64})$/;

/** A line of the input for a message: escaped, cut to 100 characters. */
const quoted = (line: string) => JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Git's pre-push input (`<local ref> <local sha> <remote ref> <remote sha>` per line): the release
 * tags pushed, and the branches the same push moves (`git push origin main v1.2.0`,
 * `--follow-tags`), so that a tag is placed as the push will leave them. Excluded tag families
 * pass like branches. Input that is not in that form is refused: a gate that cannot read what is
 * pushed must not let it through. An all-zero id (a deletion, a new ref) is ''.
 */
export function parsePrePushInput(input: string, prefix: string, isExcluded: (name: string) => boolean = () => false): { tags: PushedTag[]; branches: PushedBranch[] } {
  const zero = /^0+$/;
  const tags: PushedTag[] = [];
  const branches: PushedBranch[] = [];
  for (const [index, line] of input.split('\n').entries()) {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') continue;
    const fields = prePushLine.exec(text);
    if (!fields) throw new InputError(`pre-push input line ${index + 1} is not "<local ref> <local sha> <remote ref> <remote sha>": ${quoted(text)}`);
    const [, localRef, localSha, remoteRef, remoteSha] = fields;
    const [local, remote] = [zero.test(localSha) ? '' : localSha, zero.test(remoteSha) ? '' : remoteSha];
    if (remoteRef.startsWith('refs/heads/')) branches.push({ name: remoteRef.slice('refs/heads/'.length), localRef, localSha: local });
    const name = remoteRef.startsWith('refs/tags/') ? remoteRef.slice('refs/tags/'.length) : '';
    if (!name.startsWith(prefix) || name === '' || isExcluded(name)) continue;
    tags.push({ name, localSha: local, remoteSha: remote });
  }
  return { tags, branches };
}

/** `release-lint hook pre-push <remote> <url>`: git's pre-push hook; each release tag pushed is judged, branch pushes pass. */
export async function hookCommand(invocation: Invocation): Promise<number> {
  const input = await readStdin();
  const repository = await openRepository(gatherRequest(invocation.options));
  const { tags: pushed, branches } = parsePrePushInput(input, repository.config.tags.prefix, excludedTags(repository.config.tags.exclude));
  // Branch pushes pass without collecting anything.
  if (pushed.length === 0) return 0;
  // Branches pushed with the tags move the remote's branches only when they go to the policy's remote.
  const pushedBranches = invocation.args[1] === repository.config.remote ? branches : [];
  return judge(invocation, { subjects: new Set(pushed.map((p) => `tag ${p.name}`)), collect: { pushed, pushedBranches }, repository });
}

function readStdin(): Promise<string> {
  return new Promise((resolveInput, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolveInput(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
