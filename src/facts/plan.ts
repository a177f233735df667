/**
 * The plan of one run: the facts the rules it evaluates read (ids in ./ids.ts), which the
 * collectors compute and nothing else.
 */
import { branchHeadKinds, type FactId } from './ids.js';

/** What a rule asks of the collectors: its facts and, at branch heads, the files it reads there. */
export interface FactNeeds {
  facts: readonly string[];
  /** Files read at branch heads; undefined: every version source and the CHANGELOG. */
  branchHeadFiles?: readonly string[];
  /** The kinds of branch head read (production, integration, release-branch); undefined: every kind. */
  branchHeads?: readonly string[];
}

/** The facts one run collects. */
export interface FactPlan {
  needs(fact: FactId): boolean;
  /** Whether `file` is read at the heads of branches of this kind (production, integration, release-branch). */
  readsAtBranchHeads(file: string, kind: string): boolean;
}

/** The plan of a run that collects everything (release-lint snapshot, tests). */
export const everyFact: FactPlan = { needs: () => true, readsAtBranchHeads: () => true };

/** The plan from the needs of the rules the run evaluates. */
export function planFacts(rules: readonly FactNeeds[]): FactPlan {
  const needed = new Set<string>();
  // By kind of head: the files read there, or every one.
  const read = new Map<string, Set<string> | 'every'>();
  for (const rule of rules) {
    for (const fact of rule.facts) needed.add(fact);
    if (!rule.facts.includes('files-at-branch-heads')) continue;
    for (const kind of rule.branchHeads ?? branchHeadKinds) {
      const files = read.get(kind) ?? new Set<string>();
      if (files === 'every' || rule.branchHeadFiles === undefined) read.set(kind, 'every');
      else {
        for (const file of rule.branchHeadFiles) files.add(file);
        read.set(kind, files);
      }
    }
  }
  return {
    needs: (fact) => needed.has(fact),
    readsAtBranchHeads: (file, kind) => {
      const files = read.get(kind);
      return files === 'every' || files?.has(file) === true;
    },
  };
}
