import type { Finding } from "../diagnose/finding.js";
import type { IngestWarning } from "../ingest/types.js";

/** Bumped on any change a consumer of the JSON could notice; documented in docs/report-schema.json. */
export const reportSchemaVersion = "1.2";

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
  /** When the dated lines came, per node (no node: not attributable), for the timeline (schema 1.2). */
  spans?: { node?: string; count: number; first: string; last: string }[];
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
  /** Versions the bundle states (schema 1.2): Kubernetes ("v1.24.4") and distribution ("k3s v1.24.4+k3s1"); absent when none. */
  versions?: { kubernetes: string[]; distribution: string[] };
}

/** One row of the timeline: where and when an entry's lines were seen. */
export interface TimelineSpan {
  /** The node of the row; several for an unclassified cluster (its nodes are not told apart), none when unknown. */
  nodes: string[];
  first: string;
  last: string;
  count: number;
  /** Lines per bucket of the timeline's grid (timeline.start + i * bucketSeconds); empty when not recorded. */
  histogram: number[];
}

/** A finding or an unclassified cluster on the timeline. */
export interface TimelineEntry {
  /** The finding id, or `unclassified-<n>` for the n-th (1-based) entry of `unclassified`. */
  ref: string;
  kind: "finding" | "unclassified";
  label: string;
  /** The finding's severity, or the cluster's level. */
  severity: string;
  first: string;
  last: string;
  count: number;
  /** Per node, earliest first. */
  spans: TimelineSpan[];
  /** Indexes into timeline.events: what happened shortly before and after this entry started. */
  nearStart: number[];
}

/** Something notable at one moment: another finding's first line, a container restart or stop. */
export interface TimelineEvent {
  at: string;
  kind: "finding-start" | "container-start" | "container-stop";
  node?: string;
  text: string;
  /** The entry the event belongs to (for finding-start). */
  ref?: string;
  file?: string;
  line?: number;
}

/** When each finding happened, per node, and what happened around its start. */
export interface Timeline {
  /** The grid: first bucket start, bucket width, bucket count. Absent when nothing had a timestamp. */
  start?: string;
  end?: string;
  bucketSeconds?: number;
  entries: TimelineEntry[];
  events: TimelineEvent[];
  /** Findings without any timestamped line (facts only), by id. */
  untimed: string[];
  /** Findings and clusters with timestamps left off the timeline to keep it readable. */
  omitted: number;
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
  timeline: Timeline;
  inventory: Inventory;
  warnings: IngestWarning[];
  redaction: { enabled: boolean };
}
