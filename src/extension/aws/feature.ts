import type { KeysFeature } from '../keys/feature';
import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { AwsConnection } from './connection';
import type { AwsSection } from './explorer/awsSection';
import type { ReadOnlyDocuments } from './readOnlyDocuments';
import type { AwsStatusBar } from './statusBar';

/** What the AWS feature's commands and nodes share. */
export interface AwsFeature {
  readonly services: Services;
  readonly connection: AwsConnection;
  section: AwsSection;
  /** The "$(cloud) profile · region" status-bar item (shown once connected in this workspace). */
  statusBar?: AwsStatusBar;
  /** The results panel, when activation was given it (test-invoke results are shown there). */
  results?: ResultsPanelService;
  /** The keys feature, when activation was given it: its key scan marks matching deployed keys. */
  keys?: KeysFeature;
  /** Read-only virtual documents (Describe, the Doctor report). */
  documents?: ReadOnlyDocuments;
}
