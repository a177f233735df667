import { visit, type JSONPath } from 'jsonc-parser';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { parseVersion, type Version } from './version.js';

export interface LocatedValue {
  found: boolean;
  value: string;
  line: number;
  column: number;
  problem: string;
}

const notFound = (problem: string): LocatedValue => ({ found: false, value: '', line: 0, column: 0, problem });

/** RFC 6901 tokens: `/packages//version` → ['packages', '', 'version']; `/.` → ['.']. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function located(value: unknown, line: number, column: number): LocatedValue {
  if (typeof value !== 'string') return { ...notFound('not a string'), line, column };
  return { found: true, value, line, column, problem: '' };
}

/** Reads several JSON Pointers from one JSON text in a single pass, skipping unrelated subtrees. */
export function readJsonPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
  const wanted = pointers.map((pointer) => ({ pointer, tokens: pointerTokens(pointer) }));
  const results = new Map<string, LocatedValue>();
  const onPath = (path: JSONPath) =>
    wanted.some(({ tokens }) => path.length < tokens.length && path.every((p, i) => String(p) === tokens[i]));
  const record = (path: JSONPath, value: unknown, line: number, column: number) => {
    for (const { pointer, tokens } of wanted) {
      if (!results.has(pointer) && path.length === tokens.length && path.every((p, i) => String(p) === tokens[i])) {
        results.set(pointer, located(value, line + 1, column + 1));
      }
    }
  };
  let syntaxError = '';
  visit(
    text,
    {
      onObjectBegin: (_o, _l, line, column, pathSupplier) => {
        const path = pathSupplier();
        record(path, {}, line, column);
        return onPath(path);
      },
      onArrayBegin: (_o, _l, line, column, pathSupplier) => {
        const path = pathSupplier();
        record(path, [], line, column);
        return onPath(path);
      },
      onLiteralValue: (value, _o, _l, line, column, pathSupplier) => record(pathSupplier(), value, line, column),
      onError: (error, offset) => {
        if (!syntaxError) syntaxError = `parse error at offset ${offset} (code ${error})`;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  for (const { pointer } of wanted) {
    if (!results.has(pointer)) results.set(pointer, notFound(syntaxError || 'pointer not found'));
  }
  return results;
}

/** Reads several JSON Pointers from one YAML text. */
export function readYamlPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const results = new Map<string, LocatedValue>();
  const error = doc.errors[0];
  for (const pointer of pointers) {
    if (error) {
      results.set(pointer, notFound(`parse error: ${error.message.split('\n')[0]}`));
      continue;
    }
    let node: unknown = doc.contents;
    for (const token of pointerTokens(pointer)) {
      if (isMap(node)) node = node.get(token, true);
      else if (isSeq(node) && /^\d+$/.test(token)) node = node.get(Number(token), true);
      else node = undefined;
      if (node === undefined) break;
    }
    if (node === undefined || node === null) {
      results.set(pointer, notFound('pointer not found'));
      continue;
    }
    const yamlNode = node as YamlNode;
    const position = yamlNode.range ? lineCounter.linePos(yamlNode.range[0]) : { line: 0, col: 0 };
    const value = isScalar(yamlNode) ? yamlNode.value : undefined;
    // YAML reads an unquoted `version: 1.2` as a number; the text is what the file says.
    const text2 = isScalar(yamlNode) && typeof value === 'number' && yamlNode.source !== undefined ? String(yamlNode.source) : value;
    results.set(pointer, located(text2, position.line, position.col));
  }
  return results;
}

export interface ParsedChangelogEntry {
  version: Version;
  heading: string;
  line: number;
  compareFrom: string;
  compareTo: string;
}

const versionPattern = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;
/** `## [1.2.3](…/compare/v1.2.2...v1.2.3) (2026-01-01)`, `### 1.2.3 (…)`, `## [1.2.3] - 2026-01-01`. */
const headingPattern = new RegExp(String.raw`^#{1,3}\s+\[?v?(${versionPattern})\]?(?:\(([^)\s]*)\))?`);
const linkDefinitionPattern = /^\[([^\]]+)\]:\s*(\S+)/;
const comparePattern = /\/compare\/(.+?)\.\.\.?([^/?#\s)]+)/;

/**
 * Version headings of a CHANGELOG in Release Please or Keep a Changelog style, with the compare
 * range from the heading's link or from a link reference definition further down.
 */
export function parseChangelog(text: string): ParsedChangelogEntry[] {
  const entries: ParsedChangelogEntry[] = [];
  const linkDefinitions = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charCodeAt(0) === 35 /* # */) {
      const match = headingPattern.exec(line);
      if (match) {
        const compare = match[2] ? comparePattern.exec(match[2]) : null;
        entries.push({
          version: parseVersion(match[1]),
          heading: line.replace(/\s+$/, ''),
          line: i + 1,
          compareFrom: compare ? decodeURIComponent(compare[1]) : '',
          compareTo: compare ? decodeURIComponent(compare[2]) : '',
        });
      }
    } else if (line.charCodeAt(0) === 91 /* [ */) {
      const match = linkDefinitionPattern.exec(line);
      if (match) linkDefinitions.set(match[1].replace(/^v/, ''), match[2]);
    }
  }
  for (const entry of entries) {
    if (entry.compareFrom !== '') continue;
    const url = linkDefinitions.get(entry.version.text);
    const compare = url ? comparePattern.exec(url) : null;
    if (compare) {
      entry.compareFrom = decodeURIComponent(compare[1]);
      entry.compareTo = decodeURIComponent(compare[2]);
    }
  }
  return entries;
}
