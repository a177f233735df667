import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root folder (holds rules/, schemas/, presets/), from source or from dist/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'release-lint') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('release-lint: cannot find its own package.json');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
export const toolVersion: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;
