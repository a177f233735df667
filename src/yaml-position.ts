import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

/**
 * Positions of paths in one parsed YAML (or JSON) document: built once per file, asked many
 * times (every rule setting, ignore entry or rule id), so a file is never parsed again for them.
 */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  static of(text: string): YamlLocator {
    const lineCounter = new LineCounter();
    return new YamlLocator(parseDocument(text, { lineCounter }), lineCounter);
  }

  /** The offset of the key (or value) at `path`, and whether the whole path was found. */
  private walk(path: readonly (string | number)[], at: 'key' | 'value'): { offset: number; found: boolean } {
    let node: unknown = this.doc.contents;
    let offset = (this.doc.contents as YamlNode | null)?.range?.[0] ?? 0;
    for (const [index, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === String(segment));
        if (!pair) return { offset, found: false };
        offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
        node = pair.value;
        if (index < path.length - 1 || at === 'value') offset = (node as YamlNode | null)?.range?.[0] ?? offset;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as YamlNode | undefined;
        if (!item) return { offset, found: false };
        offset = item.range?.[0] ?? offset;
        node = item;
      } else return { offset, found: false };
    }
    return { offset, found: true };
  }

  /** Line and column of the key (or value) at `path`; the deepest node found when the path is not all there. */
  position(path: readonly (string | number)[], at: 'key' | 'value' = 'key'): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(this.walk(path, at).offset);
    return { line, column: col };
  }

  /** Line of the key at `path`, or undefined when the path is not all there. */
  lineOfKey(path: readonly (string | number)[]): number | undefined {
    const { offset, found } = this.walk(path, 'key');
    return found && path.length > 0 ? this.lineCounter.linePos(offset).line : undefined;
  }
}

/** Line and column of `path` in a text parsed once for the question (error paths only). */
export function positionOfPath(text: string, path: readonly (string | number)[], at: 'key' | 'value' = 'key'): { line: number; column: number } {
  return YamlLocator.of(text).position(path, at);
}
