import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { ResolvedConfig, RuleSetting, Severity } from '../config/types.js';
import { InputError } from '../errors.js';
import { readPolicyFile } from '../read-file.js';
import { packageRoot } from '../package-root.js';
import { describeSchemaError, didYouMean } from '../schema/validate.js';
import { validate as validateRuleSchema } from '../schema/generated/rule.js';
import { describeYamlError, yamlToJS } from '../yaml-errors.js';
import { YamlLocator } from '../yaml-position.js';
import { ExpressionEnvironment, ExpressionError, fromCelValue, toCelValue, type CompiledExpression } from './cel.js';
import { policyOf } from './evaluate.js';
import type { FactNeeds } from '../facts/plan.js';
import { fieldsOfFacts } from '../facts/ids.js';
import { collections, type Collection } from './collections.js';
import { compileTemplate, type CompiledTemplate } from './template.js';
import type { RuleInfo } from './rule-info.js';

/** A rule file as written (validated by schemas/rule.schema.json). */
export interface RuleFile {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  given: keyof typeof collections;
  requires?: string[];
  /** CEL over `config` and `options`: the files the rule reads at branch heads (files-at-branch-heads); absent, every one. */
  branchHeadFiles?: string[];
  /** The kinds of branch head it reads files at (production, integration, release-branch); absent, every kind. */
  branchHeads?: string[];
  options?: Record<string, { default: unknown; description: string; enum?: string[] }>;
  let?: Record<string, string>;
  when?: string;
  undecided?: { when: string; reason: string; fix: string };
  assert: Array<{ that: string; message: string }>;
  fix: string;
  target?: { name?: string };
  evidence?: Record<string, string>;
  tags?: string[];
  anchor?: string;
  examples?: { valid?: string[]; invalid?: string[] };
}

export interface CompiledRule {
  definition: RuleFile;
  file: string;
  /** Line of the `id:` key, to anchor findings that have no file of their own. */
  idLine: number;
  builtIn: boolean;
  /** Where the config sets this rule, if it does. */
  settingSource?: { file: string; line: number; column: number };
  collection: Collection;
  severity: Severity | 'off';
  options: Record<string, unknown>;
  lets: Array<{ name: string; expression: CompiledExpression }>;
  when?: CompiledExpression;
  undecided?: { when: CompiledExpression; reason: CompiledTemplate; fix: CompiledTemplate };
  assertions: Array<{ that: CompiledExpression; message: CompiledTemplate }>;
  fix: CompiledTemplate;
  /** The fix template in force: the rule file's, or the one a config or preset gives as option `fix`. */
  fixText: string;
  targetName?: CompiledTemplate;
  evidence: Array<{ name: string; expression: CompiledExpression }>;
  /** The facts the rule reads, for the run's plan. */
  needs: FactNeeds;
}

export const builtInRulesDir = join(packageRoot, 'rules');

/** A rule file's YAML with positions, for error messages. */
export interface RuleYaml {
  doc: Document;
  lineCounter: LineCounter;
  locate: YamlLocator;
}

interface ParsedRuleFile {
  file: string;
  text: string;
  definition: RuleFile;
  idLine: number;
  /** The YAML document, parsed on first use when the definition came from the build's cache. */
  yaml(): RuleYaml;
}

/** A rule file or a rule test file, parsed with positions; bad YAML is an InputError at its line and column. */
export function parseRuleYaml(file: string, text: string): RuleYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const { message, line, column } = describeYamlError(syntaxError);
    throw new InputError(`invalid YAML: ${message}`, file, line, column);
  }
  return { doc, lineCounter, locate: new YamlLocator(doc, lineCounter) };
}

/** The built-in rules as `scripts/cache-rules.ts` read them at build time, by file name. */
export interface BuiltInRuleCache {
  [fileName: string]: { text: string; definition: RuleFile; idLine: number };
}

export const builtInRuleCacheFile = join(packageRoot, 'dist', 'builtin-rules.json');
let builtInRuleCache: BuiltInRuleCache | undefined;

/**
 * A built-in rule as validated at build time, if its text has not changed since: parsing the
 * YAML of every built-in rule at every run costs more than compiling their CEL.
 */
