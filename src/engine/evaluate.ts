import { hash } from 'node:crypto';
import vm from 'node:vm';
import { compareNatural } from '../natural-order.js';
import { addRuleTime, now, timingsEnabled } from '../timings.js';
import type { IgnoreEntry, ResolvedConfig, Severity } from '../config/types.js';
import type { Snapshot } from '../facts/types.js';
import { fromCelValue, toCelMessageInPlace, toCelValue, withLookupIndexes } from './cel.js';
import type { Location, Target } from './collections.js';
import type { CompiledRule } from './rules.js';

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  target: Target;
  location: Location | null;
  evidence: Record<string, unknown>;
  fingerprint: string;
  fix: string;
}

export interface Inconclusive {
  ruleId: string;
  target: Target;
  reason: string;
  fix: string;
}

export interface Suppressed {
  finding: Finding;
  reason: string;
  /** What accepted the finding: an ignore entry of the config, or the --baseline file. */
  by: 'ignore' | 'baseline';
}

export interface Evaluation {
  findings: Finding[];
  inconclusive: Inconclusive[];
  suppressed: Suppressed[];
  /** Ids of the rules that applied in this run (evaluated or inconclusive). */
  applied: string[];
  /** How the rule named by EvaluateOptions.trace judged each element, when one was named. */
  trace?: RuleTrace;
}

/** What happened to one element of a traced rule. */
export interface ElementTrace {
  target: Target;
  /** skipped: its `when` was false; undecided: its `undecided.when` held; error: an expression failed. */
  outcome: 'passed' | 'failed' | 'skipped' | 'undecided' | 'error';
  /** The `let` bindings' values, in the rule's order (none when `when` skipped the element). */
  lets: Array<{ name: string; value: unknown }>;
  /** The assertion that failed (its `that` text), the undecided reason or the error. */
  detail?: string;
}

/** A rule's judgement element by element (check --trace, release-lint test). */
export interface RuleTrace {
  ruleId: string;
  elements: ElementTrace[];
  /** Why no element was judged: the rule is off, does not apply to this run, lacks facts or ran out of time. */
  notJudged?: string;
}

/** Stable identity of a finding: rule and target, never a line number. */
export function fingerprintOf(ruleId: string, target: Target): string {
  // crypto.hash: one call, without a Hash object per finding; the hex of the first 8 bytes is a
  // string of its own (a slice of the whole digest's hex would keep that alive in every finding).
  return hash('sha256', [ruleId, target.kind, target.at ? `${target.at.kind}:${target.at.name}` : '', target.name].join('\0'), 'buffer').toString('hex', 0, 8);
}

/** The config's view for rules (`config` in CEL): policy settings, no file paths. */
export function policyOf(config: ResolvedConfig): Record<string, unknown> {
  return {
    remote: config.remote,
    branches: {
      production: config.branches.production,
      maintenance: config.branches.maintenance,
      integration: config.branches.integration ?? '',
      release: config.branches.release ?? '',
    },
    tags: { prefix: config.tags.prefix, exclude: config.tags.exclude },
    versions: { recoveryChannels: config.versions.recoveryChannels },
    changelog: config.changelog ?? '',
    releaseMetadataFiles: config.releaseMetadataFiles,
  };
}

function ignoredBy(entries: IgnoreEntry[], finding: Finding, today: string): IgnoreEntry | undefined {
  if (entries.length === 0) return undefined;
  return entries.find(
    (entry) =>
      entry.rule === finding.ruleId &&
      (entry.target === finding.target.name || entry.target === finding.target.at?.name) &&
      (entry.expires === undefined || entry.expires >= today),
  );
}

/** Findings about the config's own ignore list: what ESLint does for unused disable directives. */
export const ignoreEntryRuleId = 'release-lint:ignore';

