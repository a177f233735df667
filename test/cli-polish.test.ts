/**
 * The command line's finish (issue 16, item 6): each behaviour a user meets in the terminal, run
 * through the built CLI on the demo repository (one typical mistake per built-in rule: 15 errors
 * and one warning, release-branch-stale).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type Scenario } from '../fixtures/scenarios.js';
import { useColor } from '../src/cli/output.js';
import { cli, tempDir } from './helpers.js';

let demo: Scenario;
/** The demo's rules, from `rules -f json`. */
let ruleIds: string[];
/** --rule switches that leave only these rules on. */
const only = (...kept: string[]) => ruleIds.filter((id) => !kept.includes(id)).flatMap((id) => ['--rule', `${id}=off`]);

beforeAll(() => {
  demo = buildDemo();
  const listed = cli(['rules', '-C', demo.clone.dir, '-f', 'json']);
  expect(listed.code).toBe(0);
  ruleIds = (JSON.parse(listed.stdout) as { rules: Array<{ id: string }> }).rules.map((rule) => rule.id);
});
afterAll(() => rmSync(dirname(demo.clone.dir), { recursive: true, force: true }));

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  return stderr.trim();
};

describe('mistyped options', () => {
  it('suggests the closest long option, in one line, exit 2', () => {
    for (const args of [['--max-warning', '3'], ['--max-warning=3']]) {
      const result = cli(['-C', demo.clone.dir, ...args]);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toBe('release-lint: unknown option --max-warning (did you mean --max-warnings?) (see release-lint --help)');
    }
    expect(oneLine(cli(['--colour']).stderr)).toBe('release-lint: unknown option --colour (did you mean --color?) (see release-lint --help)');
    // A short option has no "closest": every other letter is as far.
    expect(oneLine(cli(['-x']).stderr)).toBe('release-lint: unknown option -x (see release-lint --help)');
  });
});

