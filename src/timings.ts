/**
 * RELEASE_LINT_TIMINGS=1: where a run's time went, printed on stderr at the end (like ESLint's
 * TIMING=1). Times are milliseconds since the process started (performance.now()), so start-up
 * (node and module loading) shows as the start of the first phase.
 */
import { performance } from 'node:perf_hooks';

export const timingsEnabled = process.env.RELEASE_LINT_TIMINGS === '1';

interface Span {
  name: string;
  start: number;
  end: number;
  /** Resident memory when the span ended, MiB. */
  rss: number;
}

const spans: Span[] = [];
const ruleTimes = new Map<string, number>();
let firstGitAt: number | undefined;

/** Starts a span; call the returned function when it ends. Does nothing unless timings are on. */
export function startSpan(name: string): () => void {
  if (!timingsEnabled) return noop;
  const start = performance.now();
  return () => spans.push({ name, start, end: performance.now(), rss: process.memoryUsage.rss() / 1048576 });
}

function noop(): void {}

/** Runs `work` as one span. */
export function timed<T>(name: string, work: () => T): T {
  const done = startSpan(name);
  try {
    return work();
  } finally {
    done();
  }
}

/** Marks a git process start (the first one ends start-up as the benchmarks count it). */
export function gitStarted(): void {
  if (timingsEnabled && firstGitAt === undefined) firstGitAt = performance.now();
}

/** Adds time spent in one rule's evaluation. */
export function addRuleTime(ruleId: string, ms: number): void {
  ruleTimes.set(ruleId, (ruleTimes.get(ruleId) ?? 0) + ms);
}

export const now = (): number => performance.now();

/** The report: phases in start order, then the slowest rules. `gitProcesses` is git/run's count. */
export function renderTimings(gitProcesses: number): string {
  const row = (name: string, start: string, took: string, rss = '') => `  ${name.padEnd(46)} ${start.padStart(8)} ${took.padStart(8)} ${rss.padStart(8)}`;
  const lines = ['release-lint timings (ms since the process started; RSS in MiB at the end of each phase)', row('phase', 'start', 'took', 'rss')];
  if (firstGitAt !== undefined) lines.push(row('start-up (until the first git process)', '0', firstGitAt.toFixed(1)));
  for (const span of [...spans].sort((a, b) => a.start - b.start)) lines.push(row(span.name, span.start.toFixed(1), (span.end - span.start).toFixed(1), span.rss.toFixed(0)));
  const rules = [...ruleTimes.entries()].sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) {
    lines.push(row('rule', '', 'took'));
    for (const [id, ms] of rules) lines.push(row(`  ${id}`, '', ms.toFixed(1)));
  }
  lines.push(row('total', '', performance.now().toFixed(1), (process.memoryUsage.rss() / 1048576).toFixed(0)));
  lines.push(`  git processes: ${gitProcesses}`);
  lines.push(`  peak RSS so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  return lines.join('\n') + '\n';
}