function reviewIgnoreEntries(config: ResolvedConfig, used: Set<IgnoreEntry>, judgedRules: Set<string>, today: string): Finding[] {
  const findings: Finding[] = [];
  for (const entry of config.ignore) {
    let message: string;
    if (entry.expires !== undefined && entry.expires < today) {
      message = `the ignore entry for ${entry.rule} on ${entry.target} expired on ${entry.expires}; the exception no longer applies`;
    } else if (!used.has(entry) && judgedRules.has(entry.rule)) {
      message = `the ignore entry for ${entry.rule} on ${entry.target} matches no finding; remove it`;
    } else continue;
    const target = { kind: 'config-key' as const, name: `ignore ${entry.rule} ${entry.target}` };
    findings.push({
      ruleId: ignoreEntryRuleId,
      severity: 'warning',
      message,
      target,
      location: entry.source ? { file: entry.source.file, line: entry.source.line } : null,
      evidence: { rule: entry.rule, target: entry.target, reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) },
      fingerprint: fingerprintOf(ignoreEntryRuleId, target),
      fix: entry.expires !== undefined && entry.expires < today ? 'Fix the finding, or renew the exception with a new reason and expiry date.' : 'Delete the entry from the ignore list.',
    });
  }
  return findings;
}

/** Findings about the --baseline file: entries that match no finding any more. */
export const baselineEntryRuleId = 'release-lint:baseline';

/** Accepted findings (release-lint baseline), as read from the file. */
export interface Baseline {
  file: string;
  /** Fingerprint → the rule that reported it ('' when the file does not say). */
  entries: Map<string, string>;
}

/**
 * One warning for the baseline's entries that no finding matched: the file then hides less than it
 * seems, and the next rewrite is due. Only a rule that judged every element can tell (not one that
 * was off, inconclusive or judging a single tag).
 */
function reviewBaselineEntries(baseline: Baseline, matched: Set<string>, judgedRules: Set<string>): Finding[] {
  const byRule: Record<string, number> = {};
  for (const [fingerprint, ruleId] of baseline.entries) {
    if (judgedRules.has(ruleId) && !matched.has(fingerprint)) byRule[ruleId] = (byRule[ruleId] ?? 0) + 1;
  }
  const stale = Object.values(byRule).reduce((sum, n) => sum + n, 0);
  if (stale === 0) return [];
  const target = { kind: 'config-key' as const, name: `baseline ${baseline.file}` };
  const rules = Object.entries(byRule)
    .sort((a, b) => b[1] - a[1] || compareNatural(a[0], b[0]))
    .map(([ruleId, n]) => `${ruleId} ${n}`)
    .join(', ');
  return [
    {
      ruleId: baselineEntryRuleId,
      severity: 'warning',
      message: `${stale === 1 ? '1 entry' : `${stale} entries`} of the baseline ${baseline.file} ${stale === 1 ? 'matches' : 'match'} no finding any more (${rules}): fixed, or the object is gone`,
      target,
      location: { file: baseline.file, line: null },
      evidence: { staleEntries: stale, byRule },
      fingerprint: fingerprintOf(baselineEntryRuleId, target),
      fix: `Rewrite the baseline with release-lint baseline -o ${baseline.file}; it accepts every finding of that run, so fix the new findings you do not mean to accept first.`,
    },
  ];
}

const targetKindOrder = ['repository', 'branch', 'tag', 'revision', 'version-source', 'changelog-entry', 'pr', 'pr-file', 'release', 'commit', 'workflow-step', 'config-key'];

/** The object a finding is about, for grouping: the tag or branch a file was read at, else the target. */
export function subjectOf(target: Target): { kind: string; name: string } {
  return target.at ?? target;
}