describe('--max-warnings', () => {
  it('says that there are too many warnings, and how many', () => {
    const warningOnly = ['-C', demo.clone.dir, '-f', 'json', ...only('release-branch-stale')];
    const within = cli([...warningOnly, '--max-warnings', '1']);
    expect(within.code).toBe(0);
    expect(within.stderr).toBe('');
    const over = cli([...warningOnly, '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(oneLine(over.stderr)).toBe('release-lint: too many warnings (1 > 0)');
    expect(JSON.parse(over.stdout).summary).toMatchObject({ errors: 0, warnings: 1 });
  });
});

describe('-q shows errors only, in every format and count', () => {
  it('human, json, sarif, github and markdown leave out the warning and count none', () => {
    const run = (format: string) => {
      const result = cli(['-C', demo.clone.dir, '-q', '-f', format]);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('release-branch-stale ');
      return result.stdout;
    };
    expect(run('human')).toContain('✖ 15 problems (15 errors, 0 warnings), warnings and notes hidden by -q');
    const json = JSON.parse(run('json'));
    expect(json.summary).toEqual({ errors: 15, warnings: 0, notes: 0, inconclusive: 0, quiet: true });
    expect(json.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
    const sarif = JSON.parse(run('sarif'));
    const results = sarif.runs[0].results as Array<{ ruleId: string; level: string }>;
    expect(results).toHaveLength(15);
    expect(results.every((r) => r.level === 'error')).toBe(true);
    expect(run('github').trim().split('\n').at(-1)).toMatch(/^release-lint: 15 errors, 0 warnings, 0 notes, 0 inconclusive/);
    expect(run('markdown')).toContain('**15 errors**, 0 warnings, 0 notes');
    // Without -q the warning is there: the test above could fail.
    expect(JSON.parse(cli(['-C', demo.clone.dir, '-f', 'json']).stdout).summary.warnings).toBe(1);
  });

  it('still counts the hidden warnings for --max-warnings', () => {
    const result = cli(['-C', demo.clone.dir, '-q', '-f', 'json', '--max-warnings', '0', ...only('release-branch-stale')]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(oneLine(result.stderr)).toBe('release-lint: too many warnings (1 > 0)');
  });
});

describe('-o into a folder that does not exist', () => {
  afterEach(() => rmSync(join(demo.clone.dir, 'reports'), { recursive: true, force: true }));

  it('creates it inside the work tree', () => {
    const result = cli(['-f', 'json', '-o', 'reports/nightly/report.json'], { cwd: demo.clone.dir });
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(demo.clone.dir, 'reports', 'nightly', 'report.json'), 'utf8')).summary.errors).toBe(15);
  });

  it('refuses it elsewhere, or named .git, with one line and exit 2, creating nothing', () => {
    const outside = join(tempDir(), 'no', 'such', 'report.json');
    const refused = cli(['-C', demo.clone.dir, '-f', 'json', '-o', outside]);
    expect(refused.code).toBe(2);
    expect(oneLine(refused.stderr)).toBe(
      `release-lint: ${outside}: the folder ${dirname(outside)} does not exist (release-lint creates report folders only inside the work tree ${demo.clone.dir})`,
    );
    expect(existsSync(dirname(dirname(outside)))).toBe(false);
    const gitNamed = cli(['-f', 'json', '-o', 'reports/.git/report.json'], { cwd: demo.clone.dir });
    expect(gitNamed.code).toBe(2);
    expect(oneLine(gitNamed.stderr)).toMatch(/the folder reports\/\.git does not exist/);
    expect(existsSync(join(demo.clone.dir, 'reports'))).toBe(false);
  });
});

describe('NO_COLOR and FORCE_COLOR as their conventions define them', () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, isTTY: process.stdout.isTTY };
  afterEach(() => {
    for (const name of ['NO_COLOR', 'FORCE_COLOR'] as const) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    Object.defineProperty(process.stdout, 'isTTY', { value: saved.isTTY, configurable: true });
  });
  const colorOnTerminal = (env: { NO_COLOR?: string; FORCE_COLOR?: string }) => {
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    Object.assign(process.env, env);
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    return useColor({}, false);
  };

  it('an empty NO_COLOR keeps colour, a non-empty one turns it off (no-color.org)', () => {
    expect(colorOnTerminal({})).toBe(true);
    expect(colorOnTerminal({ NO_COLOR: '' })).toBe(true);
    expect(colorOnTerminal({ NO_COLOR: '1' })).toBe(false);
  });

  it('FORCE_COLOR=0 or false turns colour off, any other value on, as node reads it', () => {
    expect(colorOnTerminal({ FORCE_COLOR: '0' })).toBe(false);
    expect(colorOnTerminal({ FORCE_COLOR: 'false' })).toBe(false);
    const ansi = /\u001b\[/;
    const run = (env: NodeJS.ProcessEnv) => cli(['-C', demo.clone.dir, ...only('tag-annotated')], { env: { NO_COLOR: undefined, ...env } }).stdout;
    expect(run({ FORCE_COLOR: '' })).toMatch(ansi);
    expect(run({ FORCE_COLOR: '1' })).toMatch(ansi);
    expect(run({ FORCE_COLOR: '0' })).not.toMatch(ansi);
    expect(cli(['-C', demo.clone.dir, '--color', ...only('tag-annotated')], { env: { NO_COLOR: undefined, FORCE_COLOR: '0' } }).stdout).toMatch(ansi);
  });
});

