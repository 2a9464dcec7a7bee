import { AuthorizerDescription, describeAuthorizer, publicKeyInfo } from '../../../core/aws';
import { AwsFeature } from '../feature';
import { AuthorizerRef, pickAuthorizer, showJson } from './common';

/** Describe Authorizer: opens the description (keys with size and fingerprint) as a read-only JSON document. */
export async function describeCommand(f: AwsFeature, ref: AuthorizerRef, options: { show?: boolean } = {}): Promise<AuthorizerDescription | undefined> {
  const name = await pickAuthorizer(f, ref, 'Describe Authorizer');
  if (!name) return undefined;
  const d = await f.connection.run(`Describing ${name}`, (c, signal) => describeAuthorizer(c, name, { signal }));
  if (options.show !== false) {
    const keys = Object.fromEntries(Object.entries(d.tokenSigningPublicKeys ?? {}).map(([k, pem]) => [k, { ...publicKeyInfo(pem), pem }]));
    const value = { ...d, tokenSigningPublicKeys: keys };
    // A read-only virtual document: nothing to save, no "Save changes?" when it is closed.
    if (f.documents) await f.documents.show(f.documents.uriFor('describe', `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
    else await showJson(value);
  }
  return d;
}
