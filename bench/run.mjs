// npm run bench: builds the synthetic repositories once (cached in bench/.repos), runs release-lint
// and its git floor alternately on each, and prints and writes (bench/RESULTS.md) medians, ratios,
// CPU, peak memory, git process counts and start-up against issue 15's musts and goals. Ratios
// come from one run on one machine; absolute times are only context.
//
//   node bench/run.mjs [--quick] [--only <case,...>] [--small] [--generate]
//
// --quick: 3 pairs per comparison instead of 7. --only: run these cases (ids below, `--only list`
// prints them). --small (or BENCH_SMALL=1): tiny repositories, for a smoke run of the benchmark
// itself; its numbers mean nothing. --generate: only build (and cache) the repositories the
// cases use, and print their generation times. RESULTS.md is written only by a full run (no --only, no
// --small); the exit code is 1 when a must of a case that ran is not met.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSynthetic, syntheticReleaseFiles } from '../dist/fixtures/synthetic.js';
import { buildWide } from '../dist/fixtures/synthetic-wide.js';
import { buildSquash } from '../dist/fixtures/synthetic-squash.js';
import { productionOnlyLogArgs } from '../dist/src/facts/history.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'release-lint.js');
const policies = { default: join(here, 'policy.yml'), wide: join(here, 'policy-wide.yml'), filesAll: join(here, 'policy-files-all.yml') };
const cache = join(here, '.repos');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const small = argv.includes('--small') || process.env.BENCH_SMALL === '1';
const onlyAt = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
const only = onlyAt < 0 ? undefined : (argv[onlyAt].startsWith('--only=') ? argv[onlyAt].slice(7) : argv[onlyAt + 1] ?? '').split(',').filter(Boolean);
const pairs = quick ? 3 : 7;

/** Bump a generator's version when its output changes, so cached repositories are rebuilt. */
const generatorVersion = { synthetic: 2, wide: 1, squash: 1 };
const wideFiles = 'package.json package-lock.json .release-please-manifest.json CHANGELOG.md';
const synthetic = (o) => ({ ...o, lightweightEvery: 3, unreachableEvery: 20, releaseBranches: 20, otherBranches: 30 });

/** The repositories: full size, and the tiny size --small uses. */
const repos = {
  't100-c20k': { kind: 'synthetic', full: synthetic({ tags: 100, commits: 20_000 }), small: synthetic({ tags: 100, commits: 2_000 }) },
  't1k-c20k': { kind: 'synthetic', full: synthetic({ tags: 1_000, commits: 20_000 }), small: synthetic({ tags: 100, commits: 1_000 }) },
  't10k-c100k': { kind: 'synthetic', full: synthetic({ tags: 10_000, commits: 100_000 }), small: synthetic({ tags: 400, commits: 4_000 }) },
  't100k-c200k': { kind: 'synthetic', full: synthetic({ tags: 100_000, commits: 200_000 }), small: synthetic({ tags: 2_000, commits: 4_000 }) },
  // ~1,000 branches on origin, 360 of them release/X.Y.Z; a ~700 KB package-lock.json; 400 tags.
  wide: { kind: 'wide', full: { tags: 400, commits: 20_000, releaseBranches: 360, otherBranches: 640 }, small: { tags: 40, commits: 1_000, releaseBranches: 36, otherBranches: 64 } },
  // 200 releases promoted from develop to main by squash commits of ~254 files each.
  squash: { kind: 'squash', full: { releases: 200 }, small: { releases: 6 } },
};
const builders = { synthetic: buildSynthetic, wide: buildWide, squash: buildSquash };
/** Generation times of the repositories this run used (from their cache when built earlier). */
const generated = new Map();