function cachedBuiltInRule(file: string, text: string): BuiltInRuleCache[string] | undefined {
  if (builtInRuleCache === undefined) {
    try {
      builtInRuleCache = JSON.parse(readFileSync(builtInRuleCacheFile, 'utf8')) as BuiltInRuleCache;
    } catch {
      builtInRuleCache = {};
    }
  }
  const cached = builtInRuleCache[basename(file)];
  return cached?.text === text ? cached : undefined;
}

export function readRuleFile(file: string, builtIn = false): ParsedRuleFile {
  const text = readPolicyFile(file, 'rule file');
  let yaml: RuleYaml | undefined;
  const lazyYaml = () => (yaml ??= parseRuleYaml(file, text));
  const cached = builtIn ? cachedBuiltInRule(file, text) : undefined;
  if (cached) return { file, text, definition: cached.definition, idLine: cached.idLine, yaml: lazyYaml };

  const { doc, locate } = lazyYaml();
  const definition = yamlToJS(doc, text, file) as RuleFile;
  if (!validateRuleSchema(definition)) {
    const { message, path, at } = describeSchemaError(validateRuleSchema.errors!, 'the rule');
    const position = locate.position(path, at);
    throw new InputError(message, file, position.line, position.column);
  }
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (definition.id !== expectedId) {
    const position = locate.position(['id'], 'value');
    throw new InputError(`rule id "${definition.id}" must match its file name (${expectedId})`, file, position.line, position.column);
  }
  return { file, text, definition, idLine: locate.position(['id']).line, yaml: lazyYaml };
}

/**
 * Position in the file of `offset` within the CEL text held by the scalar at `path`. YAML folding
 * and quoting change only white space and quote escapes, so the expression's characters are
 * matched in the file text in order, ignoring those.
 */
function positionInScalar(parsed: ParsedRuleFile, path: (string | number)[], offset: number): { line: number; column: number } {
  const { doc, lineCounter, locate } = parsed.yaml();
  const node = doc.getIn(path, true) as YamlNode | undefined;
  if (!node || !isScalar(node) || !node.range) return locate.position(path);
  const source = String(node.value);
  let filePos = node.range[0];
  const end = node.range[1];
  for (let i = 0; i < Math.min(offset, source.length); i++) {
    const c = source[i];
    if (/\s/.test(c)) continue;
    while (filePos < end && parsed.text[filePos] !== c) filePos++;
    if (filePos < end) filePos++;
  }
  while (filePos < end && /\s/.test(parsed.text[filePos])) filePos++;
  const { line, col } = lineCounter.linePos(Math.min(filePos, end));
  return { line, column: col };
}

