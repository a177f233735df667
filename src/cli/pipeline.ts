/**
 * The one pipeline the judging commands go through: gather the facts (snapshot/gather), load the
 * rules, evaluate, then report (or, for `baseline`, write the baseline).
 */
import { setFlagsFromString } from 'node:v8';
import type { ResolvedConfig } from '../config/types.js';
import { readBaseline } from '../engine/baseline-file.js';
import { evaluate, type Evaluation } from '../engine/evaluate.js';
import { baselineRuleInfo, ignoreRuleInfo } from '../engine/pseudo-rules.js';
import type { RuleInfo } from '../engine/rule-info.js';
import { loadRules, ruleInfo, ruleNeeds, type CompiledRule } from '../engine/rules.js';
import { planFacts } from '../facts/plan.js';
import { errorsOnly, summarize, type Summary } from '../engine/summary.js';
import { InputError } from '../errors.js';
import { gitProcessCount } from '../sources/git/run.js';
import { toolVersion } from '../package-root.js';
import { anchorResolver } from '../report/anchor.js';
import { formatters } from '../report/formatters.js';
import { counted } from '../report/plural.js';
import { sarifCategory } from '../report/sarif.js';
import type { Expand, ReportInput } from '../report/types.js';
import { didYouMean } from '../schema/validate.js';
import type { CollectOptions } from '../facts/collect-git.js';
import { gather, openRepository, type GatherRequest, type Repository } from './gather.js';
import type { Snapshot } from '../facts/types.js';
import { startSpan, timed } from '../timings.js';
import { gatherRequest, ruleTimeout, type Invocation } from './arguments.js';
import type { Options } from './options.js';
import { useColor, write } from './output.js';

/** What a judging command asks for beyond its command line. */
export interface JudgeRequest {
  /** The objects judged alone (`tag v1.2.0`); undefined judges everything. */
  subjects?: Set<string>;
  /** What the git collector is asked for (a candidate tag, pushed tags). */
  collect?: CollectOptions;
  /** The repository and policy, when the command read them first (the hook). */
  repository?: Repository;
  /** GitHub Releases of the tags: required (release) or when GitHub can be asked (check). */
  releases?: GatherRequest['releases'];
}

/** A judged run: the command line, the facts, the rules and their evaluation. */
export interface Judged extends Invocation {
  config: ResolvedConfig;
  snapshot: Snapshot;
  root: string;
  rules: CompiledRule[];
  evaluation: Evaluation;
  subjects?: Set<string>;
}

/**
 * Gathers, loads the rules, evaluates and concludes: by default the reports and the exit code.
 * --remote goes with check only (and snapshot, which judges nothing).
 */
export async function judge(invocation: Invocation, request: JudgeRequest = {}, conclude: (judged: Judged) => number = reportTimed): Promise<number> {
  const { command, options, overrides } = invocation;
  const { subjects, collect, releases } = request;
  if (options.remote && command !== 'check') throw new InputError(`--remote works with check and snapshot, not ${command}`);
  let repository = request.repository;
  if (!options.remote && !options.snapshot) repository ??= await openRepository(gatherRequest(options));
  // The rules first: the facts gathered are those read by the rules that can judge this run's
  // subjects (the git commands a check surely needs started while the CLI loaded).
  const compiled = repository ? timed('rules (load, compile)', () => loadRules(repository!.config, overrides)) : undefined;
  // Before any fact is gathered: a mistyped --trace is known from the rules alone.
  if (compiled && options.trace !== undefined) checkTracedRule(options.trace, compiled);
  // An audit that reads the files at every tag holds tens of thousands of readings: V8 is asked to
  // keep its heap small rather than fast (a third less memory at 10,000 tags, some 10% more time).
  if (repository?.config.tags.filesAt === 'all') setFlagsFromString('--optimize-for-size');
  const subjectKinds = subjects ? new Set([...subjects].map((s) => s.slice(0, s.indexOf(' ')))) : undefined;
  const plan = compiled ? planFacts(ruleNeeds(compiled, subjectKinds)) : undefined;
  const { config, snapshot, root, cleanup } = await gather({ ...gatherRequest(options), repository, collect, releases, plan });
  try {
    const rules = compiled ?? timed('rules (load, compile)', () => loadRules(config, overrides));
    const baseline = options.baseline ? readBaseline(options.baseline) : undefined;
    const done = startSpan('evaluation');
    if (options.trace !== undefined) checkTracedRule(options.trace, rules);
    const evaluation = evaluate(rules, snapshot, config, { subjects, baseline, ruleTimeoutMs: ruleTimeout(options), trace: options.trace });
    done();
    return conclude({ ...invocation, config, snapshot, root, rules, evaluation, subjects });
  } finally {
    cleanup?.();
  }
}

