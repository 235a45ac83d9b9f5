import type { Pattern } from "./pattern.js";

/**
 * What makes a pattern slow: its regex runs only on lines that hold one of its keywords,
 * so a keyword most lines hold makes the literal prefilter useless for it (every such
 * line is decoded and the regex tried). `patterns lint` reports those keywords; the
 * library's cost then stays flat as it grows (measured: 1,000 patterns, the same pass).
 */
export interface LintIssue {
  id: string;
  file: string;
  keyword: string;
  problem: string;
}

/** Shorter keywords occur by chance in too many lines. */
export const minKeywordLength = 5;

/**
 * Words that most lines of some Kubernetes component hold. A keyword that is one of them
 * (or is inside one, like "fail" in "failed") narrows nothing.
 */
const commonWords = new Set([
  "error", "errors", "failed", "failure", "warning", "warn", "info", "debug", "fatal", "level",
  "message", "started", "starting", "stopped", "running", "request", "response", "status",
  "kubelet", "kubernetes", "container", "containers", "containerd", "namespace", "service",
  "pod", "pods", "node", "nodes", "https", "http", "timeout", "connection", "server", "client",
  "the", "and", "for", "with", "from", "true", "false", "null", "none",
]);

function isCommon(keyword: string): boolean {
  const k = keyword.trim().toLowerCase();
  if (commonWords.has(k)) return true;
  // A keyword inside a common word ("fail", "tain") is as frequent as the word.
  for (const w of commonWords) if (w.includes(k)) return true;
  return false;
}

/** Static checks: the keyword alone, no logs needed. */
export function lintPatterns(patterns: readonly Pattern[]): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const p of patterns) {
    for (const keyword of p.keywords) {
      const add = (problem: string): void => void issues.push({ id: p.id, file: p.file, keyword, problem });
      if (keyword.trim().length < minKeywordLength) add(`shorter than ${minKeywordLength} characters: it occurs by chance in many lines; use a longer piece of the message`);
      else if (isCommon(keyword)) add("a word most log lines of some component have: it narrows nothing; use a phrase only this message has");
      if (p.caseInsensitive && /[^\x00-\x7f]/.test(keyword)) add("case-insensitive with non-ASCII letters: every line with a non-ASCII byte becomes a candidate; make the pattern case-sensitive or the keyword ASCII");
    }
  }
  return issues;
}

/**
 * Per pattern, how many sample lines hold one of its keywords (the way the matcher
 * compares them) and how many of those its regex then matches. The difference is work
 * the prefilter did not save: lines decoded and tried for nothing.
 */
export class KeywordShare {
  readonly hits = new Map<string, number>();
  readonly matches = new Map<string, number>();
  lines = 0;

  constructor(private readonly patterns: readonly Pattern[]) {}

  add(line: string): void {
    this.lines++;
    let lowered: string | undefined;
    for (const p of this.patterns) {
      const text = p.caseInsensitive ? (lowered ??= line.toLowerCase()) : line;
      if (!p.keywords.some((k) => text.includes(p.caseInsensitive ? k.toLowerCase() : k))) continue;
      this.hits.set(p.id, (this.hits.get(p.id) ?? 0) + 1);
      if (p.regex.test(line)) this.matches.set(p.id, (this.matches.get(p.id) ?? 0) + 1);
    }
  }

  /**
   * Patterns whose keywords bring in more than `maxShare` of the lines without the regex
   * matching them, most wasteful first. Lines the regex matches are not the keyword's fault.
   */
  over(maxShare: number): { pattern: Pattern; share: number; matched: number }[] {
    if (this.lines === 0) return [];
    const out: { pattern: Pattern; share: number; matched: number }[] = [];
    for (const p of this.patterns) {
      const hits = this.hits.get(p.id) ?? 0;
      const matched = this.matches.get(p.id) ?? 0;
      if ((hits - matched) / this.lines > maxShare) out.push({ pattern: p, share: hits / this.lines, matched: matched / this.lines });
    }
    return out.sort((a, b) => b.share - b.matched - (a.share - a.matched) || a.pattern.id.localeCompare(b.pattern.id));
  }
}
