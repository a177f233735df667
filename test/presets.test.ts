/**
 * The presets: recommended's fix texts speak for any SemVer project; aegis restores the runbook's
 * own advice through the `fix` option every rule takes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { evaluate } from '../src/engine/evaluate.js';
import { builtInRulesDir, isRuleFileName, loadRules, readRuleFile } from '../src/engine/rules.js';
import { snapshotOf, tag, tempDir } from './helpers.js';

/** Words of one release process: a rule's default fix uses them only when the rule is about them. */
const processWords: Array<[string, RegExp]> = [
  ['promotion PRs', /promot/i],
  ['recovery releases', /recover/i],
  ['develop', /\bdevelop\b/i],
];

async function configOf(text: string) {
  const dir = tempDir();
  writeFileSync(join(dir, '.releasepolicyrc.yml'), text);
  return loadConfig(dir);
}

describe('fix texts', () => {
  it('of every built-in rule speak of a process only when the rule is about it', () => {
    const files = readdirSync(builtInRulesDir).filter(isRuleFileName);
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      const { definition } = readRuleFile(join(builtInRulesDir, file), true);
      const about = `${definition.id} ${definition.title} ${definition.description} ${definition.when ?? ''}`;
      for (const [word, pattern] of processWords) if (pattern.test(definition.fix) && !pattern.test(about)) offenders.push(`${definition.id}: ${word}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check can fail: a fix about promotion PRs in a tag rule would be caught', () => {
    const pattern = processWords[0][1];
    expect(pattern.test('Release tags are created on origin/main after the promotion PR has merged.')).toBe(true);
    expect(pattern.test('tag-reachable Release tags sit on a release line')).toBe(false);
  });

  it('say only what applies: a published tag gets the public advice, an unpushed one the recreate advice, offline both', async () => {
    const config = await configOf('extends: []\n');
    const rules = loadRules(config).filter((r) => r.definition.id === 'tag-annotated');
    const fixOf = (onRemote: 'yes' | 'no' | 'unknown') => evaluate(rules, snapshotOf({ tags: [tag('v1.2.3', { annotated: false, objectType: 'commit', onRemote })] }), config).findings[0].fix;
    expect(fixOf('yes')).toBe("v1.2.3 is already public: do not recreate it; record it in the config's ignore list with the reason, and tag the next release with git tag -a.");
    expect(fixOf('no')).toMatch(/^Replace it with an annotated tag on the same commit: git tag -d v1\.2\.3 && git tag -a v1\.2\.3 [0-9a-f]{40} -m "Release v1\.2\.3"\.$/);
    expect(fixOf('unknown')).toMatch(/^If v1\.2\.3 has not been pushed, replace it .* If it is already public, do not recreate it; /);
  });
});

describe('the aegis preset', () => {
  it('restores the runbook\'s advice: tag on main after the promotion PR, recover with a numbered release', async () => {
    const config = await configOf('extends: [aegis]\n');
    const rules = loadRules(config).filter((r) => ['tag-reachable', 'tag-immutable'].includes(r.definition.id));
    const snapshot = snapshotOf({
      tags: [
        tag('v1.0.0', { releaseLine: '', otherBranch: 'feature/search', reachable: false, onRemote: 'yes' }),
        tag('v0.9.0', { remoteObject: 'f'.repeat(40), onRemote: 'yes' }),
      ],
    });
    const fixes = Object.fromEntries(evaluate(rules, snapshot, config).findings.map((f) => [f.ruleId, f.fix]));
    expect(fixes['tag-reachable']).toMatch(/^Release tags are created on origin\/main after the promotion PR has merged\. v1\.0\.0 is already public: do not move or delete it; follow the recovery rules: .* cut the next numbered recovery release from origin\/main\.$/);
    expect(fixes['tag-immutable']).toContain('cut the next numbered recovery release');
    // The same rules under recommended give the general advice.
    const general = await configOf('extends: [recommended]\n');
    const generalFixes = evaluate(loadRules(general).filter((r) => r.definition.id === 'tag-reachable'), snapshot, general).findings.map((f) => f.fix);
    expect(generalFixes).toHaveLength(1);
    expect(generalFixes[0]).not.toMatch(/promot|recover/i);
  });

  it('takes a project\'s own fix the same way, and refuses one that is not text', async () => {
    const config = await configOf('extends: [aegis]\nrules:\n  tag-reachable: [error, { fix: "Ask #releases before tagging ${tag.name}." }]\n');
    const fix = evaluate(loadRules(config).filter((r) => r.definition.id === 'tag-reachable'), snapshotOf({ tags: [tag('v1.0.0', { releaseLine: '', otherBranch: 'feature/search', reachable: false })] }), config).findings[0].fix;
    expect(fix).toBe('Ask #releases before tagging v1.0.0.');
    const bad = await configOf('rules:\n  tag-reachable: [error, { fix: 3 }]\n');
    expect(() => loadRules(bad)).toThrow(/option "fix" must be a non-empty text/);
  });
});
