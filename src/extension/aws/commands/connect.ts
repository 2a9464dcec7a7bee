import * as vscode from 'vscode';
import { listProfiles, sharedFilePaths } from '../../../core/aws';
import { IOT_REGIONS } from '../connection';
import { AwsFeature } from '../feature';

export interface ConnectArgs {
  /** Profile name; '' means the environment's credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE). */
  profile?: string;
  region?: string;
}

const ENV_ITEM = 'Environment credentials';

/** IoT Authorizer: Connect to AWS… — picks a profile (from the shared files) and a region. */
export async function connectCommand(f: AwsFeature, args: ConnectArgs = {}): Promise<{ profile?: string; region: string } | undefined> {
  const { prompts } = f.services;
  let profile = args.profile;
  const profiles = listProfiles(process.env);
  if (profile === undefined) {
    const items: Array<vscode.QuickPickItem & { value: string }> = profiles.map((p) => ({
      label: p.name,
      description: [p.kind === 'sso' ? 'SSO' : p.kind, p.region].filter(Boolean).join(' · '),
      detail: p.sources.join(' + '),
      value: p.name,
    }));
    if (process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE) items.push({ label: ENV_ITEM, description: process.env.AWS_PROFILE ? `AWS_PROFILE=${process.env.AWS_PROFILE}` : 'AWS_ACCESS_KEY_ID', value: '' });
    if (!items.length) {
      const files = sharedFilePaths(process.env);
      void prompts.warn(`No AWS profiles in ${files.configFile} or ${files.credentialsFile}. Run \`aws configure\` (or \`aws configure sso\`) in a terminal, then connect again.`);
      return undefined;
    }
    const picked = await prompts.quickPick(items, { title: 'Connect to AWS: profile', placeHolder: 'Credentials as the AWS CLI reads them' });
    if (!picked) return undefined;
    profile = picked.value;
  }
  let region = args.region;
  if (!region) {
    const preferred = profiles.find((p) => p.name === profile)?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    const regions = [...new Set([...(preferred ? [preferred] : []), ...IOT_REGIONS])];
    const picked = await prompts.quickPick([...regions.map((r) => ({ label: r, description: r === preferred ? 'profile default' : undefined })), { label: 'Other…' }], { title: 'Connect to AWS: region' });
    if (!picked) return undefined;
    region = picked.label === 'Other…' ? await prompts.inputBox({ title: 'Connect to AWS: region', prompt: 'Region code, e.g. eu-west-1', validateInput: (v) => (/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(v.trim()) ? undefined : 'Not a region code.') }) : picked.label;
    if (!region) return undefined;
  }
  await f.connection.save(profile || undefined, region.trim());
  f.services.log.info(`AWS: connected with ${profile || 'environment credentials'} in ${region}.`);
  f.services.explorer.refresh();
  return { profile: profile || undefined, region: region.trim() };
}
