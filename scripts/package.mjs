// `npm run package`: production bundles, then the VSIX with @vscode/vsce (the
// official packager). Prints the VSIX's size and file count, and refuses a
// package that carries what must never ship (keys, source maps, sources,
// tests, node_modules).
//
//   node scripts/package.mjs [--out FILE] [--quiet]
//
// Resolves/prints the path of iot-authorizer-studio-<version>.vsix.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './vscode-server.mjs';

/** Files that must never be in the VSIX, whatever .vscodeignore says. */
export const FORBIDDEN = [/\.pem$/, /\.key$/, /\.map$/, /(^|\/)node_modules\//, /^extension\/(src|test|out|scripts)\//, /\.ts$/];
/** Files the extension reads at run time. */
export const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/aws.js', 'extension/dist/local-endpoint.js', 'extension/dist/sign-worker.js', 'extension/media/icon.png', 'extension/media/panel/results.js', 'extension/media/panel/results.css', 'extension/schemas/authorizer-response.schema.json', 'extension/schemas/iot-policy.schema.json', 'extension/schemas/authorizer-definition.schema.json', 'extension/schemas/authz-test.schema.json'];

function run(cmd, args, quiet) {
  return execFileSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: quiet ? 'pipe' : ['ignore', 'pipe', 'inherit'] });
}

/** The entries of a zip file (the VSIX), read from its central directory. */
export function zipEntries(file) {
  const buf = readFileSync(file);
  // End of central directory record: signature 0x06054b50, within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const size = buf.readUInt32LE(p + 24);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Checks a VSIX's entries; returns a list of problems (empty when fine). */
export function checkVsix(file) {
  const names = zipEntries(file).map((e) => e.name);
  const problems = [];
  for (const n of names) if (FORBIDDEN.some((re) => re.test(n))) problems.push(`must not be packaged: ${n}`);
  for (const r of REQUIRED) if (!names.includes(r)) problems.push(`missing: ${r}`);
  return problems;
}

export function packageVsix({ out, quiet = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const file = resolve(REPO_ROOT, out ?? `${pkg.name}-${pkg.version}.vsix`);
  run(process.execPath, ['scripts/build.mjs', '--production'], quiet);
  // Everything is bundled by esbuild: no node_modules in the package.
  const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const log = run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', file], true);
  // vsce prints warnings with a WARNING prefix; a clean manifest has none.
  const warnings = log.split('\n').filter((l) => /\bWARN(ING)?\b/.test(l));
  if (warnings.length) throw new Error(`vsce warned:\n${warnings.join('\n')}`);
  const problems = checkVsix(file);
  if (problems.length) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  const entries = zipEntries(file);
  const kb = (statSync(file).size / 1024).toFixed(1);
  const extJs = entries.find((e) => e.name === 'extension/dist/extension.js');
  return { file, bytes: statSync(file).size, files: entries.length, summary: `${file.slice(REPO_ROOT.length + 1)}: ${kb} KB, ${entries.length} files (dist/extension.js ${(extJs.size / 1024).toFixed(1)} KB)` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  try {
    const r = packageVsix({ out: i > 0 ? process.argv[i + 1] : undefined, quiet: process.argv.includes('--quiet') });
    console.log(r.summary);
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
