import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '../../../../..');
const OUT = path.join(ROOT, 'out');

/** Options of scripts/build.mjs that matter for what gets bundled. */
async function bundleInputs(entry: string, external: string[] = []): Promise<string[]> {
  const r = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
    outfile: path.join(ROOT, 'out', 'lazy-check.js'),
  });
  return Object.keys(r.metafile.inputs);
}

const isSdk = (p: string) => /node_modules[/\\]@(aws-sdk|smithy|aws-crypto)[/\\]/.test(p);

describe('core/aws keeps the AWS SDK lazy', function () {
  this.timeout(60000);

  it('requiring src/core/aws and the CLI commands loads no @aws-sdk / @smithy module; createAwsClients does', () => {
    const script = `
      const keys = () => Object.keys(require.cache).filter((k) => /node_modules[\\\\/]@(aws-sdk|smithy)[\\\\/]/.test(k)).length;
      const aws = require(${JSON.stringify(path.join(OUT, 'src/core/aws/index.js'))});
      require(${JSON.stringify(path.join(OUT, 'src/cli/commands/index.js'))});
      const before = keys();
      aws.createAwsClients({ region: 'us-east-1', env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } }).then((c) => {
        process.stdout.write(JSON.stringify({ before, after: keys(), loaded: aws.isSdkLoaded() }));
        c.destroy();
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.equal(out.before, 0);
    assert.ok(out.after > 0);
    assert.equal(out.loaded, true);
  });

  it('the extension and CLI bundles contain no SDK code; the aws.js chunk does', async () => {
    const ext = await bundleInputs('src/extension/extension.ts', ['vscode']);
    assert.ok(ext.length > 0);
    assert.deepEqual(ext.filter(isSdk), []);
    const cli = await bundleInputs('src/cli/main.ts');
    assert.ok(cli.some((p) => p.includes('src/core/aws/')), 'the CLI bundle includes the aws core');
    assert.deepEqual(cli.filter(isSdk), []);
    const chunk = await bundleInputs('src/core/aws/sdk.ts');
    assert.ok(chunk.some((p) => /@aws-sdk[/\\]client-iot/.test(p)));
    assert.ok(chunk.some((p) => /@aws-sdk[/\\]client-lambda/.test(p)));
  });
});
