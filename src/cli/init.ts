import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { runGit } from '../git/run.js';
import { packageRoot } from '../package-root.js';

/** Helm charts under the usual folders, at most four levels down. */
function findCharts(root: string): string[] {
  const charts: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4) return;
    let entries: string[];
    try {
      entries = readdirSync(join(root, dir));
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const path = dir ? `${dir}/${name}` : name;
      if (name === 'Chart.yaml') charts.push(path);
      else if (!name.startsWith('.') && name !== 'node_modules' && statSync(join(root, path)).isDirectory()) walk(path, depth + 1);
    }
  };
  for (const top of ['deploy', 'charts', 'chart', 'helm']) if (existsSync(join(root, top))) walk(top, 1);
  return charts;
}

/** The contents of `release-lint init`'s config for the repository at `root`. */
export async function initialConfig(root: string): Promise<string> {
  const has = (file: string) => existsSync(join(root, file));
  const refs = (await runGit(root, ['for-each-ref', '--format=%(refname)', 'refs/remotes/origin/', 'refs/heads/'])).stdout.toString('utf8').split('\n');
  const branchExists = (name: string) => refs.includes(`refs/remotes/origin/${name}`) || refs.includes(`refs/heads/${name}`);
  const production = branchExists('main') || !branchExists('master') ? 'main' : 'master';
  const integration = branchExists('develop') ? 'develop' : null;
  const sources: string[] = [];
  if (has('package.json')) sources.push('  - { file: package.json, pointer: /version }');
  if (has('package-lock.json')) sources.push('  - { file: package-lock.json, pointer: /version }', '  - { file: package-lock.json, pointer: /packages//version }');
  if (has('.release-please-manifest.json')) sources.push('  - { file: .release-please-manifest.json, pointer: /. }');
  for (const chart of findCharts(root)) sources.push(`  - { file: ${chart}, pointer: /version }`, `  - { file: ${chart}, pointer: /appVersion }`);
  const schema = relative(root, join(packageRoot, 'schemas', 'config.schema.json'));
  const lines = [
    `# yaml-language-server: $schema=${schema.startsWith('..') ? join(packageRoot, 'schemas', 'config.schema.json') : schema}`,
    '# release-lint policy: written by `release-lint init`; every key is optional.',
    '# Rules: `release-lint rules`; one rule in detail: `release-lint explain <id>`.',
    'extends: [recommended]',
    'remote: origin',
    'branches:',
    `  production: ${production}          # release tags must be reachable from origin/${production}`,
    `  integration: ${integration ?? 'null'}${integration ? '         # hotfixes on production must be backported here' : '            # no integration branch found'}`,
    '  release: "release/*"',
    'tags:',
    '  prefix: v',
    '  # since: v1.0.0                  # tags dated before this tag (or YYYY-MM-DD) are not judged',
    'versions:',
    '  recoveryChannels: [preview]      # X.Y.Z-preview.N is a recovery release',
    ...(sources.length ? ['versionSources:                     # where the version is written (JSON Pointer)', ...sources] : ['versionSources: []                  # no version files found']),
    `changelog: ${has('CHANGELOG.md') ? 'CHANGELOG.md' : 'null'}`,
    `releasePleaseConfig: ${has('release-please-config.json') ? 'release-please-config.json' : 'null'}`,
    'rules: {}                           # <rule-id>: off | note | warn | error, or [severity, { option: value }]',
    '# ignore:                          # accepted exceptions, each with a reason and an optional expiry',
    '#   - { rule: <rule-id>, target: v0.4.0, reason: "released before the policy", expires: 2027-01-01 }',
    '',
  ];
  return lines.join('\n');
}

/** Writes `.releasepolicyrc.yml` in the repository root; never replaces an existing config. */
export async function writeInitialConfig(root: string, existingConfig: string | null): Promise<string> {
  const file = join(root, '.releasepolicyrc.yml');
  if (existingConfig) throw new InputError('a release-lint config already exists; edit it instead', existingConfig);
  if (existsSync(file)) throw new InputError('already exists; edit it instead', file);
  writeFileSync(file, await initialConfig(root));
  return file;
}
