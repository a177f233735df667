/**
 * Our compile/evaluate interface over the CEL implementation (@marcbachmann/cel-js). Nothing
 * outside this file imports the library, so it can be replaced.
 */
import { Environment } from '@marcbachmann/cel-js';
import picomatch from 'picomatch';
import { parseSemver, type SemVer } from '../semver-cache.js';
import { configTypes, fieldType, indexTypes, snapshotTypes } from '../facts/model.js';

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** Character offset in the expression where the problem is. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

export interface CompiledExpression {
  readonly source: string;
  /** The CEL type the checker inferred (`bool`, `string`, `list<string>`, ...). */
  readonly type: string;
  evaluate(context: Record<string, unknown>): unknown;
}

/** Namespace objects: cel-js has no dotted function names, so `semver.x()` is a method on a constant. */
class SemverNamespace {}
class ShellNamespace {}

/**
 * `text` as one shell word: bare when every character is plain, in double quotes when the rest
 * is only spaces (a message like "Release v1.2.3"), else in single quotes, which the shell reads
 * literally (`'` itself as '\''). A tag named `v1;rm -rf ~` can then be pasted safely.
 */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./,:@%+-]+$/.test(text)) return text;
  if (/^[A-Za-z0-9_./,:@%+ #=-]+$/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const globCache = new Map<string, (text: string) => boolean>();
function globMatch(text: string, pattern: string): boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    globCache.set(pattern, matcher);
  }
  return matcher(text);
}

function compareVersions(a: string, b: string): number {
  const [va, vb] = [parseSemver(a), parseSemver(b)];
  if (va && vb) return va.compare(vb);
  return (va === null) === (vb === null) ? 0 : va ? 1 : -1;
}

function semverLine(v: string): string {
  const parsed = parseSemver(v);
  return parsed ? `${parsed.major}.${parsed.minor}` : '';
}

/** Each list's valid versions sorted highest first, parsed once per list (a rule asks for every CHANGELOG entry). */
const sortedLists = new WeakMap<readonly string[], SemVer[]>();

/** The highest valid version of `list` lower than `below`; with `prereleases` false, stable versions only. */
function maxBelow(list: readonly string[], below: string, prereleases: boolean): string {
  const limit = parseSemver(below);
  if (!limit) return '';
  let sorted = sortedLists.get(list);
  if (!sorted) {
    sorted = list.map(parseSemver).filter((v): v is SemVer => v !== null);
    sorted.sort((a, b) => b.compare(a));
    sortedLists.set(list, sorted);
  }
  // Binary search for the first version below the limit, then the first stable one if asked.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].compare(limit) < 0) high = middle;
    else low = middle + 1;
  }
  for (let i = low; i < sorted.length; i++) if (prereleases || sorted[i].prerelease.length === 0) return sorted[i].version;
  return '';
}

/** Each list's highest version, computed once per list (a fix may ask for it at every finding). */
const maxima = new WeakMap<readonly string[], string>();
function maxOf(list: readonly string[]): string {
  let best = maxima.get(list);
  if (best === undefined) {
    best = '';
    for (const v of list) if (parseSemver(v) !== null && (best === '' || compareVersions(v, best) > 0)) best = v;
    maxima.set(list, best);
  }
  return best;
}

/** The namespace constants rules call helpers on (`semver.gt(a, b)`), by the name rules use. */
const namespaces = { semver: SemverNamespace, shell: ShellNamespace } as const;

/**
 * A helper function rules may call: how the CEL environment declares and runs it, and how
 * docs/rule-language.md documents it. One entry per function, so the reference cannot miss one;
 * a test evaluates every example and compares it with its documented result.
 */
export interface HelperFunction {
  /** The cel-js declaration; a namespace helper is a method of its constant's type (`SemverNamespace.valid(string): bool`). */
  readonly declaration: string;
  /** The implementation: the receiver first for a string method, the arguments alone for a namespace helper. */
  readonly call: (...args: any[]) => unknown;
  readonly description: string;
  /** A CEL expression calling the helper, and its result as JSON. */
  readonly example: { readonly expression: string; readonly result: unknown };
}

