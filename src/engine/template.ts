import { ExpressionError, fromCelValue, type CompiledExpression, type ExpressionEnvironment } from './cel.js';

export interface CompiledTemplate {
  render(context: Record<string, unknown>): string;
}

type Part = string | CompiledExpression;

/** End of a `${...}` interpolation starting at `start` (the index after `${`), skipping strings and nested braces. */
function interpolationEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const quote = c;
      for (i++; i < text.length && text[i] !== quote; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A list in a message names this many items and counts the rest, so no finding runs to pages. */
export const listedItems = 10;

function display(value: unknown): string {
  const plain = fromCelValue(value);
  if (typeof plain === 'string') return plain;
  if (Array.isArray(plain) && plain.every((v) => typeof v !== 'object')) {
    const shown = plain.slice(0, listedItems).join(', ');
    return plain.length > listedItems ? `${shown} and ${plain.length - listedItems} more` : shown;
  }
  return typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
}

/** Compiles `text ${cel} text`; an ExpressionError's offset is relative to the whole template. */
export function compileTemplate(env: ExpressionEnvironment, text: string): CompiledTemplate {
  const parts: Part[] = [];
  let position = 0;
  for (;;) {
    const open = text.indexOf('${', position);
    if (open < 0) break;
    const end = interpolationEnd(text, open + 2);
    if (end < 0) throw new ExpressionError('unterminated ${ in template', open);
    if (open > position) parts.push(text.slice(position, open));
    const source = text.slice(open + 2, end);
    try {
      parts.push(env.compile(source));
    } catch (error) {
      if (error instanceof ExpressionError) throw new ExpressionError(error.message, open + 2 + error.offset);
      throw error;
    }
    position = end + 1;
  }
  if (position < text.length) parts.push(text.slice(position));
  return {
    render: (context) => {
      let text = '';
      for (const part of parts) text += typeof part === 'string' ? part : display(part.evaluate(context));
      return text;
    },
  };
}
