// A JWT authorizer in Node.js. The device presents a JWT from the identity
// provider; this function verifies its RS256 signature with node:crypto
// against the provider's JWKS (JWKS_FILE), checks exp, iss and aud, and maps
// the `sub` claim to the principalId and to the device's own topics.
//
// With signing enabled on the authorizer (the signed-JWT pattern), IoT Core
// has already verified the signature of the token `header.payload` before
// calling this function: then only the claims are checked here.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// Relative to the handler's folder, where the emulator (like Lambda's task root) runs it.
const JWKS_FILE = path.resolve(process.env.JWKS_FILE || 'keys/idp.jwks.json');
const ISSUER = process.env.ISSUER;
const AUDIENCE = process.env.AUDIENCE;

function decodePart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/** The JWT's claims when it is genuine and current; otherwise throws with the reason. */
function verifiedClaims(token, signatureVerifiedByIot) {
  const parts = String(token || '').split('.');
  let header;
  let claims;
  try {
    header = decodePart(parts[0]);
    claims = decodePart(parts[1]);
  } catch {
    throw new Error('not a JWT');
  }
  if (parts.length === 2 && signatureVerifiedByIot) {
    // Signed-JWT pattern: IoT Core checked the signature over header.payload.
  } else if (parts.length === 3) {
    if (header.alg !== 'RS256') throw new Error(`algorithm ${header.alg} is not accepted`);
    const jwks = JSON.parse(fs.readFileSync(JWKS_FILE, 'utf8'));
    const jwk = jwks.keys.find((k) => k.kty === 'RSA' && k.kid === header.kid);
    if (!jwk) throw new Error(`unknown signing key ${header.kid}`);
    const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!crypto.verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))) throw new Error('invalid signature');
  } else {
    throw new Error('not a JWT');
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new Error('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new Error('token not yet valid');
  if (ISSUER && claims.iss !== ISSUER) throw new Error(`wrong issuer ${claims.iss}`);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (AUDIENCE && !aud.includes(AUDIENCE)) throw new Error('wrong audience');
  // principalId: letters and digits only, 1 to 128 (AWS's rule).
  if (typeof claims.sub !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(claims.sub)) throw new Error('sub is not a valid principalId');
  return claims;
}

/**
 * Where the device put the JWT: the token (under the authorizer's token key
 * name), else an `Authorization: Bearer` header, else the MQTT password. With
 * signing disabled the token key name is optional, so devices often use the
 * latter two.
 */
function presentedToken(event) {
  if (event.token) return event.token;
  const pd = event.protocolData || {};
  const headers = (pd.http && pd.http.headers) || {};
  const auth = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  if (auth && /^Bearer /i.test(headers[auth])) return headers[auth].slice(7).trim();
  if (pd.mqtt && pd.mqtt.password) return Buffer.from(pd.mqtt.password, 'base64').toString('utf8');
  return undefined;
}

exports.handler = async (event, context) => {
  let claims;
  try {
    claims = verifiedClaims(presentedToken(event), event.signatureVerified === true);
  } catch (e) {
    console.log(`rejected: ${e.message}`);
    return { isAuthenticated: false, principalId: 'rejected', policyDocuments: [], disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300 };
  }
  const [, , , region, account] = context.invokedFunctionArn.split(':');
  const arn = (type, name) => `arn:aws:iot:${region}:${account}:${type}/${name}`;
  const sub = claims.sub;
  console.log(`accepted: sub ${sub}`);
  return {
    isAuthenticated: true,
    principalId: sub,
    // Not past the token's own expiry (within AWS's 300 to 86400 seconds).
    disconnectAfterInSeconds: Math.min(86400, Math.max(300, claims.exp - Math.floor(Date.now() / 1000))),
    refreshAfterInSeconds: 300,
    policyDocuments: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', sub) },
          { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: arn('topic', `devices/${sub}/*`) },
          { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', `devices/${sub}/*`) },
        ],
      },
    ],
  };
};