export const helperFunctions: readonly HelperFunction[] = [
  {
    declaration: 'SemverNamespace.valid(string): bool',
    call: (version: string) => parseSemver(version) !== null && !version.startsWith('v'),
    description: 'the text is a valid semantic version (no leading `v`)',
    example: { expression: "semver.valid('v1.2.3')", result: false },
  },
  {
    declaration: 'SemverNamespace.compare(string, string): int',
    call: (a: string, b: string) => BigInt(compareVersions(a, b)),
    description: '-1, 0 or 1 by semver precedence (invalid versions sort lowest). It skips a leading `v`, as do the other comparisons, `line`, `max` and `maxBelow` (`v2.0.0` compares as 2.0.0), although `valid` refuses one',
    example: { expression: "semver.compare('1.2.3-rc.1', '1.2.3')", result: -1 },
  },
  {
    declaration: 'SemverNamespace.lt(string, string): bool',
    call: (a: string, b: string) => compareVersions(a, b) < 0,
    description: 'the first version is lower by semver precedence (numbers compare as numbers)',
    example: { expression: "semver.lt('1.9.0', '1.10.0')", result: true },
  },
  {
    declaration: 'SemverNamespace.lte(string, string): bool',
    call: (a: string, b: string) => compareVersions(a, b) <= 0,
    description: 'the first version is lower or equal by semver precedence',
    example: { expression: "semver.lte('1.2.3', '1.2.3')", result: true },
  },
  {
    declaration: 'SemverNamespace.gt(string, string): bool',
    call: (a: string, b: string) => compareVersions(a, b) > 0,
    description: 'the first version is higher by semver precedence (a release is above its prereleases)',
    example: { expression: "semver.gt('1.2.3', '1.2.3-rc.2')", result: true },
  },
  {
    declaration: 'SemverNamespace.gte(string, string): bool',
    call: (a: string, b: string) => compareVersions(a, b) >= 0,
    description: 'the first version is higher or equal by semver precedence (numeric prerelease identifiers compare as numbers)',
    example: { expression: "semver.gte('1.2.3-rc.10', '1.2.3-rc.9')", result: true },
  },
  {
    declaration: 'SemverNamespace.eq(string, string): bool',
    call: (a: string, b: string) => compareVersions(a, b) === 0,
    description: 'equal by semver precedence: build metadata is ignored',
    example: { expression: "semver.eq('1.2.3', '1.2.3+build.5')", result: true },
  },
  {
    declaration: 'SemverNamespace.line(string): string',
    call: (version: string) => semverLine(version),
    description: 'the major.minor line of a version (a leading `v` is skipped), "" when it is not one',
    example: { expression: "semver.line('1.82.3-rc.1')", result: '1.82' },
  },
  {
    declaration: 'SemverNamespace.max(list<string>): string',
    call: (list: string[]) => maxOf(list),
    description: 'the highest version of the list, as the list writes it (a leading `v` is skipped for the comparison), "" when it has none',
    example: { expression: "semver.max(['1.2.3', 'nightly', '1.10.0'])", result: '1.10.0' },
  },
  {
    declaration: 'SemverNamespace.maxBelow(list<string>, string, bool): string',
    call: (list: string[], below: string, prereleases: boolean) => maxBelow(list, below, prereleases),
    description: 'the highest version of the list lower than the second argument, prereleases included when the third is true, written without a leading `v`; "" when there is none (sorted once per list, then a binary search)',
    example: { expression: "semver.maxBelow(['1.2.0', '1.3.0-rc.1', '1.3.0'], '1.3.0', false)", result: '1.2.0' },
  },
  {
    declaration: 'ShellNamespace.quote(string): string',
    call: (text: string) => shellQuote(text),
    description:
      'the text as one word for a POSIX shell, for names in fix commands: unchanged when it needs no quotes (`v1.2.3`), in double quotes when only spaces need them (`Release v1.2.3`), else in single quotes. Quote every tag and branch name a fix puts in a command: git accepts names like `v1$(id)`',
    example: { expression: "shell.quote('v1;rm -rf ~')", result: "'v1;rm -rf ~'" },
  },
  {
    declaration: 'string.lines(): list<string>',
    call: (text: string) => {
      const lines = text.split('\n').map((l) => l.trimEnd());
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines;
    },
    description: 'the lines of a text, trailing white space and a final empty line removed',
    example: { expression: "'Release 1.2.3  \\nrecovery-issue: #12\\n'.lines()", result: ['Release 1.2.3', 'recovery-issue: #12'] },
  },
  {
    declaration: 'string.matchesGlob(string): bool',
    call: (text: string, pattern: string) => globMatch(text, pattern),
    description: 'glob match of a path or branch name (`*` stops at `/`, `**` does not)',
    example: { expression: "'release/1.82.x'.matchesGlob('release/*')", result: true },
  },
  {
    declaration: 'string.versionTokens(): list<string>',
    call: (text: string) => [...text.matchAll(/(?<![0-9A-Za-z.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)/g)].map((m) => m[1]),
    description: 'the version numbers in a text, without a leading v',
    example: { expression: "'release 0.6.6-preview (v1.2.3)'.versionTokens()", result: ['0.6.6-preview', '1.2.3'] },
  },
  {
    declaration: 'string.toKebabCase(): string',
    call: (text: string) =>
      text
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .replace(/[_\s]+/g, '-')
        .toLowerCase(),
    description: '`prereleaseType` and `prerelease_type` become `prerelease-type` (for "did you mean" messages)',
    example: { expression: "'prereleaseType'.toKebabCase()", result: 'prerelease-type' },
  },
];

/** A helper's signature as rules write it: `semver.valid(string) -> bool`, `string.lines() -> list<string>`. */
export function helperSignature(helper: Pick<HelperFunction, 'declaration'>): string {
  let signature = helper.declaration.replace(/\): /, ') -> ');
  for (const [constant, type] of Object.entries(namespaces)) if (signature.startsWith(`${type.name}.`)) signature = constant + signature.slice(type.name.length);
  return signature;
}

