import type { Evidence } from "../match/evidence.js";
import type { Severity } from "../match/pattern.js";

export type Confidence = "high" | "medium" | "low";

/** Evidence as shown in a finding: a log line or a fact, with the node it belongs to. */
export interface FindingEvidence extends Evidence {
  node?: string;
  /** "log" for matched lines; "fact" for configuration or state that proves the cause. */
  kind: "log" | "fact";
}

/** A diagnosis: data first. Every renderer (Markdown, JSON, HTML, terminal) reads this. */
export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** One sentence a non-expert understands, with the bundle's own values. */
  summary: string;
  /** Markdown: why it happens, with the proof found. */
  cause: string;
  /** Markdown: what to do, commands filled with the bundle's values. */
  fix: string;
  /** Proof the finding would need that the bundle did not hold, and how to collect it. */
  missingProof: string[];
  evidence: FindingEvidence[];
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  nodes: string[];
  files: string[];
  references: string[];
  /** Pattern ids whose matches this finding accounts for. */
  patterns: string[];
  /** Key values that identify the case (e.g. {"controller": "192.168.1.41:8132"}), for summaries and batch views. */
  keyValues: Record<string, string>;
  /** Relative link to the finding's documentation page, when one exists. */
  doc?: string;
}
