import { visit, type Document, type YAMLError } from 'yaml';
import { InputError, positionOf } from './errors.js';

/** One line for a YAML syntax error, with a hint for the mistake rule authors make most. */
export function describeYamlError(error: YAMLError): { message: string; line?: number; column?: number } {
  let message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/Nested mappings are not allowed in compact mappings|Implicit map keys need to be/.test(message)) {
    message += ' (a value that contains ": " must be quoted)';
  }
  const position = error.linePos?.[0];
  return { message, line: position?.line, column: position?.col };
}

/**
 * The document as plain data; what only shows while converting (an alias bomb: a few lines whose
 * aliases expand to millions of nodes) becomes the same one-line error as a syntax error, at the
 * first alias.
 */
export function yamlToJS(doc: Document, text: string, file: string, kind: 'YAML' | 'JSON' = 'YAML'): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    let offset: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    const position = offset === undefined ? undefined : positionOf(text, offset);
    const reason = (error as Error).message.split('\n')[0];
    throw new InputError(`invalid ${kind}: ${reason}`, file, position?.line, position?.column);
  }
}