/** Deterministic order: by subject (kind, then natural name order), then target, then rule. */
export function compareFindings(a: { ruleId: string; target: Target }, b: { ruleId: string; target: Target }): number {
  const [sa, sb] = [subjectOf(a.target), subjectOf(b.target)];
  return (
    targetKindOrder.indexOf(sa.kind) - targetKindOrder.indexOf(sb.kind) ||
    compareNatural(sa.name, sb.name) ||
    targetKindOrder.indexOf(a.target.kind) - targetKindOrder.indexOf(b.target.kind) ||
    compareNatural(a.target.name, b.target.name) ||
    compareNatural(a.ruleId, b.ruleId)
  );
}

export interface EvaluateOptions {
  today?: string;
  /** Accepted findings (release-lint baseline): reported as in the baseline, not as findings. */
  baseline?: Baseline;
  /** Judge only these objects (`tag v1.2.3`): the candidate of `release-lint tag` and of the pre-push hook. */
  subjects?: Set<string>;
  /** Longest a rule may evaluate, in ms (--rule-timeout); past it, the rule is inconclusive. */
  ruleTimeoutMs?: number;
  /** Record how this rule judges each element (Evaluation.trace). */
  trace?: string;
}

export const defaultRuleTimeoutMs = 10_000;

/** Where the watchdog script finds the function to run (a new V8 context would cost milliseconds). */
const budgetKey = 'release-lint.rules-under-budget';
const budgetSlot = Symbol.for(budgetKey);
const budgetScript = new vm.Script(`globalThis[Symbol.for(${JSON.stringify(budgetKey)})]()`);

/**
 * One rule's evaluation. `judge` may run more than once (it starts afresh each time); after all
 * rules ran, `commit` hands over what a judged rule found, `stopped` reports one that was stopped.
 */
export interface RuleJob {
  ruleId: string;
  judge(): void;
  commit(): void;
  stopped(): void;
  status?: 'judged' | 'stopped';
}

/**
 * Runs the rules under vm's watchdog, which terminates the JavaScript running on this thread,
 * also inside a regular expression or a CEL comprehension, which no check between elements could
 * interrupt. A watchdog costs half a millisecond, so one serves as many rules as fit in `ms`: when
 * it fires, a rule that has run for `ms` is stopped, and one that started late is run again under
 * a fresh watchdog. Each rule thus gets its whole budget.
 */
export function runWithinBudget(jobs: RuleJob[], ms: number): void {
  const slots = globalThis as unknown as Record<symbol, (() => void) | undefined>;
  let next = 0;
  let started = 0;
  slots[budgetSlot] = () => {
    for (; next < jobs.length; next++) {
      started = now();
      jobs[next].judge();
      jobs[next].status = 'judged';
      if (timingsEnabled) addRuleTime(jobs[next].ruleId, now() - started);
    }
  };
  try {
    while (next < jobs.length) {
      try {
        budgetScript.runInThisContext({ timeout: ms });
      } catch (error) {
        if (!isTimeout(error)) throw error;
        if (now() - started >= ms) jobs[next++].status = 'stopped';
      }
    }
  } finally {
    slots[budgetSlot] = undefined;
  }
}

function isTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** The objects to judge (`tag v1.2.3`), by kind: a name is looked up as it is, without building `kind name` per element. */
type SubjectNames = Map<string, Set<string>>;

function subjectNamesOf(subjects: Set<string>): SubjectNames {
  const byKind: SubjectNames = new Map();
  for (const subject of subjects) {
    const space = subject.indexOf(' ');
    // Kinds have no space: `kind name` splits at the first one (a subject without one matches nothing, as before).
    if (space < 0) continue;
    const kind = subject.slice(0, space);
    let names = byKind.get(kind);
    if (!names) byKind.set(kind, (names = new Set()));
    names.add(subject.slice(space + 1));
  }
  return byKind;
}

function isSubject(subjects: SubjectNames, target: Target): boolean {
  const subject = subjectOf(target);
  return subjects.get(subject.kind)?.has(subject.name) === true;
}

/**
 * Whether the rule's `when` selects an element about one of `subjects`. Rules must not test facts
 * from their `requires` in `when`, so this holds even when those facts are missing; an error counts
 * as selected.
 */
