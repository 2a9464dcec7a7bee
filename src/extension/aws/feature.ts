import type { ResultsPanelService } from '../panels/resultsPanel';
import { Services } from '../services';
import { AwsConnection } from './connection';
import type { AwsSection } from './explorer/awsSection';

/** What the AWS feature's commands and nodes share. */
export interface AwsFeature {
  readonly services: Services;
  readonly connection: AwsConnection;
  section: AwsSection;
  /** The results panel, when activation was given it (test-invoke results are shown there). */
  results?: ResultsPanelService;
}
