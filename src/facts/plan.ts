/**
 * The plan of one run: the facts the rules it evaluates read (ids in ./ids.ts), which the
 * collectors compute and nothing else.
 */
import type { FactId } from './ids.js';

/** What a rule asks of the collectors: its facts and, at branch heads, the files it reads there. */
export interface FactNeeds {
  facts: readonly string[];
  /** Files read at branch heads; undefined: every version source and the CHANGELOG. */
  branchHeadFiles?: readonly string[];
}

/** The facts one run collects. */
export interface FactPlan {
  needs(fact: FactId): boolean;
  /** Whether `file` is read at branch heads. */
  readsAtBranchHeads(file: string): boolean;
}

/** The plan of a run that collects everything (release-lint snapshot, tests). */
export const everyFact: FactPlan = { needs: () => true, readsAtBranchHeads: () => true };

/** The plan from the needs of the rules the run evaluates. */
export function planFacts(rules: readonly FactNeeds[]): FactPlan {
  const needed = new Set<string>();
  let everyFile = false;
  const files = new Set<string>();
  for (const rule of rules) {
    for (const fact of rule.facts) needed.add(fact);
    if (!rule.facts.includes('files-at-branch-heads')) continue;
    if (rule.branchHeadFiles === undefined) everyFile = true;
    else for (const file of rule.branchHeadFiles) files.add(file);
  }
  return {
    needs: (fact) => needed.has(fact),
    readsAtBranchHeads: (file) => needed.has('files-at-branch-heads') && (everyFile || files.has(file)),
  };
}