function repository(name) {
  const spec = repos[name];
  const dir = join(cache, `${name}${small ? '-small' : ''}-g${generatorVersion[spec.kind]}`);
  const record = join(dir, 'generation.json');
  if (!existsSync(join(dir, 'work', '.git'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    process.stderr.write(`bench: generating ${name}${small ? ' (small)' : ''} ...`);
    builders[spec.kind]({ ...(small ? spec.small : spec.full), dir });
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(` ${seconds.toFixed(1)} s\n`);
    writeFileSync(record, JSON.stringify({ seconds, options: small ? spec.small : spec.full }) + '\n');
  }
  if (!generated.has(name)) generated.set(name, existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')).seconds : undefined);
  return join(dir, 'work');
}

const scratch = mkdtempSync(join(tmpdir(), 'release-lint-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
let timeFiles = 0;

/**
 * Runs a command; resolves with its wall time (ms), its CPU time (user + sys of it and of every
 * process it waited for, git included; ms), the largest process's maximum RSS (MiB, undefined
 * without /usr/bin/time) and its stderr. Exit codes other than `ok` reject.
 */
function timed(command, args, { env = {}, ok = [0, 1] } = {}) {
  const file = join(scratch, `time-${timeFiles++}`);
  // GNU time reports the rusage of the child and all it waited for; bash's `times` does the same.
  const [runner, runnerArgs] = timeBin ? [timeBin, ['-f', '%e %U %S %M', '-o', file, command, ...args]] : ['bash', ['-c', '"$@"; s=$?; times >"$BENCH_TIMES"; exit $s', 'bench', command, ...args]];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(runner, runnerArgs, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', BENCH_TIMES: file, ...env } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!ok.includes(code)) return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      const report = readFileSync(file, 'utf8').trim().split('\n');
      rmSync(file, { force: true });
      let cpuMs;
      let maxRss;
      if (timeBin) {
        // "Command exited with non-zero status 1" comes first when it did.
        const [, user, sys, rss] = report[report.length - 1].split(' ').map(Number);
        cpuMs = (user + sys) * 1000;
        maxRss = rss / 1024;
      } else {
        const seconds = (text) => text.split(/[ms]/).filter(Boolean).reduce((a, n, i, all) => a + Number(n) * (i < all.length - 1 ? 60 : 1), 0);
        const [user, sys] = report[1].split(' ').map(seconds);
        cpuMs = (user + sys) * 1000;
      }
      resolve({ ms, cpuMs, maxRss, stderr });
    });
  });
}

const git = (repo, ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function parseTimings(stderr) {
  return {
    startup: Number(/start-up \(until the first git process\)\s+0\s+([\d.]+)/.exec(stderr)?.[1]),
    peakRss: Number(/peak RSS so far: (\d+) MiB/.exec(stderr)?.[1]),
    gitProcesses: Number(/git processes: (\d+)/.exec(stderr)?.[1]),
  };
}

const releaseLint = (args) => timed(process.execPath, [bin, ...args, '-f', 'json', '-o', '/dev/null'], { env: { RELEASE_LINT_TIMINGS: '1' } });
const check = (repo, policy = policies.default) => releaseLint(['check', '-C', repo, '-c', policy]);
/** release-lint's own peak RSS (its timings), else the largest process's. */
const peakOf = (run) => parseTimings(run.stderr).peakRss || run.maxRss;

/**
 * A and B alternately, `pairs` pairs after one warm-up each; ratios are medians of the per-pair
 * ratios (wall, and CPU).
 */
async function alternate(a, b) {
  await a();
  await b();
  const runs = { a: [], b: [], ratio: [], cpuRatio: [] };
  for (let i = 0; i < pairs; i++) {
    const x = await a();
    const y = await b();
    runs.a.push(x);
    runs.b.push(y);
    runs.ratio.push(x.ms / y.ms);
    runs.cpuRatio.push(x.cpuMs / y.cpuMs);
  }
  return {
    ours: median(runs.a.map((r) => r.ms)),
    floor: median(runs.b.map((r) => r.ms)),
    oursCpu: median(runs.a.map((r) => r.cpuMs)),
    floorCpu: median(runs.b.map((r) => r.cpuMs)),
    ratio: median(runs.ratio),
    cpuRatio: median(runs.cpuRatio),
    peakRss: Math.max(...runs.a.map(peakOf)),
    gitProcesses: parseTimings(runs.a[runs.a.length - 1].stderr).gitProcesses,
  };
}

const floorScript = (name) => join(here, name);
const floorCheck = (repo, env = {}) => () => timed('bash', [floorScript('floor.sh'), repo], { env });

/** The highest vX.Y.Z tag's next patch version. */
function nextVersion(repo) {
  let best = [0, 0, 0];
  for (const name of git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/tags/v*').split('\n')) {
    const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(name);
    if (!m) continue;
    const v = m.slice(1).map(Number);
    if (v[0] > best[0] || (v[0] === best[0] && (v[1] > best[1] || (v[1] === best[1] && v[2] > best[2])))) best = v;
  }
  return `${best[0]}.${best[1]}.${best[2] + 1}`;
}

/** `release-lint tag` for the next version at origin/main's head against floor-one.sh there. */
async function tagVsFloor(name, policy, floorEnv = {}) {
  const repo = repository(name);
  const ref = git(repo, 'rev-parse', 'refs/remotes/origin/main');
  const version = nextVersion(repo);
  const ours = () => releaseLint(['tag', `v${version}`, '--ref', ref, '-m', `Release v${version}`, '--offline', '-C', repo, '-c', policy]);
  const floor = () => timed('bash', [floorScript('floor-one.sh'), repo, '--ref', ref], { env: floorEnv });
  return { name, version, ref, ...(await alternate(ours, floor)) };
}

/**
 * The pre-push hook on a copy of the 10k repository whose origin is a local bare repository: a
 * release commit for the next version is pushed to main once; then `git push origin vNEW` (an
 * annotated tag) with the installed hook and with --no-verify, alternately; the tag is deleted on
 * the origin (without the hook) after each push.
 */
async function hookCase() {
  const base = dirname(repository('t10k-c100k'));
  const dir = join(scratch, 'hook');
  const origin = join(dir, 'origin.git');
  const work = join(dir, 'work');
  mkdirSync(dir);
  execFileSync('git', ['clone', '-q', '--bare', '--shared', join(base, 'origin.git'), origin]);
  execFileSync('cp', ['-a', join(base, 'work'), work]);
  git(work, 'remote', 'set-url', 'origin', origin);
  git(work, 'config', 'user.name', 'Bench');
  git(work, 'config', 'user.email', 'bench@example.invalid');
  writeFileSync(join(work, '.releasepolicyrc.yml'), readFileSync(policies.default));
  const version = nextVersion(work);
  const previous = git(work, 'for-each-ref', '--count=1', '--sort=-v:refname', '--merged=refs/remotes/origin/main', '--format=%(refname:short)', 'refs/tags/v*').replace(/^v/, '');
  const files = syntheticReleaseFiles(version, previous);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), text);
  }
  git(work, 'add', '--', ...Object.keys(files));
  git(work, 'commit', '-q', '-m', `chore(main): release ${version}`);
  git(work, 'push', '-q', '--no-verify', 'origin', 'main');
  git(work, 'tag', '-a', `v${version}`, '-m', `Release v${version}\n\n* change: adjust the parser`);
  execFileSync(process.execPath, [bin, 'install-hook', '-C', work], { stdio: 'ignore' });
  // The hook runs release-lint as a team installs it: the project's node_modules/.bin first.
  mkdirSync(join(work, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(bin, join(work, 'node_modules', '.bin', 'release-lint'));
  writeFileSync(join(work, '.git', 'info', 'exclude'), 'node_modules\n');
  const tag = `refs/tags/v${version}`;
  const push = (verify) => async () => {
    const run = await timed('git', ['-C', work, 'push', '-q', ...(verify ? [] : ['--no-verify']), 'origin', tag], { ok: [0] }).catch((error) => {
      throw new Error(`the pre-push case needs a push the hook lets through: ${error.message}`);
    });
    git(work, 'push', '-q', '--no-verify', 'origin', `:${tag}`);
    return run;
  };
  try {
    const result = await alternate(push(true), push(false));
    return { version, withHook: result.ours, without: result.floor, added: result.ours - result.floor };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function againstLoop(name) {
  const repo = repository(name);
  const ours = [];
  for (let i = 0; i < pairs; i++) ours.push((await check(repo)).ms);
  // The loop takes tens of seconds: one run (two without --quick) is enough for a ratio this large.
  const loops = [];
  for (let i = 0; i < (quick ? 1 : 2); i++) loops.push((await timed('bash', [join(here, 'per-tag-loop.sh'), repo])).ms);
  return { name, ours: median(ours), loop: median(loops), speedup: median(loops) / median(ours) };
}

async function startup(name) {
  const repo = repository(name);
  const nodes = [];
  const ours = [];
  for (let i = 0; i < pairs * 2; i++) {
    nodes.push((await timed(process.execPath, ['-e', '0'])).ms);
    ours.push(parseTimings((await check(repo)).stderr).startup);
  }
  return { node: median(nodes), ours: median(ours), ratio: median(ours) / median(nodes) };
}

/** Peak RSS of `check` (release-lint's own), the largest of `runs` runs. */
async function peakRss(repo, policy, runs) {
  const peaks = [];
  for (let i = 0; i < runs; i++) peaks.push(peakOf(await check(repo, policy)));
  return Math.max(...peaks);
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const x = (ratio) => `${ratio.toFixed(2)}x`;
const noGoal = '—';

// Each case: its id (for --only), and what it measures; results are shared between cases so one
// measurement feeds every row that needs it.
const results = {};
const caseList = {
  'check-10k': async () => (results.check10k = await alternate(() => check(repository('t10k-c100k')), floorCheck(repository('t10k-c100k')))),
  'check-100': async () => (results.check100 = await alternate(() => check(repository('t100-c20k')), floorCheck(repository('t100-c20k')))),
  'tag-10k': async () => (results.tag10k = await tagVsFloor('t10k-c100k', policies.default)),
  'hook-10k': async () => (results.hook = await hookCase()),
  'tag-wide': async () => (results.tagWide = await tagVsFloor('wide', policies.wide, { FLOOR_FILES: wideFiles })),
  'tag-squash': async () => (results.tagSquash = await tagVsFloor('squash', policies.default)),
  'check-wide': async () => (results.checkWide = await alternate(() => check(repository('wide'), policies.wide), floorCheck(repository('wide'), { FLOOR_FILES: wideFiles }))),
  'check-squash': async () => {
    const repo = repository('squash');
    const log = productionOnlyLogArgs('refs/remotes/origin/develop', 'refs/remotes/origin/main');
    results.checkSquash = await alternate(() => check(repo), () => timed('bash', [floorScript('floor-backport.sh'), repo, '--', ...log]));
  },
  rss: async () => {
    const runs = quick ? 2 : 3;
    results.rss = {
      t10k: results.check10k?.peakRss ?? (await peakRss(repository('t10k-c100k'), policies.default, runs)),
      filesAll: await peakRss(repository('t10k-c100k'), policies.filesAll, runs),
      t100k: await peakRss(repository('t100k-c200k'), policies.default, runs),
    };
  },
  'loop-1k': async () => (results.loop = await againstLoop('t1k-c20k')),
  processes: async () => {
    results.processes = [
      results.check100?.gitProcesses ?? parseTimings((await check(repository('t100-c20k'))).stderr).gitProcesses,
      results.check10k?.gitProcesses ?? parseTimings((await check(repository('t10k-c100k'))).stderr).gitProcesses,
    ];
  },
  startup: async () => (results.start = await startup('t100-c20k')),
};

if (only?.includes('list')) {
  process.stdout.write(`${Object.keys(caseList).join('\n')}\n`);
  process.exit(0);
}
const unknown = (only ?? []).filter((id) => !(id in caseList));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown case ${unknown.join(', ')}; cases: ${Object.keys(caseList).join(', ')}\n`);
  process.exit(2);
}
/** The repositories each case uses, for --generate (build the caches, measure nothing). */
const caseRepos = {
  'check-10k': ['t10k-c100k'], 'check-100': ['t100-c20k'], 'tag-10k': ['t10k-c100k'], 'hook-10k': ['t10k-c100k'], 'tag-wide': ['wide'], 'tag-squash': ['squash'],
  'check-wide': ['wide'], 'check-squash': ['squash'], rss: ['t10k-c100k', 't100k-c200k'], 'loop-1k': ['t1k-c20k'], processes: ['t100-c20k', 't10k-c100k'], startup: ['t100-c20k'],
};
if (argv.includes('--generate')) {
  for (const name of new Set(Object.keys(caseList).filter((id) => !only || only.includes(id)).flatMap((id) => caseRepos[id]))) repository(name);
  process.stdout.write(`Repositories generated in: ${[...generated].map(([name, seconds]) => `${name} ${seconds === undefined ? '(time not recorded)' : `${seconds.toFixed(1)} s`}`).join(', ')}\n`);
  process.exit(0);
}
for (const [id, run] of Object.entries(caseList)) {
  if (only && !only.includes(id)) continue;
  const started = Date.now();
  process.stderr.write(`bench: ${id} ...\n`);
  await run();
  process.stderr.write(`bench: ${id} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// Rows: case | measured | result | must | met | goal | goal met (null: no goal set).
const rows = [];
const r = results;
if (r.tag10k) {
  const t = r.tag10k;
  rows.push(['`tag` at 10k tags vs `floor-one.sh`', `${fmt(t.ours)} vs floor ${fmt(t.floor)}`, `${x(t.ratio)} floor`, '<= 3x', t.ratio <= 3, '<= 2x', t.ratio <= 2]);
}
if (r.hook) {
  const h = r.hook;
  rows.push(['pre-push hook, one tag, 10k tags: time added per push', `push ${fmt(h.withHook)} with the hook vs ${fmt(h.without)} without`, `+${fmt(h.added)}`, '<= 0.4 s', h.added <= 400, '<= 0.25 s', h.added <= 250]);
}
if (r.check10k) {
  const c = r.check10k;
  rows.push([
    '`check` 10k tags / 100k commits vs `floor.sh` (wall; CPU)',
    `${fmt(c.ours)} vs floor ${fmt(c.floor)}; CPU ${fmt(c.oursCpu)} vs ${fmt(c.floorCpu)}`,
    `${x(c.ratio)}; ${x(c.cpuRatio)}`,
    '<= 1.5x; <= 2x',
    c.ratio <= 1.5 && c.cpuRatio <= 2,
    '<= 1.25x; <= 1.5x',
    c.ratio <= 1.25 && c.cpuRatio <= 1.5,
  ]);
}
if (r.check100) {
  const c = r.check100;
  rows.push(['`check` 100 tags / 20k commits vs `floor.sh`', `${fmt(c.ours)} vs floor ${fmt(c.floor)}`, `${x(c.ratio)} floor`, '<= 2.5x', c.ratio <= 2.5, '<= 2x', c.ratio <= 2]);
}
if (r.tagWide || r.tagSquash) {
  const ran = [r.tagWide && ['wide', r.tagWide], r.tagSquash && ['squash', r.tagSquash]].filter(Boolean);
  const worst = Math.max(...ran.map(([, t]) => t.ratio));
  rows.push([
    '`tag` on the wide and on the squash-promotion repositories vs their `floor-one.sh`',
    ran.map(([n, t]) => `${n}: ${fmt(t.ours)} vs floor ${fmt(t.floor)}`).join('; '),
    ran.map(([n, t]) => `${n} ${x(t.ratio)}`).join('; '),
    '<= 4x',
    worst <= 4,
    '<= 2.5x',
    worst <= 2.5,
  ]);
}
if (r.checkWide) {
  const c = r.checkWide;
  rows.push(['wide repository, `check` vs `floor.sh`', `${fmt(c.ours)} vs floor ${fmt(c.floor)}`, `${x(c.ratio)} floor`, '<= 3x', c.ratio <= 3, '<= 2x', c.ratio <= 2]);
}
if (r.checkSquash) {
  const c = r.checkSquash;
  rows.push(['squash-promotion history, `check` with `hotfix-backport` on vs `floor.sh` plus that log', `${fmt(c.ours)} vs floor ${fmt(c.floor)}`, `${x(c.ratio)} floor`, '<= 2x', c.ratio <= 2, '<= 1.5x', c.ratio <= 1.5]);
}
if (r.rss) {
  const { t10k, filesAll, t100k } = r.rss;
  rows.push([
    'peak RSS: 10k / 10k with `tags.filesAt: all` / 100k tags',
    `${t10k} / ${filesAll} / ${t100k} MiB`,
    `${t10k} / ${filesAll} / ${t100k} MiB`,
    '<= 128 / 160 / 320 MiB',
    t10k <= 128 && filesAll <= 160 && t100k <= 320,
    '<= 96 / 128 / 256 MiB',
    t10k <= 96 && filesAll <= 128 && t100k <= 256,
  ]);
}
if (r.loop) {
  const l = r.loop;
  rows.push(['speed-up over the per-tag loop, 1k tags / 20k commits', `${fmt(l.ours)} vs loop ${fmt(l.loop)}`, `${l.speedup.toFixed(0)}x`, '>= 100x', l.speedup >= 100, noGoal, null]);
}
if (r.processes) {
  const p = r.processes;
  rows.push(['git processes per check (100 tags, 10k tags)', p.join(', '), String(Math.max(...p)), 'constant, <= 6', p[0] === p[1] && p[0] <= 6, noGoal, null]);
}
if (r.start) {
  const s = r.start;
  rows.push(['start-up until the first git process', `${fmt(s.ours)} vs \`node -e 0\` ${fmt(s.node)}`, x(s.ratio), '<= 2x', s.ratio <= 2, noGoal, null]);
}

/** RESULTS.md's method text (also in the committed RESULTS.md above its table). */
const method = `Method: each comparison runs release-lint (JSON report to /dev/null) and its git floor
alternately, 7 pairs (3 with \`--quick\`) after one warm-up each; a ratio is the median of the
per-pair ratios. Every process runs under \`/usr/bin/time\`: wall time is measured around it, CPU
is user + sys of the process and every process it waited for (git included), on both sides.

- \`check\` (every built-in rule, [bench/policy.yml](policy.yml)) vs [bench/floor.sh](floor.sh) on
  10k tags / 100k commits (wall and CPU) and on 100 tags / 20k commits.
- \`tag vNEXT --ref <origin/main's head> -m … --offline\` (vNEXT: the patch after the highest tag)
  vs [bench/floor-one.sh](floor-one.sh) \`--ref\` the same commit (rev-parse, merge-base
  --is-ancestor, the tag list, the version files at that commit), at 10k tags and on the wide and
  squash-promotion repositories.
- Pre-push hook: a copy of the 10k repository whose origin is a local bare repository (sharing the
  cached origin's objects), with a release commit for vNEXT pushed to main and the hook installed
  by \`release-lint install-hook\`; \`git push origin vNEXT\` (annotated) with the hook and with
  \`--no-verify\` alternately, the tag deleted on the origin after each push. Time added =
  median(with) − median(without).
- Wide repository ([bench/policy-wide.yml](policy-wide.yml)): 400 tags on a 20k-commit main, 1,000
  branches on origin of which 360 are \`release/X.Y.Z\` (one commit off main with that release's
  files; release-lint reads the manifest at each head, the one file its rules read there), a ~700 KB npm package-lock.json
  (\`/version\`, \`/packages//version\`) changing at every release. Floor: floor.sh with
  FLOOR_FILES = package.json, package-lock.json, the manifest and CHANGELOG.md.
- Squash-promotion history (bench/policy.yml: \`branches.integration: develop\`,
  \`hotfix-backport\` on): 200 releases made on \`develop\` (50 commits of 5 files each) and
  promoted to \`main\` as one squash commit of ~254 files each, tagged there; a hotfix on main
  every 10th release, every other one backported. Floor: [bench/floor-backport.sh](floor-backport.sh),
  floor.sh plus the backport log, \`git log\` with the arguments of
  src/facts/history.ts \`productionOnlyLogArgs(origin/develop, origin/main)\`
  (\`--cherry-mark --right-only --no-merges -p\` …).
- Peak RSS: release-lint's own maximum RSS (RELEASE_LINT_TIMINGS=1), the largest of the runs, of
  \`check\` at 10k tags, at 10k tags with [bench/policy-files-all.yml](policy-files-all.yml)
  (\`tags.filesAt: all\`) and at 100k tags / 200k commits.
- Kept from the first benchmark (no separate goal): the per-tag loop
  ([bench/per-tag-loop.sh](per-tag-loop.sh)) on 1k tags / 20k commits, git processes per check
  (RELEASE_LINT_TIMINGS=1), start-up until the first git process against \`node -e 0\`.

Repositories come from fixtures/synthetic.ts (linear main, a release commit per version, a third of
the tags lightweight, one in twenty on an unreachable maintenance line, 20 release branches, 30
other branches), fixtures/synthetic-wide.ts and fixtures/synthetic-squash.ts; all are
deterministic, \`git clone --no-local\` checkouts without a commit-graph, cached in bench/.repos.`;

const yes = (met) => (met === null ? noGoal : met ? 'yes' : '**no**');
const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}; node ${process.version}; ${gitVersion}`;
const table = [
  '| case | measured (medians) | result | must | met | goal | goal met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(([name, measured, result, must, met, goal, goalMet]) => `| ${name} | ${measured} | ${result} | ${must} | ${yes(met)} | ${goal} | ${yes(goalMet)} |`),
].join('\n');
const generation = [...generated].map(([name, seconds]) => `${name} ${seconds === undefined ? '(time not recorded)' : `${seconds.toFixed(1)} s`}`).join(', ');
process.stdout.write(`\n${table}\n\nMachine: ${machine}\nRepositories generated in: ${generation}\n${small ? 'Small repositories (--small): a smoke run, the numbers mean nothing.\n' : ''}`);

if (!only && !small) {
  const report = `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${pairs} pairs per comparison.

Machine: ${machine}.

Repositories generated in: ${generation}.

${method}

${table}
`;
  writeFileSync(join(here, 'RESULTS.md'), report);
}
process.exitCode = rows.every((row) => row[4]) ? 0 : 1;
