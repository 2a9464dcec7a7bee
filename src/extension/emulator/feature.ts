import type { ConnectionInput } from '../../core/emulator/event';
import type { OperationInput } from '../../core/emulator/operations';
import type { KeysFeature } from '../keys/feature';
import type { ResultsModel } from '../panels/model';
import type { ResultsPanelService } from '../panels/resultsPanel';
import type { Services } from '../services';
import type { TestFileDiagnostics } from './diagnostics';
import type { AuthorizersSection } from './explorer/authorizersSection';
import type { AuthzTests } from './testing/authzTests';

/** How an ad-hoc run shown in the results panel was made (for "Open as test case"). */
export interface LocalRunContext {
  /** Absolute path of the *.authorizer.json. */
  definitionFile: string;
  input: ConnectionInput;
  operations: OperationInput[];
  /** Absolute path of the private key the token was signed with, when signed in the run. */
  signedWithKey?: string;
}

/** What the emulator feature shares between its commands, and exposes to integration tests. */
export interface EmulatorFeature {
  readonly services: Services;
  readonly keys: KeysFeature;
  readonly results: ResultsPanelService;
  /** The Test Explorer controller and its run profile. */
  readonly tests: AuthzTests;
  readonly diagnostics: TestFileDiagnostics;
  /** The explorer's "Workspace authorizers" section. */
  readonly authorizers: AuthorizersSection;
  /** Results-panel models shown by Run Authorizer Locally, with how they were made. */
  readonly localRuns: WeakMap<ResultsModel, LocalRunContext>;
}
