import * as vscode from 'vscode';
import { defaultKid, MintedJwt, mintJwt, parseClaims, parseLifetime, signedTokenFromJwt, expiryOf, DEFAULT_LIFETIME } from '../../../core/jwt';
import { urlEncodeSignature } from '../../../core/tokens';
import { KeysFeature } from '../../keys/feature';
import { displayPath } from '../../keys/keyLoader';
import { showSignResult, SignedToken } from '../../keys/signResult';
import { loadJwtSigningKeyFile, pickJwtSigningKey } from '../jwtKeys';

export type JwtOutput = 'jwt' | 'signed-token';

export interface MintJwtArgs {
  /** Private key file: absolute path or URI. */
  keyPath?: string | vscode.Uri;
  /** A JSON object or its text. */
  claims?: string | Record<string, unknown>;
  expiresIn?: string;
  kid?: string;
  output?: JwtOutput;
  passphrase?: string;
  /** Show the copy actions (default true; tests pass false). */
  showResult?: boolean;
  endpoint?: string;
}

export interface MintJwtResult {
  jwt: string;
  header: MintedJwt['header'];
  claims: MintedJwt['claims'];
  output: JwtOutput;
  /** What the device sends as the token: the JWT, or header.payload for the signed-JWT pattern. */
  token: string;
  /** Signed-JWT pattern only: standard base64 with its padding. */
  signature?: string;
  keyFile: string;
}

const DEFAULT_CLAIMS = '{"sub": "device1", "iss": "https://idp.example.com", "aud": "iot-devices"}';

function problem(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Mint Test JWT…: key, claims, lifetime, kid and output, then Sign Token's copy actions. */
export async function mintJwtCommand(f: KeysFeature, args: MintJwtArgs = {}): Promise<MintJwtResult | undefined> {
  const { prompts } = f.services;
  const title = (step: number, what: string) => `Mint Test JWT (${step}/5): ${what}`;
  const file = args.keyPath ? (typeof args.keyPath === 'string' ? vscode.Uri.file(args.keyPath) : args.keyPath) : await pickJwtSigningKey(f, title(1, 'signing key'));
  if (!file) return undefined;
  const key = await loadJwtSigningKeyFile(f, file, args.passphrase);
  if (!key) return undefined;

  const claimsText =
    args.claims !== undefined
      ? args.claims
      : await prompts.inputBox({
          title: title(2, 'claims'),
          prompt: 'The JWT claims as a JSON object (sub, iss, aud, custom claims); iat and exp are added',
          value: DEFAULT_CLAIMS,
          ignoreFocusOut: true,
          validateInput: (v) => problem(() => parseClaims(v)),
        });
  if (claimsText === undefined) return undefined;
  const claims = parseClaims(claimsText);

  const expiresIn =
    args.expiresIn ??
    (await prompts.inputBox({
      title: title(3, 'lifetime'),
      prompt: "Expires after: '15m', '2h', '1d'; '-1m' makes a token that has already expired (for negative tests)",
      value: DEFAULT_LIFETIME,
      ignoreFocusOut: true,
      validateInput: (v) => problem(() => parseLifetime(v)),
    }));
  if (expiresIn === undefined) return undefined;
  parseLifetime(expiresIn);

  const thumbprint = await defaultKid(key.publicKey);
  const kid =
    args.kid ??
    (await prompts.inputBox({
      title: title(4, 'key id (kid)'),
      prompt: "The header's kid, as the handler's JWKS names the key (default: the key's JWK thumbprint, as Write JWKS names it)",
      value: thumbprint,
      ignoreFocusOut: true,
    }));
  if (kid === undefined) return undefined;

  let output = args.output;
  if (!output) {
    type OutItem = vscode.QuickPickItem & { value: JwtOutput };
    const picked = await prompts.quickPick<OutItem>(
      [
        { label: '$(key) JWT', detail: 'For an authorizer with signing disabled: the Lambda verifies the JWT (against a JWKS)', value: 'jwt' },
        {
          label: '$(shield) Signed-JWT token and signature',
          description: key.alg === 'RS256' ? undefined : 'needs an RSA key (RS256)',
          detail: "For an authorizer with signing enabled: token = header.payload, signature = the JWT's, in standard base64; IoT Core verifies it before the Lambda",
          value: 'signed-token',
        },
      ],
      { title: title(5, 'output'), placeHolder: 'What does the device send?', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    output = picked.value;
  }

  const minted = await mintJwt(key, { claims, expiresIn, kid: kid || null });
  const pair = output === 'signed-token' ? signedTokenFromJwt(minted.jwt) : undefined;
  const keyFile = displayPath(file);
  const result: MintJwtResult = {
    jwt: minted.jwt,
    header: minted.header,
    claims: minted.claims,
    output,
    token: pair?.token ?? minted.jwt,
    ...(pair ? { signature: pair.signature } : {}),
    keyFile,
  };
  // The JWT is a credential: the log records its algorithm, kid, expiry and key, never the token.
  f.services.log.info(`Minted a test JWT (${minted.header.alg}${kid ? `, kid ${kid}` : ''}, ${expiryOf(minted.claims).text}) with ${keyFile}${pair ? ' as a signed-JWT token and signature' : ''}`);
  if (args.showResult !== false) {
    const signed: SignedToken = {
      token: result.token,
      signature: pair?.signature ?? '',
      signatureUrlEncoded: pair ? urlEncodeSignature(pair.signature) : '',
      keyFile,
      keyFingerprint: key.fingerprint.hex,
    };
    const decoded = JSON.stringify({ header: minted.header, claims: minted.claims }, null, 2);
    void showSignResult(f, signed, args.endpoint, {
      title: `Test JWT (${minted.header.alg}, ${expiryOf(minted.claims).text}) signed with ${keyFile}`,
      withoutSignature: !pair,
      leadingItems: pair
        ? [
            { label: '$(copy) Token (header.payload)', detail: "The JWT's signing input: the token the device sends", text: pair.token, what: 'the token' },
            { label: '$(copy) Whole JWT', detail: 'header.payload.signature (base64url)', text: minted.jwt, what: 'the JWT' },
            { label: '$(json) Decoded header and claims', text: decoded, what: 'the decoded header and claims' },
          ]
        : [
            { label: '$(copy) JWT', detail: 'The token the device sends', text: minted.jwt, what: 'the JWT' },
            { label: '$(json) Decoded header and claims', text: decoded, what: 'the decoded header and claims' },
          ],
    });
  }
  return result;
}
