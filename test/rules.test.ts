import { describe, expect, it } from 'vitest';
import { branch, findingKeys, lintSnapshot, reading, revision, snapshotOf, tag } from './helpers.js';

describe('tag-annotated', () => {
  it('flags lightweight tags only', async () => {
    const snapshot = snapshotOf({ tags: [tag('v1.0.0'), tag('v1.0.1', { annotated: false, objectType: 'commit', message: '', messageLines: [] })] });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated']);
    expect(findingKeys(evaluation)).toEqual(['tag-annotated | tag v1.0.1 | error']);
    expect(evaluation.findings[0].evidence).toMatchObject({ objectType: 'commit' });
  });
});

describe('tag-recovery-lines', () => {
  const recovery = (messageLines: string[], fields = {}) => tag('v0.6.5-preview.2', { messageLines, message: messageLines.join('\n'), ...fields });
  it('wants the exact lines: a confirmation for another version or an issue without digits does not count', async () => {
    const wrong = ['recovery-release: true', 'recovery-issue: #abc', 'recovery-confirmation: RECOVERY 0.6.5-preview.1'];
    const { findings } = await lintSnapshot(snapshotOf({ tags: [recovery(wrong)] }), ['tag-recovery-lines']);
    expect(findings[0].evidence.missingLines).toEqual(['recovery-issue: #<issue>', 'recovery-confirmation: RECOVERY 0.6.5-preview.2']);
  });
});

describe('tag-reachable', () => {
  const offLine = { reachable: false, releaseLine: '' };
  it('tells a patch of an older line to go on its maintenance branch, never on the production head', async () => {
    const snapshot = snapshotOf({
      tags: [tag('v1.2.0'), tag('v1.1.4', { ...offLine, published: false }), tag('v1.2.1', { ...offLine, published: false })],
      branches: [branch('release/1.1.x', { release: false, maintenance: true, line: '1.1' }), branch('release/1.0.x', { release: false, maintenance: true, line: '1.0' })],
    });
    const evaluation = await lintSnapshot(snapshot, ['tag-reachable'], (c) => {
      c.branches.maintenance = ['release/*.x'];
    });
    const fix = Object.fromEntries(evaluation.findings.map((f) => [f.target.name, f.fix]));
    expect(fix['v1.1.4']).toContain('v1.1.4 patches the older 1.1 line: tag it on origin/release/1.1.x.');
    expect(fix['v1.1.4']).not.toContain('v1.1.4 belongs on');
    expect(fix['v1.2.1']).toContain('v1.2.1 belongs on origin/main or on a maintenance branch (release/*.x), at the commit where the release landed.');
    // A release of a line that has its own branch (a branch per release) is sent there too.
    const ownBranch = await lintSnapshot(
      snapshotOf({ tags: [tag('v1.2.0'), tag('v1.3.0-preview.1', { ...offLine, published: false })], branches: [branch('release/v1.3.0-preview.1', { release: false, maintenance: true, line: '1.3' })] }),
      ['tag-reachable'],
      (c) => {
        c.branches.maintenance = ['release/v*'];
      },
    );
    expect(ownBranch.findings[0].fix).toContain("v1.3.0-preview.1 belongs on origin/main or on its line's branch origin/release/v1.3.0-preview.1, at the commit where the release landed.");
    const noBranch = await lintSnapshot(snapshotOf({ tags: [tag('v1.2.0'), tag('v1.0.9', { ...offLine, published: false })] }), ['tag-reachable']);
    expect(noBranch.findings[0].fix).toContain('v1.0.9 patches the older 1.0 line: tag it on a maintenance branch (none is configured: push one, such as release/1.0.x');
  });
});

describe('release-branch-single', () => {
  it('names at most 10 of 221 active branches and counts the rest, in under 400 characters', async () => {
    const names = Array.from({ length: 221 }, (_, i) => `release/2.${i}.0-preview`);
    const evaluation = await lintSnapshot(snapshotOf({ branches: names.map((name) => branch(name)) }), ['release-branch-single']);
    const { message } = evaluation.findings[0];
    expect(message).toBe(`221 release branches are active (${names.slice(0, 10).join(', ')} and 211 more); at most one may be`);
    expect(message.length).toBeLessThan(400);
  });
});