describe('release-lint tag without the tag prefix', () => {
  it('says the tag lacks the prefix and suggests the prefixed name, exit 2', () => {
    const result = cli(['tag', '1.2.0', '-C', demo.clone.dir]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe('release-lint: tag "1.2.0" lacks the prefix "v" (tags.prefix): did you mean v1.2.0?');
    expect(result.stdout).toBe('');
  });
});

describe('counts in the right number', () => {
  it('1 problem, 1 error, 1 rule, 1 finding, 1 warning in every report', () => {
    const oneError = ['-C', demo.clone.dir, ...only('tag-annotated')];
    const human = cli(oneError).stdout;
    expect(human).toMatch(/^error {2}tag-annotated · 1 finding · /m);
    expect(human).toMatch(/✖ 1 problem \(1 error, 0 warnings\) · 7 tags, 7 branches, 1 rule checked in aegis/);
    expect(cli([...oneError, '-f', 'github']).stdout.trim().split('\n').at(-1)).toBe('release-lint: 1 error, 0 warnings, 0 notes, 0 inconclusive');
    const markdown = cli([...oneError, '-f', 'markdown']).stdout;
    expect(markdown).toContain('**1 error**, 0 warnings, 0 notes');
    expect(markdown).toContain('`tag-annotated` · 1 finding');
    const oneWarning = cli(['-C', demo.clone.dir, ...only('release-branch-stale'), '-f', 'github']).stdout;
    expect(oneWarning.trim().split('\n').at(-1)).toBe('release-lint: 0 errors, 1 warning, 0 notes, 0 inconclusive');
    const baselineFile = join(tempDir(), 'baseline.json');
    expect(cli(['baseline', ...oneError, '-o', baselineFile]).stdout).toMatch(/^release-lint: 1 finding accepted in /);
  });
});

describe('a bad severity in the config', () => {
  it('names the value given and the severities, at its line and column', () => {
    const dir = tempDir();
    for (const [setting, column] of [['loud', 18], ['[loud, {}]', 19]] as const) {
      writeFileSync(join(dir, 'policy.yml'), `rules:\n  tag-annotated: ${setting}\n`);
      const result = cli(['-C', demo.clone.dir, '-c', join(dir, 'policy.yml')]);
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toBe(`release-lint: ${join(dir, 'policy.yml')}:2:${column}: rules.tag-annotated: "loud" must be one of off, note, warn, error`);
    }
  });
});

describe('rules -f json', () => {
  it('lists every rule of the policy with id, title and severity as JSON', () => {
    const table = cli(['rules', '-C', demo.clone.dir]).stdout;
    const listed = JSON.parse(cli(['rules', '-C', demo.clone.dir, '-f', 'json', '--rule', 'tag-annotated=warn']).stdout);
    expect(listed.version).toBe(1);
    expect(listed.rules.map((rule: { id: string }) => rule.id)).toEqual(table.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]));
    expect(listed.rules.find((rule: { id: string }) => rule.id === 'tag-annotated')).toMatchObject({
      title: 'Release tags are annotated',
      severity: 'warning',
      defaultSeverity: 'error',
      builtIn: true,
    });
    const refused = cli(['rules', '-C', demo.clone.dir, '-f', 'sarif']);
    expect(refused.code).toBe(2);
    expect(oneLine(refused.stderr)).toBe('release-lint: rules prints human or json, not sarif');
  });
});

describe('npm run demo', () => {
  it('exits 0 after the report, prints the lint exit code 1, and KEEP_DEMO keeps the folder (as the README says)', () => {
    const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain('`npm run demo` itself exits 0 once the report is\nshown, 2 if the lint could not run. `KEEP_DEMO=1 npm run demo` keeps the folder');
    const result = spawnSync(process.execPath, [resolve(__dirname, '..', 'dist', 'fixtures', 'demo.js'), '-f', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, KEEP_DEMO: '1' },
    });
    const kept = /^kept (\S+) \(KEEP_DEMO\)/m.exec(result.stdout)?.[1];
    try {
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('\nexit code 1 (1: the release state breaks the policy)\n');
      expect(kept && existsSync(join(kept, 'aegis', '.git'))).toBe(true);
    } finally {
      if (kept) rmSync(kept, { recursive: true, force: true });
    }
  });
});

describe('the suite keeps its temporary folders to itself', () => {
  it('runs with a private temporary folder, which global-setup checks is empty at the end', () => {
    // test/global-setup.ts points TMPDIR there; its teardown fails the run on leftovers.
    expect(tmpdir()).toMatch(/release-lint-suite-[^/]+$/);
    expect(process.env.TMPDIR).toBe(tmpdir());
  });
});

describe('a JavaScript config that never settles', () => {
  it('ends the run with exit code 2 and says why, not with node\'s silent 13', () => {
    const dir = tempDir();
    spawnSync('git', ['init', '-q', '-b', 'main', dir]);
    writeFileSync(join(dir, 'releasepolicy.config.mjs'), 'export default await new Promise(() => {});\n');
    const run = cli(['check', '--offline', '-C', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("release-lint: stopped before judging anything: it waited on a promise that never settles (a JavaScript config's top-level await?)\n");
  });
});
