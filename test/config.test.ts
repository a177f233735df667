import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { InputError } from '../src/errors.js';
import { tempDir } from './helpers.js';

function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function loadError(dir: string, file?: string): Promise<string> {
  try {
    await loadConfig(dir, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).toLine().replace(dir + '/', '');
  }
  throw new Error('expected the config to be refused');
}

describe('config discovery', () => {
  it('uses the recommended preset when the repository has no config', async () => {
    const config = await loadConfig(tempDir());
    expect(config).toMatchObject({ file: null, remote: 'origin', branches: { production: 'main', integration: null, release: null }, tags: { prefix: 'v' }, versions: { recoveryChannels: [] } });
    expect(config.branches.maintenance).toContain('release/*');
    expect(config.rules['tag-annotated']?.severity).toBe('off');
  });

  it('builds a config without extends on the recommended preset, and extends: [] on nothing', async () => {
    const implicit = await loadConfig(dirWith({ '.releasepolicyrc.yml': 'remote: upstream\n' }));
    expect(implicit.rules['tag-annotated']?.severity).toBe('off');
    expect(implicit.remote).toBe('upstream');
    const bare = await loadConfig(dirWith({ '.releasepolicyrc.yml': 'extends: []\n' }));
    expect(bare.rules['tag-annotated']).toBeUndefined();
    expect(bare.branches).toEqual({ production: 'main', maintenance: [], integration: null, release: null });
  });

  it('aegis is the runbook: integration, recovery previews, annotated tags, its baseline and its advice', async () => {
    const config = await loadConfig(dirWith({ '.releasepolicyrc.yml': 'extends: [aegis]\nrules:\n  changelog-baseline: warn\n' }));
    expect(config.branches).toMatchObject({ integration: 'develop', release: 'release/*', maintenance: [] });
    expect(config.versions.recoveryChannels).toEqual(['preview']);
    expect(config.rules['tag-annotated']?.severity).toBe('error');
    // A severity alone keeps the preset's options.
    expect(config.rules['changelog-baseline']).toMatchObject({ severity: 'warning', options: { baseline: 'latest' } });
    expect(String(config.rules['tag-reachable']?.options?.fix)).toContain('promotion PR');
  });

  it.each([
    ['.releasepolicyrc.yml', 'remote: upstream\n'],
    ['.releasepolicyrc.yaml', 'remote: upstream\n'],
    ['.releasepolicyrc.json', '{"remote": "upstream"}\n'],
    ['.releasepolicyrc', 'remote: upstream\n'],
    ['package.json', '{"name": "x", "releasepolicy": {"remote": "upstream"}}\n'],
    ['releasepolicy.config.mjs', 'export default { remote: "upstream" };\n'],
    ['releasepolicy.config.js', 'module.exports = { remote: "upstream" };\n'],
  ])('reads %s in the repository root', async (name, text) => {
    const dir = dirWith({ [name]: text });
    const config = await loadConfig(dir);
    expect(config.remote).toBe('upstream');
    expect(config.file).toBe(join(dir, name));
  });

  it('passes over a package.json without a releasepolicy key', async () => {
    const dir = dirWith({ 'package.json': '{"name": "x"}\n', '.releasepolicyrc.yml': 'remote: upstream\n' });
    expect((await loadConfig(dir)).file).toBe(join(dir, '.releasepolicyrc.yml'));
  });

  it('does not look in parent folders', async () => {
    const parent = dirWith({ '.releasepolicyrc.yml': 'remote: upstream\n' });
    mkdirSync(join(parent, 'repo'));
    expect((await loadConfig(join(parent, 'repo'))).remote).toBe('origin');
  });

  it('uses --config over the search', async () => {
    const dir = dirWith({ '.releasepolicyrc.yml': 'remote: a\n', 'other.yml': 'remote: b\n' });
    expect((await loadConfig(dir, join(dir, 'other.yml'))).remote).toBe('b');
  });
});

