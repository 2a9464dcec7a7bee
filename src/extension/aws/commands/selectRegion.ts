import { AwsFeature } from '../feature';
import { pickRegion } from '../pickers';

/** Select AWS Region: another region for this workspace; the profile stays. */
export async function selectRegionCommand(f: AwsFeature, args: { region?: string } = {}): Promise<string | undefined> {
  const region = args.region?.trim() || (await pickRegion(f, 'Select AWS Region', f.connection.target().profile));
  if (!region) return undefined;
  await f.connection.save(undefined, region);
  f.services.log.info(`AWS: region ${region} for this workspace.`);
  f.services.explorer.refresh();
  return region;
}