describe('metadata-version-match', () => {
  // Its cases are data (rules/metadata-version-match.test.yml); a test file cannot say where a
  // finding is anchored.
  it('anchors a finding at the version line of the file read at the tag', async () => {
    const at = revision('tag', 'v0.6.5-preview');
    const snapshot = snapshotOf({ versionSources: [reading(at, 'package.json', '/version', '0.6.5-preview.1')] });
    const { findings } = await lintSnapshot(snapshot, ['metadata-version-match']);
    expect(findings.map((f) => f.location)).toEqual([{ file: 'package.json', line: 3, revision: 'v0.6.5-preview' }]);
  });
});

describe('changelog-baseline', () => {
  it('refuses a baseline definition it does not know', async () => {
    await expect(
      lintSnapshot(snapshotOf({}), ['changelog-baseline'], (c) => {
        c.rules['changelog-baseline'] = { options: { baseline: 'nearest' } };
      }),
    ).rejects.toThrow('rule changelog-baseline: option "baseline" must be one of "ancestor", "latest", got "nearest"');
  });
});

describe('ignore entries', () => {
  it('suppress a finding by rule and target until they expire', async () => {
    const lightweight = { annotated: false, objectType: 'commit', message: '', messageLines: [] };
    const snapshot = snapshotOf({ tags: [tag('v0.4.0', lightweight), tag('v0.5.0', lightweight)] });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated'], (c) => {
      c.ignore = [
        { rule: 'tag-annotated', target: 'v0.4.0', reason: 'manual release before the policy', expires: '2027-01-01' },
        { rule: 'tag-annotated', target: 'v0.5.0', reason: 'expired exception', expires: '2026-01-01' },
      ];
    });
    expect(findingKeys(evaluation)).toEqual(['release-lint:ignore | config-key ignore tag-annotated v0.5.0 | warning', 'tag-annotated | tag v0.5.0 | error']);
    expect(evaluation.findings.find((f) => f.ruleId === 'release-lint:ignore')?.message).toBe('the ignore entry for tag-annotated on v0.5.0 expired on 2026-01-01; the exception no longer applies');
    expect(evaluation.suppressed.map((s) => [s.finding.target.name, s.reason])).toEqual([['v0.4.0', 'manual release before the policy']]);
  });

  it('report an entry that matches no finding, but only for rules that judged everything', async () => {
    const snapshot = snapshotOf({ tags: [tag('v1.0.0')] });
    const evaluation = await lintSnapshot(snapshot, ['tag-annotated'], (c) => {
      c.ignore = [
        { rule: 'tag-annotated', target: 'v0.9.0', reason: 'typo in the tag name' },
        { rule: 'tag-reachable', target: 'v1.0.0', reason: 'rule not loaded here' },
      ];
    });
    expect(evaluation.findings.map((f) => f.message)).toEqual(['the ignore entry for tag-annotated on v0.9.0 matches no finding; remove it']);
  });
});

describe('the rule time budget', () => {
  it('gives every rule its whole budget: a rule that starts late is run again, not stopped', async () => {
    const { runWithinBudget } = await import('../src/engine/evaluate.js');
    const busy = (ms: number) => () => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const runs: string[] = [];
    const job = (ruleId: string, judge: () => void) => ({ ruleId, judge: () => (runs.push(ruleId), judge()), commit: () => {}, stopped: () => {} });
    // Each takes 60% of the budget: the watchdog fires while the second runs, and that rule is run
    // again rather than blamed. The endless one is stopped, and the rules after it still run.
    const jobs = [job('first', busy(600)), job('second', busy(600)), job('endless', () => { for (;;); }), job('last', busy(10))];
    runWithinBudget(jobs, 1000);
    expect(jobs.map((j) => (j as { status?: string }).status)).toEqual(['judged', 'judged', 'stopped', 'judged']);
    expect(runs.filter((r) => r === 'endless').length).toBeGreaterThanOrEqual(1);
    expect(runs.at(-1)).toBe('last');
  }, 20_000);
});