function compileRule(parsed: ParsedRuleFile, builtIn: boolean, setting: RuleSetting | undefined, config: ResolvedConfig, eager = !builtIn): CompiledRule {
  const { definition, file } = parsed;
  const collection = collections[definition.given];
  const declared = definition.options ?? {};
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(declared).map(([k, o]) => [k, o.default]));
  let fixOverride: string | undefined;
  for (const [key, value] of Object.entries(setting?.options ?? {})) {
    const where = setting?.source;
    // Every rule takes `fix`: a project (or a preset) words the advice for its own process.
    if (key === 'fix' && !('fix' in declared)) {
      if (typeof value !== 'string' || value.trim() === '') throw new InputError(`rule ${definition.id}: option "fix" must be a non-empty text (a template like the rule file's fix)`, where?.file, where?.line, where?.column);
      fixOverride = value;
      continue;
    }
    if (!(key in declared)) {
      const suggestion = didYouMean(key, Object.keys(declared));
      const known = Object.keys(declared);
      throw new InputError(
        `rule ${definition.id} has no option "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)'}`,
        where?.file,
        where?.line,
        where?.column,
      );
    }
    const expected = declared[key].default;
    const sameType = Array.isArray(expected) ? Array.isArray(value) : typeof value === typeof expected;
    if (!sameType) {
      throw new InputError(
        `rule ${definition.id}: option "${key}" must be ${Array.isArray(expected) ? 'a list' : `a ${typeof expected}`}, like its default ${JSON.stringify(expected)}`,
        where?.file,
        where?.line,
        where?.column,
      );
    }
    const allowed = declared[key].enum;
    if (allowed && !allowed.includes(value as string)) {
      throw new InputError(`rule ${definition.id}: option "${key}" must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`, where?.file, where?.line, where?.column);
    }
    options[key] = value;
  }

  const fail = (path: (string | number)[], error: unknown): never => {
    if (!(error instanceof ExpressionError)) throw error;
    const position = positionInScalar(parsed, path, error.offset);
    throw new InputError(`invalid CEL in ${path.join('.')}: ${error.message}`, file, position.line, position.column);
  };
  const compileAt = (env: ExpressionEnvironment, path: (string | number)[], source: string, expect?: string) => {
    try {
      return env.compile(source, expect);
    } catch (error) {
      return fail(path, error);
    }
  };
  const templateAt = (env: ExpressionEnvironment, path: (string | number)[], text: string): CompiledTemplate => {
    const compile = () => {
      try {
        return compileTemplate(env, text);
      } catch (error) {
        return fail(path, error);
      }
    };
    // A built-in rule's messages and fix were compiled when the package was built (cache-rules):
    // here they are compiled the first time a finding needs them; most rules report nothing.
    if (!eager) {
      let compiled: CompiledTemplate | undefined;
      return { render: (context) => (compiled ??= compile()).render(context) };
    }
    return compile();
  };

  // Made when a rule's expressions are first compiled: a run that never evaluates a rule never pays for it.
  let base: ExpressionEnvironment | undefined;
  const baseEnv = () => (base ??= ExpressionEnvironment.create().extend({ [collection.variable]: collection.type }, toCelValue(options) as Record<string, unknown>));
  /** The rule's expressions, compiled in order: each `let` extends what the next may use. */
  const compileBody = () => {
    let env = baseEnv();
    const when = definition.when ? compileAt(env, ['when'], definition.when, 'bool') : undefined;
    const lets: CompiledRule['lets'] = [];
    for (const [name, source] of Object.entries(definition.let ?? {})) {
      if (['snapshot', 'config', 'index', 'options', collection.variable].includes(name)) {
        const position = parsed.yaml().locate.position(['let', name]);
        throw new InputError(`let: "${name}" would hide a built-in variable`, file, position.line, position.column);
      }
      const expression = compileAt(env, ['let', name], source);
      lets.push({ name, expression });
      env = env.extend({ [name]: expression.type });
    }
    const undecided = definition.undecided
      ? {
          when: compileAt(env, ['undecided', 'when'], definition.undecided.when, 'bool'),
          reason: templateAt(env, ['undecided', 'reason'], definition.undecided.reason),
          fix: templateAt(env, ['undecided', 'fix'], definition.undecided.fix),
        }
      : undefined;
    const assertions = definition.assert.map((assertion, i) => ({
      that: compileAt(env, ['assert', i, 'that'], assertion.that, 'bool'),
      message: templateAt(env, ['assert', i, 'message'], assertion.message),
    }));
    return {
      lets,
      when,
      undecided,
      assertions,
      fix: fixOverride === undefined ? templateAt(env, ['fix'], definition.fix) : configuredFix(env, fixOverride, definition.id, setting?.source),
      targetName: definition.target?.name ? templateAt(env, ['target', 'name'], definition.target.name) : undefined,
      evidence: Object.entries(definition.evidence ?? {}).map(([name, source]) => ({ name, expression: eager ? compileAt(env, ['evidence', name], source) : lazyExpression(() => compileAt(env, ['evidence', name], source)) })),
    };
  };
  // A built-in rule was compiled when the package was built (cache-rules): here its expressions are
  // compiled when the run first evaluates it, and a rule that cannot judge the run's subjects (a
  // branch rule in release-lint tag) never is. A team's rule, or a fix a config gives, is compiled
  // now, so its mistakes are reported whatever the run.
  let body: ReturnType<typeof compileBody> | undefined = eager || fixOverride !== undefined ? compileBody() : undefined;
  const compiled = () => (body ??= compileBody());
  return {
    definition,
    file,
    idLine: parsed.idLine,
    builtIn,
    settingSource: setting?.source,
    collection,
    severity: setting?.severity ?? definition.severity,
    options,
    get lets() {
      return compiled().lets;
    },
    get when() {
      return compiled().when;
    },
    get undecided() {
      return compiled().undecided;
    },
    get assertions() {
      return compiled().assertions;
    },
    fixText: fixOverride ?? definition.fix,
    get fix() {
      return compiled().fix;
    },
    get targetName() {
      return compiled().targetName;
    },
    get evidence() {
      return compiled().evidence;
    },
    needs: { facts: [...new Set([...(definition.requires ?? []), ...(builtIn ? [] : impliedFacts(definition))])], branchHeadFiles: branchHeadFiles(definition, options, config, (path, source) => compileAt(baseEnv(), path, source)), branchHeads: definition.branchHeads },
  };
}

