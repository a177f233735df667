import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { parse as parseJsonc, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError, positionOf } from '../errors.js';
import { readPolicyFile } from '../read-file.js';
import { packageRoot } from '../package-root.js';
import { describeSchemaError } from '../schema/validate.js';
import { validate as validateConfigSchema } from '../schema/generated/config.js';
import { describeYamlError, yamlToJS } from '../yaml-errors.js';
import { YamlLocator } from '../yaml-position.js';
import { normalizeSeverity, severityNames, type IgnoreEntry, type ResolvedConfig, type RuleSetting, type VersionSourceConfig, type VersionSourceFormat, defaultRefSettings } from './types.js';

const moduleName = 'releasepolicy';
/** Searched in the repository root only, in this order. */
export const configSearchPlaces = [
  'package.json',
  `.${moduleName}rc`,
  `.${moduleName}rc.json`,
  `.${moduleName}rc.yaml`,
  `.${moduleName}rc.yml`,
  `.${moduleName}rc.js`,
  `.${moduleName}rc.mjs`,
  `${moduleName}.config.js`,
  `${moduleName}.config.mjs`,
];

/** YAML and JSON both go through `yaml`, so syntax errors carry a line and column. */
function loadYamlOrJson(filepath: string, content: string): unknown {
  const doc = parseDocument(content, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { message, line, column } = describeYamlError(error);
    throw new InputError(`invalid ${extname(filepath) === '.json' ? 'JSON' : 'YAML'}: ${message}`, filepath, line, column);
  }
  return yamlToJS(doc, content, filepath, extname(filepath) === '.json' ? 'JSON' : 'YAML');
}

/**
 * A JavaScript config is a module whose default export is the config (`module.exports` for
 * CommonJS), loaded by node itself: node decides ESM or CommonJS from the extension and the
 * nearest package.json, as for any module of the project. No package is needed for it.
 */
async function loadJavaScript(file: string): Promise<unknown> {
  if (/\.[cm]?ts$/.test(file)) throw new InputError('TypeScript configs are not read; write the policy as .releasepolicyrc.yml (or releasepolicy.config.mjs)', file);
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  // Named exports alone would be read as an empty policy, silently.
  if (module.default === undefined || module.default === null) {
    throw new InputError('the config module has no default export: write export default { ... } (or module.exports = { ... })', file);
  }
  return module.default;
}

const isJavaScript = (file: string) => /\.(c?js|mjs|c?ts|mts)$/.test(file);

export interface LoadOptions {
  /** false (--no-js-config): refuse configs that are JavaScript, which would run the repository's code. */
  javascript?: boolean;
}

/** A byte order mark, which editors on Windows put at the start of JSON files and JSON.parse refuses. */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Whether a file found at one of `configSearchPlaces` holds a config, as cosmiconfig's search
 * decided: package.json only with a `releasepolicy` key; any other place always. A package.json
 * that does not parse holds the config only if its top level still shows that key (read
 * leniently), so that loading it reports the error; a broken package.json of a project without
 * the key is not taken for the config.
 */
export function holdsConfig(place: string, text: () => string): boolean {
  if (place !== 'package.json') return true;
  const content = withoutBom(text());
  try {
    const pkg: unknown = JSON.parse(content);
    return pkg !== null && typeof pkg === 'object' && !Array.isArray(pkg) && (pkg as Record<string, unknown>)[moduleName] !== undefined;
  } catch {
    const tree = parseTree(content, [], { disallowComments: false, allowTrailingComma: true });
    return tree?.type === 'object' && (tree.children ?? []).some((property) => property.children?.[0]?.value === moduleName);
  }
}

/**
 * The `releasepolicy` key of a package.json, read as npm reads the file (JSON.parse: a BOM is
 * dropped, the last of duplicate keys wins). A syntax error keeps its reason and position.
 */
