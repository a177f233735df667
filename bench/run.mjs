// npm run bench: builds the synthetic repositories once (cached in bench/.repos), runs release-lint
// and the git floor alternately on each, and prints and writes (bench/RESULTS.md) medians, ratios,
// peak memory, git process counts and start-up. Ratios come from one run on one machine; absolute
// times are only context.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSynthetic } from '../dist/fixtures/synthetic.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'release-lint.js');
const policy = join(here, 'policy.yml');
const cache = join(here, '.repos');
const quick = process.argv.includes('--quick');
const pairs = quick ? 3 : 7;
/** Bump when the generator's output changes, so cached repositories are rebuilt. */
const generatorVersion = 2;

const repos = {
  't100-c20k': { tags: 100, commits: 20_000 },
  't1k-c20k': { tags: 1_000, commits: 20_000 },
  't10k-c100k': { tags: 10_000, commits: 100_000 },
};

function repository(name) {
  const dir = join(cache, `${name}-g${generatorVersion}`);
  if (!existsSync(join(dir, 'work', '.git'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    process.stderr.write(`bench: generating ${name} ...`);
    buildSynthetic({ ...repos[name], lightweightEvery: 3, unreachableEvery: 20, releaseBranches: 20, otherBranches: 30, dir });
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return join(dir, 'work');
}

/** Runs a command; resolves with its wall time in ms and its stderr. */
function timed(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && code !== 1) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, stderr });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const check = (repo) => timed(process.execPath, [bin, 'check', '-C', repo, '-c', policy, '-f', 'json', '-o', '/dev/null'], { RELEASE_LINT_TIMINGS: '1' });
const floor = (repo) => timed('bash', [join(here, 'floor.sh'), repo]);

function parseTimings(stderr) {
  return {
    startup: Number(/start-up \(until the first git process\)\s+0\s+([\d.]+)/.exec(stderr)?.[1]),
    peakRss: Number(/peak RSS so far: (\d+) MiB/.exec(stderr)?.[1]),
    gitProcesses: Number(/git processes: (\d+)/.exec(stderr)?.[1]),
  };
}

/** release-lint and the floor alternately; the ratio is the median of the per-pair ratios. */
async function againstFloor(name) {
  const repo = repository(name);
  await check(repo);
  await floor(repo);
  const ours = [];
  const floors = [];
  const ratios = [];
  let last;
  for (let i = 0; i < pairs; i++) {
    const a = await check(repo);
    const b = await floor(repo);
    ours.push(a.ms);
    floors.push(b.ms);
    ratios.push(a.ms / b.ms);
    last = parseTimings(a.stderr);
  }
  const peaks = [];
  for (let i = 0; i < 3; i++) peaks.push(parseTimings((await check(repo)).stderr).peakRss);
  return { name, ours: median(ours), floor: median(floors), ratio: median(ratios), peakRss: Math.max(...peaks), gitProcesses: last.gitProcesses };
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

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const big = await againstFloor('t10k-c100k');
const small = await againstFloor('t100-c20k');
const loop = await againstLoop('t1k-c20k');
const start = await startup('t100-c20k');
const processCounts = [small.gitProcesses, big.gitProcesses];

const rows = [
  ['full `check`, 10k tags / 100k commits', `${fmt(big.ours)} vs floor ${fmt(big.floor)}`, `${big.ratio.toFixed(2)}x floor`, '<= 1.5x', big.ratio <= 1.5],
  ['full `check`, 100 tags / 20k commits', `${fmt(small.ours)} vs floor ${fmt(small.floor)}`, `${small.ratio.toFixed(2)}x floor`, '<= 3x', small.ratio <= 3],
  ['speed-up over the per-tag loop, 1k tags / 20k commits', `${fmt(loop.ours)} vs loop ${fmt(loop.loop)}`, `${loop.speedup.toFixed(0)}x`, '>= 100x', loop.speedup >= 100],
  ['peak memory (RSS), 10k tags / 100k commits', `${big.peakRss} MiB`, `${big.peakRss} MiB`, '<= 128 MiB', big.peakRss <= 128],
  ['git processes per check (100 tags, 10k tags)', processCounts.join(', '), String(Math.max(...processCounts)), 'constant, <= 6', processCounts[0] === processCounts[1] && processCounts[0] <= 6],
  ['start-up until the first git process', `${fmt(start.ours)} vs \`node -e 0\` ${fmt(start.node)}`, `${start.ratio.toFixed(2)}x`, '<= 2x', start.ratio <= 2],
];

const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}; node ${process.version}; ${gitVersion}`;
const table = [
  '| case | measured (medians) | result | must | met |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(([name, measured, result, must, met]) => `| ${name} | ${measured} | ${result} | ${must} | ${met ? 'yes' : '**no**'} |`),
].join('\n');
const report = `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${machine}.

Method: release-lint (\`check\` with every built-in rule, JSON report, [bench/policy.yml](policy.yml)) and
[bench/floor.sh](floor.sh) run alternately, ${pairs} pairs per repository after one warm-up each; a
ratio is the median of the per-pair ratios. Peak memory is release-lint's own maximum RSS (the
largest of three runs). Start-up is the time from process start to the first git process
(RELEASE_LINT_TIMINGS=1) against the whole wall time of \`node -e 0\`. The per-tag loop is
[bench/per-tag-loop.sh](per-tag-loop.sh). Repositories come from fixtures/synthetic.ts (deterministic:
linear main, a release commit per version, a third of the tags lightweight, one in twenty on an
unreachable maintenance line, 20 release branches, 30 other branches) and are cached in bench/.repos.

${table}
`;
process.stdout.write(`\n${table}\n\nMachine: ${machine}\n`);
writeFileSync(join(here, 'RESULTS.md'), report);
process.exitCode = rows.every((row) => row[4]) ? 0 : 1;
