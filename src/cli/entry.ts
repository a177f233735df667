/**
 * The command line's entry point, kept small: it starts the first git process (finding the work
 * tree) and only then loads the rest of the CLI, so module loading and git overlap.
 */
import { resolve } from 'node:path';
import { prefetchLocation } from '../git/locate.js';

/** The folder the command will look for a repository in; undefined when it needs none. */
function repositoryFolder(argv: string[]): string | undefined {
  let repo = '.';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (['-h', '--help', '-v', '--version'].includes(arg) || arg.startsWith('--snapshot') || arg.startsWith('--remote')) return undefined;
    if (arg === '-C' || arg === '--repo') repo = argv[++i] ?? '.';
    else if (arg.startsWith('--repo=')) repo = arg.slice('--repo='.length);
    else if (arg.startsWith('-C')) repo = arg.slice(2);
  }
  return resolve(repo);
}

export async function main(argv: string[]): Promise<number> {
  const folder = repositoryFolder(argv);
  if (folder !== undefined) prefetchLocation(folder);
  const cli = await import('./main.js');
  return cli.main(argv);
}
