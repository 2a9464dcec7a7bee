import { describeAuthorizer } from '../../../core/aws';
import { copyToClipboard } from '../../commandRunner';
import { AuthorizerNode } from '../explorer/authorizerNode';
import { AwsFeature } from '../feature';
import { AuthorizerRef, pickAuthorizer } from './common';

/** Copy ARN: the node's ARN, or DescribeAuthorizer for a name. */
export async function copyArnCommand(f: AwsFeature, ref: AuthorizerRef): Promise<string | undefined> {
  let arn = ref instanceof AuthorizerNode ? ref.authorizerArn : undefined;
  if (!arn) {
    const name = await pickAuthorizer(f, ref, 'Copy Authorizer ARN');
    if (!name) return undefined;
    arn = f.section.lastNodes?.find((n) => n.authorizerName === name)?.authorizerArn || (await f.connection.run(`Describing ${name}`, (c, signal) => describeAuthorizer(c, name, { signal }))).authorizerArn;
  }
  await copyToClipboard(f.services, arn, 'the authorizer ARN');
  return arn;
}
