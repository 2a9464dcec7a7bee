import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuthzError, isAuthzError } from '../../errors';
import { generateKeyPair, loadPrivateKey, readInputFile, RsaPrivateKey, writeKeyPair } from '../../keys';
import { signToken } from '../../tokens';
import { LoadedDefinition } from '../definition';

const PRIVATE_SUFFIX = '.private.pem';
const PUBLIC_SUFFIX = '.public.pem';

/**
 * Key pairs are generated on first use, never committed: when a test signs
 * with `<dir>/<name>.private.pem`, and both that file and `<dir>/<name>.public.pem`
 * are missing, and the definition lists that public key file, the pair is
 * generated (2048-bit RSA, private key 0600). Existing files are never replaced.
 * Returns the files written, or [] when nothing was needed.
 */
export async function ensureKeyPair(privateKeyPath: string, def: LoadedDefinition): Promise<string[]> {
  if (fs.existsSync(privateKeyPath) || !privateKeyPath.endsWith(PRIVATE_SUFFIX)) return [];
  const dir = path.dirname(privateKeyPath);
  const name = path.basename(privateKeyPath, PRIVATE_SUFFIX);
  const publicPath = path.join(dir, `${name}${PUBLIC_SUFFIX}`);
  const listed = def.keyFiles.some((k) => path.resolve(k.path) === path.resolve(publicPath));
  if (!listed || fs.existsSync(publicPath)) return [];
  const pair = await generateKeyPair({ bits: 2048 });
  const written = writeKeyPair(dir, name, pair);
  return [written.privateKeyPath, written.publicKeyPath];
}

/** Signs `token` with the private key file (standard base64, as a device sends it). */
export function signWithKeyFile(privateKeyPath: string, token: string): string {
  if (!fs.existsSync(privateKeyPath)) {
    throw new AuthzError(
      'TEST_SIGNING_KEY_NOT_FOUND',
      `The signing key ${privateKeyPath} does not exist.`,
      'Generate the key pair (IoT Authorizer: Generate Signing Key Pair, or `iot-authz keygen`), or list its public half in the definition so the test runner generates both.',
    );
  }
  let key: RsaPrivateKey;
  try {
    key = loadPrivateKey(readInputFile(privateKeyPath, 'signing key').toString('utf8'));
  } catch (e) {
    if (isAuthzError(e) && e.code === 'KEY_PASSPHRASE_REQUIRED') {
      throw new AuthzError(
        'TEST_SIGNING_KEY_ENCRYPTED',
        `The signing key ${privateKeyPath} is encrypted, and test cases have no way to give a passphrase.`,
        'Use an unencrypted key for "signWithKey" (a test-only pair: IoT Authorizer: Generate Signing Key Pair without a passphrase, or iot-authz keygen without --passphrase-env), or give the base64 "signature" itself.',
      );
    }
    throw e;
  }
  return signToken(key, token);
}