/**
 * The namespace helpers whose arguments are all strings, by constant and name: the direct reading
 * calls them itself (its operand count is the function's length), the same functions as CEL.
 */
const helpersOfStrings: Record<string, Record<string, { call: (...args: string[]) => unknown }>> = {};
for (const helper of helperFunctions) {
  const [constant, rest] = helperSignature(helper).split('.', 2);
  const parameters = /^(\w+)\(([^)]*)\)/.exec(rest);
  if (!(constant in namespaces) || !parameters || !parameters[2].split(', ').every((p) => p === 'string')) continue;
  (helpersOfStrings[constant] ??= {})[parameters[1]] = { call: helper.call };
}

function registerTypes(env: Environment, types: Record<string, Record<string, string | [string, string]>>): void {
  for (const [name, fields] of Object.entries(types)) {
    env.registerType(name, { fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldType(f)])) });
  }
}

function baseEnvironment(): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false, limits: { maxAstNodes: 5000, maxDepth: 100 } });
  registerTypes(env, snapshotTypes);
  registerTypes(env, configTypes);
  registerTypes(env, indexTypes);
  env.registerVariable('snapshot', 'Snapshot');
  env.registerVariable('index', 'SnapshotIndex');
  env.registerVariable('config', 'PolicyConfig');
  for (const [constant, type] of Object.entries(namespaces)) {
    env.registerType(type.name, type);
    env.registerConstant(constant, type.name, new type());
  }
  for (const helper of helperFunctions) {
    // A namespace helper is a method of the constant: cel-js passes the constant first.
    const inNamespace = Object.values(namespaces).some((type) => helper.declaration.startsWith(`${type.name}.`));
    env.registerFunction(helper.declaration, inNamespace ? (_: unknown, ...args: unknown[]) => helper.call(...args) : helper.call);
  }
  return env;
}

let sharedBase: Environment | undefined;

/**
 * The functions the environment has beyond CEL's own, as cel-js declares them: what rules can
 * call that the CEL specification does not define (a test checks the reference documents each).
 */
export function registeredHelperDeclarations(): string[] {
  const standard = new Set(new Environment().getDefinitions().functions.map((f) => f.signature));
  sharedBase ??= baseEnvironment();
  return sharedBase
    .getDefinitions()
    .functions.map((f) => f.signature)
    // Registering a type adds its conversion, type(X): type; that is no helper.
    .filter((signature) => !standard.has(signature) && !/^type\(\w+\): type$/.test(signature));
}

export function celTypeOfValue(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' && Number.isInteger(value)) return 'int';
  if (typeof value === 'number') return 'double';
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return 'list<string>';
  if (Array.isArray(value)) return 'list<dyn>';
  return 'dyn';
}

/**
 * Deep copy with every integer as BigInt (CEL ints are BigInt in cel-js). Objects shared in the
 * input (a revision referenced by thousands of readings) stay shared in the copy.
 */
