/**
 * The config `release-lint init` writes: the preset whose process the history shows, the branch
 * names, tag families and version files the repository actually has, each with a comment saying
 * what it was read from. A pure function of what the repository holds (no git here: the caller
 * surveys the refs), so that the first `check` is right and quiet.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { pointerOf } from '../json-pointer.js';
import { readJsonPointers, readTomlPointers, readYamlPointers } from './version-files.js';
import type { RepositorySurvey, SurveyedTag } from './survey.js';

/** What the config writer uses of the survey of the refs (facts/survey.ts). */
export type RefSurvey = Omit<RepositorySurvey, 'tags'> & { tags: Array<Omit<SurveyedTag, 'commit' | 'annotated'>> };

export interface InitialConfigOptions {
  /** `$schema` for editors: a path relative to the repository root, or a URL. */
  schema: string;
}

interface Line {
  text: string;
  /** What the value was detected from. */
  why?: string;
}

const semverCore = /^v?\d+\.\d+\.\d+/;
const recoveryLine = /^recovery-release:\s*true\s*$/m;
/** Folders that hold long-lived branches releases are tagged on; a feature branch is never a release line. */
const lineFolders = /^(release|releases|hotfix|hotfixes|maintenance|support|stable|lts|prerelease|backport)\/$/;

/**
 * The family a release line's branch belongs to, as a glob: `release/1.82.x` → `release/*.x`,
 * `release/v0.12.0-preview.9-pr-1` → `release/v*`, `12.x` → `*.x`, `release-1.4` → `release-*`.
 * Undefined for names that do not say they are a line (feature/x, Release Please's PR branch).
 */
export function branchFamily(name: string): string | undefined {
  const slash = name.lastIndexOf('/');
  const prefix = name.slice(0, slash + 1);
  const last = name.slice(slash + 1);
  const versioned = /^v?\d+\.(\d+|x)/.test(last);
  if (prefix !== '' && !versioned && !lineFolders.test(prefix)) return undefined;
  if (/^v?\d+(\.\d+)*\.x$/.test(last)) return `${prefix}${last.startsWith('v') ? 'v' : ''}*.x`;
  if (/^v\d/.test(last)) return `${prefix}v*`;
  if (/^\d/.test(last)) return `${prefix}[0-9]*`;
  const named = /^([a-z]+)-v?\d+\.(\d+|x)/.exec(last);
  if (named) return `${prefix}${named[1]}-*`;
  return prefix !== '' ? `${prefix}*` : undefined;
}

