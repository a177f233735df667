import { subjectOf, type Evaluation } from '../engine/evaluate.js';
import type { AnchorResolver } from './anchor.js';

/** What reporters show about a rule: its file's documentation and its effective settings. */
export interface RuleInfo {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  /** The fix template, with ${...} shown as <...>. */
  fix: string;
  defaultSeverity: 'error' | 'warning' | 'note';
  severity: 'error' | 'warning' | 'note' | 'off';
  tags: string[];
  options: Record<string, { default: unknown; description: string; enum?: string[] }>;
  examples?: { valid?: string[]; invalid?: string[] };
  file: string;
  idLine: number;
  builtIn: boolean;
  /** Where the config sets this rule, if it does. */
  settingSource?: { file: string; line: number; column: number };
  /** The config key that owns the rule's facts (`tags.prefix`). */
  anchorKey?: string;
}

export interface Summary {
  errors: number;
  warnings: number;
  notes: number;
  inconclusive: number;
  /** Findings an ignore entry of the config suppressed. */
  suppressed: number;
  /** Findings the --baseline file accepted; absent when no baseline was given. */
  baselined?: number;
  /**
   * Findings about tags dated before the newest published tag: history that cannot be changed,
   * which a first run on an old repository is mostly about. Absent when no tag is published.
   */
  historical?: { findings: number; newestPublishedTag: string };
}

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
  /** Show errors only (warnings and notes are still counted). */
  quiet: boolean;
  /** Rules listed in full; the others show their newest findings and a count. */
  expand?: Expand;
}

/** What a summary needs besides the evaluation: whether a baseline was read, and the tags with their dates. */
export interface SummaryContext {
  baseline?: boolean;
  /** Snapshot tags; their timestamps may already be CEL's BigInts (evaluate converts in place). */
  tags?: ReadonlyArray<{ name: string; timestamp: number | bigint; published: boolean }>;
}

export function summarize(evaluation: Evaluation, context: SummaryContext = {}): Summary {
  const count = (severity: string) => evaluation.findings.filter((f) => f.severity === severity).length;
  const summary: Summary = {
    errors: count('error'),
    warnings: count('warning'),
    notes: count('note'),
    inconclusive: evaluation.inconclusive.length,
    suppressed: evaluation.suppressed.filter((s) => s.by === 'ignore').length,
  };
  if (context.baseline) summary.baselined = evaluation.suppressed.filter((s) => s.by === 'baseline').length;
  let newest: { name: string; time: number } | undefined;
  const times = new Map<string, number>();
  for (const tag of context.tags ?? []) {
    const time = Number(tag.timestamp);
    times.set(tag.name, time);
    if (tag.published && (!newest || time > newest.time)) newest = { name: tag.name, time };
  }
  if (newest) {
    const before = newest.time;
    const findings = evaluation.findings.filter((f) => {
      const subject = subjectOf(f.target);
      return subject.kind === 'tag' && (times.get(subject.name) ?? Infinity) < before;
    }).length;
    summary.historical = { findings, newestPublishedTag: newest.name };
  }
  return summary;
}
