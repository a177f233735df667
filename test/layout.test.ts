import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder-level import directions of DESIGN.md's layout: cli → report, engine, facts, config,
 * sources; report → engine; engine → the fact model (and how versions and release branches are
 * read from names) and config/types; facts → sources and
 * config/types. The files at src/'s root and src/schema are shared helpers every folder may use.
 */
const src = join(process.cwd(), 'src');
const shared = (target: string) => !target.includes('/') || target.startsWith('schema/');
const allowed: Record<string, (target: string) => boolean> = {
  cli: () => true,
  docs: (t) => /^(docs|report|engine|config)\//.test(t),
  report: (t) => /^(report|engine)\//.test(t),
  engine: (t) => t.startsWith('engine/') || /^facts\/(model|types|version|release-branch|ids|plan)\.ts$/.test(t) || t === 'config/types.ts',
  facts: (t) => /^(facts|sources)\//.test(t) || t === 'config/types.ts',
  config: (t) => t.startsWith('config/'),
  sources: (t) => t.startsWith('sources/'),
  schema: (t) => t.startsWith('schema/'),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file (static, re-export and dynamic), as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => relative(src, normalize(join(dirname(file), m[1]))).replace(/\.js$/, '.ts'));
}

describe('the layout', () => {
  it('has the folders of DESIGN.md', () => {
    for (const folder of ['cli', 'config', 'docs', 'engine', 'facts', 'report', 'sources/git', 'sources/github']) expect(statSync(join(src, folder)).isDirectory()).toBe(true);
  });

  it('imports in the directions DESIGN.md allows, and no further', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(src)) {
      const from = relative(src, file);
      const folder = from.includes('/') ? from.slice(0, from.indexOf('/')) : '';
      for (const target of importsOf(file)) {
        if (target.startsWith('..')) wrong.push(`${from} -> ${target} (outside src)`);
        else if (shared(target) && folder !== 'schema') continue;
        else if (!(folder === '' ? shared(target) : allowed[folder]?.(target))) wrong.push(`${from} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads the imports it judges, and refuses the directions DESIGN.md forbids', () => {
    expect(importsOf(join(src, 'engine', 'evaluate.ts'))).toContain('facts/types.ts');
    expect(importsOf(join(src, 'cli', 'pipeline.ts'))).toEqual(expect.arrayContaining(['engine/evaluate.ts', 'report/formatters.ts', 'facts/plan.ts']));
    expect(allowed.engine('report/types.ts')).toBe(false);
    expect(allowed.report('facts/collect-git.ts')).toBe(false);
    expect(allowed.report('sources/git/run.ts')).toBe(false);
    expect(allowed.config('sources/git/run.ts')).toBe(false);
    expect(allowed.facts('engine/rules.ts')).toBe(false);
  });
});
