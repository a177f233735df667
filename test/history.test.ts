import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommitGraph } from '../src/git/commit-graph.js';
import { setBaselines, setPublishedBefore, type AncestryOracle } from '../src/snapshot/published.js';
import { changelogEntry, revision, tag } from './helpers.js';

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
