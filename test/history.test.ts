import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommitGraph } from '../src/sources/git/commit-graph.js';
import { refCommands } from '../src/sources/git/ref-commands.js';
import { setBaselines, setPublishedBefore, type AncestryOracle } from '../src/facts/published.js';
import { changelogEntry, cli, revision, tag, tempDir } from './helpers.js';

const id = (n: number) => n.toString(16).padStart(40, '0');

/** A graph from `child: parents` lines, fed in pieces of `size` bytes. */
function graphOf(edges: Record<number, number[]>, size = 7): CommitGraph {
  const text = Object.entries(edges)
    .map(([child, parents]) => [id(Number(child)), ...parents.map(id)].join(' ') + '\n')
    .join('');
  const graph = new CommitGraph();
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) graph.feed(bytes.subarray(at, at + size));
  return graph;
}

describe('the commit graph', () => {
  //   1 - 2 - 3 - 4 - 7        main: 7
  //        \       /
  //         5 --- 6            maintenance: 6; 8 on 5 only
  //          \
  //           8
  const edges = { 7: [4, 6], 4: [3], 3: [2], 2: [1], 1: [], 6: [5], 5: [2], 8: [5] };
  const graph = graphOf(edges);
  const node = (n: number) => graph.node(id(n));

  it('reads rev-list --parents output split anywhere, each commit once', () => {
    expect(graph.size).toBe(8);
    expect(node(9)).toBe(-1);
    expect(graph.node('not an id')).toBe(-1);
    expect(graphOf(edges, 1).size).toBe(8);
  });

  it('answers ancestry, also across merges, and never for unrelated commits', () => {
    const of7 = graph.ancestryOf(node(7));
    // In turn, as a search asks: a hit stops early, a miss walks to the bottom, later ones look up.
    expect([1, 8, 5, 4, 6, 7, 9].map((n) => of7.isAncestor(node(n)))).toEqual([true, false, true, true, true, true, false]);
    expect(graph.ancestryOf(node(1)).isAncestor(node(7))).toBe(false);
    expect(graph.ancestryOf(node(6)).isAncestor(node(4))).toBe(false);
    expect(graph.ancestryOf(node(3)).isAncestor(node(3))).toBe(true);
    // Another commit's walk in between does not spoil the answers.
    const of8 = graph.ancestryOf(node(8));
    expect(of8.isAncestor(node(3))).toBe(false);
    expect(of7.isAncestor(node(8))).toBe(false);
    expect(of8.isAncestor(node(2))).toBe(true);
    expect(of7.isAncestor(node(3))).toBe(true);
  });

  it('gives each commit the first tip, in order, whose history holds it', () => {
    const holders = graph.holders([node(6), node(7), node(8)]);
    expect([1, 2, 5, 6].map((n) => holders[node(n)])).toEqual([0, 0, 0, 0]);
    expect([3, 4, 7].map((n) => holders[node(n)])).toEqual([1, 1, 1]);
    expect(holders[node(8)]).toBe(2);
    expect(Array.from(graph.holders([])).every((h) => h === -1)).toBe(true);
  });

  it('agrees with a plain walk on random histories', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 40 }), (parentChoices) => {
        // Commit i's parents are earlier commits: a random DAG.
        const parents: Record<number, number[]> = {};
        parentChoices.forEach((choices, i) => (parents[i + 1] = i === 0 ? [] : [...new Set(choices.map((c) => (c % i) + 1))]));
        const g = graphOf(parents, 13);
        const reaches = (from: number, to: number): boolean => from === to || parents[from].some((p) => reaches(p, to));
        const n = parentChoices.length;
        for (let b = 1; b <= n; b++) {
          const history = g.ancestryOf(g.node(id(b)));
          for (let a = n; a >= 1; a--) expect(history.isAncestor(g.node(id(a)))).toBe(reaches(b, a));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the graph git gives of the commits refs point at', () => {
  it('answers ancestry between them as git does, through merges no ref points at', () => {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } }).trim();
    let files = 0;
    const commit = (subject: string) => {
      execFileSync('sh', ['-c', `echo ${files++} > file-${files}`], { cwd: dir });
      git('add', '-A');
      git('commit', '-q', '-m', subject);
    };
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    commit('first');
    git('tag', 'v0.1.0');
    // A feature branch tagged once, then merged into main by a merge commit no ref points at;
    // the branch is deleted, so v1.1.0-rc.1 is reached only through the merge's second parent.
    git('checkout', '-q', '-b', 'feature');
    commit('feature work');
    git('tag', '-a', 'v1.1.0-rc.1', '-m', 'Release v1.1.0-rc.1');
    commit('more feature work');
    git('checkout', '-q', 'main');
    commit('fix on main');
    git('tag', 'v1.0.1');
    git('merge', '-q', '--no-ff', 'feature', '-m', 'merge feature');
    git('branch', '-q', '-D', 'feature');
    commit('after the merge');
    // A maintenance line forked from v1.0.1, with a tag of its own.
    git('checkout', '-q', '-b', 'release/1.0.x', 'v1.0.1');
    commit('patch');
    git('tag', '-a', 'v1.0.2', '-m', 'Release v1.0.2');
    git('checkout', '-q', 'main');
    commit('release');
    git('tag', '-a', 'v1.1.0', '-m', 'Release v1.1.0');

    const history = refCommands({ remote: 'origin', production: 'main', tagPrefix: 'v' }).history;
    const graph = new CommitGraph();
    graph.feed(execFileSync('git', history, { cwd: dir }));
    // The commit of each tag and branch: an annotated tag's peeled commit comes first.
    const tips = git('for-each-ref', '--format=%(*objectname)%(objectname)', 'refs/tags', 'refs/heads')
      .split('\n')
      .map((line) => line.slice(0, 40));
    // Only the commits refs point at, not all of the history's.
    expect(graph.size).toBeLessThan(Number(git('rev-list', '--count', '--all')));
    for (const a of tips) {
      expect(graph.node(a)).toBeGreaterThanOrEqual(0);
      const ancestry = graph.ancestryOf(graph.node(a));
      for (const b of tips) {
        let isAncestor = true;
        try {
          execFileSync('git', ['merge-base', '--is-ancestor', b, a], { cwd: dir });
        } catch {
          isAncestor = false;
        }
        expect(ancestry.isAncestor(graph.node(b)), `${b} ancestor of ${a}`).toBe(isAncestor);
      }
    }
  });
});

