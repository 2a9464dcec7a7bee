/** The three document kinds the authoring feature understands. */
export type DocumentKind = 'response' | 'policy' | 'authorizer';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['response', 'policy', 'authorizer'];

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Half-open [start, end) character offsets (UTF-16 code units) into the validated text. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** Replace `length` characters at `offset` with `newText`. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The obvious fix: editors may apply it with one keystroke. */
  isPreferred?: boolean;
}

export interface Finding {
  /** Stable UPPER_SNAKE identifier, e.g. IOT_ACTION_UNKNOWN. */
  code: string;
  severity: Severity;
  message: string;
  range: OffsetRange;
  /** A page explaining the rule. */
  docsUrl: string;
  /** Machine-readable details, e.g. `{ suggestion: 'iot:Publish' }`. */
  data?: Record<string, unknown>;
  /** Quick fixes as text edits on the validated text. */
  fixes?: Fix[];
}

export interface ValidateOptions {
  /** Codes to leave out. */
  disabledCodes?: Iterable<string>;
  /** Per-code severity overrides. */
  severityOverrides?: Readonly<Record<string, Severity>>;
  /**
   * For authorizer definitions: whether a workspace-relative key file exists.
   * When absent, key paths are not checked.
   */
  fileExists?: (relativePath: string) => boolean;
  /**
   * For authorizer definitions: the text of a workspace-relative key file
   * (size-capped), undefined when it cannot be read. Lets the rules refuse a
   * private key by its content, whatever its name.
   */
  readKeyFile?: (relativePath: string) => string | undefined;
  /**
   * Whether the policy is meant for custom-authorizer connections. Defaults to
   * true for responses; for standalone policy files it lowers certificate
   * variable findings to info when false.
   */
  customAuthorizer?: boolean;
}
