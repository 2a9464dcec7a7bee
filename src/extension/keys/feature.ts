import { Services } from '../services';
import { PassphraseStore } from './passphrases';
import { WorkspaceKeys } from './workspaceKeys';

/** What the keys feature's commands and nodes share. */
export interface KeysFeature {
  readonly services: Services;
  readonly keys: WorkspaceKeys;
  readonly passphrases: PassphraseStore;
}
