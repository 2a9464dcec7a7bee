import { AwsFeature } from '../feature';
import { pickProfile, pickRegion } from '../pickers';

export interface ConnectArgs {
  /** Profile name; '' means the environment's credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE). */
  profile?: string;
  region?: string;
}

/** IoT Authorizer: Connect to AWS… — picks a profile (from the shared files) and a region, kept for this workspace. */
export async function connectCommand(f: AwsFeature, args: ConnectArgs = {}): Promise<{ profile?: string; region: string } | undefined> {
  const profile = args.profile ?? (await pickProfile(f, 'Connect to AWS: profile'));
  if (profile === undefined) return undefined;
  const region = args.region?.trim() || (await pickRegion(f, 'Connect to AWS: region', profile));
  if (!region) return undefined;
  await f.connection.save(profile, region);
  f.services.log.info(`AWS: connected with ${profile || 'environment credentials'} in ${region}.`);
  f.services.explorer.refresh();
  return { profile: profile || undefined, region };
}
