import { InputError } from '../errors.js';
import { maxMessageFileBytes, readBoundedFile } from '../read-file.js';
import { tagNameProblem } from '../refname.js';
import { gatherRequest, type Invocation } from './arguments.js';
import { openRepository } from './gather.js';
import type { Options } from './options.js';
import { judge } from './pipeline.js';

/** `release-lint tag <name>`: the existing tag, or the one `git tag -a <name> <ref> -m <message>` would create. */
export async function tagCommand(invocation: Invocation): Promise<number> {
  const { options, args } = invocation;
  if (options.snapshot) throw new InputError('the tag command reads the repository; it cannot lint a saved snapshot');
  // A name git would refuse is never safe to push, and would be misquoted in fixes.
  const problem = tagNameProblem(args[0]);
  if (problem) throw new InputError(`${JSON.stringify(args[0])} is not a tag name git accepts: ${problem} (git check-ref-format)`);
  const candidate = { name: args[0], ref: options.ref ?? 'HEAD', message: tagMessage(options) };
  // The policy first: a version typed without the tag prefix would be judged as no release tag at all.
  const repository = options.remote ? undefined : await openRepository(gatherRequest(options));
  const prefix = repository?.config.tags.prefix;
  if (prefix && !candidate.name.startsWith(prefix) && /^\d+\.\d+/.test(candidate.name)) {
    throw new InputError(`tag "${candidate.name}" lacks the prefix "${prefix}" (tags.prefix): did you mean ${prefix}${candidate.name}?`);
  }
  return judge(invocation, { subjects: new Set([`tag ${candidate.name}`]), collect: { candidate }, repository });
}

function tagMessage(options: Options): string | null {
  if (options['message-file']) {
    return readBoundedFile(options['message-file'], 'the message file', maxMessageFileBytes);
  }
  // Like git tag, each -m is a paragraph.
  return options.message ? options.message.join('\n\n') : null;
}
