// The CLI as an npm package, tested as installed: `npm pack` (its prepack
// makes the production bundles), then `npm install -g <tarball>` into an
// empty prefix, and a smoke run of the installed `iot-authz`: keygen, sign
// (checked against OpenSSL), validate, simulate, and `aws list` against the
// local AWS test endpoint (test/aws-endpoint, compiled into out/).
//
//   node test/package/cli.mjs [--keep]
//
// Prints one line per check and `[cli-package] N passing, N failing`.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';
import { isMain } from '../e2e/harness.mjs';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export async function runCliPackage({ log = (l) => console.log(l), keep = false } = {}) {
  const t0 = Date.now();
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push({ name, ok: true });
      log(`[cli-package] ok   ${name}`);
    } catch (e) {
      checks.push({ name, ok: false });
      log(`[cli-package] FAIL ${name}: ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 6).join('\n      ')}`);
    }
  };
  const tmp = mkdtempSync(join(tmpdir(), 'iot-authz-cli-package-'));
  const prefix = join(tmp, 'prefix');
  const work = join(tmp, 'work');
  let tarball;
  let endpoint;
  const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: join(tmp, 'home') };
  const iotAuthz = (args, opts = {}) => execFileSync('iot-authz', args, { cwd: work, env: { ...env, ...(opts.env ?? {}) }, encoding: 'utf8', stdio: 'pipe' });
  try {
    await check('npm pack writes a tarball with only the runtime files', async () => {
      const out = execFileSync(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const info = JSON.parse(out.slice(out.indexOf('[')))[0];
      tarball = join(tmp, info.filename);
      const files = info.files.map((f) => f.path).sort();
      const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/[\w.-]+\.js|schemas\/[\w.-]+\.json)$/.test(f) || f === 'dist/extension.js');
      if (unexpected.length) throw new Error(`not runtime files: ${unexpected.join(', ')}`);
      for (const need of ['dist/cli.js', 'dist/aws.js', 'package.json']) if (!files.includes(need)) throw new Error(`missing ${need}`);
      log(`[cli-package]      ${info.filename}: ${(info.size / 1024).toFixed(1)} KB packed, ${files.length} files`);
    });
    if (!tarball) return summary();
    await check('npm install -g <tarball> into an empty prefix installs iot-authz', async () => {
      execFileSync(NPM, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { encoding: 'utf8', stdio: 'pipe', env });
      if (!existsSync(join(prefix, 'bin', 'iot-authz'))) throw new Error(`no bin/iot-authz in ${prefix}: ${readdirSync(prefix).join(', ')}`);
      execFileSync('mkdir', ['-p', work, env.HOME]);
      const version = iotAuthz(['--version']).trim();
      const pkg = (await import('../../package.json', { with: { type: 'json' } })).default;
      if (version !== pkg.version) throw new Error(`iot-authz --version printed ${version}, package.json says ${pkg.version}`);
    });
    await check('keygen writes a 0600 private key and a public key', async () => {
      iotAuthz(['keygen', '--out', 'keys', '--name', 'dev']);
      const mode = execFileSync('stat', ['-c', '%a', join(work, 'keys', 'dev.private.pem')], { encoding: 'utf8' }).trim();
      if (mode !== '600') throw new Error(`private key mode ${mode}`);
    });
    await check('sign prints exactly what openssl prints', async () => {
      const token = 'MyStringThatNeedsToBeSigned';
      const ours = iotAuthz(['sign', '--key', 'keys/dev.private.pem', '--token', token]).trim();
      const ref = execFileSync('sh', ['-c', `printf %s "${token}" | openssl dgst -sha256 -sign keys/dev.private.pem | openssl base64 -A`], { cwd: work, encoding: 'utf8' }).trim();
      if (ours !== ref) throw new Error(`iot-authz ${ours.slice(0, 20)}… openssl ${ref.slice(0, 20)}…`);
    });
    await check('validate finds the mistakes in a response (exit 1) and passes a good one (exit 0)', async () => {
      writeFileSync(join(work, 'bad.authorizer-response.json'), JSON.stringify({ isAuthenticated: true, principalId: 'bad-id!', policyDocuments: [] }));
      writeFileSync(join(work, 'good.authorizer-response.json'), JSON.stringify({ isAuthenticated: true, principalId: 'dev1', disconnectAfterInSeconds: 3600, refreshAfterInSeconds: 300, policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/dev1' }] }] }));
      let status = 0;
      let out = '';
      try {
        iotAuthz(['validate', 'bad.authorizer-response.json']);
      } catch (e) {
        status = e.status;
        out = `${e.stdout}${e.stderr}`;
      }
      if (status !== 1 || !/RESPONSE_PRINCIPAL_ID_INVALID/.test(out)) throw new Error(`exit ${status}: ${out}`);
      iotAuthz(['validate', 'good.authorizer-response.json']);
    });
    await check('simulate allows and denies', async () => {
      writeFileSync(join(work, 'p.iot-policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:us-east-1:123456789012:topic/a/*' }] }));
      iotAuthz(['simulate', '--policies', 'p.iot-policy.json', '--action', 'iot:Publish', '--resource', 'a/b']);
      let status = 0;
      try {
        iotAuthz(['simulate', '--policies', 'p.iot-policy.json', '--action', 'iot:Publish', '--resource', 'b/c']);
      } catch (e) {
        status = e.status;
      }
      if (status !== 1) throw new Error(`a denied operation exits ${status}, not 1`);
    });
    await check('aws list loads the packaged SDK chunk and lists the local endpoint\'s authorizers', async () => {
      const { AwsTestEndpoint } = await import('../../out/test/aws-endpoint/server.js');
      endpoint = new AwsTestEndpoint();
      const url = await endpoint.start();
      endpoint.addAuthorizer({ authorizerName: 'packaged-listed', authorizerFunctionArn: endpoint.functionArn('fn'), signingDisabled: true });
      const aws = join(env.HOME, '.aws');
      execFileSync('mkdir', ['-p', aws]);
      writeFileSync(join(aws, 'credentials'), `[pkg]\naws_access_key_id = ${endpoint.credentials.accessKeyId}\naws_secret_access_key = ${endpoint.credentials.secretAccessKey}\n`);
      // Asynchronously: the endpoint answers from this process's event loop.
      const { stdout: out } = await promisify(execFile)('iot-authz', ['aws', 'list', '--profile', 'pkg', '--region', 'us-east-1', '--endpoint', url, '--json'], {
        cwd: work,
        env: { ...env, AWS_EC2_METADATA_DISABLED: 'true' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (!out.includes('packaged-listed')) throw new Error(`aws list printed: ${out}`);
    });
  } finally {
    await endpoint?.stop();
    if (!keep) rmSync(tmp, { recursive: true, force: true });
    else log(`[cli-package] kept ${tmp}`);
  }
  return summary();

  function summary() {
    const passed = checks.filter((c) => c.ok).length;
    const failed = checks.length - passed;
    log(`[cli-package] ${passed} passing, ${failed} failing (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return { passed, failed, checks };
  }
}

if (isMain(import.meta.url)) {
  const r = await runCliPackage({ keep: process.argv.includes('--keep') });
  process.exit(r.failed === 0 ? 0 : 1);
}
