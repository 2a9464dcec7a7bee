import * as fs from 'node:fs';
import * as path from 'node:path';

/** Set by esbuild's `define` (scripts/build.mjs) from package.json; absent when run unbundled (tests). */
declare const IOT_AUTHZ_VERSION: string | undefined;

const PACKAGE_NAME = 'iot-authorizer-studio';

/** The package version: built in by the bundler, else read from the package.json above this file. */
export function cliVersion(): string {
  if (typeof IOT_AUTHZ_VERSION === 'string') return IOT_AUTHZ_VERSION;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: look one folder up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
