import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

/**
 * Line and column of the node at `path` in a YAML (or JSON) text: the key when the path ends
 * at a map entry, else the value. Falls back to the deepest node found.
 */
export function positionOfPath(text: string, path: readonly (string | number)[], at: 'key' | 'value' = 'key'): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === String(segment));
      if (!pair) break;
      const key = pair.key as YamlNode | null;
      offset = key?.range?.[0] ?? offset;
      node = pair.value;
      if (segment !== path[path.length - 1] || at === 'value') offset = (node as YamlNode | null)?.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Line of the key at `path` in a YAML text, or undefined when the path is not all there. */
export function lineOfKey(text: string, path: readonly string[]): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of path) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === segment);
    if (!pair) return undefined;
    offset = (pair.key as YamlNode | null)?.range?.[0];
    node = pair.value;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
