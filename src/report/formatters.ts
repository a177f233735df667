/** Every report format behind one type: the command line looks a format up here by its name. */
import { renderGithub } from './github.js';
import { renderHuman } from './human.js';
import { renderJsonPieces } from './json.js';
import { markdownBudgets, renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import type { Expand, ReportInput } from './types.js';

/** The format names `-f` accepts, in the order --help and error messages list them. */
export const formatNames = ['human', 'json', 'sarif', 'github', 'markdown', 'markdown-comment'] as const;
export type FormatName = (typeof formatNames)[number];

/** What a format may need besides the report input; each format reads only its part. */
export interface FormatContext {
  /** When the run started and ended (SARIF's invocation). */
  times: { start: Date; end: Date };
  /** SARIF's automationDetails.id (see sarifCategory). */
  category: string;
  /** Colour the text (human). */
  color: boolean;
  /** Rules listed in full (human, Markdown). */
  expand?: Expand;
}

/** A report's text, whole or in pieces written one after the other (a large JSON report). */
export type Formatter = (input: ReportInput, context: FormatContext) => string | Iterable<string>;

export const formatters: Record<FormatName, Formatter> = {
  human: (input, { color, expand }) => renderHuman(input, { color, expand }),
  json: (input) => renderJsonPieces(input),
  sarif: (input, { times, category }) => renderSarif(input, times, category),
  github: (input) => renderGithub(input),
  markdown: (input, { expand }) => renderMarkdown(input, { budget: markdownBudgets.jobSummary, expand }),
  'markdown-comment': (input, { expand }) => renderMarkdown(input, { budget: markdownBudgets.comment, expand }),
};
