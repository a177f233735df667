/** The command line's options, shared by the entry point (which looks ahead) and the CLI. */
import type { ParseArgsConfig } from 'node:util';

export const optionSpec: ParseArgsConfig['options'] = {
  repo: { type: 'string', short: 'C' },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  all: { type: 'boolean' },
  expand: { type: 'string', multiple: true },
  snapshot: { type: 'string' },
  baseline: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'max-warnings': { type: 'string' },
  'allow-inconclusive': { type: 'boolean' },
  offline: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  debug: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  ref: { type: 'string' },
  message: { type: 'string', short: 'm', multiple: true },
  'message-file': { type: 'string' },
  force: { type: 'boolean' },
  'github-api-url': { type: 'string' },
  remote: { type: 'string' },
  'no-js-config': { type: 'boolean' },
  'rule-timeout': { type: 'string' },
  'sarif-category': { type: 'string' },
  trace: { type: 'string' },
};

export interface Options {
  repo?: string;
  config?: string;
  format?: string[];
  output?: string;
  all?: boolean;
  expand?: string[];
  snapshot?: string;
  baseline?: string;
  rule?: string[];
  'max-warnings'?: string;
  'allow-inconclusive'?: boolean;
  offline?: boolean;
  quiet?: boolean;
  'no-color'?: boolean;
  color?: boolean;
  debug?: boolean;
  version?: boolean;
  help?: boolean;
  ref?: string;
  message?: string[];
  'message-file'?: string;
  force?: boolean;
  'github-api-url'?: string;
  remote?: string;
  'no-js-config'?: boolean;
  'rule-timeout'?: string;
  'sarif-category'?: string;
  trace?: string;
}