/**
 * Facts a team's rule reads without listing them (written before facts were planned; the built-in
 * rules list theirs, which test/rule-files checks): a
 * rule over files that names neither files fact reads them everywhere, and one whose expressions
 * mention tag messages reads those. Collecting too much is slow; collecting too little is wrong.
 */
export function impliedFacts(definition: RuleFile): string[] {
  const listed = new Set(definition.requires ?? []);
  const implied: string[] = [];
  if (['versionSources', 'changelogEntries', 'revisions'].includes(definition.given) && !['files-at-tags', 'files-at-branch-heads', 'github-contents'].some((fact) => listed.has(fact))) {
    implied.push('files-at-tags', 'files-at-branch-heads');
  }
  const sources = [
    definition.when,
    ...Object.values(definition.let ?? {}),
    ...definition.assert.flatMap((a) => [a.that, a.message]),
    definition.fix,
    ...Object.values(definition.evidence ?? {}),
    definition.undecided?.when,
    definition.undecided?.reason,
    definition.target?.name,
  ].join('\n');
  for (const [fact, fields] of Object.entries(fieldsOfFacts)) {
    if (!listed.has(fact) && fields.some((field) => new RegExp(`\\.${field}\\b`).test(sources))) implied.push(fact);
  }
  return implied;
}

/**
 * The files a rule reads at branch heads, from its `branchHeadFiles` expressions over `config` and
 * `options` (empty results dropped); undefined when the rule does not say, which means every file.
 */
function branchHeadFiles(
  definition: RuleFile,
  options: Record<string, unknown>,
  config: ResolvedConfig,
  compile: (path: (string | number)[], source: string) => CompiledExpression,
): string[] | undefined {
  if (!definition.branchHeadFiles) return undefined;
  const context = { config: toCelValue(policyOf(config)), options: toCelValue(options) };
  return definition.branchHeadFiles.flatMap((source, i) => {
    const value = fromCelValue(compile(['branchHeadFiles', i], source).evaluate(context));
    return (Array.isArray(value) ? value : [value]).filter((file): file is string => typeof file === 'string' && file !== '');
  });
}

/** A fix template from a config or preset: compiled now, so a mistake is reported at its setting. */
function configuredFix(env: ExpressionEnvironment, text: string, id: string, where: RuleSetting['source']): CompiledTemplate {
  try {
    return compileTemplate(env, text);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new InputError(`rule ${id}: invalid CEL in option "fix": ${error.message}`, where?.file, where?.line, where?.column);
  }
}

/** An expression compiled the first time it is evaluated. */
function lazyExpression(compile: () => CompiledExpression): CompiledExpression {
  let compiled: CompiledExpression | undefined;
  const get = () => (compiled ??= compile());
  return {
    get source() {
      return get().source;
    },
    get type() {
      return get().type;
    },
    evaluate: (context) => get().evaluate(context),
  };
}

function ruleFilesIn(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir);
  } catch (error) {
    throw new InputError(`rules folder cannot be read: ${(error as Error).message.split('\n')[0]}`, dir);
  }
  return names.filter(isRuleFileName).sort().map((n) => join(dir, n));
}

