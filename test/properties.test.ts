/** Property-based tests: what must hold for every input, not only the ones we thought of. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import semver from 'semver';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { InputError } from '../src/errors.js';
import { escapeControl } from '../src/report/human.js';
import { compareNatural } from '../src/natural-order.js';
import { compareSemver, parseSemver } from '../src/semver-cache.js';
import { loadSnapshotFile } from '../src/facts/load.js';
import { parseVersion } from '../src/facts/version.js';
import { snapshotOf, tag, tempDir } from './helpers.js';

/** Semantic versions built from their parts, so every one is valid. */
const numeric = fc.oneof(fc.nat({ max: 20 }), fc.nat()).map(String);
const alphanumeric = fc.stringMatching(/^[0-9A-Za-z-]*[A-Za-z-][0-9A-Za-z-]*$/).filter((s) => s.length > 0 && s.length < 12);
const validVersion = fc
  .record({
    major: numeric,
    minor: numeric,
    patch: numeric,
    prerelease: fc.array(fc.oneof(numeric, alphanumeric), { maxLength: 3 }),
    build: fc.array(fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/), { maxLength: 2 }),
  })
  .map(({ major, minor, patch, prerelease, build }) => `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}${build.length ? `+${build.join('.')}` : ''}`);

/** Texts near versions: the mistakes people make in tags. */
const nearVersion = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  validVersion.map((v) => `v${v}`),
  validVersion.map((v) => v.replace(/\d+/, (n) => `0${n}`)),
  fc.tuple(validVersion, fc.constantFrom(' ', '..', '-', '+', '.x', '\n', '\u0000')).map(([v, s]) => v + s),
  fc.array(fc.constantFrom('0', '1', '9', '.', '-', '+', 'a', 'rc', 'preview'), { maxLength: 12 }).map((parts) => parts.join('')),
);

describe('reading JSON Pointers', () => {
  /** Every path into a JSON value, as pointers, and some that lead nowhere. */
  const pointersOf = (value: unknown, prefix = ''): string[] => {
    const here = [prefix];
    if (value === null || typeof value !== 'object') return here;
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return [...here, ...entries.flatMap(([key, v]) => pointersOf(v, `${prefix}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`))];
  };
  const texts = fc
    .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2, '\t'), fc.array(fc.string(), { maxLength: 3 }))
    .map(([value, indent, extra]) => ({ value, text: JSON.stringify(value, null, indent), extra }));

  it('scans a valid JSON text to the same answers as the tolerant visitor', async () => {
    const { readJsonPointers, visitJsonPointers } = await import('../src/facts/version-files.js');
    fc.assert(
      fc.property(texts, ({ value, text, extra }) => {
        const pointers = [...new Set([...pointersOf(value).filter((p) => p !== ''), ...extra.map((e) => `/${e}`), '/version', '/packages//version'])];
        expect(readJsonPointers(text, pointers)).toEqual(visitJsonPointers(text, pointers));
      }),
      { numRuns: 800 },
    );
  });

  it('takes the last of duplicate keys, escaped keys and an empty key as the visitor does', async () => {
    const { readJsonPointers, visitJsonPointers } = await import('../src/facts/version-files.js');
    const pointers = ['/version', '/packages//version', '/a~1b', '/q"x', '/arr/1', '/packages/x/version'];
    for (const text of [
      '{"version":"0.6.8","version":"9.9.9"}',
      '{\n  "packages": {\n    "node_modules/x": {"version": "1.0.0"},\n    "": {\n      "version": "2.0.0"\n    }\n  },\n  "packages": {"x": {"version": "3"}}\n}',
      '{"a/b": "1.2.3", "q\\"x": "4.5.6", "\\u0076ersion": "7.8.9", "arr": [1, "2.0.0", {"v": [3]}]}',
      '{"version": 1, "packages": []}',
      '[]',
      '"1.2.3"',
    ]) {
      expect(readJsonPointers(text, pointers)).toEqual(visitJsonPointers(text, pointers));
    }
  });

  it('finds a version written after an object, in valid JSON and in a text only the tolerant visitor reads', async () => {
    const { readJsonPointers } = await import('../src/facts/version-files.js');
    // The visitor once left a skipped object's key on its path: the version after it was "not found".
    for (const text of ['{\n  "scripts": { "test": "vitest" },\n  "version": "1.2.3"\n}\n', '{\n  "scripts": { "test": "vitest" },\n  "version": "1.2.3",\n}\n', '{\r\n  "scripts": {},\r\n  "version": "1.2.3"\r\n}']) {
      expect(readJsonPointers(text, ['/version']).get('/version')).toEqual({ found: true, value: '1.2.3', line: 3, column: 14, problem: '' });
    }
  });
});

