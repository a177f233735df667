import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleLanguage } from '../src/docs/rule-language.js';
import { ExpressionEnvironment, fromCelValue, helperFunctions, helperSignature, registeredHelperDeclarations } from '../src/engine/cel.js';
import { collections } from '../src/engine/collections.js';
import { configTypes, indexTypes, snapshotModel } from '../src/facts/model.js';
import { facts } from '../src/facts/ids.js';

const page = readFileSync(join(process.cwd(), 'docs', 'rule-language.md'), 'utf8');

/** The rows of the table under a `### <type>` heading, by field name. */
function documentedFields(typeName: string): string[] {
  const section = page.split(`\n### ${typeName}\n`)[1]?.split(/\n#{2,3} /)[0] ?? '';
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

describe('docs/rule-language.md', () => {
  it('is generated from the code that defines the language and up to date (npm run docs)', () => {
    expect(page, 'docs/rule-language.md is stale: run npm run docs').toBe(renderRuleLanguage());
  });

  it('documents every type with every field, every collection, helper function and fact', () => {
    for (const types of [snapshotModel, indexTypes, configTypes] as Record<string, Record<string, unknown>>[]) {
      for (const [name, fields] of Object.entries(types)) expect(documentedFields(name), name).toEqual(Object.keys(fields));
    }
    for (const [name, collection] of Object.entries(collections)) expect(page).toContain(`| \`${name}\` | \`${collection.variable}\` | [\`${collection.type}\`]`);
    for (const helper of helperFunctions) expect(page).toContain(`| \`${helperSignature(helper)}\` |`);
    for (const id of Object.keys(facts)) expect(page).toContain(`| \`${id}\` |`);
  });

  it('is linked from the README and the how-to, whose links to its sections exist', () => {
    expect(readFileSync(join(process.cwd(), 'README.md'), 'utf8')).toContain('](docs/rule-language.md)');
    const howTo = readFileSync(join(process.cwd(), 'docs', 'writing-rules.md'), 'utf8');
    const sections = [...howTo.matchAll(/\]\(rule-language\.md(#[\w-]+)?\)/g)].map((m) => m[1]).filter(Boolean);
    expect(sections.length).toBeGreaterThan(0);
    const headings = new Set([...page.matchAll(/^## (.+)$/gm)].map((m) => `#${m[1].toLowerCase().replace(/ /g, '-')}`));
    for (const section of sections) expect(headings, section).toContain(section);
  });

  it('documents every function the CEL environment adds to CEL, from the one table that registers them', () => {
    const registered = registeredHelperDeclarations();
    expect(registered.length).toBeGreaterThanOrEqual(helperFunctions.length);
    // cel-js spells a declaration as it was registered; a function registered outside the table would be missing here.
    expect(registered.sort()).toEqual(helperFunctions.map((h) => h.declaration).sort());
  });

  it('gives each helper function an example that evaluates to its documented result, read directly and by the evaluator', () => {
    const environment = ExpressionEnvironment.create();
    for (const { declaration, example } of helperFunctions) {
      for (const directReading of [true, false]) {
        const compiled = environment.compile(example.expression, undefined, { directReading });
        expect(fromCelValue(compiled.evaluate({})), `${declaration}: ${example.expression}`).toEqual(example.result);
      }
    }
  });
});
