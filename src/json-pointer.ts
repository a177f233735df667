/** JSON Pointers (RFC 6901), both ways: version sources are read at them, findings name config keys by them. */

/** RFC 6901 tokens: `/packages//version` → ['packages', '', 'version']; `/.` → ['.']. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON Pointer of these keys: `['packages', 'a/b']` → `/packages/a~1b`; the inverse of pointerTokens. */
export function pointerOf(tokens: readonly string[]): string {
  return tokens.map((token) => `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