/** A rule file's name: `<id>.yml` (or .yaml), not its tests beside it (`<id>.test.yml`). */
export function isRuleFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !isRuleTestFileName(name);
}

/** A rule test file's name: `<id>.test.yml` (or .yaml), beside the rule file. */
export function isRuleTestFileName(name: string): boolean {
  return /\.test\.ya?ml$/.test(name);
}

/**
 * One rule file compiled on its own, every expression now (release-lint test): under `config`,
 * with `setting` as its severity and options.
 */
export function compileRuleFile(file: string, builtIn: boolean, config: ResolvedConfig, setting: RuleSetting | undefined): CompiledRule {
  return compileRule(readRuleFile(file, builtIn), builtIn, setting, config, true);
}

/**
 * Loads the built-in rules and those in `config.rulesDirs`, applies the config's severities and
 * options (plus `overrides` from the command line), and compiles every expression. Rules set
 * to `off` are still validated, so a broken rule file never hides.
 */
export function loadRules(config: ResolvedConfig, overrides: Record<string, RuleSetting> = {}, options: { eager?: boolean } = {}): CompiledRule[] {
  const parsed: Array<{ rule: ParsedRuleFile; builtIn: boolean }> = [];
  const seen = new Map<string, string>();
  for (const [dir, builtIn] of [[builtInRulesDir, true] as const, ...config.rulesDirs.map((d) => [d, false] as const)]) {
    for (const file of ruleFilesIn(dir)) {
      const rule = readRuleFile(file, builtIn);
      const previous = seen.get(rule.definition.id);
      if (previous) {
        const position = rule.yaml().locate.position(['id'], 'value');
        throw new InputError(`rule id "${rule.definition.id}" is already defined in ${previous}`, file, position.line, position.column);
      }
      seen.set(rule.definition.id, file);
      parsed.push({ rule, builtIn });
    }
  }
  const settings: Record<string, RuleSetting> = { ...config.rules };
  for (const [id, setting] of Object.entries(overrides)) settings[id] = { ...settings[id], ...setting, options: setting.options ?? settings[id]?.options };
  for (const [id, setting] of Object.entries(settings)) {
    if (!seen.has(id)) {
      const suggestion = didYouMean(id, seen.keys());
      throw new InputError(`unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, setting.source?.file, setting.source?.line, setting.source?.column);
    }
  }
  return parsed.map(({ rule, builtIn }) => compileRule(rule, builtIn, settings[rule.definition.id], config, options.eager ?? !builtIn));
}

/**
 * What the enabled rules read, for the run's plan; judging subjects of some kinds only (a tag),
 * only the rules that can judge them.
 */
export function ruleNeeds(rules: readonly CompiledRule[], subjectKinds?: ReadonlySet<string>): FactNeeds[] {
  return rules.filter((rule) => rule.severity !== 'off' && (!subjectKinds || rule.collection.subjectKinds.some((kind) => subjectKinds.has(kind)))).map((rule) => rule.needs);
}

/** A template as documentation: `${tag.name}` shown as `<tag.name>`. */
export function templateAsText(template: string): string {
  return template
    .replace(/\$\{\s*([^}]*?)\s*\}/g, (_m, source: string) => {
      // Quoting for the shell is how a name is printed, not what it is.
      const expression = /^shell\.quote\((.*)\)$/.exec(source)?.[1] ?? source;
      return `<${expression.length > 40 ? '…' : expression}>`;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** What reports and docs show about a rule. */
export function ruleInfo(rule: CompiledRule): RuleInfo {
  const d = rule.definition;
  return {
    id: d.id,
    title: d.title,
    description: d.description.trim(),
    rationale: d.rationale?.trim(),
    fix: templateAsText(rule.fixText),
    defaultSeverity: d.severity,
    severity: rule.severity,
    tags: d.tags ?? [],
    options: d.options ?? {},
    examples: d.examples,
    file: rule.file,
    idLine: rule.idLine,
    builtIn: rule.builtIn,
    settingSource: rule.settingSource,
    anchorKey: d.anchor,
  };
}
