import * as path from 'node:path';
import { DEFAULT_TLS_PORT } from '../../core/endpoint/constants';
import { formatDecision } from '../../core/endpoint/format';
import { startLocalEndpoint } from '../../core/endpoint/loader';
import type { DecisionRecord, EndpointInfo } from '../../core/endpoint';
import { CliCommand, CliIo, EXIT_OK, flag, list, ParsedArgs, str, UsageError } from '../framework';

function portArg(args: ParsedArgs, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`--${name} must be a port number from 0 to 65535 (0: any free port), not "${v}".`);
  return Number(v);
}

/** A decision as one JSON line: the chain's outcome, not its event (which carries the client's token and signature). */
function jsonDecision(d: DecisionRecord): string {
  const { result, ...rest } = d;
  return JSON.stringify({
    type: 'decision',
    ...rest,
    ...(result ? { outcome: result.outcome, summary: result.summary, ...(result.failure ? { failure: result.failure } : {}) } : {}),
  });
}

function hints(info: EndpointInfo): string {
  const ca = info.caPath;
  const h = info.hostName;
  const name = info.defaultAuthorizer ?? info.authorizers[0]?.name ?? 'my-authorizer';
  return [
    `Local IoT endpoint for ${info.authorizers.map((a) => `${a.name}${a.isDefault ? ' (default)' : ''}${a.status === 'INACTIVE' ? ' (INACTIVE)' : ''}`).join(', ')}`,
    `  TLS port ${info.port} on ${info.host}: MQTT with ALPN "mqtt", HTTPS publish, MQTT over WebSockets on /mqtt${info.mqttPlainPort !== undefined ? `; plain MQTT on ${info.mqttPlainPort}` : ''}`,
    `  CA certificate (trust it in clients): ${ca}`,
    `  host name / SNI: ${h}${info.timeScale !== 1 ? `; time scale ${info.timeScale} (refresh and disconnect times divided by it)` : ''}`,
    '',
    '  Try (the username and signature as Sign Token builds them):',
    `    curl --cacert ${ca} -X POST 'https://${h}:${info.port}/topics/my/topic?qos=1' -H 'x-amz-customauthorizer-name: ${name}' -H '<tokenKeyName>: <token>' -H 'x-amz-customauthorizer-signature: <signature>' -d '{"hello":"world"}'`,
    `    mosquitto_pub -h ${h} -p ${info.port} --tls-alpn mqtt --cafile ${ca} -i my-device -u '<username>' -t my/topic -m hello`,
    `    mqtt.js: mqtt.connect('${info.urls.mqtts}', { ca: fs.readFileSync('${ca}'), ALPNProtocols: ['mqtt'], servername: '${h}', clientId, username })`,
    '',
    'Every decision is printed below; Ctrl+C stops the endpoint.',
    '',
  ].join('\n');
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run a local IoT endpoint: real MQTT, WebSocket and HTTPS clients connect through the workspace authorizers.',
  usage: [
    '  iot-authz serve [--authorizers GLOB]... [--default NAME] [--host H] [--port P] [--mqtt-plain-port P]',
    '                  [--host-name N] [--time-scale N] [--tls-dir DIR] [--json]',
    '',
    `  Listens on one TLS port (default ${DEFAULT_TLS_PORT}, 0 = any free port) routed by ALPN as IoT Core's 443:`,
    '  ALPN "mqtt" is MQTT; otherwise HTTPS publish (POST /topics/{topic}?qos=0|1) and MQTT over WebSockets',
    '  (GET /mqtt). Each connection goes through the authorizer chosen by x-amz-customauthorizer-name (or',
    '  --default): signature check, the handler (kept warm), response validation, iot:Connect; then every',
    '  publish, subscribe and delivery is decided against its policies. Prints one line per decision',
    '  (--json: one JSON object per line); log lines go to stderr. A local CA and server certificate are',
    '  created in --tls-dir (default .iot-authz/) on first start. SIGINT/SIGTERM stop it; exit 0.',
    '  Runs the handlers: workspace code.',
  ].join('\n'),
  options: {
    authorizers: { type: 'string', multiple: true },
    default: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'mqtt-plain-port': { type: 'string' },
    'host-name': { type: 'string' },
    'time-scale': { type: 'string' },
    'tls-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args: ParsedArgs, io: CliIo) {
    const scaleText = str(args, 'time-scale');
    const timeScale = scaleText === undefined ? 1 : Number(scaleText);
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new UsageError(`--time-scale must be a positive number (60: 300 s pass in 5 s), not "${scaleText}".`);
    const json = flag(args, 'json');
    const globs = list(args, 'authorizers');
    const tlsDir = str(args, 'tls-dir');
    const ep = await startLocalEndpoint({
      workspaceRoot: io.cwd,
      allowCodeExecution: true,
      ...(globs.length ? { authorizers: globs } : {}),
      ...(str(args, 'default') !== undefined ? { defaultAuthorizer: str(args, 'default') } : {}),
      ...(str(args, 'host') !== undefined ? { host: str(args, 'host') } : {}),
      port: portArg(args, 'port') ?? DEFAULT_TLS_PORT,
      ...(portArg(args, 'mqtt-plain-port') !== undefined ? { mqttPlainPort: portArg(args, 'mqtt-plain-port') } : {}),
      ...(str(args, 'host-name') !== undefined ? { hostName: str(args, 'host-name') } : {}),
      ...(tlsDir !== undefined ? { tlsDir: path.resolve(io.cwd, tlsDir) } : {}),
      timeScale,
      log: (e) => io.stderr(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}\n`),
    });
    ep.onDecision((d) => io.stdout(`${json ? jsonDecision(d) : formatDecision(d)}\n`));
    io.stdout(json ? `${JSON.stringify({ type: 'started', ...ep.info })}\n` : hints(ep.info));
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        io.stderr(`${signal}: stopping the local endpoint.\n`);
        void ep.stop().then(resolve, resolve);
      };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    if (json) io.stdout(`${JSON.stringify({ type: 'stopped' })}\n`);
    return EXIT_OK;
  },
};
