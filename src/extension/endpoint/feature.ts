import type { ResultsPanelService } from '../panels/resultsPanel';
import type { Services } from '../services';
import type { EndpointController } from './controller';
import type { EndpointSection } from './explorer/endpointSection';
import type { EndpointStatusBar } from './statusBar';

/** What the local endpoint feature shares between its commands, and exposes to integration tests. */
export interface EndpointFeature {
  readonly services: Services;
  readonly results: ResultsPanelService;
  readonly controller: EndpointController;
  /** The explorer's "Local endpoint" section. */
  readonly section: EndpointSection;
  readonly statusBar: EndpointStatusBar;
}
