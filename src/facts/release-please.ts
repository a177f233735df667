import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { positionOf } from '../errors.js';
import type { ConfigKey } from './types.js';

/**
 * Top-level keys and per-package keys (`packages.<path>.<key>`) of a Release Please manifest
 * config, with their lines. Returns a problem instead when the text is not a JSON object.
 */
export function releasePleaseConfigKeys(file: string, source: string): { keys: ConfigKey[]; problem: string } {
  const errors: Array<{ offset: number }> = [];
  const root = parseTree(source, errors as never, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !root || root.type !== 'object') {
    const where = errors[0] ? positionOf(source, errors[0].offset) : { line: 1, column: 1 };
    return { keys: [], problem: `${file} is not a valid JSON object (line ${where.line}, column ${where.column})` };
  }
  const keys: ConfigKey[] = [];
  const valueText = (node: JsonNode | undefined) => (node === undefined ? '' : node.type === 'string' ? String(node.value) : source.slice(node.offset, node.offset + node.length));
  const add = (scope: string, property: JsonNode) => {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode) return;
    const { line, column } = positionOf(source, keyNode.offset);
    keys.push({ file, scope, key: String(keyNode.value), value: valueText(value), line, column });
  };
  for (const property of root.children ?? []) {
    add('', property);
    const [keyNode, value] = property.children ?? [];
    if (keyNode?.value === 'packages' && value?.type === 'object') {
      for (const pkg of value.children ?? []) {
        const [pathNode, settings] = pkg.children ?? [];
        if (settings?.type === 'object') for (const setting of settings.children ?? []) add(String(pathNode.value), setting);
      }
    }
  }
  return { keys, problem: '' };
}