export function toCelValue(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(toCelValue(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = toCelValue(v, seen);
  return out;
}

/** Per message type, the fields that hold integers or other messages holding some: the only ones to visit. */
type ConversionStep = { field: string; kind: 'int' } | { field: string; kind: 'message' | 'messages'; plan: ConversionStep[] };
const conversionPlans = new Map<string, ConversionStep[]>();

function conversionPlan(typeName: string): ConversionStep[] {
  let plan = conversionPlans.get(typeName);
  if (!plan) {
    plan = [];
    for (const [field, declared] of Object.entries(snapshotTypes[typeName])) {
      const type = fieldType(declared);
      const listOf = /^list<(.+)>$/.exec(type)?.[1];
      // A message without integers anywhere in it (Tagger, UnavailableFact) is not visited.
      if (type === 'int') plan.push({ field, kind: 'int' });
      else if (type in snapshotTypes) {
        const inner = conversionPlan(type);
        if (inner.length > 0) plan.push({ field, kind: 'message', plan: inner });
      } else if (listOf !== undefined && listOf in snapshotTypes) {
        const inner = conversionPlan(listOf);
        if (inner.length > 0) plan.push({ field, kind: 'messages', plan: inner });
      } else if (!['string', 'bool', 'list<string>'].includes(type)) throw new Error(`no CEL conversion for ${typeName}.${field} (${type})`);
    }
    conversionPlans.set(typeName, plan);
  }
  return plan;
}

/** BigInts of the small integers (version numbers, line numbers), made once: each BigInt() is a new heap object. */
const smallBigInts: bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

function celInt(value: number): bigint {
  return value >= 0 && value < smallBigInts.length && Number.isInteger(value) ? smallBigInts[value] : BigInt(value);
}

/**
 * Like toCelValue, but for a value of a snapshot type and in place: the snapshot of a large
 * repository is held once, not twice. The type says which fields can hold integers, so strings
 * and booleans, most of a snapshot, are never visited. Converting is idempotent (BigInts stay
 * BigInts), so an object shared by several parents (a revision read by several readings) is
 * merely visited again; the types nest without cycles, so no set of visited objects is needed,
 * which for 100,000 tags would hold half a million entries.
 */
export function toCelMessageInPlace<T>(value: T, typeName: string): T {
  convertInPlace(value, conversionPlan(typeName));
  return value;
}

function convertInPlace(value: unknown, plan: ConversionStep[]): void {
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const step of plan) {
    const field = record[step.field];
    if (step.kind === 'int') {
      if (typeof field === 'number') record[step.field] = Number.isInteger(field) ? celInt(field) : field;
    } else if (step.kind === 'message') convertInPlace(field, step.plan);
    else if (Array.isArray(field)) for (const item of field) convertInPlace(item, step.plan);
  }
}

/** Back to plain JSON: BigInt to number, CEL wrapper objects and Maps to plain objects. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromCelValue(v)]));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCelValue(v);
    return out;
  }
  return value;
}

let typeCounter = 0;

/**
 * A CEL environment with the snapshot types, `snapshot`, `config`, the helpers, and whatever
 * variables a rule adds (its element, `options`, its `let` bindings).
 */
export class ExpressionEnvironment {
  private constructor(private readonly env: Environment) {}

  static create(): ExpressionEnvironment {
    sharedBase ??= baseEnvironment();
    return new ExpressionEnvironment(sharedBase);
  }

  /** A child environment with more variables; `options` values declare an options type. */
  extend(variables: Record<string, string>, options?: Record<string, unknown>): ExpressionEnvironment {
    const child = this.env.clone();
    if (options) {
      const typeName = `RuleOptions${++typeCounter}`;
      child.registerType(typeName, { fields: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, celTypeOfValue(v)])) });
      child.registerVariable('options', typeName);
    }
    for (const [name, type] of Object.entries(variables)) child.registerVariable(name, type);
    return new ExpressionEnvironment(child);
  }

  /** Parses and type-checks; `expect` requires a result type (e.g. `bool`). */
  compile(source: string, expect?: string, { directReading = true }: { directReading?: boolean } = {}): CompiledExpression {
    let parsed: ReturnType<Environment['parse']>;
    try {
      parsed = this.env.parse(source);
    } catch (error) {
      throw toExpressionError(error);
    }
    const check = parsed.check();
    if (!check.valid) throw toExpressionError(check.error);
    checkConstantPatterns((parsed as { ast?: unknown }).ast);
    const type = String(check.type);
    if (expect && type !== expect) {
      throw new ExpressionError(`the expression must be of type ${expect}, but it is of type ${type}`, 0);
    }
    const evaluate = (context: Record<string, unknown>) => parsed(context);
    const direct = directReading ? withDirectReading((parsed as { ast?: unknown }).ast, type, evaluate) : undefined;
    return { source, type, evaluate: direct ?? evaluate };
  }
}

