import { KeywordAutomaton } from "./matcher-automaton.js";
import type { Pattern } from "./pattern.js";

export interface MatchHit {
  pattern: Pattern;
  captures: Record<string, string>;
}

export interface LineMatcherOptions {
  /**
   * Literals that make a line a candidate for `scanLines` without being any pattern's
   * keyword (the words of error lines, for the unclassified section). Compared folded:
   * case-insensitive, any digit stands for any digit ("E0000 " is every klog error prefix).
   */
  alsoFlag?: readonly string[];
}

interface KeywordSlot {
  keyword: string;
  /** Matched on the lower-cased line (case-insensitive pattern). */
  lower: boolean;
  patterns: Pattern[];
}

/**
 * Characters whose lower case is ASCII: "\u212a" (Kelvin sign) lower-cases to "k" and
 * "\u0130" to "i" + a combining dot. A case-insensitive keyword can therefore occur in
 * the lower-cased line although its bytes are not in the raw line.
 */
const kelvinSign = Buffer.from("\u212a");
const dottedCapitalI = Buffer.from("\u0130");

const matcherCache = new WeakMap<readonly Pattern[], Map<string, LineMatcher>>();

/**
 * Finds which patterns match a line. A pattern is tried when one of its keywords occurs
 * in the line (case-insensitive patterns: in the lower-cased line); it matches when its
 * regex does. The keywords of the whole library form one automaton over bytes, so the
 * cost of the prefilter does not grow with the number of patterns, and a block of log
 * text can be scanned for candidate lines before any line is decoded (`scanLines`).
 */
export class LineMatcher {
  private readonly slots: KeywordSlot[];
  private readonly automaton: KeywordAutomaton;
  /** Automaton ids at or above this are not keywords: scanner triggers and Unicode fallbacks. */
  private readonly firstTrigger: number;
  /** Automaton ids at or above this are Unicode fallbacks: check every `exhaustive` slot. */
  private readonly firstFallback: number;
  /** Slots the byte automaton cannot vouch for on lines with non-ASCII bytes. */
  private readonly exhaustive: KeywordSlot[];

  /** The `alsoFlag` literals this matcher was built with. */
  readonly alsoFlag: readonly string[];

  constructor(
    readonly patterns: readonly Pattern[],
    options: LineMatcherOptions = {},
  ) {
    this.alsoFlag = options.alsoFlag ?? [];
    const index = new Map<string, KeywordSlot>();
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
    this.slots = [...index.values()];
    const entries: Uint8Array[] = this.slots.map((s) => Buffer.from(s.keyword));
    this.firstTrigger = entries.length;
    for (const t of this.alsoFlag) entries.push(Buffer.from(t));
    this.firstFallback = entries.length;

    // The byte automaton finds every keyword whose UTF-8 bytes are in the line. That is
    // exact for case-sensitive keywords and for ASCII case-insensitive ones, except for
    // the two characters that lower-case into ASCII; anything else is checked in full on
    // lines that have non-ASCII bytes.
    const insensitive = this.slots.filter((s) => s.lower);
    const opaque = this.slots.filter((s) => (s.lower && /[^\x00-\x7f]/.test(s.keyword)) || /[\ufffd\ud800-\udfff]/.test(s.keyword));
    if (opaque.length) {
      for (let b = 0x80; b <= 0xff; b++) entries.push(Uint8Array.of(b));
    } else {
      if (insensitive.some((s) => s.keyword.includes("k"))) entries.push(kelvinSign);
      if (insensitive.some((s) => s.keyword.includes("i"))) entries.push(dottedCapitalI);
    }
    this.exhaustive = [...new Set([...insensitive, ...opaque])];
    // The error-word literals only flag lines for the scanner: keywordsIn need not list them.
    this.automaton = new KeywordAutomaton(entries, this.firstTrigger, this.firstFallback);
  }

  /**
   * The matcher of a library, built once: building the automaton takes 15 ms for the
   * built-in library and 50 ms for 1,000 patterns, and a batch worker analyses hundreds of
   * bundles with the same library. Matchers hold no per-analysis state.
   */
  static forLibrary(patterns: readonly Pattern[], alsoFlag: readonly string[] = []): LineMatcher {
    let byFlags = matcherCache.get(patterns);
    if (!byFlags) {
      byFlags = new Map();
      matcherCache.set(patterns, byFlags);
    }
    const key = alsoFlag.join("\u0000");
    let matcher = byFlags.get(key);
    if (!matcher) {
      matcher = new LineMatcher(patterns, { alsoFlag });
      byFlags.set(key, matcher);
    }
    return matcher;
  }

  /** Does the line contain any keyword at all? */
  mayMatch(line: string): boolean {
    return this.candidateSlots(line, Buffer.from(line)).length > 0;
  }

  match(line: string): MatchHit[] {
    return this.matchLine(line, Buffer.from(line));
  }

  /**
   * `match` for a line whose bytes are at hand: `bytes[start, end)` must hold the line's
   * UTF-8 text (possibly with bytes the decoder replaced); no string is encoded again.
   */
  matchLine(line: string, bytes: Uint8Array, start = 0, end = bytes.length): MatchHit[] {
    const slots = this.candidateSlots(line, bytes, start, end);
    if (slots.length === 0) return [];
    const candidates = new Set<Pattern>();
    for (const slot of slots) for (const p of slot.patterns) candidates.add(p);
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

  /**
   * Appends to `hits` the end (index of the newline, or `end`) of every line of
   * block[start, end) that may match a pattern or holds an `alsoFlag` literal. `start`
   * must be a line start. Lines not reported can match nothing: no need to decode them.
   */
  scanLines(block: Buffer, start: number, end: number, hits: number[]): void {
    this.automaton.scanLines(block, start, end, hits);
  }

  /** The keyword slots that really occur in the line (checked on the string). */
  private candidateSlots(line: string, bytes: Uint8Array, start = 0, end = bytes.length): KeywordSlot[] {
    const ids = this.automaton.keywordsIn(bytes, start, end);
    if (ids.length === 0) return [];
    let lowered: string | undefined;
    const occurs = (slot: KeywordSlot): boolean => {
      if (!slot.lower) return line.includes(slot.keyword);
      lowered ??= line.toLowerCase();
      return lowered.includes(slot.keyword);
    };
    const found = new Set<KeywordSlot>();
    for (const id of ids) {
      if (id < this.firstTrigger) {
        const slot = this.slots[id] as KeywordSlot;
        if (occurs(slot)) found.add(slot);
      } else if (id >= this.firstFallback) {
        for (const slot of this.exhaustive) if (occurs(slot)) found.add(slot);
      }
    }
    return [...found];
  }
}
