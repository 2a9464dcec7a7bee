import { describeDataEndpoint } from '../../../core/aws';
import { copyToClipboard } from '../../commandRunner';
import { AwsFeature } from '../feature';

/**
 * Copy Data Endpoint: DescribeEndpoint (iot:Data-ATS) for the current profile and region; the
 * host is remembered in workspace state, where Sign Token's snippets find it when the
 * iotAuthz.connection.endpoint setting is empty.
 */
export async function copyDataEndpointCommand(f: AwsFeature, args: { copy?: boolean } = {}): Promise<string | undefined> {
  const host = await f.connection.run('Getting the IoT data endpoint', (c, signal) => describeDataEndpoint(c, { signal }));
  if (!host) {
    void f.services.prompts.warn('DescribeEndpoint returned no address.');
    return undefined;
  }
  await f.connection.rememberDataEndpoint(host);
  f.services.log.info(`IoT data endpoint (iot:Data-ATS): ${host}; Sign Token snippets use it while iotAuthz.connection.endpoint is empty.`);
  if (args.copy !== false) await copyToClipboard(f.services, host, `the data endpoint ${host}`);
  return host;
}