function selectsASubject(rule: CompiledRule, elements: Record<string, any>[], base: Record<string, unknown>, subjects: SubjectNames): boolean {
  return elements.some((element) => {
    if (!isSubject(subjects, rule.collection.target(element))) return false;
    try {
      return !rule.when || rule.when.evaluate({ ...base, [rule.collection.variable]: element }) === true;
    } catch {
      return true;
    }
  });
}

/**
 * The `index` variable: lookups derived from the snapshot once (see indexTypes). The version lists
 * are made when a rule first reads them (judging one tag, most rules that do are not run).
 */
function indexOf(snapshot: Snapshot): { tagVersions: string[]; publishedTagVersions: string[]; newestOnReleaseLine: bigint } {
  let newestOnReleaseLine = 0;
  for (const tag of snapshot.tags) if (tag.published && tag.releaseLine !== '' && tag.timestamp > newestOnReleaseLine) newestOnReleaseLine = tag.timestamp;
  let versions: { all: string[]; published: string[] } | undefined;
  const versionsOfTags = () => {
    if (!versions) {
      const all = new Set<string>();
      const published = new Set<string>();
      for (const tag of snapshot.tags) {
        if (!tag.version.valid) continue;
        all.add(tag.version.text);
        if (tag.published) published.add(tag.version.text);
      }
      versions = { all: [...all], published: [...published] };
    }
    return versions;
  };
  const index = {} as { tagVersions: string[]; publishedTagVersions: string[]; newestOnReleaseLine: bigint };
  return Object.defineProperties(index, {
    tagVersions: { enumerable: true, get: () => versionsOfTags().all },
    publishedTagVersions: { enumerable: true, get: () => versionsOfTags().published },
    newestOnReleaseLine: { enumerable: true, value: BigInt(newestOnReleaseLine) },
  });
}

/** How an inconclusive result caused by an error in the rule's own expressions begins. */
export const evaluationErrorReason = 'the rule could not be evaluated: ';

/**
 * Evaluates every enabled rule over the elements of its collection. The snapshot's integers are
 * turned into BigInts in place (CEL's ints), so it is not copied: callers must not expect numbers after.
 */
export function evaluate(rules: CompiledRule[], snapshot: Snapshot, config: ResolvedConfig, options: EvaluateOptions = {}): Evaluation {
  // The snapshot does not change while the rules run: lookups over its lists may be indexed.
  return withLookupIndexes(() => evaluateRules(rules, snapshot, config, options));
}

