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

/**
 * A top-level `key: plain-or-simply-quoted-scalar` line read without a YAML parser, or undefined
 * when the text is anything but plain block YAML at that key (then the full parser decides).
 * Version files are read at every tag, so this matters at thousands of tags.
 */
function readTopLevelScalar(text: string, key: string): LocatedValue | undefined {
  if (!/^[A-Za-z0-9_.-]+$/.test(key) || /^(---|\.\.\.)|^%|\t/m.test(text) || text.startsWith('{')) return undefined;
  const pattern = new RegExp(`^${key.replace(/\./g, '\\.')}:[ ]*(.*)$`, 'gm');
  const first = pattern.exec(text);
  if (!first || pattern.exec(text)) return undefined;
  const raw = first[1].replace(/\r$/, '').replace(/[ ]+#.*$/, '').replace(/[ ]+$/, '');
  let value: string;
  if (/^"[^"\\]*"$/.test(raw) || /^'[^']*'$/.test(raw)) value = raw.slice(1, -1);
  else if (/^[0-9A-Za-z][0-9A-Za-z.+_-]*$/.test(raw) && !/^(true|false|null|yes|no|on|off|~)$/i.test(raw)) value = raw;
  else return undefined;
  const line = text.slice(0, first.index).split('\n').length;
  return { found: true, value, line, column: first[0].length - first[1].length + 1, problem: '' };
}

/** Reads several JSON Pointers from one YAML text. */
export function readYamlPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
  const fast = new Map<string, LocatedValue>();
  for (const pointer of pointers) {
    const tokens = pointerTokens(pointer);
    const value = tokens.length === 1 ? readTopLevelScalar(text, tokens[0]) : undefined;
    if (!value) break;
    fast.set(pointer, value);
  }
  if (fast.size === pointers.length) return fast;
  return readYamlPointersParsed(text, pointers);
}

/** Reads several JSON Pointers from one YAML text with the full YAML parser. */
export function readYamlPointersParsed(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
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
/**
 * Version headings only (no compare ranges): what a CHANGELOG read at a tag needs. Returns the
 * newest heading and the one for `version`, if any.
 */
export function findChangelogHeading(text: string, version: string): { newest?: ParsedChangelogEntry; matching?: ParsedChangelogEntry } {
  const headings = /^#{1,3}[ \t]+\[?v?(\d+\.\d+\.\d+[^\]\s()]*)/gm;
  let newest: ParsedChangelogEntry | undefined;
  for (let match = headings.exec(text); match; match = headings.exec(text)) {
    const isNewest = newest === undefined;
    if (!isNewest && match[1] !== version) continue;
    const lineEnd = text.indexOf('\n', match.index);
    const full = parseChangelog(text.slice(match.index, lineEnd < 0 ? undefined : lineEnd))[0];
    if (!full) continue;
    full.line = text.slice(0, match.index).split('\n').length;
    if (isNewest) newest = full;
    if (full.version.text === version) return { newest, matching: full };
  }
  return { newest };
}

export function parseChangelog(text: string): ParsedChangelogEntry[] {
  const entries: ParsedChangelogEntry[] = [];
  const linkDefinitions = new Map<string, string>();
  // Only heading and link-definition lines matter: let the regex engine find them instead of
  // splitting large CHANGELOGs into lines.
  const interesting = /^(?:#{1,3}[ \t].*|\[[^\]\n]+\]:.*)$/gm;
  let line = 1;
  let counted = 0;
  for (let match = interesting.exec(text); match; match = interesting.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    const content = match[0].replace(/\r$/, '');
    if (content.charCodeAt(0) === 35 /* # */) {
      const heading = headingPattern.exec(content);
      if (heading) {
        const compare = heading[2] ? comparePattern.exec(heading[2]) : null;
        entries.push({
          version: parseVersion(heading[1]),
          heading: content.trimEnd(),
          line,
          compareFrom: compare ? decodeURIComponent(compare[1]) : '',
          compareTo: compare ? decodeURIComponent(compare[2]) : '',
        });
      }
    } else {
      const definition = linkDefinitionPattern.exec(content);
      if (definition) linkDefinitions.set(definition[1].replace(/^v/, ''), definition[2]);
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
