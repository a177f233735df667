import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder the suite makes — by tests, fixture scripts, and the CLI and git
 * processes they start — lands under one root that is removed at the end, so a test that
 * forgets its cleanup (or fails before it) leaves nothing behind. The forked workers inherit
 * TMPDIR, and os.tmpdir() reads it on each call.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'release-lint-suite-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
