import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClean, commitRecoveryRelease, recoveryMessage, type Scenario } from '../fixtures/scenarios.js';
import { loadConfig } from '../src/config/load.js';
import { cli } from './helpers.js';

const projectRoot = resolve(__dirname, '..');

/** npm as a user runs it: none of the npm_* settings of the npm that started this suite. */
function npmEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function npm(cwd: string, ...args: string[]) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: npmEnvironment() });
}

/**
 * The package as the registry would serve it: packed once from the build, installed with no
 * registry at all into an empty project (which works only when it needs no other package).
 */
describe('the packed package', () => {
  let root: string;
  let app: string;
  let packedFiles: string[];
  let install: ReturnType<typeof npm>;
  let scenario: Scenario;
  const installed = () => join(app, 'node_modules', '.bin', 'release-lint');
  const run = (args: string[], cwd = app) => spawnSync(installed(), args, { cwd, encoding: 'utf8', env: { ...npmEnvironment(), NO_COLOR: '1' } });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'release-lint-package-'));
    const packed = npm(projectRoot, 'pack', '--json', '--pack-destination', root);
    expect(packed.status, packed.stderr).toBe(0);
    const [manifest] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packedFiles = manifest.files.map((file) => file.path);
    app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    install = npm(app, 'install', '--offline', '--no-audit', '--no-fund', join(root, manifest.filename));
    scenario = buildClean(join(root, 'fixture'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('ships only what runs', () => {
    const top = [...new Set(packedFiles.map((file) => (file.startsWith('dist/') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0])))].sort();
    expect(top).toEqual(['README.md', 'bin', 'dist/builtin-rules.json', 'dist/bundle', 'package.json', 'presets', 'rules', 'schemas']);
    expect(packedFiles).toContain('dist/bundle/entry.js');
    expect(packedFiles).toContain('schemas/config.schema.json');
  });

  it('installs alone, offline, without engine warnings', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toContain('EBADENGINE');
    expect(install.stdout).toMatch(/added 1 package\b/);
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['release-lint']);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'release-lint', 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('runs --help through npx --no-install, and lints as the build it was packed from does', () => {
    const help = spawnSync('npx', ['--no-install', 'release-lint', '--help'], { cwd: app, encoding: 'utf8', env: npmEnvironment() });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: release-lint/);

    const repo = scenario.clone.dir;
    const fromPackage = run(['check', '-C', repo, '-f', 'json']);
    expect(fromPackage.stderr).toBe('');
    const report = JSON.parse(fromPackage.stdout);
    expect(report.tool.name).toBe('release-lint');
    // The presets and rules came from the installed package: the same judgement as the build's.
    const fromBuild = cli(['check', '-C', repo, '-f', 'json']);
    expect(fromPackage.status).toBe(fromBuild.code);
    expect(report.findings).toEqual(JSON.parse(fromBuild.stdout).findings);
    expect(report.summary).toEqual(JSON.parse(fromBuild.stdout).summary);
  });

  it('installs a hook without machine paths that blocks a bad tag push and lets a good one through', () => {
    const repo = scenario.clone.dir;
    const origin = join(dirname(repo), 'origin.git');
    const hooked = run(['install-hook', '-C', repo]);
    expect(hooked.status, hooked.stderr).toBe(0);
    const hook = readFileSync(join(repo, '.git', 'hooks', 'pre-push'), 'utf8');
    for (const machinePath of [process.execPath, root, app, projectRoot]) expect(hook).not.toContain(machinePath);

    // The project has release-lint installed, as a team's clone would after `npm install`.
    symlinkSync(join(app, 'node_modules'), join(repo, 'node_modules'));
    writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules\n');
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=Release Bot', '-c', 'user.email=bot@example.invalid', '-c', 'tag.gpgsign=false', '-c', 'commit.gpgsign=false', ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...npmEnvironment(), GIT_CONFIG_GLOBAL: '/dev/null', NO_COLOR: '1' },
      });
    const remoteTag = (name: string) => execFileSync('git', ['ls-remote', origin, `refs/tags/${name}`], { encoding: 'utf8' }).trim();

    // Release Please's recovery release commit: a branch push, which the hook lets through.
    commitRecoveryRelease(scenario.clone);
    const branch = git('push', 'origin', 'main');
    expect(branch.status, branch.stderr).toBe(0);

    expect(git('tag', 'v0.6.6-preview.1').status).toBe(0);
    const lightweight = git('push', 'origin', 'v0.6.6-preview.1');
    expect(lightweight.status).not.toBe(0);
    expect(lightweight.stderr).toContain('v0.6.6-preview.1 is a lightweight tag; release tags must be annotated');
    expect(remoteTag('v0.6.6-preview.1')).toBe('');

    const [subject, body] = recoveryMessage('0.6.6-preview.1');
    expect(git('tag', '-f', '-a', 'v0.6.6-preview.1', '-m', subject, '-m', body).status).toBe(0);
    const good = git('push', 'origin', 'v0.6.6-preview.1');
    expect(good.status, good.stderr).toBe(0);
    expect(remoteTag('v0.6.6-preview.1')).toMatch(/^[0-9a-f]{40}\trefs\/tags\/v0\.6\.6-preview\.1$/);
  });
});

describe('JavaScript configs, imported by node (no cosmiconfig)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'release-lint-js-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const folderWith = (name: string, text: string) => {
    const folder = mkdtempSync(join(dir, 'config-'));
    writeFileSync(join(folder, name), text);
    return folder;
  };
  const loadError = async (folder: string, file?: string) => {
    try {
      await loadConfig(folder, file);
    } catch (error) {
      return (error as Error).message;
    }
    return 'loaded';
  };

  it('reads a .cjs config named by --config, and an ESM one in a "type": "module" project', async () => {
    const cjs = folderWith('policy.cjs', 'module.exports = { remote: "upstream" };\n');
    expect((await loadConfig(cjs, join(cjs, 'policy.cjs'))).remote).toBe('upstream');
    const esm = folderWith('package.json', '{ "type": "module" }\n');
    writeFileSync(join(esm, 'releasepolicy.config.js'), 'export default { tags: { prefix: "rel-" } };\n');
    expect((await loadConfig(esm)).tags.prefix).toBe('rel-');
  });

  it('reports a config that throws, and a TypeScript config, in one line naming the file', async () => {
    const throwing = folderWith('releasepolicy.config.mjs', 'throw new Error("no config here\\nsecond line");\n');
    expect(await loadError(throwing)).toBe('cannot load config: no config here');
    expect(await loadError(folderWith('releasepolicy.config.mjs', 'throw null;\n'))).toBe('cannot load config: null');
    const typescript = folderWith('policy.ts', 'export default { remote: "upstream" };\n');
    expect(await loadError(typescript, join(typescript, 'policy.ts'))).toMatch(/^TypeScript configs are not read; /);
  });

  it('validates what the module exports like any config', async () => {
    const wrong = folderWith('releasepolicy.config.mjs', 'export default { remote: 7 };\n');
    expect(await loadError(wrong)).toBe('remote must be string');
    // Named exports alone are not a policy: read as an empty one, they would pass silently.
    const none = folderWith('releasepolicy.config.mjs', 'export const remote = "upstream";\n');
    expect(await loadError(none)).toMatch(/^the config module has no default export: /);
  });
});
