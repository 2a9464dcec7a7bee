import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { AuthzError } from '../errors';

export interface TlsMaterial {
  caPath: string;
  certPath: string;
  /** PEM texts for the TLS server (the server key never leaves this process). */
  ca: string;
  cert: string;
  key: string;
}

const FILES = { ca: 'ca.pem', caKey: 'ca.key.pem', cert: 'server.pem', key: 'server.key.pem' };
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Renew a little before expiry, so a long session does not cross it. */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

// @peculiar/x509 works on WebCrypto: node's implementation (its DOM types are not in this project's lib).
x509.cryptoProvider.set(crypto.webcrypto as never);
type Key = crypto.webcrypto.CryptoKey;
type KeyPair = crypto.webcrypto.CryptoKeyPair;

/** The names the server certificate must carry: loopback, plus the endpoint host name. */
export function serverNames(hostName: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostName])];
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** Writes a new file with `mode`, never following or replacing anything at the path. */
function writeNew(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text, { mode, flag: 'wx' });
  fs.renameSync(tmp, file);
}

/** IPv6 in the form node prints certificate SANs (`0:0:0:0:0:0:0:1`); IPv4 unchanged. */
function canonicalIp(ip: string): string {
  if (net.isIP(ip) !== 6) return ip;
  const [head, tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** What is wrong with the existing material, or undefined when it can be used. */
function staleness(dir: string, names: string[]): string | undefined {
  const missing = Object.values(FILES).filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length) return `${missing.join(', ')} missing`;
  let ca: crypto.X509Certificate;
  let cert: crypto.X509Certificate;
  try {
    ca = new crypto.X509Certificate(fs.readFileSync(path.join(dir, FILES.ca)));
    cert = new crypto.X509Certificate(fs.readFileSync(path.join(dir, FILES.cert)));
    crypto.createPrivateKey(fs.readFileSync(path.join(dir, FILES.key)));
    crypto.createPrivateKey(fs.readFileSync(path.join(dir, FILES.caKey)));
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
  const soon = Date.now() + RENEW_BEFORE_MS;
  if (new Date(ca.validTo).getTime() < soon) return 'the local CA expired or expires within a day';
  if (new Date(cert.validTo).getTime() < soon) return 'the server certificate expired or expires within a day';
  if (!cert.verify(ca.publicKey)) return 'the server certificate is not signed by the local CA';
  const san = (cert.subjectAltName ?? '').split(', ');
  const lacking = names.filter((n) => !san.some((e) => (net.isIP(n) ? e.startsWith('IP Address:') && canonicalIp(e.slice(11)) === canonicalIp(n) : e === `DNS:${n}`)));
  if (lacking.length) return `the server certificate does not name ${lacking.join(', ')}`;
  return undefined;
}

/**
 * The local CA and server certificate in `dir`: generated on first start, kept
 * afterwards, regenerated only when missing, expired or not naming the host
 * name (the reason goes to `log`). Private keys are written 0600; an existing
 * file is replaced only by an atomic rename after such a reason was logged.
 * The CA is kept when only the server certificate needs renewing, so clients
 * that trust it keep working.
 */
export async function ensureTlsMaterial(dir: string, hostName: string, log: (message: string) => void): Promise<TlsMaterial> {
  const names = serverNames(hostName);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Local endpoint TLS material (iot-authz serve): private keys, never commit.\n*\n');
  } catch (e) {
    throw new AuthzError('ENDPOINT_TLS_DIR', `Cannot create the TLS folder ${dir}: ${(e as Error).message}`, 'Choose a writable folder for the local endpoint TLS material.');
  }
  const why = staleness(dir, names);
  if (why) {
    log(`TLS material in ${dir}: ${why}; generating ${fs.existsSync(path.join(dir, FILES.ca)) ? 'a new server certificate' : 'a local CA and a server certificate'}.`);
    await generate(dir, names, log);
  }
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return { caPath: path.join(dir, FILES.ca), certPath: path.join(dir, FILES.cert), ca: read(FILES.ca), cert: read(FILES.cert), key: read(FILES.key) };
}

async function generate(dir: string, names: string[], log: (message: string) => void): Promise<void> {
  const subtle = crypto.webcrypto.subtle;
  const now = Date.now();
  let caCert: x509.X509Certificate | undefined;
  let caKey: Key | undefined;
  // Keep a valid CA: only the server certificate changes, clients keep trusting the same file.
  try {
    const existing = new crypto.X509Certificate(fs.readFileSync(path.join(dir, FILES.ca)));
    if (new Date(existing.validTo).getTime() > now + RENEW_BEFORE_MS) {
      const keyPem = fs.readFileSync(path.join(dir, FILES.caKey), 'utf8');
      const der = crypto.createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' });
      caKey = await subtle.importKey('pkcs8', der, EC, false, ['sign']);
      caCert = new x509.X509Certificate(existing.raw);
    }
  } catch {
    caCert = undefined;
  }
  if (!caCert || !caKey) {
    const keys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as KeyPair;
    caCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: crypto.randomBytes(8).toString('hex'),
      name: 'CN=iot-authz local endpoint CA',
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + 5 * 365 * 24 * 3600_000),
      keys: keys as never,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      ],
    });
    caKey = keys.privateKey;
    writeNew(path.join(dir, FILES.caKey), pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey)), 0o600);
    writeNew(path.join(dir, FILES.ca), caCert.toString('pem') + '\n', 0o644);
    log(`New local CA: ${path.join(dir, FILES.ca)} (clients trust this file).`);
  }
  const serverKeys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as KeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    subject: `CN=${names[names.length - 1].replace(/[,+="\\<>;#]/g, '')}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    publicKey: serverKeys.publicKey as never,
    signingKey: caKey as never,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: net.isIP(n) ? 'ip' : 'dns', value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  writeNew(path.join(dir, FILES.key), pem('PRIVATE KEY', await subtle.exportKey('pkcs8', serverKeys.privateKey)), 0o600);
  writeNew(path.join(dir, FILES.cert), server.toString('pem') + '\n', 0o644);
  log(`New server certificate for ${names.join(', ')}: ${path.join(dir, FILES.cert)}.`);
}
