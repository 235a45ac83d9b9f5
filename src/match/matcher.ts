import type { Pattern } from "./pattern.js";

export interface MatchHit {
  pattern: Pattern;
  captures: Record<string, string>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Finds which patterns match a line. A literal prefilter (one alternation of every
 * keyword) rejects most lines with a single regex test; only lines that contain a keyword
 * are tried against the patterns owning it.
 */
export class LineMatcher {
  private readonly sensitive: RegExp | undefined;
  private readonly insensitive: RegExp | undefined;
  private readonly byKeyword: { keyword: string; lower: boolean; patterns: Pattern[] }[] = [];

  constructor(readonly patterns: readonly Pattern[]) {
    const index = new Map<string, { keyword: string; lower: boolean; patterns: Pattern[] }>();
    for (const p of patterns) {
      for (const keyword of p.keywords) {
        const key = `${p.caseInsensitive ? "i" : "s"}:${keyword}`;
        let slot = index.get(key);
        if (!slot) {
          slot = { keyword, lower: p.caseInsensitive, patterns: [] };
          index.set(key, slot);
        }
        if (!slot.patterns.includes(p)) slot.patterns.push(p);
      }
    }
    this.byKeyword = [...index.values()];
    const alternation = (words: string[], flags: string): RegExp | undefined =>
      words.length ? new RegExp(words.map(escapeRegex).join("|"), flags) : undefined;
    this.sensitive = alternation(this.byKeyword.filter((k) => !k.lower).map((k) => k.keyword), "");
    this.insensitive = alternation(this.byKeyword.filter((k) => k.lower).map((k) => k.keyword), "i");
  }

  /** Cheap test: does the line contain any keyword at all? */
  mayMatch(line: string): boolean {
    return (this.sensitive?.test(line) ?? false) || (this.insensitive?.test(line) ?? false);
  }

  match(line: string): MatchHit[] {
    if (!this.mayMatch(line)) return [];
    let lowered: string | undefined;
    const candidates = new Set<Pattern>();
    for (const slot of this.byKeyword) {
      if (slot.lower) {
        lowered ??= line.toLowerCase();
        if (!lowered.includes(slot.keyword)) continue;
      } else if (!line.includes(slot.keyword)) continue;
      for (const p of slot.patterns) candidates.add(p);
    }
    const hits: MatchHit[] = [];
    for (const pattern of candidates) {
      const m = pattern.regex.exec(line);
      if (!m) continue;
      const captures: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) captures[k] = v;
      hits.push({ pattern, captures });
    }
    // Stable order whatever the keyword order was.
    hits.sort((a, b) => a.pattern.id.localeCompare(b.pattern.id));
    return hits;
  }
}
