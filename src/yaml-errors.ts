import type { YAMLError } from 'yaml';

/** One line for a YAML syntax error, with a hint for the mistake rule authors make most. */
export function describeYamlError(error: YAMLError): { message: string; line?: number; column?: number } {
  let message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/Nested mappings are not allowed in compact mappings|Implicit map keys need to be/.test(message)) {
    message += ' (a value that contains ": " must be quoted)';
  }
  const position = error.linePos?.[0];
  return { message, line: position?.line, column: position?.col };
}