function reportTimed(judged: Judged): number {
  const done = startSpan('report');
  try {
    return report(judged);
  } finally {
    done();
  }
}

/** Writes every requested format and returns the exit code. */
export function report({ command, options, outputs, config, snapshot, root, rules, evaluation, subjects, maxWarnings, started }: Judged): number {
  const summaryContext = { baseline: options.baseline !== undefined, tags: snapshot.tags };
  const summary = summarize(evaluation, summaryContext);
  // -q: every format shows errors only, its counts too; the exit code still weighs every finding.
  const shown = options.quiet ? errorsOnly(evaluation) : evaluation;
  const shownSummary: Summary = options.quiet ? { ...summarize(shown, summaryContext), quiet: true } : summary;
  const infos = [...rules.map(ruleInfo), ignoreRuleInfo(config), ...(options.baseline ? [baselineRuleInfo(config)] : [])];
  const expand = expandedRules(options, infos);
  let tagTimes: Map<string, number> | undefined;
  const input: ReportInput = {
    tool: { name: 'release-lint', version: toolVersion },
    repository: snapshot.repository.name,
    counts: { tags: snapshot.tags.filter((t) => t.judged).length, excludedTags: snapshot.repository.excludedTags, branches: snapshot.branches.length, rules: evaluation.applied.length },
    subjects: subjects ? [...subjects].map((s) => s.slice(s.indexOf(' ') + 1)) : undefined,
    verdict:
      command === 'tag' || command === 'hook'
        ? { pass: 'safe to push', fail: 'do not push' }
        : command === 'pr'
          ? { pass: 'ready to merge as far as the policy goes', fail: 'do not merge' }
          : command === 'release'
            ? { pass: 'the release is complete', fail: 'the release is incomplete' }
            : undefined,
    evaluation: shown,
    summary: shownSummary,
    rules: infos,
    // Built when a format orders findings by date (human, Markdown), not for JSON or SARIF.
    get tagTimes() {
      return (tagTimes ??= new Map(snapshot.tags.map((tag) => [tag.name, Number(tag.timestamp)])));
    },
    anchor: anchorResolver(root, config.file, infos),
  };
  for (const { format, file } of outputs) {
    const text = formatters[format](input, {
      times: { start: started, end: new Date() },
      category: sarifCategory(command, options['sarif-category']),
      color: useColor(options, file !== undefined || command === 'hook'),
      expand,
    });
    // A hook's output goes to the terminal of whoever pushed; git shows the hook's stderr.
    if (command === 'hook' && !file) write(text, '/dev/stderr');
    else write(text, file);
  }
  if (options.debug) process.stderr.write(`release-lint: ${counted(gitProcessCount(), 'git process', 'git processes')}\n`);
  if (summary.warnings > maxWarnings) process.stderr.write(`release-lint: too many warnings (${summary.warnings} > ${maxWarnings})\n`);
  const failed = summary.errors > 0 || summary.warnings > maxWarnings || (summary.inconclusive > 0 && !options['allow-inconclusive']);
  return failed ? 1 : 0;
}

/** --trace names a loaded rule. */
function checkTracedRule(id: string, rules: CompiledRule[]): void {
  const ids = rules.map((rule) => rule.definition.id);
  if (ids.includes(id)) return;
  const suggestion = didYouMean(id, ids);
  throw new InputError(`--trace names an unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; release-lint rules lists them`);
}

/** --all or --expand <rule-id>: which rules the human and Markdown reports list in full. */
function expandedRules(options: Options, infos: RuleInfo[]): Expand | undefined {
  if (options.all) return 'all';
  if (!options.expand) return undefined;
  const ids = infos.map((rule) => rule.id);
  for (const id of options.expand) {
    if (ids.includes(id)) continue;
    const suggestion = didYouMean(id, ids);
    throw new InputError(`--expand names an unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; release-lint rules lists them`);
  }
  return new Set(options.expand);
}
