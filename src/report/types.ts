import type { Evaluation } from '../engine/evaluate.js';

export interface Summary {
  errors: number;
  warnings: number;
  notes: number;
  inconclusive: number;
  suppressed: number;
}

/** Everything a reporter may show; reporters format it and decide nothing. */
export interface ReportInput {
  tool: { name: string; version: string };
  repository: string;
  counts: { tags: number; branches: number; rules: number };
  /** The tags judged alone (release-lint tag, the pre-push hook); undefined for a whole check. */
  subjects?: string[];
  evaluation: Evaluation;
  summary: Summary;
}

export interface ReportOptions {
  color: boolean;
  /** Show errors only (warnings and notes are still counted). */
  quiet: boolean;
}

export function summarize(evaluation: Evaluation): Summary {
  const count = (severity: string) => evaluation.findings.filter((f) => f.severity === severity).length;
  return {
    errors: count('error'),
    warnings: count('warning'),
    notes: count('note'),
    inconclusive: evaluation.inconclusive.length,
    suppressed: evaluation.suppressed.length,
  };
}
