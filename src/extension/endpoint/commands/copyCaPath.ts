import { copyToClipboard } from '../../commandRunner';
import { EndpointFeature } from '../feature';
import { requireCaPath } from './caPath';

/** Copies the absolute path of the local CA certificate (for --cacert / --cafile); returns it. */
export async function copyCaPathCommand(f: EndpointFeature): Promise<string> {
  const caPath = requireCaPath(f);
  await copyToClipboard(f.services, caPath, 'the CA certificate path');
  return caPath;
}
