import { CODES, Code } from './codes';
import { LineIndex } from './positions';
import { Finding, Severity } from './types';

export interface SarifInput {
  /** The file as given (relative paths stay relative). */
  uri: string;
  text: string;
  findings: readonly Finding[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF 2.1.0 log for one run of the validator over some files. */
export function toSarif(files: readonly SarifInput[], tool: { name?: string; version?: string; informationUri?: string } = {}): Record<string, unknown> {
  const used = new Set<string>();
  for (const f of files) for (const x of f.findings) used.add(x.code);
  const ruleIds = [...used].sort();
  const rules = ruleIds.map((id) => {
    const info = (CODES as Record<string, { title: string; docsUrl: string; severity: Severity }>)[id as Code];
    return {
      id,
      name: id.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: info?.title ?? id },
      helpUri: info?.docsUrl,
      defaultConfiguration: { level: LEVEL[info?.severity ?? 'warning'] },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const results = [];
  for (const f of files) {
    const lines = new LineIndex(f.text);
    for (const x of f.findings) {
      const s = lines.positionAt(x.range.start);
      const e = lines.positionAt(x.range.end);
      results.push({
        ruleId: x.code,
        ruleIndex: index.get(x.code),
        level: LEVEL[x.severity],
        message: { text: x.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: f.uri },
            region: {
              startLine: s.line + 1,
              startColumn: s.character + 1,
              endLine: e.line + 1,
              endColumn: e.character + 1,
              charOffset: x.range.start,
              charLength: x.range.end - x.range.start,
            },
          },
        }],
        ...(x.fixes?.length ? { properties: { fixes: x.fixes.map((fx) => fx.title) } } : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: tool.name ?? 'iot-authz', version: tool.version ?? '0.1.0', informationUri: tool.informationUri ?? 'https://docs.aws.amazon.com/iot/latest/developerguide/custom-authentication.html', rules } },
      columnKind: 'utf16CodeUnits',
      artifacts: files.map((f) => ({ location: { uri: f.uri }, length: f.text.length })),
      results,
    }],
  };
}