describe('the version parser', () => {
  it('agrees with semver on every valid version', () => {
    fc.assert(
      fc.property(validVersion, (text) => {
        const version = parseVersion(text);
        const reference = semver.parse(text)!;
        expect(reference).not.toBeNull();
        expect(version.valid).toBe(true);
        expect([version.major, version.minor, version.patch]).toEqual([reference.major, reference.minor, reference.patch]);
        expect(version.prerelease).toEqual(reference.prerelease.map(String));
        expect(version.stable).toBe(reference.prerelease.length === 0);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and calls valid exactly what semver parses to the same text', () => {
    fc.assert(
      fc.property(nearVersion, (text) => {
        const version = parseVersion(text);
        const reference = semver.parse(text);
        expect(version.valid).toBe(reference !== null && reference.version === text.replace(/\+.*$/, ''));
        if (!version.valid) expect([version.major, version.minor, version.patch, version.prerelease]).toEqual([0, 0, 0, []]);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses exactly what semver.parse parses, to the same version, numbers and prerelease', () => {
    fc.assert(
      fc.property(fc.oneof(nearVersion, validVersion, validVersion.map((v) => ` ${v}\t`), validVersion.map((v) => `${v}.99999999999999999999`)), (text) => {
        const ours = parseSemver(text);
        const reference = semver.parse(text);
        expect(ours === null).toBe(reference === null);
        if (ours && reference) expect([ours.version, ours.major, ours.minor, ours.patch, ours.prerelease]).toEqual([reference.version, reference.major, reference.minor, reference.patch, reference.prerelease]);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a tag date as Date.toISOString does', async () => {
    const { isoDate } = await import('../src/facts/assemble.js');
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 253402300799 }), fc.integer({ min: 1, max: 4102444800 }), fc.constantFrom(1, 59, 60, 86399, 86400, 951782400, 951868800, 4107542400)), (unix) => {
        expect(isoDate(unix)).toBe(new Date(unix * 1000).toISOString().replace('.000Z', 'Z'));
      }),
      { numRuns: 3000 },
    );
  });

  it('orders versions as semver does', () => {
    fc.assert(
      fc.property(validVersion, validVersion, (a, b) => {
        expect(Math.sign(compareSemver(a, b))).toBe(semver.compare(a, b));
      }),
      { numRuns: 500 },
    );
  });
});

/** Whatever went wrong, it is the user's input error (exit 2, one line), never a crash. */
async function onlyInputErrors(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.toLine()).not.toContain('\n');
  }
}

function onlyInputErrorsSync(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.toLine()).not.toContain('\n');
  }
}

