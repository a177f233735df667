import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldDetails, fieldDescription, fieldType, snapshotJsonSchema, snapshotModel, snapshotTypes, type FieldSpec } from '../src/facts/model.js';
import { loadSnapshotFile } from '../src/facts/load.js';
import { branch, changelogEntry, reading, revision, snapshotOf, tag, tempDir } from './helpers.js';

// The TypeScript interfaces of src/facts/types.ts are derived from the model at the type
// level (tsc checks them when it builds); these tests check the model itself and what the
// CEL environment and the JSON schema are given from it.

const model = snapshotModel as Record<string, Record<string, FieldSpec>>;
const primitives = ['string', 'bool', 'int'];

function resolves(type: string): boolean {
  const list = /^list<(.+)>$/.exec(type);
  if (list) return resolves(list[1]);
  return primitives.includes(type) || type in model;
}

describe('the snapshot model', () => {
  it('names only CEL types it defines', () => {
    for (const [name, fields] of Object.entries(model)) {
      for (const [key, field] of Object.entries(fields)) expect(resolves(fieldType(field)), `${name}.${key}: ${fieldType(field)}`).toBe(true);
    }
  });

  it('gives values (enum) only to string fields and a constant only to int fields', () => {
    let enums = 0;
    for (const [name, fields] of Object.entries(model)) {
      for (const [key, field] of Object.entries(fields)) {
        const details = fieldDetails(field);
        if (details.enum) {
          enums++;
          expect(fieldType(field), `${name}.${key}`).toBe('string');
          expect(new Set(details.enum).size, `${name}.${key}`).toBe(details.enum.length);
          expect(details.enum.length, `${name}.${key}`).toBeGreaterThan(1);
        }
        if (details.const !== undefined) {
          expect(fieldType(field), `${name}.${key}`).toBe('int');
          expect(details.enum, `${name}.${key}`).toBeUndefined();
        }
      }
    }
    expect(enums).toBeGreaterThanOrEqual(6);
  });

  it('is what CEL sees, less the details: the same types, fields, CEL types and descriptions', () => {
    expect(Object.keys(snapshotTypes)).toEqual(Object.keys(model));
    for (const [name, fields] of Object.entries(model)) {
      expect(Object.keys(snapshotTypes[name]), name).toEqual(Object.keys(fields));
      for (const [key, field] of Object.entries(fields)) {
        const cel = snapshotTypes[name][key];
        expect(fieldType(cel), `${name}.${key}`).toBe(fieldType(field));
        expect(fieldDescription(cel), `${name}.${key}`).toBe(fieldDescription(field));
        expect(typeof cel === 'string' || cel.length === 2, `${name}.${key}`).toBe(true);
      }
    }
  });

  it('puts its values and constants in the JSON schema', () => {
    const schema = snapshotJsonSchema() as { properties: Record<string, Record<string, unknown>>; definitions: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    expect(schema.properties.schemaVersion).toEqual({ const: 2, description: 'incremented on incompatible changes' });
    expect(schema.definitions.Tag.properties.onRemote.enum).toEqual(['yes', 'no', 'unknown']);
    expect(schema.definitions.Tag.properties.push.enum).toEqual(['', 'create', 'update', 'delete']);
    expect(schema.definitions.Revision.properties.kind).toMatchObject({ type: 'string', enum: ['tag', 'production', 'integration', 'release-branch', 'pull-request'] });
    expect(schema.definitions.PullRequestFile.properties.kind.enum).toEqual(schema.definitions.PullRequest.properties.kind.enum);
  });
});

describe('a saved snapshot against the schema generated from the model', () => {
  const snapshot = () => {
    const at = revision('tag', 'v1.2.3');
    return snapshotOf({
      tags: [tag('v1.2.3')],
      branches: [branch('release/1.2.x')],
      revisions: [at],
      versionSources: [reading(at, 'package.json', '/version', '1.2.3')],
      changelogEntries: [changelogEntry(at, '1.2.3', 'v1.2.2')],
    });
  };
  const save = (data: unknown) => {
    const file = join(tempDir(), 'snapshot.json');
    writeFileSync(file, JSON.stringify(data, null, 2));
    return file;
  };

  it('loads a snapshot whose values the model allows', () => {
    const data = snapshot();
    expect(loadSnapshotFile(save(data))).toEqual(data);
  });

  it('refuses a value outside a field’s values', () => {
    const data = snapshot();
    (data.revisions[0] as { kind: string }).kind = 'nightly';
    expect(() => loadSnapshotFile(save(data))).toThrow('kind must be one of "tag", "production"');
    const onRemote = snapshot();
    (onRemote.tags[0] as { onRemote: string }).onRemote = 'maybe';
    expect(() => loadSnapshotFile(save(onRemote))).toThrow('tags.0.onRemote must be one of "yes", "no", "unknown"');
  });
});
