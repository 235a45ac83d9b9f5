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