describe('the config loader', () => {
  it('turns any YAML text into a config or an InputError', async () => {
    const dir = tempDir();
    const file = join(dir, '.releasepolicyrc.yml');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v))), async (text) => {
        writeFileSync(file, text);
        await onlyInputErrors(() => loadConfig(dir));
      }),
      { numRuns: 300 },
    );
  });

  it('turns any structure near a valid config into a config or an InputError', async () => {
    const dir = tempDir();
    const file = join(dir, '.releasepolicyrc.yml');
    const keys = fc.constantFrom('remote', 'branches', 'tags', 'versions', 'versionSources', 'changelog', 'rules', 'rulesDirs', 'ignore', 'extends', 'releasePleaseConfig', 'releaseMetadataFiles');
    const nested = fc.dictionary(fc.constantFrom('production', 'integration', 'release', 'prefix', 'since', 'filesAt', 'file', 'pointer', 'tag-annotated', 'rule', 'target', 'reason', 'expires'), fc.jsonValue({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, fc.oneof(fc.jsonValue({ maxDepth: 2 }), nested, fc.array(nested, { maxLength: 3 }))), async (config) => {
        writeFileSync(file, stringify(config));
        await onlyInputErrors(() => loadConfig(dir));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the snapshot loader', () => {
  const valid = JSON.stringify(snapshotOf({ tags: [tag('v1.2.3'), tag('v1.2.4-preview.1')] }));

  it('turns any JSON text into a snapshot or an InputError', () => {
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => JSON.stringify({ schemaVersion: 1, tags: v }))), (text) => {
        writeFileSync(file, text);
        onlyInputErrorsSync(() => loadSnapshotFile(file));
      }),
      { numRuns: 300 },
    );
  });

  it('turns a valid snapshot with any one value replaced into a snapshot or an InputError', () => {
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      paths.push(path);
      if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(JSON.parse(valid), []);
    writeFileSync(file, valid);
    expect(loadSnapshotFile(file).tags).toHaveLength(2);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 2 }), (path, replacement) => {
        const data = JSON.parse(valid);
        let parent = data;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path[path.length - 1]] = replacement;
        writeFileSync(file, JSON.stringify(data));
        onlyInputErrorsSync(() => loadSnapshotFile(file));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the human report', () => {
  it('lets no control character or direction mark through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeControl(text)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the natural order of names', () => {
  const name = fc.array(fc.constantFrom('0', '00', '1', '7', '10', '15', '.', '-', '/', 'v', 'release', 'preview', 'a', 'B'), { maxLength: 8 }).map((parts) => parts.join(''));

  it('reads numbers by value', () => {
    expect(['release/10.8', 'release/7.15', 'release/7.2'].sort(compareNatural)).toEqual(['release/7.2', 'release/7.15', 'release/10.8']);
    expect(['v0.6.5-preview.10', 'v0.6.5-preview.2', 'v0.6.5-preview'].sort(compareNatural)).toEqual(['v0.6.5-preview', 'v0.6.5-preview.2', 'v0.6.5-preview.10']);
  });

  it('is a total order: antisymmetric, zero only for equal names, transitive', () => {
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
        expect(compareNatural(a, b) === 0).toBe(a === b);
        if (compareNatural(a, b) < 0 && compareNatural(b, c) < 0) expect(compareNatural(a, c)).toBeLessThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('expressions read directly (the evaluator fast path)', () => {
  // The shapes rules evaluate for every tag, and what surrounds them.
  const sources = [
    'tag.name',
    ' tag . annotated ',
    'tag.version.major',
    "tag.remoteObject == '' || tag.remoteObject == tag.object",
    "tag.releaseLine != '' || (tag.published && tag.timestamp < 5)",
    '!tag.annotated && tag.published',
    'tag.version.valid && (tag.remoteObject == tag.object || tag.published)',
    'tag.version.stable || tag.version.prerelease.size() == 1',
    'tag.version.major == 1 || tag.version.text.startsWith("1.")',
    "!(tag.name != 'v1.2.3')",
    "tag.publishedBefore == '' || semver.gt(tag.name, tag.publishedBefore)",
    "!tag.published ? '' : tag.name + '!'",
    "tag.annotated ? tag.name : tag.object",
    'semver.line(tag.name) == tag.releaseLine && semver.valid(tag.object)',
    'semver.compare(tag.name, tag.publishedBefore) == 1 || semver.lte(tag.object, tag.name)',
    "!tag.name.contains('+') && (tag.object.startsWith(tag.releaseLine) || tag.name.endsWith('1'))",
    "tag.published ? '' : 'If ' + tag.name + ' is ' + shell.quote(tag.object) + '.'",
    "tag.name in tag.messageLines || tag.releaseLine in tag.messageLines",
    "tag.messageLines.exists(l, l == tag.name || l.startsWith(tag.releaseLine))",
    "tag.messageLines.exists(tag, tag == 'abc') ? shell.quote(tag.name) : tag.object + tag.releaseLine",
    'tag.timestamp < 5 || tag.name >= tag.object',
    "tag.timestamp <= tag.version.major && tag.releaseLine > 'a' || tag.timestamp >= 7",
    'tag.messageLines.exists(l, l < tag.name && tag.timestamp > 0)',
  ];
  const fieldValue = fc.oneof(
    fc.constantFrom('', 'v1.2.3', 'abc', '1.82', '1.82.0', '1.2.3-rc.1', '2.0.0'),
    fc.boolean(),
    fc.constantFrom(0n, 1n, 7n),
    fc.constantFrom(1, 0.5),
    fc.constantFrom([], ['v1.2.3', 'abc'], ['1.82', 1n], [null]),
    fc.constant(null),
    fc.constant(undefined),
  );
  const fields = ['name', 'annotated', 'remoteObject', 'object', 'releaseLine', 'published', 'timestamp', 'publishedBefore', 'messageLines'] as const;

  it('gives what the CEL evaluator gives, or fails as it does, for any field values', async () => {
    const { ExpressionEnvironment, toCelValue } = await import('../src/engine/cel.js');
    const env = ExpressionEnvironment.create().extend({ tag: 'Tag' });
    const compiled = sources.map((source) => {
      const type = env.compile(source).type;
      return [env.compile(source, type), env.compile(source, type, { directReading: false })] as const;
    });
    const base = toCelValue(tag('v1.2.3')) as Record<string, unknown>;
    const outcome = (run: () => unknown) => {
      try {
        return { value: run() };
      } catch {
        return { threw: true };
      }
    };
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), fieldValue),
        fc.subarray([...fields]),
        fc.boolean(),
        (values, removed, asMap) => {
          const fieldsOfTag: Record<string, unknown> = { ...base, ...values };
          for (const field of removed) delete fieldsOfTag[field];
          const context = { tag: asMap ? new Map(Object.entries(fieldsOfTag)) : fieldsOfTag };
          for (const [direct, evaluator] of compiled) {
            expect(outcome(() => direct.evaluate(context))).toEqual(outcome(() => evaluator.evaluate(context)));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('looks a list up by a field as it reads it in full, once it is indexed', async () => {
    const { ExpressionEnvironment, toCelValue, withLookupIndexes } = await import('../src/engine/cel.js');
    const env = ExpressionEnvironment.create().extend({ tag: 'Tag' });
    const lookups = [
      "snapshot.tags.exists(t, t.name == tag.name && t.onRemote == 'yes')",
      "snapshot.tags.exists(t, tag.name == t.name)",
      "snapshot.tags.exists(t, t.name == tag.name && (t.annotated || t.name == 'v1'))",
      "snapshot.tags.exists(t, t.onRemote != 'no' && t.version.text == tag.name && t.annotated)",
      "snapshot.tags.exists(t, t.annotated && t.onRemote == 'yes' && tag.name == t.name)",
    ].map((source) => [env.compile(source, 'bool'), env.compile(source, 'bool', { directReading: false })] as const);
    const base = toCelValue(tag('v1.2.3')) as Record<string, unknown>;
    const outcome = (run: () => unknown) => {
      try {
        return { value: run() };
      } catch {
        return { threw: true };
      }
    };
    const element = fc.record(
      {
        name: fc.oneof(fc.constantFrom('v1', 'v2', 'v3'), fc.constantFrom(1n, null, undefined)),
        onRemote: fc.constantFrom('yes', 'no', 1n),
        annotated: fc.constantFrom(true, false, 'x'),
        version: fc.oneof(fc.constantFrom('v1', 'v2', 1n).map((text) => ({ text })), fc.constant(new Map([['text', 'v1']]))),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), fc.constantFrom('v1', 'v2', 'v4', 1n), (elements, name) => {
        const tags = elements.map((fields) => ({ ...base, ...fields }));
        for (const t of tags) for (const key of Object.keys(t)) if (t[key] === undefined) delete t[key];
        const context = { snapshot: { tags }, tag: { ...base, name } };
        withLookupIndexes(() => {
          // Past the reads before an index, the lookups use one.
          for (let i = 0; i < 12; i++) {
            for (const [direct, evaluator] of lookups) expect(outcome(() => direct.evaluate(context))).toEqual(outcome(() => evaluator.evaluate(context)));
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
