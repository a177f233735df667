import { subjectOf, type Evaluation } from './evaluate.js';

/** The counts of an evaluation: what a run's exit code and every report's totals are made of. */
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
  /** -q left warnings and notes out of the report and of these counts. */
  quiet?: true;
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

/** The evaluation as -q shows it: error findings (and suppressed errors); inconclusive rules still fail the run, so they stay. */
export function errorsOnly(evaluation: Evaluation): Evaluation {
  return {
    ...evaluation,
    findings: evaluation.findings.filter((finding) => finding.severity === 'error'),
    suppressed: evaluation.suppressed.filter((suppressed) => suppressed.finding.severity === 'error'),
  };
}
