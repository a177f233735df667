/**
 * Resolvers for the GitHub stand-in that answer from a real (bare) git repository: refs, tags with
 * messages, Ref.compare, object(expression:), trees and blobs through GraphQL, and a commit's
 * patches through the REST commit endpoint, as GitHub shapes them. Remote-mode tests lint the same
 * repository through a clone and through these, and expect the same findings.
 */
import { execFileSync } from 'node:child_process';
import { page } from './github-server.js';

type Node = Record<string, unknown>;

export function gitBackedGitHub(gitDir: string): { repository: (extra?: Node) => Node; rest: (path: string) => { status: number; body: unknown } } {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: gitDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const tryGit = (...args: string[]): string | null => {
    try {
      return git(...args);
    } catch {
      return null;
    }
  };
  const iso = (unix: string) => new Date(Number(unix) * 1000).toISOString().replace('.000Z', 'Z');
  const identity = (line: string) => {
    const match = /^(.*?) <([^>]*)> (\d+)/.exec(line)!;
    return { name: match[1], email: match[2], date: iso(match[3]) };
  };
  const split = (raw: string) => {
    const end = raw.indexOf('\n\n');
    const headers = (end < 0 ? raw : raw.slice(0, end)).split('\n');
    return { header: (name: string) => headers.filter((h) => h.startsWith(`${name} `)).map((h) => h.slice(name.length + 1)), message: end < 0 ? '' : raw.slice(end + 2) };
  };

  const objects = new Map<string, Node>();
  function objectNode(oid: string): Node {
    const known = objects.get(oid);
    if (known) return known;
    const type = git('cat-file', '-t', oid).trim();
    let node: Node;
    if (type === 'commit') {
      const { header, message } = split(git('cat-file', 'commit', oid));
      const parents = header('parent');
      node = {
        __typename: 'Commit',
        oid,
        committedDate: identity(header('committer')[0]).date,
        messageHeadline: message.split('\n')[0],
        author: { name: identity(header('author')[0]).name },
        tree: () => objectNode(header('tree')[0]),
        parents: (args: { first?: number; after?: string }) => page(parents.map(objectNode), args),
      };
    } else if (type === 'tag') {
      const { header, message } = split(git('cat-file', 'tag', oid));
      node = { __typename: 'Tag', oid, message, tagger: identity(header('tagger')[0]), target: () => objectNode(header('object')[0]) };
    } else if (type === 'tree') {
      const entries = git('ls-tree', oid)
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [meta, name] = line.split('\t');
          const [mode, kind, entryOid] = meta.split(' ');
          return { name, oid: entryOid, mode: parseInt(mode, 8), type: kind };
        });
      node = { __typename: 'Tree', oid, entries };
    } else {
      const text = git('cat-file', 'blob', oid);
      node = { __typename: 'Blob', oid, text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
    }
    objects.set(oid, node);
    return node;
  }
  const resolve = (expression: string) => tryGit('rev-parse', '--verify', '--quiet', '--end-of-options', expression)?.trim() || null;

  function comparison(base: string, headRef: string): Node | null {
    const head = resolve(`${headRef}^{commit}`);
    if (!head) return null;
    const ahead = Number(git('rev-list', '--count', `${base}..${head}`));
    const behind = Number(git('rev-list', '--count', `${head}..${base}`));
    return {
      aheadBy: ahead,
      behindBy: behind,
      status: ahead === 0 && behind === 0 ? 'IDENTICAL' : ahead === 0 ? 'BEHIND' : behind === 0 ? 'AHEAD' : 'DIVERGED',
      // GitHub lists the compared commits oldest first.
      commits: (args: { first?: number; after?: string }) => page(git('rev-list', '--reverse', `${base}..${head}`).split('\n').filter(Boolean).map(objectNode), args),
    };
  }
  const refNode = (name: string, prefix: string, oid: string): Node => ({
    name,
    prefix,
    target: () => objectNode(oid),
    compare: ({ headRef }: { headRef: string }) => comparison(oid, headRef),
  });

  const repository = (extra: Node = {}): Node => ({
    defaultBranchRef: { name: git('symbolic-ref', '--short', 'HEAD').trim() },
    refs: ({ refPrefix, ...args }: { refPrefix: string; first?: number; after?: string }) =>
      page(
        git('for-each-ref', '--format=%(refname)%00%(objectname)', refPrefix)
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [refname, oid] = line.split('\0');
            return refNode(refname.slice(refPrefix.length), refPrefix, oid);
          }),
        args,
      ),
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      const oid = resolve(qualifiedName);
      return oid ? refNode(qualifiedName.replace(/^refs\/(heads|tags)\//, ''), qualifiedName.slice(0, qualifiedName.length - qualifiedName.replace(/^refs\/(heads|tags)\//, '').length), oid) : null;
    },
    object: ({ expression, oid }: { expression?: string; oid?: string }) => {
      const found = resolve(expression ?? oid!);
      return found ? objectNode(found) : null;
    },
    ...extra,
  });

  /** GET /repos/:owner/:name/commits/:sha?per_page=&page= with GitHub's rename detection and patch format. */
  function rest(path: string): { status: number; body: unknown } {
    const url = new URL(path, 'http://stand-in');
    const match = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]{40})$/.exec(url.pathname);
    if (!match) return { status: 404, body: { message: 'Not Found' } };
    const files: Array<Record<string, unknown>> = [];
    for (const block of git('show', '--format=', '-p', '-M', '--no-color', match[1]).split(/^diff --git /m).slice(1)) {
      const lines = block.split('\n');
      const hunk = lines.findIndex((l) => l.startsWith('@@'));
      const header = hunk < 0 ? lines : lines.slice(0, hunk);
      const patchLines = hunk < 0 ? [] : lines.slice(hunk).filter((l, i, all) => !(i === all.length - 1 && l === ''));
      const from = header.find((l) => l.startsWith('rename from '))?.slice('rename from '.length);
      const to = header.find((l) => l.startsWith('rename to '))?.slice('rename to '.length);
      const plusPath = header.find((l) => l.startsWith('+++ b/'))?.slice(6);
      const minusPath = header.find((l) => l.startsWith('--- a/'))?.slice(6);
      const status = from ? 'renamed' : header.some((l) => l.startsWith('new file mode')) ? 'added' : header.some((l) => l.startsWith('deleted file mode')) ? 'removed' : 'modified';
      files.push({
        filename: to ?? plusPath ?? minusPath,
        status,
        additions: patchLines.filter((l) => l.startsWith('+')).length,
        deletions: patchLines.filter((l) => l.startsWith('-')).length,
        ...(from ? { previous_filename: from } : {}),
        ...(patchLines.length ? { patch: patchLines.join('\n') } : {}),
      });
    }
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const pageNumber = Number(url.searchParams.get('page') ?? 1);
    return { status: 200, body: { sha: match[1], files: files.slice((pageNumber - 1) * perPage, pageNumber * perPage) } };
  }

  return { repository, rest };
}
