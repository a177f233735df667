import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildClean, type Scenario } from '../fixtures/scenarios.js';
import { cli, tempDir } from './helpers.js';

let clean: Scenario;
beforeAll(() => {
  clean = buildClean();
});
afterAll(() => rmSync(dirname(clean.clone.dir), { recursive: true, force: true }));

/** A config in its own folder that loads `rules` from a rulesDirs folder next to it. */
function policyWithRules(rules: Record<string, string>, extra = ''): { config: string; dir: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'rules'));
  for (const [name, text] of Object.entries(rules)) writeFileSync(join(dir, 'rules', name), text);
  const config = join(dir, 'policy.yml');
  writeFileSync(config, `extends: [recommended]\nrulesDirs: [rules]\n${extra}`);
  return { config, dir };
}

describe('a new policy is a YAML file', () => {
  it('fires a rule that exists only in a rulesDirs folder', () => {
    const { config } = policyWithRules({
      'tag-signed-off.yml': `id: tag-signed-off
title: Release tags name the approving maintainer
description: 'Every annotated release tag message has a line "Approved-by: <name>".'
severity: warning
given: tags
when: tag.annotated
assert:
  - that: "tag.messageLines.exists(l, l.startsWith('Approved-by: '))"
    message: "\${tag.name} does not say who approved it"
fix: 'Recreate the tag before pushing it with -m "Approved-by: <maintainer>".'
`,
    });
    const result = cli(['-C', clean.clone.dir, '-c', config, '-f', 'json']);
    const report = JSON.parse(result.stdout);
    const names = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'tag-signed-off').map((f: { target: { name: string } }) => f.target.name);
    expect(names.sort()).toEqual(['v0.6.3', 'v0.6.4', 'v0.6.5-preview', 'v0.6.5-preview.1', 'v0.6.6-preview']);
    expect(report.findings.every((f: { severity: string }) => f.severity === 'warning')).toBe(true);
    expect(report.findings[0].message).toMatch(/^v0\.6\.\S+ does not say who approved it$/);
    // Warnings do not fail the run unless --max-warnings says so.
    expect(result.code).toBe(0);
    expect(cli(['-C', clean.clone.dir, '-c', config, '--max-warnings', '4']).code).toBe(1);
    expect(cli(['-C', clean.clone.dir, '-c', config, '--max-warnings', '5']).code).toBe(0);
    expect(cli(['-C', clean.clone.dir, '-c', config, '--rule', 'tag-signed-off=error']).code).toBe(1);
    expect(cli(['-C', clean.clone.dir, '-c', config, '--rule', 'tag-signed-off=off', '-f', 'json']).stdout).not.toContain('tag-signed-off');
  });
});

const base = `id: broken
title: A rule with a mistake
description: For load-error tests.
severity: error
given: tags
`;

