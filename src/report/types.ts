import type { Evaluation } from '../engine/evaluate.js';
import type { RuleInfo } from '../engine/rule-info.js';
import type { Summary } from '../engine/summary.js';
import type { AnchorResolver } from './anchor.js';

/** Everything a reporter may show; reporters format it and decide nothing. */
export interface ReportInput {
  tool: { name: string; version: string };
  repository: string;
  /** Judged tags, tags left out as not releases (tags.exclude), branches, rules that applied. */
  counts: { tags: number; excludedTags: number; branches: number; rules: number };
  /** The objects judged alone (release-lint tag, pr, release, the pre-push hook); undefined for a whole check. */
  subjects?: string[];
  /** What a clean and a failing verdict say for those objects ("safe to push" / "do not push"). */
  verdict?: { pass: string; fail: string };
  evaluation: Evaluation;
  summary: Summary;
  /** Every loaded rule, also those with no findings or switched off. */
  rules: RuleInfo[];
  /** When each tag was made (Unix seconds), to list findings newest first; absent, findings keep the engine's order. */
  tagTimes?: ReadonlyMap<string, number>;
  /** Anchors findings to files of the work tree (SARIF, annotations); absent for saved snapshots without a work tree. */
  anchor?: AnchorResolver;
}

/** Which rules list every finding: the named ones (--expand <rule-id>) or all of them (--all). */
export type Expand = ReadonlySet<string> | 'all';

export interface ReportOptions {
  color: boolean;
  /** Rules listed in full; the others show their newest findings and a count. */
  expand?: Expand;
}