const jsTypeOfCel: Record<string, string> = { string: 'string', bool: 'boolean', int: 'bigint' };

type Evaluate = (context: Record<string, unknown>) => unknown;

/** What the direct reading cannot decide: the CEL evaluator decides. */
const undecided = Symbol('undecided');
type Direct = (context: Record<string, unknown>) => unknown;

/** The library's syntax tree, as far as the direct reading needs it (checkedType is set by the checker). */
interface SyntaxNode {
  op: string;
  args: unknown;
  /** Offset of the node in the expression. */
  start?: number;
  checkedType?: { name?: string };
}

/** The JS type a checked node of a scalar CEL type must have at run time, as the evaluator insists. */
const scalarTypeOf = (node: SyntaxNode): string | undefined => jsTypeOfCel[node.checkedType?.name ?? ''];

const isNode = (value: unknown): value is SyntaxNode => typeof value === 'object' && value !== null && typeof (value as SyntaxNode).op === 'string';
const scalar = (value: unknown) => typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint';

/**
 * A direct reading of the commonest expressions, which a rule evaluates for each of ten thousand
 * tags: field paths (`tag.annotated`), equality of strings, booleans and ints
 * (`tag.remoteObject == tag.object`), `!`, `c ? a : b`, the semver helpers over strings
 * (`semver.gt(a, b)`), `contains`/`startsWith`/`endsWith`, string concatenation, ordering of ints
 * and of strings, `in` a list of strings, `list.exists`, and `&&`/`||` over those
 * (`tag.releaseLine != '' || <anything>`: when the left side decides, as CEL's short-circuit
 * does, the right is never evaluated). Whatever the reading cannot decide (a missing field, a
 * value not of its declared type, a Map, any other operator) goes to the CEL evaluator, so
 * results and errors are always the evaluator's.
 */
