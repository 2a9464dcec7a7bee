import { AuthorizerDescription, describeAuthorizer, publicKeyInfo } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, pickAuthorizer, showJson } from './common';

/** Describe Authorizer: opens the description (keys with size and fingerprint) as JSON. */
export async function describeCommand(f: AwsFeature, ref: AuthorizerRef, options: { show?: boolean } = {}): Promise<AuthorizerDescription | undefined> {
  const name = await pickAuthorizer(f, ref, 'Describe Authorizer');
  if (!name) return undefined;
  const d = await f.connection.run(`Describing ${name}`, (c, signal) => describeAuthorizer(c, name, { signal }));
  if (options.show !== false) {
    const keys = Object.fromEntries(Object.entries(d.tokenSigningPublicKeys ?? {}).map(([k, pem]) => [k, { ...publicKeyInfo(pem), pem }]));
    await showJson({ ...d, tokenSigningPublicKeys: keys });
  }
  return d;
}
