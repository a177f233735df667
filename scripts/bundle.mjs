// Bundles the CLI into dist/bundle (run by `npm run build` after tsc): one small entry that starts
// git early, and chunks loaded after it. Loading one bundle instead of hundreds of modules is most
// of release-lint's start-up.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/entry.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's "main" is a UMD build with dynamic requires; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  outdir: 'dist/bundle',
  // cosmiconfig loads TypeScript only for .ts configs, which release-lint does not read.
  external: ['typescript'],
  // Bundled CommonJS dependencies call require() for node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
