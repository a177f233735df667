/**
 * The one escaping function of every report. Text from a repository, a config or a server (a tag
 * message, a branch name, a version value, a file name, an error GitHub sent) reaches a terminal,
 * a CI log, an annotation, a job summary or code scanning only through `escapeText`, so what one
 * report neutralises, every report neutralises. Only JSON keeps the text exact: it is data for
 * programs, and JSON encoding already makes it inert. Every context, JSON too, first loses the
 * secrets (the GitHub token, in any case or cut; see redactSecrets).
 */
import { hasSecrets, redactSecrets } from '../redact.js';

/**
 * Where the text goes: the terminal (`human`), a Markdown table cell or paragraph (`markdown`),
 * the message of a GitHub workflow command (`github-message`) or one of its `key=value`
 * properties (`github-property`), a SARIF message (`sarif`), or JSON (`json`, exact).
 */
export type TextContext = 'human' | 'markdown' | 'github-message' | 'github-property' | 'sarif' | 'json';

/**
 * C0 and C1 controls (every escape sequence — CSI, OSC 8 hyperlinks, BEL-terminated titles —
 * starts with one) except tab and line feed, and the Unicode direction and line-separator marks
 * that make a text display other than it reads (U+202E and the rest).
 */
export const unsafeCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Workflow-command data: `%`, CR and LF are escaped (GitHub's own toolkit does the same). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command properties also escape `:` and `,`, which separate them. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Markdown: no markup, HTML or table pipes from the text. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Each unsafe character as a visible `\uXXXX`, so the reader sees that something was there. */
function visible(text: string): string {
  return anyUnsafe.test(text) ? text.replace(unsafeCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** unsafeCharacters without the g flag, for a quick test (most texts have none). */
const anyUnsafe = new RegExp(unsafeCharacters.source);

/**
 * The text made safe for `context`: secrets redacted, unsafe characters shown as `\uXXXX` (a line feed becomes a
 * space where a line break would end the item: the terminal line, the Markdown cell; a workflow
 * command encodes it), then the syntax of the format escaped. JSON is returned exact.
 */
export function escapeText(text: string, context: TextContext): string {
  const plain = redactSecrets(text);
  if (context === 'json') return plain;
  const safe = visible(plain);
  switch (context) {
    case 'human':
      return safe.replace(/\n/g, ' ');
    case 'markdown':
      return escapeMarkdown(safe.replace(/\n/g, ' '));
    case 'github-message':
      return escapeData(safe);
    case 'github-property':
      return escapeProperty(safe);
    case 'sarif':
      return safe;
  }
}

/**
 * A JSON document (the JSON report, SARIF) whose strings parse back to the exact text, with every
 * unsafe character written as a JSON `\uXXXX` escape: JSON.stringify leaves C1 controls and
 * direction marks raw, and the file may well be printed to a terminal. Secrets are redacted from
 * every string.
 */
export function stringifyJson(value: unknown): string {
  return [...jsonPieces(value as Record<string, unknown>, [])].join('');
}

/**
 * The same document as stringifyJson, in pieces: the elements of the `streamed` top-level lists
 * one at a time, so a report of 30,000 findings is never one string (and a copy of it) in memory.
 * The text is exactly JSON.stringify's with an indent of 2.
 */
export function* jsonPieces(value: Record<string, unknown>, streamed: readonly string[]): Generator<string> {
  const redact = hasSecrets() ? (_key: string, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v) : undefined;
  const json = (v: unknown, indent: string) =>
    JSON.stringify(v, redact, 2)
      .replace(unsafeCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\n/g, `\n${indent}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    yield json(value, '') + '\n';
    return;
  }
  const keys = Object.keys(value).filter((key) => value[key] !== undefined);
  if (keys.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [k, key] of keys.entries()) {
    const item = value[key];
    const separator = k < keys.length - 1 ? ',' : '';
    if (streamed.includes(key) && Array.isArray(item) && item.length > 0) {
      yield `\n  ${JSON.stringify(key)}: [`;
      for (const [i, element] of item.entries()) yield `\n    ${json(element, '    ')}${i < item.length - 1 ? ',' : ''}`;
      yield `\n  ]${separator}`;
    } else yield `\n  ${JSON.stringify(key)}: ${json(item, '  ')}${separator}`;
  }
  yield '\n}\n';
}