describe('rule files that cannot load are refused with file, line and column', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown field', `${base}assert:\n  - that: tag.annotatd\n    message: x\nfix: y\n`, /broken\.yml:7:15: invalid CEL in assert\.0\.that: No such key: annotatd$/],
    ['a type error', `${base}assert:\n  - that: tag.name + 1 == 'x'\n    message: x\nfix: y\n`, /broken\.yml:7:\d+: invalid CEL in assert\.0\.that: .*no such overload.*string \+ int/i],
    ['a non-boolean assertion', `${base}assert:\n  - that: tag.name\n    message: x\nfix: y\n`, /broken\.yml:7:\d+: invalid CEL in assert\.0\.that: the expression must be of type bool, but it is of type string$/],
    ['a CEL syntax error on a later line of a block scalar', `${base}when: >-\n  tag.annotated &&\n  (tag.reachable ||\nassert:\n  - that: 'true'\n    message: x\nfix: y\n`, /broken\.yml:\d+:\d+: invalid CEL in when: /],
    ['an unknown variable in a message template', `${base}assert:\n  - that: tag.annotated\n    message: "\${tga.name} is wrong"\nfix: y\n`, /broken\.yml:8:\d+: invalid CEL in assert\.0\.message: Unknown variable: tga$/],
    ['a schema violation (unknown key)', `${base}assert:\n  - that: tag.annotated\n    mesage: x\nfix: y\n`, /broken\.yml:8:5: unknown key "mesage" in the rule \(did you mean "message"\?\)$/],
    ['a missing required key', `${base}assert:\n  - that: tag.annotated\n    message: x\n`, /broken\.yml:1:1: the rule is missing the required key "fix"$/],
    ['an unknown collection', base.replace('given: tags', 'given: tagz') + `assert:\n  - that: 'true'\n    message: x\nfix: y\n`, /broken\.yml:5:8: given must be one of "tags", "branches"/],
    ['invalid YAML', `${base}assert:\n  - that: [unclosed\n`, /broken\.yml:\d+:\d+: invalid YAML: /],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const { config } = policyWithRules({ 'broken.yml': text });
    const result = cli(['-C', clean.clone.dir, '-c', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('points into the right line of a multi-line expression', () => {
    const text = `${base}assert:\n  - that: >-\n      tag.annotated &&\n      tag.messageLines.exists(l, l.sartsWith('x'))\n    message: x\nfix: y\n`;
    const { config } = policyWithRules({ 'broken.yml': text });
    const result = cli(['-C', clean.clone.dir, '-c', config]);
    expect(result.stderr.trim()).toMatch(/broken\.yml:9:\d+: invalid CEL in assert\.0\.that: .*sartsWith/);
  });

  it('refuses a rule whose id differs from its file name, and a duplicate of a built-in id', () => {
    const renamed = policyWithRules({ 'other.yml': `${base}assert:\n  - that: 'true'\n    message: x\nfix: y\n` });
    expect(cli(['-C', clean.clone.dir, '-c', renamed.config]).stderr.trim()).toMatch(/other\.yml:1:5: rule id "broken" must match its file name \(other\)$/);
    const duplicate = policyWithRules({ 'tag-annotated.yml': base.replace('id: broken', 'id: tag-annotated') + `assert:\n  - that: 'true'\n    message: x\nfix: y\n` });
    expect(cli(['-C', clean.clone.dir, '-c', duplicate.config]).stderr.trim()).toMatch(/tag-annotated\.yml:1:5: rule id "tag-annotated" is already defined in .*rules\/tag-annotated\.yml$/);
  });
});

describe('the built-in rules parsed at build time (dist/builtin-rules.json)', () => {
  it('holds every built-in rule exactly as the YAML reads', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { builtInRuleCacheFile, builtInRulesDir, isRuleFileName, readRuleFile } = await import('../src/engine/rules.js');
    const cache = JSON.parse(readFileSync(builtInRuleCacheFile, 'utf8'));
    const files = readdirSync(builtInRulesDir).filter(isRuleFileName).sort();
    expect(Object.keys(cache).sort()).toEqual(files);
    for (const name of files) {
      const parsed = readRuleFile(join(builtInRulesDir, name), false);
      expect(cache[name].definition).toEqual(parsed.definition);
      expect(cache[name].idLine).toBe(parsed.idLine);
    }
  });

  it('is not used for a built-in rule whose file changed since the build', async () => {
    const { readFileSync } = await import('node:fs');
    const { builtInRulesDir, readRuleFile } = await import('../src/engine/rules.js');
    const dir = tempDir();
    const edited = readFileSync(join(builtInRulesDir, 'tag-annotated.yml'), 'utf8').replace(/^title: .*$/m, 'title: Edited after the build');
    writeFileSync(join(dir, 'tag-annotated.yml'), edited);
    expect(readRuleFile(join(dir, 'tag-annotated.yml'), true).definition.title).toBe('Edited after the build');
    // An unknown key in the edited file is still refused with its position, as for any rule.
    writeFileSync(join(dir, 'tag-annotated.yml'), `${edited}\nunknownKey: 1\n`);
    expect(() => readRuleFile(join(dir, 'tag-annotated.yml'), true)).toThrow(/unknown key "unknownKey"/);
  });
});

describe('the facts a rule reads', () => {
  it('are listed by every built-in rule, so a run plans them exactly', async () => {
    const { builtInRulesDir, impliedFacts, isRuleFileName, readRuleFile } = await import('../src/engine/rules.js');
    const { factIds } = await import('../src/facts/ids.js');
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(builtInRulesDir).filter(isRuleFileName);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const { definition } = readRuleFile(join(builtInRulesDir, file), true);
      expect({ rule: definition.id, unlisted: impliedFacts(definition) }).toEqual({ rule: definition.id, unlisted: [] });
      for (const fact of definition.requires ?? []) expect(factIds).toContain(fact);
    }
  });

  it('are implied for a team rule that does not list them: files everywhere, and tag messages when it reads them', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'message-says-release.yml'),
      'id: message-says-release\ntitle: t\ndescription: d\nseverity: error\ngiven: tags\nassert:\n  - that: tag.message.contains("Release")\n    message: "${tag.name} does not say Release"\nfix: say it\n',
    );
    writeFileSync(join(dir, 'rules', 'package-at-heads.yml'), 'id: package-at-heads\ntitle: t\ndescription: d\nseverity: error\ngiven: versionSources\nwhen: source.at.kind == "production"\nassert:\n  - that: source.found\n    message: "${source.file} has no version"\nfix: add it\n');
    return import('../src/engine/rules.js').then(({ impliedFacts, readRuleFile }) => {
      expect(impliedFacts(readRuleFile(join(dir, 'rules', 'message-says-release.yml')).definition)).toEqual(['tag-messages']);
      expect(impliedFacts(readRuleFile(join(dir, 'rules', 'package-at-heads.yml')).definition)).toEqual(['files-at-tags', 'files-at-branch-heads']);
    });
  });
});
