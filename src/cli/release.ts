import { InputError } from '../errors.js';
import type { Invocation } from './arguments.js';
import { judge } from './pipeline.js';

/** `release-lint release <tag>`: a published tag and its GitHub Release. */
export function releaseCommand(invocation: Invocation): Promise<number> {
  const { options, args } = invocation;
  if (options.snapshot) throw new InputError('the release command reads the repository; it cannot lint a saved snapshot');
  return judge(invocation, {
    subjects: new Set([`tag ${args[0]}`]),
    collect: { candidate: { name: args[0], ref: args[0], message: null }, requireExisting: true },
    releases: { required: true, tag: args[0] },
  });
}
