// Bundles the extension and the CLI with esbuild.
// The AWS SDK is kept out of dist/extension.js's activation path: only
// src/core/aws/sdk.ts imports it, and that module is its own entry point,
// dist/aws.js, required lazily at the first AWS call (see `lazyAws` below).
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// dist/ is overwritten in place, not deleted first: a VS Code window or test run
// using the extension meanwhile never sees it missing.
mkdirSync('dist', { recursive: true });

// Shared with tests that bundle on their own (test/unit/cli): one source of truth.
// mainFields: jsonc-parser's default (UMD) build hides its requires from esbuild; its ESM build bundles cleanly.
/** @type {esbuild.BuildOptions} */
const common = {
  ...JSON.parse(readFileSync(new URL('./esbuild-options.json', import.meta.url), 'utf8')),
  // `iot-authz --version` (src/cli/main.ts): the version of the package.json being built.
  define: { IOT_AUTHZ_VERSION: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version) },
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
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
  // The batch signer's worker thread entry, dist/sign-worker.js: src/core/batch/pool.ts starts it by path.
  { ...common, entryPoints: { 'sign-worker': 'src/core/batch/signWorker.ts' }, outdir: 'dist' },
  // The local IoT endpoint (aedes, ws, @peculiar/x509), dist/local-endpoint.js: required
  // by src/core/endpoint/loader.ts when an endpoint starts, never at activation.
  { ...common, entryPoints: { 'local-endpoint': 'src/core/endpoint/index.ts' }, outdir: 'dist' },
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