function evaluateRules(rules: CompiledRule[], snapshot: Snapshot, config: ResolvedConfig, options: EvaluateOptions): Evaluation {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const subjects = options.subjects;
  const budget = options.ruleTimeoutMs ?? defaultRuleTimeoutMs;
  const subjectKinds = subjects ? new Set([...subjects].map((s) => s.split(' ')[0])) : undefined;
  const subjectNames = subjects ? subjectNamesOf(subjects) : undefined;
  const findings: Finding[] = [];
  const inconclusive: Inconclusive[] = [];
  const suppressed: Suppressed[] = [];
  // Derived before the snapshot's integers become CEL's BigInts.
  const celIndex = indexOf(snapshot);
  // Converted in place: the collections hand the same objects to targets, locations and CEL.
  const celSnapshot = toCelMessageInPlace(snapshot, 'Snapshot');
  const celConfig = toCelValue(policyOf(config));
  const unavailable = new Map(snapshot.unavailable.map((u) => [u.fact, u]));
  const collected = new Set(snapshot.collected);
  const usedIgnores = new Set<IgnoreEntry>();
  const matchedBaselineEntries = new Set<string>();
  const applied: string[] = [];
  // Rules that judged every element: an ignore entry that matches none of their findings is unused.
  const judgedRules = new Set<string>();
  const jobs: RuleJob[] = [];
  const trace: RuleTrace | undefined = options.trace === undefined ? undefined : { ruleId: options.trace, elements: [], notJudged: 'the rule is not loaded' };
  for (const rule of rules) {
    const tracing = trace !== undefined && rule.definition.id === trace.ruleId;
    if (tracing) trace.notJudged = undefined;
    if (rule.severity === 'off') {
      if (tracing) trace.notJudged = 'the rule is off';
      continue;
    }
    if (subjectKinds && !rule.collection.subjectKinds.some((kind) => subjectKinds.has(kind))) {
      if (tracing) trace.notJudged = 'the rule cannot judge the objects of this run';
      continue;
    }
    // A rule about facts this run did not set out to collect (a pull request during check) does not apply.
    const notCollected = (rule.definition.requires ?? []).filter((fact) => !collected.has(fact) && !unavailable.has(fact));
    if (notCollected.length > 0) {
      if (tracing) trace.notJudged = `the rule does not apply: this run does not collect ${notCollected.join(', ')}`;
      continue;
    }
    const ruleId = rule.definition.id;
    const severity = rule.severity;
    applied.push(ruleId);
    const ruleOptions = toCelValue(rule.options);
    const elements = rule.collection.elements(celSnapshot);
    const missing = (rule.definition.requires ?? []).map((fact) => unavailable.get(fact)).filter((u) => u !== undefined);
    if (missing.length > 0) {
      // Judging single tags, a rule that cannot be decided matters only if it would judge one of them.
      if (!subjectNames || selectsASubject(rule, elements, { snapshot: celSnapshot, config: celConfig, index: celIndex, options: ruleOptions }, subjectNames)) {
        for (const fact of missing) inconclusive.push({ ruleId, target: { kind: 'repository', name: snapshot.repository.name }, reason: fact.reason, fix: fact.fix });
      }
      if (tracing) trace.notJudged = `inconclusive: the facts ${missing.map((fact) => fact.fact).join(', ')} are missing`;
      continue;
    }
    if (!subjects) judgedRules.add(ruleId);
    // One context per rule, the element swapped in: `when` cannot see `let` bindings (the checker
    // refuses them there), so the previous element's bindings are never read.
    const context: Record<string, unknown> = { snapshot: celSnapshot, config: celConfig, index: celIndex, options: ruleOptions, [rule.collection.variable]: undefined };
    // What the rule reports is kept apart until it has finished within its time budget.
    let ruleFindings: Finding[] = [];
    let ruleInconclusive: Inconclusive[] = [];
    let ruleSuppressed: Suppressed[] = [];
    const variable = rule.collection.variable;
    // Tracing one rule: each element's outcome and `let` values (a run without --trace pays one test per element).
    let traced: ElementTrace[] = [];
    const record = (element: Record<string, any>, outcome: ElementTrace['outcome'], target: Target | undefined, detail?: string) => {
      const lets = outcome === 'skipped' ? [] : rule.lets.filter((binding) => binding.name in context).map((binding) => ({ name: binding.name, value: fromCelValue(context[binding.name]) }));
      traced.push({ target: target ?? rule.collection.target(element), outcome, lets, ...(detail === undefined ? {} : { detail }) });
    };
    const judgeElements = () => {
      [ruleFindings, ruleInconclusive, ruleSuppressed] = [[], [], []];
      traced = [];
      for (const element of elements) {
        if (element.judged === false) continue;
        if (subjectNames && !isSubject(subjectNames, rule.collection.target(element))) continue;
        context[variable] = element;
        // A traced element shows only its own bindings, not the previous element's.
        if (tracing) for (const binding of rule.lets) delete context[binding.name];
        // Named only when something is reported about the element: most elements pass.
        let target: Target | undefined;
        try {
          if (rule.when && rule.when.evaluate(context) !== true) {
            if (tracing) record(element, 'skipped', target);
            continue;
          }
          for (const binding of rule.lets) context[binding.name] = binding.expression.evaluate(context);
          if (rule.targetName) target = { ...rule.collection.target(element), name: rule.targetName.render(context) };
          if (rule.undecided && rule.undecided.when.evaluate(context) === true) {
            target ??= rule.collection.target(element);
            const reason = rule.undecided.reason.render(context);
            ruleInconclusive.push({ ruleId, target, reason, fix: rule.undecided.fix.render(context) });
            if (tracing) record(element, 'undecided', target, reason);
            continue;
          }
          let failed: CompiledRule['assertions'][number] | undefined;
          for (const assertion of rule.assertions) {
            if (assertion.that.evaluate(context) !== true) {
              failed = assertion;
              break;
            }
          }
          if (!failed) {
            if (tracing) record(element, 'passed', target);
            continue;
          }
          target ??= rule.collection.target(element);
          if (tracing) record(element, 'failed', target, failed.that.source);
          const evidence: Record<string, unknown> = {};
          for (const item of rule.evidence) evidence[item.name] = fromCelValue(item.expression.evaluate(context));
          const finding: Finding = {
            ruleId,
            severity,
            message: failed.message.render(context),
            target,
            location: rule.collection.location(element),
            evidence,
            fingerprint: fingerprintOf(ruleId, target),
            // Conditional parts of a fix template leave runs of spaces behind.
            fix: rule.fix.render(context).replace(/\s+/g, ' ').trim(),
          };
          const inBaseline = options.baseline?.entries.has(finding.fingerprint) === true;
          // An ignore entry takes precedence, but the baseline entry still matches a finding.
          if (inBaseline) matchedBaselineEntries.add(finding.fingerprint);
          const ignore = ignoredBy(config.ignore, finding, today);
          if (ignore) {
            usedIgnores.add(ignore);
            ruleSuppressed.push({ finding, reason: ignore.reason, by: 'ignore' });
          } else if (inBaseline) {
            ruleSuppressed.push({ finding, reason: `accepted in the baseline ${options.baseline!.file}`, by: 'baseline' });
          } else ruleFindings.push(finding);
        } catch (error) {
          if (isTimeout(error)) throw error;
          judgedRules.delete(ruleId);
          const reason = `${evaluationErrorReason}${(error as Error).message.split('\n')[0]}`;
          ruleInconclusive.push({ ruleId, target: target ?? rule.collection.target(element), reason, fix: `correct the rule file ${rule.file}` });
          if (tracing) record(element, 'error', target, reason);
        }
      }
    };
    jobs.push({
      ruleId,
      judge: judgeElements,
      commit: () => {
        if (tracing) trace.elements = traced;
        findings.push(...ruleFindings);
        inconclusive.push(...ruleInconclusive);
        suppressed.push(...ruleSuppressed);
      },
      stopped: () => {
        if (tracing) trace.notJudged = `the rule was stopped after its budget of ${budget} ms`;
        judgedRules.delete(ruleId);
        inconclusive.push({
          ruleId,
          target: { kind: 'repository', name: snapshot.repository.name },
          reason: `evaluating the rule took longer than its budget of ${budget} ms and was stopped (a regular expression that backtracks, or a comprehension over every pair of elements?)`,
          fix: `make the rule's expressions cheaper (${rule.file}), or raise the budget with --rule-timeout <ms>`,
        });
      },
    });
  }
  runWithinBudget(jobs, budget);
  for (const job of jobs) (job.status === 'judged' ? job.commit : job.stopped)();
  findings.push(...reviewIgnoreEntries(config, usedIgnores, judgedRules, today));
  if (options.baseline) findings.push(...reviewBaselineEntries(options.baseline, matchedBaselineEntries, judgedRules));
  findings.sort(compareFindings);
  inconclusive.sort(compareFindings);
  return { findings, inconclusive, suppressed, applied, ...(trace ? { trace } : {}) };
}
