import * as vscode from 'vscode';
import { listProfiles, sharedFilePaths } from '../../core/aws';
import { IOT_REGIONS } from './connection';
import { AwsFeature } from './feature';

const ENV_ITEM = 'Environment credentials';
/** The Connect quick pick's item that sets iotAuthz.aws.endpoint (resolves to CUSTOM_ENDPOINT). */
export const CUSTOM_ENDPOINT_ITEM = 'Use a custom endpoint (LocalStack, test endpoint)…';
export const CUSTOM_ENDPOINT: unique symbol = Symbol('custom endpoint');

/**
 * Asks for a profile from the shared config / credentials files (and the environment's
 * credentials when there are some). Resolves to the name, '' for the environment, or
 * undefined when cancelled or there is nothing to pick.
 */
export async function pickProfile(f: AwsFeature, title: string): Promise<string | undefined>;
export async function pickProfile(f: AwsFeature, title: string, options: { offerEndpoint: true }): Promise<string | typeof CUSTOM_ENDPOINT | undefined>;
export async function pickProfile(f: AwsFeature, title: string, options: { offerEndpoint?: boolean } = {}): Promise<string | typeof CUSTOM_ENDPOINT | undefined> {
  const { prompts } = f.services;
  const profiles = listProfiles(process.env);
  const current = f.connection.chosenProfile;
  const items: Array<vscode.QuickPickItem & { value: string }> = profiles.map((p) => ({
    label: p.name,
    description: [p.kind === 'sso' ? 'SSO' : p.kind, p.region, current === p.name ? 'current' : undefined].filter(Boolean).join(' · '),
    detail: p.sources.join(' + '),
    value: p.name,
  }));
  if (process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE) items.push({ label: ENV_ITEM, description: process.env.AWS_PROFILE ? `AWS_PROFILE=${process.env.AWS_PROFILE}` : 'AWS_ACCESS_KEY_ID', value: '' });
  if (!items.length && !options.offerEndpoint) {
    const files = sharedFilePaths(process.env);
    void prompts.warn(`No AWS profiles in ${files.configFile} or ${files.credentialsFile}. Run \`aws configure\` (or \`aws configure sso\`) in a terminal, then try again.`);
    return undefined;
  }
  const endpoint = f.connection.describe().endpoint;
  const custom = { label: CUSTOM_ENDPOINT_ITEM, description: endpoint ? `now ${endpoint}` : 'the iotAuthz.aws.endpoint setting', value: CUSTOM_ENDPOINT as typeof CUSTOM_ENDPOINT };
  const all: Array<vscode.QuickPickItem & { value: string | typeof CUSTOM_ENDPOINT }> = options.offerEndpoint ? [...items, { label: '', kind: vscode.QuickPickItemKind.Separator, value: '' }, custom] : items;
  const picked = await prompts.quickPick(all, { title, placeHolder: items.length ? 'Credentials as the AWS CLI reads them (kept for this workspace)' : 'No AWS profiles found: run `aws configure` in a terminal, or use a custom endpoint' });
  return picked?.value;
}

/** Asks for a region (the profile's first, then IoT Core regions, then "Other…"); undefined when cancelled. */
export async function pickRegion(f: AwsFeature, title: string, profile?: string): Promise<string | undefined> {
  const { prompts } = f.services;
  const preferred = listProfiles(process.env).find((p) => p.name === profile)?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const current = f.connection.chosenRegion;
  const regions = [...new Set([...(preferred ? [preferred] : []), ...IOT_REGIONS])];
  const picked = await prompts.quickPick(
    [...regions.map((r) => ({ label: r, description: [r === preferred ? 'profile default' : undefined, r === current ? 'current' : undefined].filter(Boolean).join(' · ') || undefined })), { label: 'Other…' }],
    { title },
  );
  if (!picked) return undefined;
  const region =
    picked.label === 'Other…'
      ? await prompts.inputBox({ title, prompt: 'Region code, e.g. eu-west-1', validateInput: (v) => (/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(v.trim()) ? undefined : 'Not a region code.') })
      : picked.label;
  return region?.trim() || undefined;
}
