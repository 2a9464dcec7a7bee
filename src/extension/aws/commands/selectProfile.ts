import { AwsFeature } from '../feature';
import { pickProfile } from '../pickers';

/** Select AWS Profile (status bar click): another profile for this workspace; the region stays. */
export async function selectProfileCommand(f: AwsFeature, args: { profile?: string } = {}): Promise<string | undefined> {
  const profile = args.profile ?? (await pickProfile(f, 'Select AWS Profile'));
  if (profile === undefined) return undefined;
  await f.connection.save(profile, undefined);
  const d = f.connection.describe();
  f.services.log.info(`AWS: profile ${profile || 'environment credentials'} (${d.region}) for this workspace.`);
  f.services.explorer.refresh();
  return profile;
}
