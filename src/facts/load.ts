import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError, positionOf } from '../errors.js';
import { maxSnapshotFileBytes, readBoundedFile } from '../read-file.js';
import { describeSchemaError } from '../schema/validate.js';
import { validate as validateSnapshotSchema } from '../schema/generated/snapshot.js';
import { positionOfPath } from '../yaml-position.js';
import type { Snapshot } from './types.js';

/** Reads a snapshot saved by `release-lint snapshot`, refusing anything the schema does not describe. */
export function loadSnapshotFile(file: string): Snapshot {
  const text = readBoundedFile(file, 'snapshot', maxSnapshotFileBytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's messages carry no reliable position; jsonc-parser's strict mode does.
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const position = first ? positionOf(text, first.offset) : undefined;
    throw new InputError(`invalid JSON: ${first ? printParseErrorCode(first.error) : 'cannot parse'}`, file, position?.line, position?.column);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (data !== null && typeof data === 'object' && version !== 2) {
    throw new InputError(`unsupported snapshot schemaVersion ${JSON.stringify(version)} (this release-lint reads version 2; save the snapshot again with release-lint snapshot)`, file);
  }
  // Saved before tags recorded what the remote's tag is: it was not known, as when --offline.
  const savedTags = data !== null && typeof data === 'object' ? (data as { tags?: unknown }).tags : undefined;
  if (Array.isArray(savedTags)) {
    for (const tag of savedTags) {
      if (tag !== null && typeof tag === 'object' && !Array.isArray(tag) && !('remoteAnnotated' in tag) && !('remoteCommit' in tag)) Object.assign(tag, { remoteAnnotated: false, remoteCommit: '' });
    }
  }
  if (!validateSnapshotSchema(data)) {
    const { message, path, at } = describeSchemaError(validateSnapshotSchema.errors!, 'the snapshot');
    let position: { line: number; column: number } | undefined;
    try {
      position = positionOfPath(text, path, at);
    } catch {
      position = undefined;
    }
    throw new InputError(message, file, position?.line, position?.column);
  }
  const snapshot = data as Snapshot;
  // Saved before these facts had ids of their own, a snapshot held them with the facts they belong to.
  const implied: Record<string, string[]> = { 'all-tags': ['tag-messages'], 'file-contents': ['files-at-tags', 'files-at-branch-heads'] };
  for (const [fact, parts] of Object.entries(implied)) {
    if (snapshot.collected.includes(fact)) for (const part of parts) if (!snapshot.collected.includes(part)) snapshot.collected.push(part);
  }
  return snapshot;
}
