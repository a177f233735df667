/**
 * Hardening, round 2 (issue 14): the defects about how git is run and what its answers mean.
 * Each case builds real repositories in temporary folders and runs the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseFiles } from '../fixtures/release-files.js';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { cli, cliAsync, pathWithReleaseLint, tempDir } from './helpers.js';

let clean: Scenario;
beforeAll(() => {
  clean = buildClean();
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

/** git as a developer runs it: no global or system config, a fixed identity, no signing. */
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Tess', '-c', 'user.email=t@example.invalid', '-c', 'tag.gpgsign=false', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: gitEnv,
  }).trim();

/** A fresh clone (with develop checked out as a tracking branch) of its own copy of the clean origin. */
function freshClone(): { dir: string; origin: string } {
  const root = tempDir();
  const origin = join(root, 'origin.git');
  execFileSync('git', ['clone', '-q', '--bare', '--no-local', join(dirname(clean.clone.dir), 'origin.git'), origin]);
  const dir = join(root, 'aegis');
  execFileSync('git', ['clone', '-q', '--no-local', origin, dir]);
  git(dir, 'branch', '-q', '--track', 'develop', 'origin/develop');
  return { dir, origin };
}

const json = (result: { stdout: string }) => JSON.parse(result.stdout);

interface Case {
  name: string;
  run: () => void | Promise<void>;
}