describe('a tag on a commit git leaves out of that graph', () => {
  it('is placed all the same: an empty root commit, which git does not count as pointed at', () => {
    const dir = tempDir();
    const work = `${dir}/work`;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', '-b', 'main', work]);
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    git('commit', '-q', '--allow-empty', '-m', 'Initial commit');
    git('tag', '-a', 'v0.1.0', '-m', 'Release v0.1.0');
    execFileSync('sh', ['-c', 'echo 1 > file'], { cwd: work });
    git('add', 'file');
    git('commit', '-q', '-m', 'feat: first feature');
    git('tag', '-a', 'v0.2.0', '-m', 'Release v0.2.0');
    execFileSync('git', ['clone', '-q', '--bare', work, `${dir}/origin.git`]);
    git('remote', 'add', 'origin', `${dir}/origin.git`);
    git('fetch', '-q', 'origin');
    const snapshot = JSON.parse(cli(['snapshot', '-C', work]).stdout);
    const placed = Object.fromEntries(snapshot.tags.map((t: { name: string; releaseLine: string }) => [t.name, t.releaseLine]));
    expect(placed).toEqual({ 'v0.2.0': 'main', 'v0.1.0': 'main' });
    const entry = snapshot.revisions.find((r: { name: string }) => r.name === 'main');
    expect(entry.publishedAncestor).toBe('0.2.0');
  });
});

