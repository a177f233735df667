import { visit, type JSONPath } from 'jsonc-parser';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { pointerTokens } from '../json-pointer.js';
import { parseVersion, type Version } from './version.js';

export interface LocatedValue {
  found: boolean;
  value: string;
  line: number;
  column: number;
  problem: string;
}

const notFound = (problem: string): LocatedValue => ({ found: false, value: '', line: 0, column: 0, problem });

function located(value: unknown, line: number, column: number): LocatedValue {
  if (typeof value !== 'string') return { ...notFound('not a string'), line, column };
  return { found: true, value, line, column, problem: '' };
}

/**
 * Reads several JSON Pointers from one JSON text in a single pass, skipping unrelated subtrees.
 * Of duplicate keys the last one counts, as in npm (JSON.parse): `{"version":"0.6.8","version":"9.9.9"}`
 * publishes 9.9.9.
 */
export function readJsonPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
  return scanJsonPointers(text, pointers) ?? visitJsonPointers(text, pointers);
}

/**
 * The same answer as visitJsonPointers for a valid JSON text without carriage returns, by a scan
 * that steps over the subtrees no pointer goes into instead of tokenizing them: a 700 KB npm lock
 * file is read in a few milliseconds instead of 25. Anything else (invalid JSON, CR line breaks,
 * a byte-order mark): undefined, and the tolerant parser decides.
 */
function scanJsonPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> | undefined {
  if (text.includes('\r')) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const wanted = pointers.map((pointer) => ({ pointer, tokens: pointerTokens(pointer) }));
  const found = new Map<string, { value: unknown; offset: number }>();
  let i = 0;
  const space = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 9; c = text.charCodeAt(++i));
  };
  const skipString = () => {
    for (let quote = text.indexOf('"', i + 1); ; quote = text.indexOf('"', quote + 1)) {
      let slashes = 0;
      while (text.charCodeAt(quote - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) {
        i = quote + 1;
        return;
      }
    }
  };
  const skipValue = () => {
    const c = text.charCodeAt(i);
    if (c === 34) return skipString();
    if (c !== 123 && c !== 91) {
      while (i < text.length && !',}] \n\t'.includes(text[i])) i++;
      return;
    }
    for (let depth = 0; ; ) {
      const d = text.charCodeAt(i);
      if (d === 34) {
        skipString();
        continue;
      }
      i++;
      if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return;
    }
  };
  /** Steps over a member's value and the comma after it. */
  const skipMember = () => {
    space();
    skipValue();
    space();
    if (text.charCodeAt(i) === 44) i++;
    space();
  };
  const matches = (path: string[]) => wanted.filter(({ tokens }) => tokens.length === path.length && path.every((p, k) => p === tokens[k]));
  const leadsOn = (path: string[]) => wanted.some(({ tokens }) => tokens.length > path.length && path.every((p, k) => p === tokens[k]));
  const value = (path: string[]) => {
    space();
    const start = i;
    const c = text.charCodeAt(i);
    const here = matches(path);
    if ((c === 123 || c === 91) && leadsOn(path)) {
      i++;
      space();
      // The members a pointer names next, as JSON writes them (a key with escapes is decoded).
      const next = new Set(wanted.filter(({ tokens }) => tokens.length > path.length && path.every((p, k) => p === tokens[k])).map(({ tokens }) => tokens[path.length]));
      const quoted = new Set([...next].map((token) => JSON.stringify(token)));
      for (let index = 0; text.charCodeAt(i) !== (c === 123 ? 125 : 93); index++) {
        let key = String(index);
        if (c === 123) {
          const keyStart = i;
          skipString();
          const raw = text.slice(keyStart, i);
          const decoded = quoted.has(raw) || raw.includes('\\') ? (JSON.parse(raw) as string) : undefined;
          space();
          i++; // the colon
          if (decoded !== undefined) key = decoded;
          if (decoded === undefined || !next.has(decoded)) {
            skipMember();
            continue;
          }
        } else if (!next.has(key)) {
          skipMember();
          continue;
        }
        value([...path, key]);
        space();
        if (text.charCodeAt(i) === 44) i++;
        space();
      }
      i++;
    } else if (here.length > 0 && c === 34) {
      skipString();
    } else skipValue();
    // Objects and arrays are never versions; a literal is parsed for its type and text.
    for (const { pointer } of here) found.set(pointer, { value: c === 123 ? {} : c === 91 ? [] : JSON.parse(text.slice(start, i)), offset: start });
  };
  value([]);
  const results = new Map<string, LocatedValue>();
  for (const { pointer } of wanted) {
    const at = found.get(pointer);
    if (!at) {
      results.set(pointer, notFound('pointer not found'));
      continue;
    }
    const lineStart = text.lastIndexOf('\n', at.offset - 1) + 1;
    let line = 1;
    for (let n = text.indexOf('\n'); n >= 0 && n < at.offset; n = text.indexOf('\n', n + 1)) line++;
    results.set(pointer, located(at.value, line, at.offset - lineStart + 1));
  }
  return results;
}