function loadPackageJson(file: string, text: string): unknown {
  const content = withoutBom(text);
  let pkg: unknown;
  try {
    pkg = JSON.parse(content);
  } catch (error) {
    // JSON.parse's messages carry no reliable position; jsonc-parser's strict mode does.
    const errors: ParseError[] = [];
    parseJsonc(content, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const position = first ? positionOf(content, first.offset) : undefined;
    const reason = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : (error as Error).message.split('\n')[0];
    throw new InputError(`invalid JSON: ${reason}`, file, position?.line, position?.column);
  }
  return pkg !== null && typeof pkg === 'object' ? (pkg as Record<string, unknown>)[moduleName] : undefined;
}

/** The first of `configSearchPlaces` in `folder` that holds a config. */
function findConfigFile(folder: string): string | undefined {
  return configSearchPlaces.map((place) => join(folder, place)).find((file) => existsSync(file) && holdsConfig(basename(file), () => readPolicyFile(file, 'config file')));
}

type RawConfig = Record<string, unknown>;

interface LoadedFile {
  file: string;
  raw: RawConfig;
  /** Key path inside the file where the config starts (`releasepolicy` in package.json). */
  base: string[];
  /** Positions in the file, parsed once on first use; null for JavaScript configs. */
  locator?: YamlLocator | null;
}

async function readConfigFile(file: string, options: LoadOptions): Promise<LoadedFile> {
  if (!existsSync(file)) throw new InputError('config file not found', file);
  if (options.javascript === false && isJavaScript(file)) {
    throw new InputError('refusing a JavaScript config (--no-js-config): loading it would run code from the repository; write the policy as .releasepolicyrc.yml', file);
  }
  // Only a regular file of a bounded size is read, also when node loads it as a module.
  const text = readPolicyFile(file, 'config file');
  let config: unknown;
  try {
    if (basename(file) === 'package.json') config = loadPackageJson(file, text);
    else config = isJavaScript(file) ? await loadJavaScript(file) : loadYamlOrJson(file, text);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // A module may throw anything, null included.
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot load config: ${message.split('\n')[0]}`, file);
  }
  const raw = config as RawConfig | undefined | null;
  return { file, raw: raw ?? {}, base: basename(file) === 'package.json' ? [moduleName] : [] };
}

function positionIn(loaded: LoadedFile, path: readonly (string | number)[], at: 'key' | 'value' = 'key'): { line?: number; column?: number } {
  if (loaded.locator === undefined) {
    try {
      loaded.locator = /\.(ya?ml|json)$|rc$/.test(loaded.file) ? YamlLocator.of(withoutBom(readPolicyFile(loaded.file, 'config file'))) : null;
    } catch {
      loaded.locator = null;
    }
  }
  return loaded.locator ? loaded.locator.position([...loaded.base, ...path], at) : {};
}

function validate(loaded: LoadedFile): void {
  if (typeof loaded.raw !== 'object' || loaded.raw === null || Array.isArray(loaded.raw)) {
    throw new InputError('the config must be a mapping of keys to values', loaded.file, 1, 1);
  }
  if (!validateConfigSchema(loaded.raw)) {
    const { message, path, at } = describeSchemaError(validateConfigSchema.errors!, 'the config');
    const position = positionIn(loaded, path, at);
    throw new InputError(severityProblem(loaded.raw, path) ?? message, loaded.file, position.line, position.column);
  }
}

/** A rule severity that is none of them, named as written: `rules.x: "loud" must be one of off, note, warn, error`. */
function severityProblem(raw: RawConfig, path: string[]): string | undefined {
  const [key, id, index] = path;
  if (key !== 'rules' || id === undefined || path.length > 3 || (index !== undefined && index !== '0')) return undefined;
  const setting = (raw.rules as Record<string, unknown>)[id];
  const value = Array.isArray(setting) ? setting[0] : setting;
  // An object is the wrong shape, not a wrong word; a valid severity means the error lies elsewhere.
  if ((value !== null && typeof value === 'object') || (typeof value === 'string' && [...severityNames, 'warning'].includes(value))) return undefined;
  return `rules.${id}: ${JSON.stringify(value)} must be one of ${severityNames.join(', ')}`;
}

/** One config file's own settings, with paths made absolute and rule settings located. */
interface Layer {
  file: string;
  /** Where a key path is written in the file. */
  position(path: readonly (string | number)[]): { line?: number; column?: number };
  raw: RawConfig;
  rules: Record<string, RuleSetting>;
  rulesDirs: string[];
  ignore: IgnoreEntry[];
}

function toLayer(loaded: LoadedFile): Layer {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries((loaded.raw.rules as Record<string, unknown>) ?? {})) {
    const position = positionIn(loaded, ['rules', id]);
    const source = { file: loaded.file, line: position.line ?? 1, column: position.column ?? 1 };
    if (Array.isArray(value)) rules[id] = { severity: normalizeSeverity(value[0]), options: (value[1] as Record<string, unknown>) ?? undefined, source };
    else rules[id] = { severity: normalizeSeverity(String(value)), source };
  }
  const dir = dirname(loaded.file);
  const rulesDirs = ((loaded.raw.rulesDirs as string[]) ?? []).map((d) => resolve(dir, d));
  const ignore = ((loaded.raw.ignore as IgnoreEntry[]) ?? []).map((entry, index) => {
    const position = positionIn(loaded, ['ignore', index], 'value');
    return { ...entry, source: { file: loaded.file, line: position.line ?? 1, column: position.column ?? 1 } };
  });
  return { file: loaded.file, position: (path) => positionIn(loaded, path), raw: loaded.raw, rules, rulesDirs, ignore };
}

const presetsDir = join(packageRoot, 'presets');
const presetFile = (name: string) => join(presetsDir, `${name}.yml`);
/** What a repository without a config gets, and a config that does not say what it extends. */
export const defaultPreset = 'recommended';

function presetNames(): string[] {
  return readdirSync(presetsDir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => name.slice(0, -'.yml'.length))
    .sort();
}

async function collectLayers(file: string, chain: string[], options: LoadOptions): Promise<Layer[]> {
  if (chain.includes(file)) {
    throw new InputError(`extends cycle: ${[...chain, file].map((f) => basename(f)).join(' -> ')}`, chain[chain.length - 1]);
  }
  const loaded = await readConfigFile(file, options);
  validate(loaded);
  const extendsValue = loaded.raw.extends;
  // The project's own config builds on the default preset unless it names its bases (`extends: []`
  // for none); the files it extends do not, so a preset they follow is never undone by it.
  const implicit = extendsValue === undefined && chain.length === 0 && !file.startsWith(presetsDir);
  const parents = extendsValue === undefined ? (implicit ? [defaultPreset] : []) : Array.isArray(extendsValue) ? extendsValue : [extendsValue];
  const layers: Layer[] = [];
  for (const [index, entry] of (parents as string[]).entries()) {
    const isPath = entry.startsWith('.') || entry.includes('/') || isAbsolute(entry);
    const target = isPath ? resolve(dirname(file), entry) : presetFile(entry);
    if (!existsSync(target)) {
      const position = positionIn(loaded, Array.isArray(extendsValue) ? ['extends', index] : ['extends'], 'value');
      throw new InputError(
        isPath ? `extends: config file "${entry}" not found` : `extends: unknown preset "${entry}" (built-in presets: ${presetNames().join(', ')})`,
        file,
        position.line,
        position.column,
      );
    }
    layers.push(...(await collectLayers(target, [...chain, file], options)));
  }
  layers.push(toLayer(loaded));
  return layers;
}

const jsonSource = (file: string, pointer: string): VersionSourceConfig => ({ file, pointer, required: false, format: 'json', pattern: null, at: 'window' });
const defaultVersionSources: VersionSourceConfig[] = [
  jsonSource('package.json', '/version'),
  jsonSource('package-lock.json', '/version'),
  jsonSource('package-lock.json', '/packages//version'),
  jsonSource('.release-please-manifest.json', '/.'),
];

function defaults(): ResolvedConfig {
  return {
    file: null,
    // The same defaults the entry point guesses its early git commands from.
    remote: defaultRefSettings.remote,
    // Neutral settings, for `extends: []`; the presets say what a process adds.
    branches: { production: defaultRefSettings.production, maintenance: [], integration: null, release: null },
    tags: { prefix: defaultRefSettings.tagPrefix, exclude: [], since: null, filesAt: 'latest' },
    versions: { recoveryChannels: [] },
    versionSources: defaultVersionSources,
    changelog: 'CHANGELOG.md',
    releasePleaseConfig: 'release-please-config.json',
    releaseMetadataFiles: ['.release-please-manifest.json', 'CHANGELOG.md', 'package.json', 'package-lock.json'],
    rules: {},
    rulesDirs: [],
    ignore: [],
  };
}

/** The format a source's file name and keys imply: by extension, else JSON with a pointer, else text. */
function formatOf(source: RawVersionSource): VersionSourceFormat {
  if (source.format) return source.format;
  if (source.pattern !== undefined) return 'text';
  if (/\.ya?ml$/i.test(source.file)) return 'yaml';
  if (/\.toml$/i.test(source.file)) return 'toml';
  return source.pointer === undefined && !/\.json$/i.test(source.file) ? 'text' : 'json';
}

interface RawVersionSource {
  file: string;
  pointer?: string;
  required?: boolean;
  format?: VersionSourceFormat;
  pattern?: string;
  at?: 'window' | 'all';
}

/** A source as the collector reads it; a pointer or pattern that cannot work is refused at its line. */
function toVersionSource(source: RawVersionSource, where: () => { line?: number; column?: number }, file: string): VersionSourceConfig {
  const format = formatOf(source);
  const refuse = (message: string): never => {
    const position = where();
    throw new InputError(`versionSources: ${source.file}: ${message}`, file, position.line, position.column);
  };
  if (format === 'text') {
    if (source.pointer !== undefined) refuse('a text source is read through a pattern or Release Please\'s markers, not a pointer');
    if (source.pattern !== undefined) {
      let groups: number;
      try {
        groups = new RegExp(`${source.pattern}|`).exec('')!.length - 1;
      } catch (error) {
        return refuse(`pattern is not a valid regular expression: ${(error as Error).message}`);
      }
      if (groups !== 1) refuse(`pattern must have exactly one capture group (the version), it has ${groups}`);
    }
  } else {
    if (source.pattern !== undefined) refuse(`a pattern reads text files; a ${format} file is read at a pointer`);
    if (source.pointer === undefined) refuse(`a ${format} source needs a pointer (JSON Pointer, e.g. /version)`);
  }
  return {
    file: source.file,
    pointer: source.pointer ?? '',
    required: source.required ?? true,
    format,
    pattern: source.pattern ?? null,
    at: source.at ?? 'window',
  };
}

function apply(config: ResolvedConfig, layer: Layer): void {
  const raw = layer.raw as {
    remote?: string;
    branches?: Partial<ResolvedConfig['branches']>;
    tags?: Partial<ResolvedConfig['tags']>;
    versions?: Partial<ResolvedConfig['versions']>;
    versionSources?: RawVersionSource[];
    changelog?: string | null;
    releasePleaseConfig?: string | null;
    releaseMetadataFiles?: string[];
  };
  if (raw.remote !== undefined) config.remote = raw.remote;
  config.branches = { ...config.branches, ...raw.branches };
  config.tags = { ...config.tags, ...raw.tags };
  config.versions = { ...config.versions, ...raw.versions };
  if (raw.versionSources) config.versionSources = raw.versionSources.map((s, index) => toVersionSource(s, () => layer.position(['versionSources', index]), layer.file));
  if (raw.changelog !== undefined) config.changelog = raw.changelog;
  if (raw.releasePleaseConfig !== undefined) config.releasePleaseConfig = raw.releasePleaseConfig;
  if (raw.releaseMetadataFiles) config.releaseMetadataFiles = raw.releaseMetadataFiles;
  for (const [id, setting] of Object.entries(layer.rules)) {
    const previous = config.rules[id];
    // `[severity]` or `severity` alone keeps options set by an earlier layer, as in ESLint.
    // Options merge key by key, so a project can set one option of a rule a preset configures.
    config.rules[id] = { ...previous, ...setting, options: setting.options || previous?.options ? { ...previous?.options, ...setting.options } : undefined };
  }
  config.rulesDirs.push(...layer.rulesDirs);
  config.ignore.push(...layer.ignore);
}

/**
 * Loads `--config FILE`, or the first of `configSearchPlaces` in the repository root (never a
 * parent folder), and resolves `extends`. No file at all gives the built-in defaults.
 */
export async function loadConfig(repoRoot: string, explicitFile?: string, options: LoadOptions = {}): Promise<ResolvedConfig> {
  let file = explicitFile ? resolve(explicitFile) : undefined;
  file ??= findConfigFile(repoRoot);
  const config = defaults();
  const layers = await collectLayers(file ?? presetFile(defaultPreset), [], options);
  for (const layer of layers) apply(config, layer);
  config.file = file ?? null;
  return config;
}

/**
 * Where a top-level setting of the resolved config was written: the last file of its extends
 * chain that sets `key`, and the position of the value there. For errors found after loading,
 * when the repository is known (a `remote` no remote of the clone is called). Undefined when
 * no file sets it (a built-in default).
 */
export async function locateSetting(config: ResolvedConfig, key: string, options: LoadOptions = {}): Promise<{ file: string; line?: number; column?: number } | undefined> {
  if (!config.file) return undefined;
  const layer = (await collectLayers(config.file, [], options)).reverse().find((l) => l.raw[key] !== undefined);
  return layer && !layer.file.startsWith(presetsDir) ? { file: layer.file, ...layer.position([key]) } : undefined;
}

/** The config of a run without a config file: the default preset over the built-in defaults. */
export async function loadDefaultConfig(): Promise<ResolvedConfig> {
  const config = defaults();
  for (const layer of await collectLayers(presetFile(defaultPreset), [], {})) apply(config, layer);
  return config;
}

/**
 * `base` with a config written inside another YAML file applied over it (a rule test case's
 * `config`): validated by the config schema, errors placed at `path` in `file`. It may not extend
 * presets nor add rule folders: it adjusts one rule's policy.
 */
export function withInlineConfig(base: ResolvedConfig, raw: unknown, file: string, path: readonly (string | number)[], locator: YamlLocator): ResolvedConfig {
  const loaded: LoadedFile = { file, raw: raw as RawConfig, base: path.map(String), locator };
  validate(loaded);
  for (const key of ['extends', 'rulesDirs'] as const) {
    if (loaded.raw[key] !== undefined) {
      const position = positionIn(loaded, [key]);
      throw new InputError(`${key} has no place in a test case's config: it adjusts the policy the rule is tested under`, file, position.line, position.column);
    }
  }
  const config = structuredClone(base);
  apply(config, toLayer(loaded));
  return config;
}