describe('what follows from the published tags', () => {
  it('keeps version order per major.minor line', () => {
    const tags = [
      tag('v1.51.3', { timestamp: 1 }),
      tag('v1.52.0', { timestamp: 2 }),
      tag('v1.51.4', { timestamp: 3 }),
      tag('v1.53.0', { timestamp: 4 }),
      tag('v1.52.0-rc.9', { timestamp: 5 }),
      tag('v0.12.0-preview.8', { timestamp: 6 }),
      tag('v0.13.0-preview.0', { timestamp: 7 }),
      tag('v0.12.0-preview.9', { timestamp: 8 }),
      tag('v1.50.0', { timestamp: 9 }),
      tag('v1.54.0', { timestamp: 10, published: false }),
      tag('v1.55.0', { timestamp: 11 }),
    ];
    setPublishedBefore(tags);
    const before = Object.fromEntries(tags.map((t) => [t.name, t.publishedBefore]));
    expect(before).toEqual({
      'v1.51.3': '',
      'v1.52.0': '1.51.3',
      // A patch of the 1.51 line after 1.52.0: compared with its own line.
      'v1.51.4': '1.51.3',
      'v1.53.0': '1.52.0',
      'v1.52.0-rc.9': '1.52.0',
      'v0.12.0-preview.8': '1.53.0',
      'v0.13.0-preview.0': '1.53.0',
      'v0.12.0-preview.9': '0.12.0-preview.8',
      // The first tag of a line is compared with everything published before it.
      'v1.50.0': '1.53.0',
      'v1.54.0': '1.53.0',
      // Not published: it does not count for what follows.
      'v1.55.0': '1.53.0',
    });
  });

  it('finds each baseline: the latest dated before, and the previous release in the entry\'s history', async () => {
    // v13.0.0 descends from v12.6.0; v12.6.3 sits on a 12.x branch and was tagged just before v13.0.0.
    const tags = [
      tag('v13.0.0', { commit: 'c13', timestamp: 50 }),
      tag('v12.6.3', { commit: 'c1263', timestamp: 49 }),
      tag('v12.6.0', { commit: 'c1260', timestamp: 10 }),
      tag('v13.0.0-rc.1', { commit: 'crc', timestamp: 40 }),
      tag('v12.5.0', { commit: 'c1250', timestamp: 5 }),
    ];
    const ancestors: Record<string, string[]> = { c13: ['c1260', 'c1250', 'crc'], main: ['c13', 'c1260', 'c1250', 'crc'] };
    const asked: number[] = [];
    const oracle: AncestryOracle = {
      async firstAncestors(searches) {
        asked.push(searches.length);
        return searches.map(({ of, candidates, from }) => candidates.findIndex((c, i) => i >= from && (of.commit === c || (ancestors[of.commit] ?? []).includes(c))));
      },
    };
    const main = revision('production', 'main');
    main.commit = 'main';
    const entry = changelogEntry(main, '13.0.0', 'v12.6.0');
    const problem = await setBaselines(tags, [entry], [main], (e) => ({ commit: 'c13', ref: 'refs/tags/v13.0.0', timestamp: 50 }), () => 'refs/heads/main', oracle);
    expect(problem).toBeUndefined();
    expect(entry.baselines).toEqual({ latest: '13.0.0-rc.1', latestStable: '12.6.3', ancestor: '13.0.0-rc.1', ancestorStable: '12.6.0' });
    expect(main.publishedAncestor).toBe('13.0.0');
    // One question for every search at once: the entry's two, the branch head's one.
    expect(asked).toEqual([3]);
  });

  it('reports an oracle that cannot tell as unavailable, never as an empty baseline', async () => {
    const unavailable = { fact: 'tag-ancestry', reason: 'too many', fix: 'clone' };
    const entry = changelogEntry(revision('production', 'main'), '1.1.0', 'v1.0.0');
    const problem = await setBaselines([tag('v1.1.0'), tag('v1.0.0')], [entry], [], () => ({ commit: 'x', ref: '', timestamp: 9e9 }), () => '', { firstAncestors: async () => unavailable });
    expect(problem).toEqual(unavailable);
  });
});