/** JSON Pointers read by jsonc-parser's tolerant visitor, which also says where a text is not JSON. */
export function visitJsonPointers(text: string, pointers: readonly string[]): Map<string, LocatedValue> {
  const wanted = pointers.map((pointer) => ({ pointer, tokens: pointerTokens(pointer) }));
  const results = new Map<string, LocatedValue>();
  const record = (path: JSONPath, value: unknown, line: number, column: number) => {
    for (const { pointer, tokens } of wanted) {
      if (path.length === tokens.length && path.every((p, i) => String(p) === tokens[i])) {
        results.set(pointer, located(value, line + 1, column + 1));
      }
    }
  };
  let syntaxError = '';
  visit(
    text,
    {
      // Every subtree is visited: skipping one (returning false) leaves its key on jsonc-parser's
      // path, so every later sibling was read under the wrong path (`{"a":{},"version":"1.0.0"}`
      // had no /version). Only invalid texts come here; valid ones are scanned.
      onObjectBegin: (_o, _l, line, column, pathSupplier) => record(pathSupplier(), {}, line, column),
      onArrayBegin: (_o, _l, line, column, pathSupplier) => record(pathSupplier(), [], line, column),
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

/** A version read from a TOML text at JSON Pointers; its line located by the tables and keys above it. */
export function readTomlPointers(text: string, pointers: readonly string[], parse: (text: string) => unknown): Map<string, LocatedValue> {
  const results = new Map<string, LocatedValue>();
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    for (const pointer of pointers) results.set(pointer, notFound(`parse error: ${message}`));
    return results;
  }
  for (const pointer of pointers) {
    const tokens = pointerTokens(pointer);
    let node: unknown = document;
    for (const token of tokens) node = node !== null && typeof node === 'object' && Object.hasOwn(node, token) ? (node as Record<string, unknown>)[token] : undefined;
    if (node === undefined) {
      results.set(pointer, notFound('pointer not found'));
      continue;
    }
    const line = tomlKeyLine(text, tokens);
    results.set(pointer, located(node, line, line > 0 ? 1 : 0));
  }
  return results;
}

/** TOML key tokens of a table header or a dotted key: `a."b.c"` → ['a', 'b.c']. */
function tomlKeyPath(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g)) keys.push(match[1] ?? match[2] ?? match[3]);
  return keys;
}

/** The 1-based line that defines the key at `tokens` (in its table, as a dotted key, or inside an inline table); 0 when not found. */
function tomlKeyLine(text: string, tokens: string[]): number {
  const lines = text.split('\n');
  let table: string[] = [];
  const startsWith = (path: string[], prefix: string[]) => prefix.length <= path.length && prefix.every((t, i) => path[i] === t);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const header = /^\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = tomlKeyPath(header[1]);
      continue;
    }
    const assignment = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=/.exec(line);
    if (!assignment) continue;
    const path = [...table, ...tomlKeyPath(assignment[1])];
    // The key itself, or an inline table on this line that holds it.
    if (startsWith(tokens, path) && (path.length === tokens.length || line.includes('{'))) return i + 1;
  }
  return 0;
}

/** Release Please's generic updater: an inline marker, a block's start and end. */
export const genericMarker = 'x-release-please-version';
const inlineMarker = /x-release-please-(major|minor|patch|version)/;
const blockStart = /x-release-please-start-(major|minor|patch|version)/;
const blockEnd = /x-release-please-end/;
/** The first version-looking text on a line, which is what the updater replaces. */
const markedVersion = /\d+\.\d+\.\d+(?:-[\w.]+)?(?:\+[-\w.]+)?/;

/**
 * The versions a text file states, as Release Please's generic updater would rewrite them: the
 * first version on a line that carries `x-release-please-version`, or on each line after an
 * `x-release-please-start-version` up to and including its `x-release-please-end` (lines there
 * without a full version, such as a badge or an import path with only a major, are skipped); or
 * every match of `pattern`'s capture group. Of several, the first that differs from `expected` is
 * reported, so one stale occurrence is not hidden behind correct ones; else the first.
 */
export function readTextVersion(text: string, pattern: string | null, expected: string): LocatedValue {
  const found: LocatedValue[] = [];
  const lines = text.split('\n');
  if (pattern !== null) {
    const expression = new RegExp(pattern);
    lines.forEach((line, index) => {
      const match = expression.exec(line);
      if (match?.[1] !== undefined) found.push({ found: true, value: match[1], line: index + 1, column: match.index + Math.max(0, match[0].indexOf(match[1])) + 1, problem: '' });
    });
  } else {
    let block: string | undefined;
    lines.forEach((line, index) => {
      const inline = inlineMarker.exec(line);
      const scope = inline ? inline[1] : block;
      if (!inline && block !== undefined) {
        if (blockEnd.test(line)) block = undefined;
      } else if (!inline) {
        block = blockStart.exec(line)?.[1];
        return;
      }
      const version = scope === 'version' ? markedVersion.exec(line) : null;
      if (version) found.push({ found: true, value: version[0], line: index + 1, column: version.index + 1, problem: '' });
    });
  }
  if (found.length === 0) return notFound(pattern === null ? 'no version marked' : 'pattern not found');
  return found.find((f) => expected !== '' && f.value !== expected) ?? found[0];
}