function readText(root: string, file: string): string | undefined {
  try {
    const path = join(root, file);
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function readJson(root: string, file: string): Record<string, unknown> | undefined {
  const text = readText(root, file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const stringAt = (value: unknown, ...path: string[]): string | undefined => {
  let at: unknown = value;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'string' ? at : undefined;
};

/**
 * Walks the folders under `start` (hidden ones and node_modules skipped), at most `maxDepth` deep:
 * `visit` sees each entry and returns true to stop descending there.
 */
function walkFolders(root: string, start: string, maxDepth: number, visit: (path: string, isFolder: boolean) => boolean): void {
  const walk = (dir: string, depth: number) => {
    if (depth > maxDepth) return;
    let entries: string[];
    try {
      entries = readdirSync(join(root, dir)).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = dir ? `${dir}/${name}` : name;
      const isFolder = statSync(join(root, path)).isDirectory();
      if (!visit(path, isFolder) && isFolder) walk(path, depth + 1);
    }
  };
  walk(start, 1);
}

/** Folders matching a workspace glob (`packages/*`, `apps/*`), two levels deep at most. */
function expandWorkspace(root: string, glob: string): string[] {
  const pattern = glob.replace(/\/+$/, '').replace(/^\.\//, '');
  if (!pattern.includes('*')) return [pattern];
  const matches = picomatch(pattern);
  const found: string[] = [];
  walkFolders(root, '', 2, (path, isFolder) => isFolder && matches(path) && found.push(path) > 0);
  return found;
}

/** Helm charts under the usual folders, at most four levels down. */
function findCharts(root: string): string[] {
  const charts: string[] = [];
  for (const top of ['deploy', 'charts', 'chart', 'helm']) {
    if (!existsSync(join(root, top))) continue;
    walkFolders(root, top, 4, (path, isFolder) => !isFolder && path.endsWith('/Chart.yaml') && charts.push(path) > 0);
  }
  return charts;
}

/** `$.version` / `$.a.b` → `/version` / `/a/b`; undefined for paths a JSON Pointer cannot say. */
function jsonPathToPointer(path: string): string | undefined {
  const match = /^\$((?:\.[A-Za-z0-9_-]+)+)$/.exec(path.trim());
  return match ? pointerOf(match[1].split('.').slice(1)) : undefined;
}

interface Source {
  file: string;
  pointer?: string;
  why: string;
  required?: boolean;
}

/** The version at `pointer` of a JSON, YAML or TOML file of the work tree, read as the collector reads it. */
async function versionAt(root: string, file: string, pointer: string): Promise<string | undefined> {
  const text = readText(root, file);
  if (text === undefined) return undefined;
  const read = /\.toml$/.test(file)
    ? readTomlPointers(text, [pointer], (await import('smol-toml')).parse)
    : /\.ya?ml$/.test(file)
      ? readYamlPointers(text, [pointer])
      : readJsonPointers(text, [pointer]);
  const value = read.get(pointer);
  return value?.found ? value.value : undefined;
}

/** Version files that carry the release version, and the Release Please extra-files. */
async function versionSources(root: string, notes: string[]): Promise<Source[]> {
  const sources: Source[] = [];
  const rootPackage = readJson(root, 'package.json');
  const manifest = readJson(root, '.release-please-manifest.json');
  const rootVersion = await versionAt(root, 'package.json', '/version');
  const cargoVersion = await versionAt(root, 'Cargo.toml', '/package/version');
  const pyprojectPointer = (await versionAt(root, 'pyproject.toml', '/project/version')) !== undefined ? '/project/version' : (await versionAt(root, 'pyproject.toml', '/tool/poetry/version')) !== undefined ? '/tool/poetry/version' : undefined;
  const release = rootVersion ?? (await versionAt(root, '.release-please-manifest.json', '/.')) ?? cargoVersion;

  if (rootVersion !== undefined) sources.push({ file: 'package.json', pointer: '/version', why: 'has a version' });
  if ((await versionAt(root, 'package-lock.json', '/version')) !== undefined) sources.push({ file: 'package-lock.json', pointer: '/version', why: 'the lock file records the root version' });
  if ((await versionAt(root, 'package-lock.json', '/packages//version')) !== undefined) sources.push({ file: 'package-lock.json', pointer: '/packages//version', why: 'and again for the root package' });
  // Workspace packages released in lockstep with the root carry its version.
  const workspaces = rootPackage?.workspaces;
  const globs = Array.isArray(workspaces) ? workspaces : Array.isArray((workspaces as { packages?: unknown })?.packages) ? (workspaces as { packages: unknown[] }).packages : ['packages/*'];
  for (const folder of [...new Set(globs.filter((g): g is string => typeof g === 'string').flatMap((g) => expandWorkspace(root, g)))].sort()) {
    const file = posix.join(folder, 'package.json');
    const version = await versionAt(root, file, '/version');
    if (version !== undefined && version === release) sources.push({ file, pointer: '/version', why: `a workspace package at the release version ${release}` });
  }
  if (manifest) {
    for (const [key, value] of Object.entries(manifest)) {
      if (typeof value !== 'string') continue;
      if (key === '.' || value === release) sources.push({ file: '.release-please-manifest.json', pointer: pointerOf([key]), why: `Release Please's manifest (${key})` });
    }
  }
  if (cargoVersion !== undefined) sources.push({ file: 'Cargo.toml', pointer: '/package/version', why: 'has [package] version' });
  if (pyprojectPointer) sources.push({ file: 'pyproject.toml', pointer: pyprojectPointer, why: `has ${pyprojectPointer.slice(1).replace(/\//g, '.')}` });
  for (const chart of findCharts(root)) {
    const chartVersion = await versionAt(root, chart, '/version');
    const appVersion = await versionAt(root, chart, '/appVersion');
    // A chart released with the app shares its major.minor; an independently versioned one does not.
    const line = (version: string | undefined) => /^(\d+\.\d+)\./.exec(version ?? '')?.[1];
    if (line(chartVersion) !== undefined && line(chartVersion) === line(release)) sources.push({ file: chart, pointer: '/version', why: 'a Helm chart released with the app' });
    if (appVersion === release) sources.push({ file: chart, pointer: '/appVersion', why: `the chart's appVersion` });
  }
  // Release Please's extra-files, per package (paths relative to the package) and at the top.
  const rpConfig = readJson(root, 'release-please-config.json');
  if (rpConfig) {
    const packages = (rpConfig.packages ?? {}) as Record<string, Record<string, unknown>>;
    const entries: Array<[string, unknown]> = [];
    for (const entry of (rpConfig['extra-files'] as unknown[]) ?? []) entries.push(['.', entry]);
    for (const [path, settings] of Object.entries(packages)) for (const entry of (settings?.['extra-files'] as unknown[]) ?? []) entries.push([path, entry]);
    for (const [packagePath, entry] of entries) {
      const relative = typeof entry === 'string' ? entry : stringAt(entry, 'path');
      if (!relative) continue;
      const file = relative.startsWith('/') ? relative.slice(1) : posix.normalize(posix.join(packagePath, relative));
      if (sources.some((s) => s.file === file && s.pointer === undefined)) continue;
      const type = typeof entry === 'string' ? 'generic' : (stringAt(entry, 'type') ?? 'generic');
      if (type === 'generic') sources.push({ file, why: 'a Release Please extra-file, read through its x-release-please markers' });
      else if (['json', 'yaml', 'toml'].includes(type)) {
        const pointer = jsonPathToPointer(stringAt(entry, 'jsonpath') ?? '');
        if (pointer) sources.push({ file, pointer, why: `a Release Please extra-file (${type}, ${stringAt(entry, 'jsonpath')})` });
        else notes.push(`# Not read: the extra-file ${file} (jsonpath ${JSON.stringify(stringAt(entry, 'jsonpath'))} has no JSON Pointer equivalent).`);
      } else notes.push(`# Not read: the extra-file ${file} (type ${type}).`);
    }
  }
  return sources;
}

const quote = (value: string) => (/^[\w./-]+$/.test(value) && !/^(null|true|false|yes|no|on|off|~)$/i.test(value) ? value : JSON.stringify(value));

function sourceLine(source: Source): Line {
  const fields = [`file: ${quote(source.file)}`];
  if (source.pointer !== undefined) fields.push(`pointer: ${source.pointer === '' ? '""' : quote(source.pointer)}`);
  return { text: `  - { ${fields.join(', ')} }`, why: source.why };
}

/** Tag families that are not releases, when the repository has them. */
function excludedFamilies(prefix: string, tags: RefSurvey['tags']): Line[] {
  const names = tags.map((t) => t.name).filter((n) => n.startsWith(prefix));
  const families: Array<[string, RegExp, string]> = [
    [`${prefix}*-nightly*`, /-nightly/, 'nightly builds'],
    [`${prefix}*-canary*`, /-canary/, 'canary builds'],
    [`${prefix}*-dev.*`, /-dev\./, 'development builds'],
    [`${prefix}*-snapshot*`, /-snapshot/i, 'snapshot builds'],
    [`${prefix}*+*`, /\+/, 'build metadata'],
  ];
  const lines: Line[] = [];
  for (const [glob, test, what] of families) {
    const count = names.filter((n) => test.test(n)).length;
    if (count > 0) lines.push({ text: `    - ${JSON.stringify(glob)}`, why: `${count} tag${count === 1 ? '' : 's'} of ${what}` });
  }
  // Test tags at 0.0.x, next to real releases above them.
  const zero = names.filter((n) => n.slice(prefix.length).startsWith('0.0.'));
  if (zero.length > 0 && names.some((n) => semverCore.test(n.slice(prefix.length)) && !n.slice(prefix.length).startsWith('0.0.'))) {
    lines.push({ text: `    - ${JSON.stringify(`${prefix}0.0.*`)}`, why: `${zero.length} test tag${zero.length === 1 ? '' : 's'} at 0.0.x beside real releases` });
  }
  return lines;
}

/** The config text for the repository at `root`, from its surveyed refs. */
export async function initialConfig(root: string, refs: RefSurvey, options: InitialConfigOptions): Promise<string> {
  const prefix = refs.tags.some((t) => /^v\d/.test(t.name)) || !refs.tags.some((t) => /^\d/.test(t.name)) ? 'v' : '';
  const releaseTags = refs.tags.filter((t) => t.name.startsWith(prefix) && semverCore.test(t.name.slice(prefix.length)));

  // Recovery releases: channels of the tags whose message says so.
  const recoveryTags = releaseTags.filter((t) => recoveryLine.test(t.message));
  const recoveryChannels = [...new Set(recoveryTags.map((t) => /-([A-Za-z]+)\.\d+$/.exec(t.name)?.[1]).filter((c): c is string => c !== undefined))].sort();
  // The Aegis process: develop integration plus release/<version> branches, or recovery tags.
  const hasDevelop = refs.remoteBranches.includes('develop');
  const versionBranches = refs.remoteBranches.filter((b) => /^release\/\d+\.\d+\.\d+/.test(b));
  const aegis = recoveryTags.length > 0 || (hasDevelop && versionBranches.length > 0);
  const aegisWhy = [recoveryTags.length > 0 ? `${recoveryTags.length} tag message${recoveryTags.length === 1 ? '' : 's'} with recovery-release: true` : '', hasDevelop && versionBranches.length > 0 ? `develop and release/<version> branches (${versionBranches.slice(0, 3).join(', ')})` : '']
    .filter(Boolean)
    .join('; ');

  // Release lines: the branch families that hold release tags production does not.
  const lineCounts = new Map<string, Set<string>>();
  for (const tag of releaseTags) {
    if (tag.onProduction) continue;
    for (const branch of tag.heldBy) {
      const family = branchFamily(branch);
      if (family === undefined) continue;
      if (aegis && family === 'release/[0-9]*' && versionBranches.includes(branch)) continue;
      lineCounts.set(family, (lineCounts.get(family) ?? new Set()).add(tag.name));
    }
  }
  const maintenance = [...lineCounts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const onProduction = releaseTags.filter((t) => t.onProduction).length;

  const notes: string[] = [];
  const sources = await versionSources(root, notes);
  const has = (file: string) => readText(root, file) !== undefined;
  const changelog = has('CHANGELOG.md') ? 'CHANGELOG.md' : null;
  const rpConfig = has('release-please-config.json') ? 'release-please-config.json' : null;
  const metadata = [...new Set([...(has('.release-please-manifest.json') ? ['.release-please-manifest.json'] : []), ...(changelog ? [changelog] : []), ...sources.map((s) => s.file)])];
  const excluded = excludedFamilies(prefix, refs.tags);

  const lines: Line[] = [
    { text: `# yaml-language-server: $schema=${options.schema}` },
    { text: '# release-lint policy, written by `release-lint init` from this repository; every key is optional.' },
    { text: '# Rules: `release-lint rules`; one rule in detail: `release-lint explain <id>`.' },
    { text: `extends: [${aegis ? 'aegis' : 'recommended'}]`, why: aegis ? `the Aegis release process: ${aegisWhy}` : 'no integration branch with release/<version> branches, no recovery tags' },
    refs.remote === null ? { text: '# remote: origin', why: 'no remote is configured yet: add one, then name it here' } : { text: `remote: ${quote(refs.remote)}` },
    { text: 'branches:' },
    { text: `  production: ${quote(refs.production)}`, why: refs.productionFrom },
    maintenance.length > 0
      ? { text: `  maintenance: [${maintenance.map(([family]) => JSON.stringify(family)).join(', ')}]`, why: maintenance.map(([family, names]) => `${family} holds ${[...names].slice(0, 2).join(', ')}${names.size > 2 ? ` and ${names.size - 2} more` : ''}`).join('; ') }
      : { text: '  maintenance: []', why: `all ${onProduction} release tags are on ${refs.remote ?? 'origin'}/${refs.production}` },
    aegis
      ? { text: `  integration: ${hasDevelop ? 'develop' : 'null'}`, why: hasDevelop ? `${refs.remote ?? 'origin'}/develop exists` : 'no develop branch' }
      : { text: '  integration: null', why: hasDevelop ? 'develop exists but receives no release/<version> branches' : 'no integration branch' },
    aegis
      ? { text: '  release: "release/*"', why: versionBranches.length > 0 ? `release branches such as ${versionBranches[0]}` : 'the runbook names them release/<version>' }
      : { text: '  release: null', why: 'releases are tagged on release lines, not on short-lived release/<version> branches' },
    { text: 'tags:' },
    { text: `  prefix: ${prefix === '' ? '""' : quote(prefix)}`, why: `${releaseTags.length} release tag${releaseTags.length === 1 ? '' : 's'}` },
    ...(excluded.length > 0 ? [{ text: '  exclude:', why: 'tag families that are not releases' }, ...excluded] : []),
    { text: '  # since: v1.0.0                  # tags dated before this tag (or YYYY-MM-DD) are not judged' },
    { text: 'versions:' },
    recoveryChannels.length > 0
      ? { text: `  recoveryChannels: [${recoveryChannels.join(', ')}]`, why: `tags such as ${recoveryTags[0].name} say recovery-release: true` }
      : { text: '  recoveryChannels: []', why: 'no tag message says recovery-release: true' },
    ...(sources.length > 0 ? [{ text: 'versionSources:', why: 'where the version is written (JSON Pointer, or Release Please markers)' }, ...sources.map(sourceLine)] : [{ text: 'versionSources: []', why: 'no version files found' }]),
    ...notes.map((text) => ({ text })),
    { text: `changelog: ${changelog ?? 'null'}` },
    { text: `releasePleaseConfig: ${rpConfig ?? 'null'}` },
    { text: `releaseMetadataFiles: [${metadata.map(quote).join(', ')}]`, why: 'the files a release PR may change' },
    { text: 'rules: {}', why: '<rule-id>: off | note | warn | error, or [severity, { option: value }]' },
    { text: '# ignore:                          # accepted exceptions, each with a reason and an optional expiry' },
    { text: '#   - { rule: <rule-id>, target: v0.4.0, reason: "released before the policy", expires: 2027-01-01 }' },
  ];
  return `${lines.map((line) => (line.why ? `${line.text.padEnd(34)} # ${line.why}` : line.text)).join('\n')}\n`;
}
