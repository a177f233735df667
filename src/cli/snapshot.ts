import { gather } from './gather.js';
import { gatherRequest, type Invocation } from './arguments.js';
import { write } from './output.js';

/** `release-lint snapshot`: the gathered facts as JSON, judged by nothing. */
export async function snapshotCommand({ options }: Invocation): Promise<number> {
  const { snapshot, cleanup } = await gather(gatherRequest(options));
  cleanup?.();
  write(JSON.stringify(snapshot, null, 2) + '\n', options.output);
  return 0;
}
