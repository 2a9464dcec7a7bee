import { Services } from '../services';
import { PassphraseStore } from './passphrases';
import { WorkspaceKeys } from './workspaceKeys';

/** What the keys feature's commands and nodes share. */
export interface KeysFeature {
  readonly services: Services;
  readonly keys: WorkspaceKeys;
  readonly passphrases: PassphraseStore;
  /** Set by the local endpoint feature: where Sign Token's snippets can also point while it runs. */
  localEndpoint?: () => LocalEndpointTarget | undefined;
}

/** A running local IoT endpoint as a snippet target. */
export interface LocalEndpointTarget {
  hostName: string;
  port: number;
  /** Absolute path of its CA certificate (curl --cacert, mosquitto --cafile, mqtt.js ca). */
  caPath: string;
}