describe('extends', () => {
  it('merges presets and relative files in order, this file last', async () => {
    const dir = dirWith({
      'base/team.yml': 'tags: { prefix: rel- }\nrules:\n  tag-annotated: [warn]\n  changelog-baseline: [error, { prereleaseBaselines: false }]\nrulesDirs: [team-rules]\n',
      '.releasepolicyrc.yml': 'extends: [recommended, ./base/team.yml]\nrules:\n  changelog-baseline: warn\n',
    });
    const config = await loadConfig(dir);
    expect(config.tags.prefix).toBe('rel-');
    expect(config.rules['tag-annotated'].severity).toBe('warning');
    // A bare severity keeps the options set by an earlier layer, as in ESLint.
    expect(config.rules['changelog-baseline']).toMatchObject({ severity: 'warning', options: { prereleaseBaselines: false } });
    expect(config.rulesDirs).toEqual([join(dir, 'base', 'team-rules')]);
  });

  it('refuses a missing preset, a missing file and a cycle', async () => {
    expect(await loadError(dirWith({ '.releasepolicyrc.yml': 'extends: [recomended]\n' }))).toBe(
      '.releasepolicyrc.yml:1:11: extends: unknown preset "recomended" (built-in presets: aegis, recommended)',
    );
    expect(await loadError(dirWith({ '.releasepolicyrc.yml': 'extends: ./nope.yml\n' }))).toBe('.releasepolicyrc.yml:1:10: extends: config file "./nope.yml" not found');
    const cycle = dirWith({ '.releasepolicyrc.yml': 'extends: ./a.yml\n', 'a.yml': 'extends: ./b.yml\n', 'b.yml': 'extends: ./a.yml\n' });
    expect(await loadError(cycle)).toBe('b.yml: extends cycle: .releasepolicyrc.yml -> a.yml -> b.yml -> a.yml');
  });
});

describe('config errors name the file, line and column', () => {
  it.each([
    ['an unknown key with a suggestion', 'branches:\n  prodution: main\n', '.releasepolicyrc.yml:2:3: unknown key "prodution" in the config (did you mean "production"?)'],
    ['an unknown top-level key', 'rulez: {}\n', '.releasepolicyrc.yml:1:1: unknown key "rulez" in the config (did you mean "rules"?)'],
    ['a wrong type', 'tags:\n  prefix: 3\n', '.releasepolicyrc.yml:2:11: tags.prefix must be string'],
    ['an unknown severity', 'rules:\n  tag-annotated: fatal\n', '.releasepolicyrc.yml:2:18: rules.tag-annotated: "fatal" must be one of off, note, warn, error'],
    ['an ignore entry without a reason', 'ignore:\n  - { rule: tag-annotated, target: v1.0.0 }\n', '.releasepolicyrc.yml:2:5: ignore.0 is missing the required key "reason"'],
    ['a YAML syntax error', 'branches:\n  production: main\n    integration: develop\n', '.releasepolicyrc.yml:2:15: invalid YAML: Nested mappings are not allowed in compact mappings (a value that contains ": " must be quoted)'],
    ['a config that is not a mapping', '- a\n- b\n', '.releasepolicyrc.yml:1:1: the config must be a mapping of keys to values'],
  ])('%s', async (_name, text, expected) => {
    expect(await loadError(dirWith({ '.releasepolicyrc.yml': text }))).toBe(expected);
  });

  it('positions errors inside package.json#releasepolicy', async () => {
    const dir = dirWith({ 'package.json': '{\n  "name": "x",\n  "releasepolicy": {\n    "remote": 7\n  }\n}\n' });
    expect(await loadError(dir)).toBe('package.json:4:15: remote must be string');
  });

  it('reports a JSON syntax error with its position', async () => {
    expect(await loadError(dirWith({ '.releasepolicyrc.json': '{\n  "remote": "a",,\n}\n' }))).toMatch(/^\.releasepolicyrc\.json:2:\d+: invalid JSON: /);
  });
});

describe('which file holds a config (the search in a folder and in a branch of the repository)', () => {
  it('counts package.json only with a releasepolicy key, also an unreadable one so that loading reports it', async () => {
    const { holdsConfig } = await import('../src/config/load.js');
    expect(holdsConfig('package.json', () => '{"name": "x"}')).toBe(false);
    expect(holdsConfig('package.json', () => 'null')).toBe(false);
    expect(holdsConfig('package.json', () => '{"releasepolicy": {}}')).toBe(true);
    expect(holdsConfig('package.json', () => '\ufeff{"releasepolicy": {}}')).toBe(true);
    expect(holdsConfig('package.json', () => '\ufeff{"name": "x"}')).toBe(false);
    // Unreadable: the key decides, read leniently (issue 14, defect 11).
    expect(holdsConfig('package.json', () => '{"releasepolicy": {"remote": ')).toBe(true);
    expect(holdsConfig('package.json', () => '{"name": ')).toBe(false);
    expect(holdsConfig('.releasepolicyrc.yml', () => '')).toBe(true);
  });
});
