// Bundles the CLI into dist/bundle (run by `npm run build` after tsc): one small entry that starts
// git early, and chunks loaded after it. Loading one bundle instead of hundreds of modules is most
// of release-lint's start-up.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes; stale chunks from earlier builds would pile up. The bundle is
// written beside the old one and swapped in whole, so a run started meanwhile never sees half of it.
rmSync('dist/bundle.next', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/entry.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's "main" is a UMD build with dynamic requires; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  outdir: 'dist/bundle.next',
  // Less text for node to parse at every start; identifiers keep their names for --debug stacks.
  minifyWhitespace: true,
  minifySyntax: true,
  // Nothing is external: the installed package has no runtime dependencies, so everything the
  // CLI loads must be in the bundle (a JavaScript config is the project's own file, imported by node).
  // Bundled CommonJS dependencies call require() for node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

rmSync('dist/bundle.old', { recursive: true, force: true });
if (existsSync('dist/bundle')) renameSync('dist/bundle', 'dist/bundle.old');
renameSync('dist/bundle.next', 'dist/bundle');
rmSync('dist/bundle.old', { recursive: true, force: true });
