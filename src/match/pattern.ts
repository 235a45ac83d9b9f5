export type Severity = "critical" | "error" | "warning" | "info";

export const severities: readonly Severity[] = ["critical", "error", "warning", "info"];

/** Higher is worse; used for sorting and --fail-on. */
export function severityRank(s: Severity): number {
  return 3 - severities.indexOf(s);
}

export interface PatternExampleMatch {
  line: string;
  captures?: Record<string, string>;
}

/**
 * Lines that say the failure a pattern describes has cleared ("connection established",
 * "Started kubelet", a Ready condition). A recovery seen after the pattern's last line,
 * on the same node, makes the finding `cleared`.
 */
export interface PatternRecovery {
  keywords: string[];
  regex: RegExp;
  examples: { match: string[]; noMatch: string[] };
}

/** One pattern of the library, validated and compiled. */
export interface Pattern {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  keywords: string[];
  regex: RegExp;
  /** "i" when the pattern is case-insensitive: keywords are then matched on the lower-cased line. */
  caseInsensitive: boolean;
  components: string[];
  /** Distributions or products the pattern is specific to (k3s, rke2, openshift, eks, ...); empty for any cluster. */
  platforms: string[];
  /** Pattern ids whose findings are symptoms of this one: when both fire, they fold under it. */
  explains: string[];
  recovery?: PatternRecovery;
  summary: string;
  explanation: string;
  fix: string;
  references: string[];
  source: string;
  examples: { match: PatternExampleMatch[]; noMatch: string[] };
  /** Where the pattern was loaded from, for messages. */
  file: string;
  /** True for patterns from --patterns directories. */
  user: boolean;
}