function readDirectly(node: SyntaxNode): Direct | undefined {
  const args = node.args;
  switch (node.op) {
    case 'value':
      return scalar(args) ? () => args : undefined;
    case 'id':
      return typeof args === 'string' ? (context) => (Object.hasOwn(context, args) ? context[args] : undecided) : undefined;
    case '.': {
      if (!Array.isArray(args) || !isNode(args[0]) || typeof args[1] !== 'string') return undefined;
      const object = readDirectly(args[0]);
      const name = args[1];
      if (!object) return undefined;
      const scalar = scalarTypeOf(node);
      return (context) => {
        const value = object(context);
        if (value === null || typeof value !== 'object' || value instanceof Map || !Object.hasOwn(value, name)) return undecided;
        const field = (value as Record<string, unknown>)[name];
        return scalar === undefined || typeof field === scalar ? field : undecided;
      };
    }
    case '!_': {
      const operand = isNode(args) ? readDirectly(args) : undefined;
      if (!operand) return undefined;
      return (context) => {
        const value = operand(context);
        return typeof value === 'boolean' ? !value : undecided;
      };
    }
    case '==':
    case '!=': {
      if (!Array.isArray(args) || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const [left, right] = [readDirectly(args[0]), readDirectly(args[1])];
      if (!left || !right) return undefined;
      const equal = node.op === '==';
      return (context) => {
        const a = left(context);
        const b = right(context);
        return scalar(a) && typeof a === typeof b ? (a === b) === equal : undecided;
      };
    }
    case '&&':
    case '||': {
      if (!Array.isArray(args) || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const left = readDirectly(args[0]);
      if (!left) return undefined;
      const right = readDirectly(args[1]);
      const decisive = node.op === '||';
      return (context) => {
        const a = left(context);
        if (a === decisive) return decisive;
        if (!right || a !== !decisive) return undecided;
        const b = right(context);
        return typeof b === 'boolean' ? b : undecided;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      // Ordering of two ints or two strings (`t.timestamp < tag.timestamp`): CEL's overloads compare with JS's operators.
      if (!Array.isArray(args) || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const [left, right] = [readDirectly(args[0]), readDirectly(args[1])];
      const compare = orderings[node.op];
      if (!left || !right) return undefined;
      return (context) => {
        const a = left(context);
        const b = right(context);
        return (typeof a === 'bigint' || typeof a === 'string') && typeof a === typeof b ? compare(a as string, b as string) : undecided;
      };
    }
    case '+': {
      // Concatenation of strings (fix texts are built of it); a list or an int sum goes to the evaluator.
      if (scalarTypeOf(node) !== 'string' || !Array.isArray(args) || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const [left, right] = [readDirectly(args[0]), readDirectly(args[1])];
      if (!left || !right) return undefined;
      return (context) => {
        const a = left(context);
        if (typeof a !== 'string') return undecided;
        const b = right(context);
        return typeof b === 'string' ? a + b : undecided;
      };
    }
    case 'in': {
      // A string in a list of strings (`tag.version.channel in config.versions.recoveryChannels`).
      if (!Array.isArray(args) || !isNode(args[0]) || !isNode(args[1])) return undefined;
      const [item, list] = [readDirectly(args[0]), readDirectly(args[1])];
      if (!item || !list) return undefined;
      return (context) => {
        const value = item(context);
        const values = list(context);
        if (typeof value !== 'string' || !Array.isArray(values)) return undecided;
        for (const v of values) {
          if (typeof v !== 'string') return undecided;
          if (v === value) return true;
        }
        return false;
      };
    }
    case '?:': {
      if (!Array.isArray(args) || !args.every(isNode)) return undefined;
      const [condition, then, otherwise] = args.map((arg) => readDirectly(arg as SyntaxNode));
      if (!condition) return undefined;
      return (context) => {
        const chosen = condition(context);
        const branch = chosen === true ? then : chosen === false ? otherwise : undefined;
        return branch ? branch(context) : undecided;
      };
    }
    case 'rcall': {
      if (!Array.isArray(args) || typeof args[0] !== 'string' || !isNode(args[1])) return undefined;
      // text.contains(part) and its kin: the same on well-formed strings in JS as in CEL.
      const stringTest = stringTests[args[0]];
      if (stringTest && Array.isArray(args[2]) && args[2].length === 1 && isNode(args[2][0])) {
        const [text, part] = [readDirectly(args[1]), readDirectly(args[2][0])];
        if (!text || !part) return undefined;
        return (context) => {
          const [a, b] = [text(context), part(context)];
          return typeof a === 'string' && typeof b === 'string' ? stringTest(a, b) : undecided;
        };
      }
      // list.exists(x, predicate): the predicate read directly, element by element.
      if (args[0] === 'exists') return readExists(args[1], args[2]);
      // semver.gt(a, b), shell.quote(s) and the like: a constant namespace, a helper over strings.
      if (args[1].op !== 'id' || typeof args[1].args !== 'string') return undefined;
      const namespace = args[1].args;
      const helpers = Object.hasOwn(helpersOfStrings, namespace) ? helpersOfStrings[namespace] : undefined;
      const helper = helpers && Object.hasOwn(helpers, args[0]) ? helpers[args[0]].call : undefined;
      const operands = Array.isArray(args[2]) && args[2].every(isNode) ? args[2].map((arg) => readDirectly(arg as SyntaxNode)) : [];
      if (!helper || operands.length !== helper.length || operands.some((o) => !o)) return undefined;
      if (operands.length === 1) {
        const [operand] = operands as Direct[];
        return (context) => {
          if (Object.hasOwn(context, namespace)) return undecided;
          const value = operand(context);
          return typeof value === 'string' ? helper(value) : undecided;
        };
      }
      return (context) => {
        if (Object.hasOwn(context, namespace)) return undecided;
        const values = operands.map((operand) => operand!(context));
        return values.every((v) => typeof v === 'string') ? helper(...(values as string[])) : undecided;
      };
    }
    default:
      return undefined;
  }
}

/**
 * `list.exists(x, predicate)` over a list, the predicate read directly with `x` bound to each
 * element in turn (`snapshot.tags.exists(t, t.name == source.at.name)` in a fix): true at the first
 * element it holds for, false when it holds for none. An element the reading cannot decide leaves
 * the whole to the evaluator, whose rules for errors in a quantifier then apply.
 */
function readExists(receiver: SyntaxNode, macroArgs: unknown): Direct | undefined {
  if (!Array.isArray(macroArgs) || macroArgs.length !== 2 || !isNode(macroArgs[0]) || !isNode(macroArgs[1])) return undefined;
  const [variable, predicateNode] = macroArgs as [SyntaxNode, SyntaxNode];
  if (variable.op !== 'id' || typeof variable.args !== 'string') return undefined;
  const name = variable.args;
  const list = readDirectly(receiver);
  const predicate = readDirectly(predicateNode);
  if (!list || !predicate) return undefined;
  const lookup = keyedLookup(predicateNode, name);
  return (context) => {
    const elements = list(context);
    if (!Array.isArray(elements)) return undecided;
    // The iteration variable shadows a variable of the same name, as in CEL.
    const scope: Record<string, unknown> = { ...context };
    // Only the elements whose field equals the key can satisfy `t.field == key && ...`.
    const candidates = lookup ? lookup(elements, context) : undefined;
    for (const element of candidates ?? elements) {
      scope[name] = element;
      const held = predicate(scope);
      if (held === true) return true;
      if (held !== false) return undecided;
    }
    return false;
  };
}

/**
 * Per evaluation (see withLookupIndexes), each list's elements by the text at a path of fields:
 * `snapshot.tags.exists(t, t.name == source.at.name && ...)` in a fix then looks up the tags of
 * that name instead of reading a hundred thousand. Null when an element is not a plain object
 * with a string at that path: its comparison might not be false, so the list is read in full.
 * A number counts the lookups so far, before the list is worth indexing.
 */
let lookupIndexes: WeakMap<readonly unknown[], Map<string, Map<string, unknown[]> | null | number>> | undefined;

/** Lookups of a list by a path that read it in full before it is indexed: an index costs about ten reads. */
const readsBeforeIndex = 8;

/** Runs `work` with lookup indexes, which hold only while the snapshot does not change: one evaluation. */
export function withLookupIndexes<T>(work: () => T): T {
  const outer = lookupIndexes;
  lookupIndexes = new WeakMap();
  try {
    return work();
  } finally {
    lookupIndexes = outer;
  }
}

/** An object as JSON.parse and object literals make them: what the evaluator reads fields of as the snapshot's messages. */
const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

function indexBy(elements: readonly unknown[], path: string[]): Map<string, unknown[]> | null {
  let byPath = lookupIndexes!.get(elements);
  if (!byPath) lookupIndexes!.set(elements, (byPath = new Map()));
  const key = path.join('.');
  const known = byPath.get(key);
  if (known === null || known instanceof Map) return known;
  // A list looked up a few times (a finding or two) is read in full, not indexed.
  const reads = known ?? 0;
  if (reads < readsBeforeIndex) {
    byPath.set(key, reads + 1);
    return null;
  }
  let index: Map<string, unknown[]> | null = new Map();
  for (const element of elements) {
    let value: unknown = element;
    for (const field of path) value = isPlainObject(value) && Object.hasOwn(value, field) ? value[field] : undefined;
    if (typeof value !== 'string') {
      index = null;
      break;
    }
    const same = index.get(value);
    if (same) same.push(element);
    else index.set(value, [element]);
  }
  byPath.set(key, index);
  return index;
}

/**
 * For a predicate that is a conjunction (`a && b && ...`, or a single term) with a term
 * `x.path == key` (key not naming x), the elements that can satisfy it, in list order. For any
 * other element that term compares two different strings, false, and a conjunction with a false
 * term is false in CEL whatever the others give (even an error); so exists() depends on those
 * elements only. Undefined when that cannot be shown.
 */
function keyedLookup(predicate: SyntaxNode, name: string): ((elements: readonly unknown[], context: Record<string, unknown>) => unknown[] | undefined) | undefined {
  const terms: SyntaxNode[] = [];
  let node = predicate;
  while (node.op === '&&' && Array.isArray(node.args) && isNode(node.args[0]) && isNode(node.args[1])) {
    terms.unshift(node.args[1]);
    node = node.args[0];
  }
  terms.unshift(node);
  const pathOf = (term: SyntaxNode): string[] | undefined => {
    const path: string[] = [];
    let at = term;
    while (at.op === '.' && Array.isArray(at.args) && isNode(at.args[0]) && typeof at.args[1] === 'string') {
      path.unshift(at.args[1]);
      at = at.args[0];
    }
    return path.length > 0 && at.op === 'id' && at.args === name ? path : undefined;
  };
  for (const term of terms) {
    if (term.op !== '==' || !Array.isArray(term.args) || !isNode(term.args[0]) || !isNode(term.args[1])) continue;
    const [left, right] = term.args as [SyntaxNode, SyntaxNode];
    const leftPath = pathOf(left);
    const [path, keyNode] = leftPath ? [leftPath, right] : [pathOf(right), left];
    if (!path || names(keyNode, name)) continue;
    const key = readDirectly(keyNode);
    if (!key) continue;
    return (elements, context) => {
      if (!lookupIndexes) return undefined;
      const value = key(context);
      if (typeof value !== 'string') return undefined;
      const index = indexBy(elements, path);
      return index ? (index.get(value) ?? []) : undefined;
    };
  }
  return undefined;
}

/** Whether the expression mentions the identifier anywhere. */
function names(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((item) => names(item, name));
  if (!isNode(node)) return false;
  if (node.op === 'id' && node.args === name) return true;
  return names(node.args, name);
}

const orderings: Record<string, (a: string | bigint, b: string | bigint) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const stringTests: Record<string, ((text: string, part: string) => boolean) | undefined> = {
  contains: (text, part) => text.includes(part),
  startsWith: (text, part) => text.startsWith(part),
  endsWith: (text, part) => text.endsWith(part),
};

/** The expression read directly where it can be, else by the CEL evaluator. */
function withDirectReading(ast: unknown, type: string, evaluate: Evaluate): Evaluate | undefined {
  const jsType = jsTypeOfCel[type];
  const direct = jsType && isNode(ast) ? readDirectly(ast) : undefined;
  if (!direct) return undefined;
  return (context) => {
    const value = direct(context);
    return typeof value === jsType ? value : evaluate(context);
  };
}

/**
 * What is wrong with a regular expression for `matches()`, or undefined: it must compile, and it
 * must not use what RE2 (the dialect CEL specifies) lacks: backreferences and lookarounds, which
 * are also what makes JavaScript's engine backtrack without end.
 */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (error) {
    const reason = (error as Error).message.split(': ').pop();
    return `${JSON.stringify(pattern)} is not a valid regular expression: ${reason}`;
  }
  const unsupported = (what: string) => `${JSON.stringify(pattern)} uses ${what}, which RE2 (CEL's regular expression dialect) does not have`;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return unsupported(`a backreference (\\${next})`);
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return unsupported('a named backreference (\\k<…>)');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === '=' || pattern[i + 2] === '!') return unsupported(`a lookahead ((?${pattern[i + 2]}…))`);
      if (pattern[i + 2] === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!')) return unsupported(`a lookbehind ((?<${pattern[i + 3]}…))`);
    }
  }
  return undefined;
}

/** The text of a constant string expression: a literal, or literals joined with `+`. */
function constantString(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.op === 'value') return typeof node.args === 'string' ? node.args : undefined;
  if (node.op !== '+' || !Array.isArray(node.args)) return undefined;
  const [left, right] = node.args.map(constantString);
  return left !== undefined && right !== undefined ? left + right : undefined;
}

/** Refuses, when the rule loads, a `matches()` whose constant pattern would fail or misbehave at each element. */
function checkConstantPatterns(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) checkConstantPatterns(item);
    return;
  }
  if (!isNode(node)) return;
  const args = node.args;
  if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(args) && args[0] === 'matches') {
    const callArgs = node.op === 'rcall' ? args[2] : args[1];
    const patternNode = Array.isArray(callArgs) ? callArgs[callArgs.length - 1] : undefined;
    const pattern = constantString(patternNode);
    const problem = pattern === undefined ? undefined : regexProblem(pattern);
    if (problem) throw new ExpressionError(`matches(): ${problem}`, (patternNode as SyntaxNode).start ?? node.start ?? 0);
  }
  checkConstantPatterns(args);
}

function toExpressionError(error: unknown): ExpressionError {
  const e = error as { message?: string; range?: { start?: number }; node?: { pos?: number } } | undefined;
  const summary = (e?.message ?? String(error)).split('\n')[0];
  return new ExpressionError(summary, e?.range?.start ?? 0);
}
