import type { Invocation } from './arguments.js';
import { judge } from './pipeline.js';

/** `release-lint check`: the whole release state, with GitHub Releases when GitHub can be asked. */
export function checkCommand(invocation: Invocation): Promise<number> {
  return judge(invocation, { releases: { required: false } });
}
