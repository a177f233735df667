/** A traced element (check --trace, release-lint test) in words: shared by the report and the test runner. */
import type { ElementTrace } from './evaluate.js';

/** A value for one line: JSON, cut after `max` characters. */
export function shortValue(value: unknown, max = 200): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What happened to an element, in one line: "passed", "failed: <that>", "skipped by when", "undecided: <reason>". */
export function outcomeText(element: ElementTrace): string {
  switch (element.outcome) {
    case 'passed':
      return 'passed';
    case 'skipped':
      return 'skipped by when';
    case 'failed':
      return `failed: ${element.detail}`;
    case 'undecided':
      return `undecided: ${element.detail}`;
    default:
      return `error: ${element.detail}`;
  }
}

