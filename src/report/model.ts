import type { Finding } from "../diagnose/finding.js";
import type { IngestWarning } from "../ingest/types.js";

/** Bumped on any change a consumer of the JSON could notice; documented in docs/report-schema.json. */
export const reportSchemaVersion = "1.0";

export interface UnclassifiedSummary {
  template: string;
  count: number;
  level: string;
  nodes: string[];
  firstSeen?: string;
  lastSeen?: string;
  example: { file: string; line?: number; text: string };
  /** The closest known pattern, by fuzzy search: a hint, never a diagnosis. */
  related?: { id: string; title: string; score: number };
}

export interface NodeSummary {
  name: string;
  files: number;
  firstSeen?: string;
  lastSeen?: string;
}

export interface Inventory {
  producers: string[];
  nodes: NodeSummary[];
  filesByKind: Record<string, number>;
  components: string[];
  /** What the bundle lacked that some diagnosis would have used. */
  gaps: string[];
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string; patterns: number };
  bundle: { name: string; container: string };
  stats: { files: number; logFiles: number; lines: number; bytes: number };
  timeSpan?: { first: string; last: string };
  summary: string;
  findings: Finding[];
  unclassified: UnclassifiedSummary[];
  unclassifiedTotal: number;
  inventory: Inventory;
  warnings: IngestWarning[];
  redaction: { enabled: boolean };
}
