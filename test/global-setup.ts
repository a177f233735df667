import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder the suite makes — by tests, fixture scripts, and the CLI and git
 * processes they start — lands under one private root (other runs on the machine do not touch
 * it, so what is left there is ours). The forked workers inherit TMPDIR, and os.tmpdir() reads it
 * on each call. A test must remove what it makes: at the end, anything left fails the run, listed
 * by name, and the root is removed all the same.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'release-lint-suite-'));
  process.env.TMPDIR = root;
  return () => {
    const leftovers = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (leftovers.length > 0) {
      process.stderr.write(`\ntest/global-setup.ts: the suite left ${leftovers.length} temporary ${leftovers.length === 1 ? 'entry' : 'entries'} behind (a test that does not remove what it makes): ${leftovers.sort().join(', ')}\n`);
      // vitest does not fail the run for an error thrown here; the exit code does.
      process.exitCode = 1;
    }
  };
}
