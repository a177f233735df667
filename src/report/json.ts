import { jsonPieces } from './escape.js';
import type { ReportInput } from './types.js';

/** The versioned JSON contract (schemas/json-output.schema.json). */
export function renderJson(input: ReportInput): string {
  return [...renderJsonPieces(input)].join('');
}

/** The JSON report in pieces, a finding at a time (see jsonPieces). */
export function renderJsonPieces(input: ReportInput): Iterable<string> {
  const { evaluation, summary } = input;
  return jsonPieces({
    version: 1,
    tool: input.tool,
    summary: {
      errors: summary.errors,
      warnings: summary.warnings,
      notes: summary.notes,
      inconclusive: summary.inconclusive,
      // Only when a --baseline file was read: 0 then means it matched nothing.
      ...(summary.baselined !== undefined ? { baselined: summary.baselined } : {}),
      ...(summary.quiet ? { quiet: true } : {}),
    },
    findings: evaluation.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      target: f.target,
      location: f.location,
      evidence: f.evidence,
      fingerprint: f.fingerprint,
      fix: f.fix,
    })),
    inconclusive: evaluation.inconclusive.map((i) => ({ ruleId: i.ruleId, target: i.target, reason: i.reason, fix: i.fix })),
    suppressed: evaluation.suppressed.map((s) => ({ ruleId: s.finding.ruleId, target: s.finding.target, fingerprint: s.finding.fingerprint, reason: s.reason })),
  }, ['findings', 'inconclusive', 'suppressed']);
}