const cases: Case[] = [
  {
    name: '1. a missing object is inconclusive, not a missing file',
    run() {
      const { dir } = freshClone();
      // v0.6.7 on a new commit whose Chart.yaml (an optional source) says 0.6.6: a finding.
      const changelog: Array<[string, string]> = [['0.6.7', 'v0.6.6-preview'], ['0.6.6-preview', 'v0.6.5-preview.1']];
      for (const [file, text] of Object.entries(releaseFiles({ version: '0.6.7', changelog }, { chartVersion: '0.6.6' }))) writeFileSync(join(dir, file), text);
      git(dir, 'commit', '-qam', 'chore(main): release 0.6.7');
      git(dir, 'tag', '-a', 'v0.6.7', '-m', 'Release v0.6.7');
      // v0.6.8 drops the chart: a file the commit does not have, which stays merely absent.
      git(dir, 'rm', '-q', 'deploy/helm/aegis/Chart.yaml');
      git(dir, 'commit', '-qm', 'chore: drop the chart');
      git(dir, 'tag', '-a', 'v0.6.8', '-m', 'Release v0.6.8');
      const lines = (report: { findings: Array<{ ruleId: string; message: string }> }) => report.findings.filter((f) => f.message.startsWith('v0.6.7:')).map((f) => f.message);
      const complete = json(cli(['-C', dir, '-f', 'json']));
      expect(lines(complete)).toContain('v0.6.7: deploy/helm/aegis/Chart.yaml has 0.6.6 at /version, not 0.6.7');

      // The blobs of Chart.yaml and of package.json (a required source) at v0.6.7 are deleted.
      const blobs = ['deploy/helm/aegis/Chart.yaml', 'package.json'].map((file) => git(dir, 'rev-parse', `v0.6.7:${file}`));
      for (const blob of blobs) rmSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      const damaged = json(cli(['-C', dir, '-f', 'json']));
      // Neither skipped (optional) nor "does not exist at the tagged commit" (required): inconclusive.
      expect(lines(damaged).filter((m: string) => m.includes('Chart.yaml') || m.includes('package.json'))).toEqual([]);
      const reasons = damaged.inconclusive.filter((i: { ruleId: string }) => i.ruleId === 'metadata-version-match').map((i: { reason: string }) => i.reason);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toContain(`deploy/helm/aegis/Chart.yaml at v0.6.7 (object ${blobs[0].slice(0, 12)})`);
      expect(reasons[0]).toContain(`package.json at v0.6.7 (object ${blobs[1].slice(0, 12)})`);
      expect(reasons[0]).toMatch(/: listed in the tree, but the object is missing from this clone \(object missing; run git fsck\)$/);
      expect(damaged.summary.inconclusive).toBeGreaterThan(0);
      const readings = json(cli(['snapshot', '-C', dir])).versionSources.filter((r: { at: { name: string } }) => r.at.name === 'v0.6.7' || r.at.name === 'v0.6.8');
      const problems = (name: string, file: string) => readings.filter((r: { at: { name: string }; file: string }) => r.at.name === name && r.file === file).map((r: { fileExists: boolean; problem: string }) => [r.fileExists, r.problem]);
      expect(problems('v0.6.7', 'package.json')).toEqual([[true, 'object missing; run git fsck']]);
      expect(problems('v0.6.7', 'deploy/helm/aegis/Chart.yaml')).toEqual([
        [true, 'object missing; run git fsck'],
        [true, 'object missing; run git fsck'],
      ]);
      expect(problems('v0.6.8', 'deploy/helm/aegis/Chart.yaml')).toEqual([
        [false, 'file missing'],
        [false, 'file missing'],
      ]);
    },
  },
  {
    name: '2. remote: must name a remote of the repository, never a URL git would connect to',
    async run() {
      const { dir } = freshClone();
      // A stand-in server: any connection to it is a failure of the fix.
      let connections = 0;
      const server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aegis.git`;
      try {
        const policy = join(tempDir(), 'policy.yml');
        writeFileSync(policy, `extends: [aegis]\nbranches: { integration: develop }\nremote: "${url}"\n`);
        const result = await cliAsync(['-C', dir, '-c', policy]);
        expect(result.stderr).toBe(`release-lint: ${policy}:3:1: remote "${url}" is not a remote of this repository (git remote -v lists them); name one, not a URL or path\n`);
        expect(result.code).toBe(2);
        expect(connections).toBe(0);
      } finally {
        server.close();
      }
      // The committed config names origin, which this clone calls upstream: refused at its line.
      git(dir, 'remote', 'rename', 'origin', 'upstream');
      const renamed = cli(['-C', dir]);
      expect(renamed.stderr).toBe(`release-lint: ${join(dir, '.releasepolicyrc.yml')}:4:1: remote "origin" is not a remote of this repository (git remote -v lists them); name one, not a URL or path\n`);
      expect(renamed.code).toBe(2);
      // Naming the configured remote works; without a config setting, a missing origin is only inconclusive.
      writeFileSync(join(dir, '.releasepolicyrc.yml'), readFileSync(join(dir, '.releasepolicyrc.yml'), 'utf8').replace('remote: origin', 'remote: upstream'));
      expect(cli(['-C', dir]).code).toBeLessThan(2);
      writeFileSync(join(dir, '.releasepolicyrc.yml'), 'extends: []\n');
      const defaults = json(cli(['-C', dir, '-f', 'json']));
      expect(defaults.inconclusive.map((i: { reason: string }) => i.reason)).toContain('this repository has no remote named origin (the default), so its tags cannot be read');
    },
  },
  {
    name: '7. an inherited GIT_DIR does not override -C, and the pre-push hook judges the repository git runs it in',
    run() {
      const { dir, origin } = freshClone();
      // Another repository, as a hook of it would leave it in GIT_DIR and GIT_WORK_TREE.
      const other = join(tempDir(), 'other');
      git(tempDir(), 'init', '-q', '-b', 'main', other);
      git(other, 'commit', '-q', '--allow-empty', '-m', 'other');
      git(other, 'tag', 'v9.9.9');
      const inherited = { GIT_DIR: join(other, '.git'), GIT_WORK_TREE: other, GIT_INDEX_FILE: join(other, '.git', 'index') };
      const snapshot = cli(['snapshot', '-C', dir], { env: inherited });
      expect(snapshot.stderr).toBe('');
      const names = json(snapshot).tags.map((t: { name: string }) => t.name);
      expect(names).toContain('v0.6.4');
      expect(names).not.toContain('v9.9.9');

      // The legitimate case: git runs the hook, here from outside the work tree with relative
      // --git-dir and --work-tree; the repository is the one being pushed from.
      expect(cli(['install-hook', '-C', dir]).code).toBe(0);
      git(dir, 'tag', 'v0.6.7');
      const push = spawnSync('git', ['--git-dir=aegis/.git', '--work-tree=aegis', 'push', origin, 'v0.6.7'], { cwd: dirname(dir), encoding: 'utf8', env: { ...gitEnv, PATH: pathWithReleaseLint() } });
      expect(push.status).not.toBe(0);
      expect(push.stderr).toMatch(/v0\.6\.7/);
      expect(push.stderr).toMatch(/do not push/);
      expect(git(origin, 'tag', '--list', 'v0.6.7')).toBe('');
    },
  },
  {
    name: '9. replace refs never change reachability, and grafts make the history facts inconclusive',
    run() {
      const { dir } = freshClone();
      // A release tag on a commit off main: tag-reachable reports it.
      git(dir, 'checkout', '-q', '-b', 'feature/off-main', 'origin/main~1');
      git(dir, 'commit', '-q', '--allow-empty', '-m', 'feat: off main');
      const offMain = git(dir, 'rev-parse', 'HEAD');
      git(dir, 'tag', '-a', 'v0.6.7', '-m', 'Release v0.6.7');
      git(dir, 'checkout', '-q', 'main');
      const unreachable = (report: { findings: Array<{ ruleId: string; target: { name: string } }> }) =>
        report.findings.some((f) => f.ruleId === 'tag-reachable' && f.target.name === 'v0.6.7');
      expect(unreachable(json(cli(['-C', dir, '-f', 'json'])))).toBe(true);

      // `git replace --graft` gives origin/main's head the off-main commit as a second parent.
      const head = git(dir, 'rev-parse', 'origin/main');
      git(dir, 'replace', '--graft', head, `${head}^`, offMain);
      expect(git(dir, 'merge-base', '--is-ancestor', offMain, 'origin/main')).toBe('');
      expect(unreachable(json(cli(['-C', dir, '-f', 'json'])))).toBe(true);

      // The same through info/grafts, which git cannot be told to ignore: inconclusive, with the reason.
      for (const ref of git(dir, 'for-each-ref', '--format=%(refname)', 'refs/replace/').split('\n')) git(dir, 'update-ref', '-d', ref);
      writeFileSync(join(dir, '.git', 'info', 'grafts'), `${head} ${git(dir, 'rev-parse', `${head}^`)} ${offMain}\n`);
      const grafted = json(cli(['-C', dir, '-f', 'json']));
      expect(unreachable(grafted)).toBe(false);
      const reasons = grafted.inconclusive.filter((i: { ruleId: string }) => i.ruleId === 'tag-reachable').map((i: { reason: string }) => i.reason);
      expect(reasons).toEqual([`${join(dir, '.git', 'info', 'grafts')} rewrites the parents of commits (grafts), so the history git shows is not the repository's own: where tags sit (on a release line or not) cannot be established`]);
      expect(grafted.inconclusive.some((i: { ruleId: string }) => i.ruleId === 'changelog-baseline')).toBe(true);
    },
  },
  {
    name: "10. ls-remote runs no program the repository's config names (core.sshCommand, ext::, core.gitProxy, credential helpers, core.askPass, uploadpack)",
    async run() {
      const { dir, origin } = freshClone();
      const marks = tempDir();
      const script = (name: string) => {
        const file = join(marks, `${name}.sh`);
        writeFileSync(file, `#!/bin/sh\necho ran > ${join(marks, name)}.ran\nexit 1\n`);
        chmodSync(file, 0o755);
        return file;
      };
      const ran = () => readdirSync(marks).filter((f) => f.endsWith('.ran')).map((f) => f.slice(0, -'.ran'.length)).sort();
      // An HTTP remote that asks for a password: git then runs credential helpers and askpass.
      const server = createHttpServer((_request, response) => response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end());
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as AddressInfo).port;
      try {
        git(dir, 'config', 'core.sshCommand', script('repo-ssh'));
        git(dir, 'remote', 'add', 'viassh', 'ssh://git@example.invalid/aegis.git');
        git(dir, 'config', 'protocol.ext.allow', 'always');
        git(dir, 'remote', 'add', 'viaext', `ext::sh -c touch% ${join(marks, 'repo-ext')}.ran`);
        git(dir, 'config', 'core.gitProxy', script('repo-proxy'));
        git(dir, 'remote', 'add', 'viagit', 'git://127.0.0.1:9/aegis.git');
        git(dir, 'config', 'credential.helper', `!${script('repo-credential')}`);
        git(dir, 'config', 'core.askPass', script('repo-askpass'));
        git(dir, 'remote', 'add', 'viahttp', `http://127.0.0.1:${port}/aegis.git`);
        git(dir, 'remote', 'add', 'viapath', origin);
        git(dir, 'config', 'remote.viapath.uploadpack', script('repo-uploadpack'));
        // The user's own settings still apply: GIT_SSH, and a credential helper of their global config.
        const globalConfig = join(tempDir(), 'gitconfig');
        writeFileSync(globalConfig, `[credential]\n\thelper = "!${script('user-credential')}"\n`);
        const env = { GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', GIT_SSH: script('user-ssh') };
        const remoteTags = new Map<string, string>();
        for (const remote of ['viassh', 'viaext', 'viagit', 'viahttp', 'viapath']) {
          const policy = join(tempDir(), 'policy.yml');
          writeFileSync(policy, `extends: [aegis]\nbranches: { integration: develop }\nremote: ${remote}\n`);
          const result = await cliAsync(['-C', dir, '-c', policy, '-f', 'json'], { env });
          expect(result.code, `${remote}: ${result.stderr}`).toBeLessThan(2);
          const inconclusive = json(result).inconclusive.find((i: { reason: string }) => i.reason.includes(`tags on ${remote} cannot be read`));
          remoteTags.set(remote, inconclusive ? 'unreadable' : 'read');
        }
        expect(ran()).toEqual(['user-credential', 'user-ssh']);
        // The local path's tags were read with git's own upload-pack.
        expect(remoteTags.get('viapath')).toBe('read');
      } finally {
        server.close();
      }
    },
  },
  {
    name: '16. a tag of a tag is peeled fully, and a tag of a tree or blob says so exactly',
    run() {
      const { dir } = freshClone();
      // v0.6.7: a tag of a tag of origin/main's head, whose files say 0.6.6-preview.
      git(dir, 'tag', '-a', 'inner', '-m', 'inner', 'origin/main');
      git(dir, '-c', 'advice.nestedTag=false', 'tag', '-a', 'v0.6.7', '-m', 'Release v0.6.7', 'inner');
      // v0.6.8: a tag of a tree; v0.6.9: a tag of a tag of a blob; v0.6.10: a lightweight ref to a tree.
      git(dir, 'tag', '-a', 'v0.6.8', '-m', 'Release v0.6.8', 'origin/main^{tree}');
      git(dir, 'tag', '-a', 'inner-blob', '-m', 'inner', 'origin/main:package.json');
      git(dir, '-c', 'advice.nestedTag=false', 'tag', '-a', 'v0.6.9', '-m', 'Release v0.6.9', 'inner-blob');
      git(dir, 'tag', 'v0.6.10', 'origin/main^{tree}');
      const report = json(cli(['-C', dir, '-f', 'json']));
      const messages = (name: string) =>
        report.findings.filter((f: { message: string }) => f.message.startsWith(`${name}:`) || f.message.startsWith(`${name} `)).map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`);
      const nested = messages('v0.6.7');
      expect(nested.filter((m: string) => m.startsWith('tag-reachable'))).toEqual([]);
      // Its files were judged at the commit at the end of the chain.
      expect(nested).toContain('metadata-version-match: v0.6.7: package.json has 0.6.6-preview at /version, not 0.6.7');
      expect(messages('v0.6.8')).toContain('tag-reachable: v0.6.8 does not point at a commit (it points at a tag of a tree)');
      expect(messages('v0.6.9')).toContain('tag-reachable: v0.6.9 does not point at a commit (it points at a tag of a blob)');
      expect(messages('v0.6.10')).toContain('tag-reachable: v0.6.10 does not point at a commit (it points at a tree)');
      const snapshot = json(cli(['snapshot', '-C', dir]));
      const tag = snapshot.tags.find((t: { name: string }) => t.name === 'v0.6.7');
      expect(tag.commit).toBe(git(dir, 'rev-parse', 'origin/main'));
      expect(tag.object).toBe(git(dir, 'rev-parse', 'v0.6.7'));
      expect(tag.reachable).toBe(true);
    },
  },
];

describe('hardening, round 2: git', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => testCase.run());
});
