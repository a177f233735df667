/**
 * Git's rules for ref names (`git check-ref-format`, refs.c check_refname_format), in code: a tag
 * name is checked without a git process. Returns what is wrong with `refs/tags/<name>`, or
 * undefined when git would accept it as a tag name.
 */
export function tagNameProblem(name: string): string | undefined {
  // git tag refuses these itself (strbuf_check_tag_ref): they would be read as options.
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name === '') return 'it is empty';
  return refNameProblem(`refs/tags/${name}`);
}

/** What is wrong with a full ref name by git's rules, or undefined. */
export function refNameProblem(ref: string): string | undefined {
  if (ref === '@') return 'it is "@"';
  if (ref.endsWith('.')) return 'it ends with "."';
  for (const component of ref.split('/')) {
    if (component === '') return ref.startsWith('/') || ref.endsWith('/') ? 'it starts or ends with "/"' : 'it contains "//"';
    if (component.startsWith('.')) return `a part of it starts with "." (${JSON.stringify(component)})`;
    if (component.endsWith('.lock')) return 'a part of it ends with ".lock"';
  }
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    const c = ref[i];
    if (code < 0x20 || code === 0x7f) return `it contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (c === ' ') return 'it contains a space';
    if ('~^:?*[\\'.includes(c)) return `it contains "${c}"`;
    if (c === '.' && ref[i + 1] === '.') return 'it contains ".."';
    if (c === '@' && ref[i + 1] === '{') return 'it contains "@{"';
  }
  return undefined;
}