export interface ParsedChangelogEntry {
  version: Version;
  heading: string;
  line: number;
  compareFrom: string;
  compareTo: string;
  compareLine: number;
  /** The file's last version entry: where the CHANGELOG starts. */
  oldest: boolean;
}

const versionPattern = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;
/** `## [1.2.3](…/compare/v1.2.2...v1.2.3) (2026-01-01)`, `## 1.2.3 (…)`, `## [1.2.3] - 2026-01-01`, `# v1.2.3`. */
const headingPattern = new RegExp(String.raw`^#{1,3}\s+\[?v?(${versionPattern})\]?(?:\(([^)\s]*)\))?`);
const linkDefinitionPattern = /^\[([^\]]+)\]:\s*(\S+)/;
/** A GitHub (`/compare/`) or GitLab (`/-/compare/`) compare URL: `<from>...<to>` or `<from>..<to>`. */
const comparePattern = /\/compare\/([^\s)]+?)\.\.\.?([^/?#\s)]+)/;

/** The range of a compare URL in `text`, or undefined. */
function compareRange(text: string): { from: string; to: string } | undefined {
  const match = comparePattern.exec(text);
  if (!match) return undefined;
  try {
    return { from: decodeURIComponent(match[1]), to: decodeURIComponent(match[2]) };
  } catch {
    return { from: match[1], to: match[2] };
  }
}

/** Whether a range's head names `version` (`v1.2.3`, `1.2.3`, `pkg-v1.2.3`). */
function namesVersion(to: string, version: string): boolean {
  if (!to.endsWith(version)) return false;
  const before = to.slice(0, to.length - version.length).replace(/v$/, '');
  return before === '' || /[^0-9A-Za-z.]$/.test(before);
}

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
    full.line = full.compareLine = text.slice(0, match.index).split('\n').length;
    if (isNewest) newest = full;
    if (full.version.text === version) return { newest, matching: full };
  }
  return { newest };
}

/**
 * The version entries of a CHANGELOG (Release Please, Keep a Changelog, generated release notes),
 * each with the compare range it states: in the heading's link; else on a body line before the
 * next heading whose range ends at the entry's version, or that is its `Full Changelog` line
 * (`Full Changelog: [a...b](…/compare/a...b)`, `**Full Changelog**: …/compare/a...b`); else in a link definition
 * (`[1.2.3]: …/compare/a...b`).
 */
export function parseChangelog(text: string): ParsedChangelogEntry[] {
  const entries: ParsedChangelogEntry[] = [];
  const linkDefinitions = new Map<string, { url: string; line: number }>();
  // Only headings, link definitions and lines with a compare URL matter: let the regex engine find
  // them instead of splitting large CHANGELOGs into lines.
  const interesting = /^(?:#{1,3}[ \t].*|\[[^\]\n]+\]:.*|.*\/compare\/.*)$/gm;
  let line = 1;
  let counted = 0;
  let current: ParsedChangelogEntry | undefined;
  let bodyRangeNamesVersion = false;
  for (let match = interesting.exec(text); match; match = interesting.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    const content = match[0].replace(/\r$/, '');
    const heading = content.charCodeAt(0) === 35 /* # */ ? headingPattern.exec(content) : null;
    if (heading) {
      const range = heading[2] ? compareRange(heading[2]) : undefined;
      current = {
        version: parseVersion(heading[1]),
        heading: content.trimEnd(),
        line,
        compareFrom: range?.from ?? '',
        compareTo: range?.to ?? '',
        compareLine: line,
        oldest: false,
      };
      bodyRangeNamesVersion = range !== undefined;
      entries.push(current);
      continue;
    }
    if (content.charCodeAt(0) === 35) {
      // Another heading (### Features) stays inside the entry; a top heading without a version ends it.
      if (/^#{1,2}[ \t]/.test(content)) current = undefined;
      continue;
    }
    const definition = linkDefinitionPattern.exec(content);
    if (definition) {
      linkDefinitions.set(definition[1].replace(/^v/, ''), { url: definition[2], line });
      continue;
    }
    const range = current ? compareRange(content) : undefined;
    if (!current || !range || bodyRangeNamesVersion) continue;
    // A body line counts when its range ends at this version, or when it is the entry's
    // `Full Changelog` line: an unrelated compare link in a bullet must not pass for the range.
    const named = namesVersion(range.to, current.version.text);
    if ((current.compareFrom === '' && /full changelog/i.test(content)) || named) {
      current.compareFrom = range.from;
      current.compareTo = range.to;
      current.compareLine = line;
      bodyRangeNamesVersion = named;
    }
  }
  for (const entry of entries) {
    if (entry.compareFrom !== '') continue;
    const definition = linkDefinitions.get(entry.version.text);
    const range = definition ? compareRange(definition.url) : undefined;
    if (range && definition) {
      entry.compareFrom = range.from;
      entry.compareTo = range.to;
      entry.compareLine = definition.line;
    }
  }
  if (entries.length > 0) entries[entries.length - 1].oldest = true;
  return entries;
}
