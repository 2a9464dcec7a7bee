// Bundles the extension and the CLI with esbuild.
// The AWS SDK is kept out of dist/extension.js's activation path: it is only
// reached through dynamic import() in src/core/aws, which esbuild splits into
// its own lazily-required chunk (see `lazyAws` below).
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  // jsonc-parser's default (UMD) build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  lazyAws(),
];

/**
 * The AWS SDK chunk, dist/aws.js: required lazily (computed path) by
 * src/core/aws/sdk-loader.ts from both dist/extension.js and dist/cli.js.
 * In format cjs esbuild would inline `await import('@aws-sdk/...')` into the
 * importing bundle, so the SDK gets an entry point of its own instead.
 */
function lazyAws() {
  return { ...common, entryPoints: { aws: 'src/core/aws/sdk.ts' }, outdir: 'dist' };
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
