import Fuse from "fuse.js";
import type { Pattern } from "./pattern.js";

/** A "possibly related" hint for an unclassified shape: never a diagnosis. */
export interface RelatedPattern {
  id: string;
  title: string;
  /** Share of the shape's informative words the pattern accounts for, 0 to 1, two decimals. */
  score: number;
}

/**
 * Words that say something failed somewhere but not what: every pattern's examples are
 * full of them, so sharing them says nothing about being related. Without this list the
 * go module path of a client-go reflector line was "related" to whatever pattern quoted
 * another reflector line.
 */
const genericWords = new Set(
  (
    "the and for with from that this not was were has have are but can cannot could into will would should been being " +
    "there their than then when which while what your you its also only more most some such very just over under after " +
    "before during onto upon via per each other " +
    "error errors err failed fail failure failing level msg time warning warn info debug " +
    "get post put patch delete https http api apis v1 v1beta1 v1alpha1 namespaces namespace k8s io pkg mod go vendor " +
    "tools cache reflector client-go retry unable kube-system default true false null"
  ).split(" "),
);

/** Lower-cased words of three characters or more, hyphens and underscores kept inside a word. */
export function informativeWords(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*/g) ?? [];
  return words.filter((w) => w.length >= 3 && !genericWords.has(w));
}

/** How much a word counts, by where the pattern has it: its keywords say most about what it is. */
const fieldWeight = { keyword: 3, title: 2, example: 1 } as const;

/** Words shorter than this are matched exactly: fuzzy short words are mostly other words. */
const fuzzyMinLength = 6;
/** Fuse score (0 = exact) up to which a library word stands for a word of the shape. */
const fuzzyThreshold = 0.15;
/** Query words looked at per shape, in order of appearance. */
const maxQueryWords = 40;
/** Searched words remembered per index. */
const maxCachedWords = 20_000;

interface PatternWords {
  pattern: Pattern;
  weights: Map<string, number>;
}

interface NearWord {
  word: string;
  similarity: number;
}

/**
 * The hint behind "possibly related" in the unclassified section. fuse.js matches each
 * informative word of the shape against the words of the library's keywords, titles and
 * example lines (so "refusing" finds "refused", "kubeconfig" finds "kubeconfigs"); a
 * pattern's score is the share of the shape's information (idf-weighted words) that it
 * accounts for, its keywords counting most.
 *
 * Fuzzy-searching words instead of whole shapes against whole example texts is what
 * keeps this cheap: a bitap search of a 120-character query over every pattern's
 * examples cost 1.5 to 2.3 s per report with 103 patterns (7 s with 1,000); here each
 * distinct word is searched once, against a vocabulary of short strings.
 */
export class RelatedPatternIndex {
  private readonly docs: PatternWords[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly vocabulary: Fuse<string>;
  private readonly nearCache = new Map<string, NearWord[]>();

  constructor(patterns: readonly Pattern[]) {
    this.docs = patterns.map((pattern) => {
      const weights = new Map<string, number>();
      const add = (text: string, weight: number): void => {
        for (const w of informativeWords(text)) weights.set(w, Math.max(weights.get(w) ?? 0, weight));
      };
      for (const e of pattern.examples.match) add(e.line, fieldWeight.example);
      add(pattern.title, fieldWeight.title);
      for (const k of pattern.keywords) add(k, fieldWeight.keyword);
      return { pattern, weights };
    });
    for (const d of this.docs) for (const w of d.weights.keys()) this.documentFrequency.set(w, (this.documentFrequency.get(w) ?? 0) + 1);
    const words = [...this.documentFrequency.keys()].sort();
    this.vocabulary = new Fuse(words, { includeScore: true, ignoreLocation: true, threshold: fuzzyThreshold, minMatchCharLength: 3 });
  }

  /** Rare words weigh more; a word no pattern has weighs most (it is what the library does not know). */
  private idf(word: string): number {
    return Math.log(1 + this.docs.length / (this.documentFrequency.get(word) ?? 0.5));
  }

  private near(word: string): NearWord[] {
    let found = this.nearCache.get(word);
    if (found) return found;
    if (word.length < fuzzyMinLength) found = this.documentFrequency.has(word) ? [{ word, similarity: 1 }] : [];
    else found = this.vocabulary.search(word, { limit: 8 }).map((r) => ({ word: r.item, similarity: 1 - (r.score ?? 1) }));
    // Bounded: a batch worker keeps this index for hundreds of bundles.
    if (this.nearCache.size >= maxCachedWords) this.nearCache.clear();
    this.nearCache.set(word, found);
    return found;
  }

  /**
   * The closest pattern, when it is close enough to be worth a look: at least half of the
   * shape's information with three shared words, or three quarters with two. Ties go to
   * the pattern listed first (the library's order), so the result is deterministic.
   */
  related(shape: string): RelatedPattern | undefined {
    // Placeholders (<IP>, <N>, …) are the masked values, not words of the message.
    const query = [...new Set(informativeWords(shape.replace(/<[A-Z0-9]+>/g, " ")))].slice(0, maxQueryWords);
    const total = query.reduce((sum, w) => sum + this.idf(w), 0);
    if (query.length < 2 || total === 0) return undefined;
    const nearByWord = query.map((w) => ({ weight: this.idf(w), near: this.near(w) }));
    let best: { doc: PatternWords; score: number; shared: number } | undefined;
    for (const doc of this.docs) {
      let covered = 0;
      let shared = 0;
      for (const { weight, near } of nearByWord) {
        let wordBest = 0;
        for (const n of near) {
          const fw = doc.weights.get(n.word);
          // A keyword word counts fully, an example word half.
          if (fw !== undefined) wordBest = Math.max(wordBest, n.similarity * (0.5 + fw / 6));
        }
        if (wordBest > 0) {
          covered += weight * wordBest;
          shared++;
        }
      }
      const score = covered / total;
      if (!best || score > best.score) best = { doc, score, shared };
    }
    if (!best) return undefined;
    const closeEnough = (best.score >= 0.5 && best.shared >= 3) || (best.score >= 0.75 && best.shared >= 2);
    if (!closeEnough) return undefined;
    return { id: best.doc.pattern.id, title: best.doc.pattern.title, score: Math.round(best.score * 100) / 100 };
  }
}

const indexes = new WeakMap<readonly Pattern[], RelatedPatternIndex>();

/** One index per library: a batch worker reuses it for every bundle. */
export function relatedPatternIndex(patterns: readonly Pattern[]): RelatedPatternIndex {
  let index = indexes.get(patterns);
  if (!index) {
    index = new RelatedPatternIndex(patterns);
    indexes.set(patterns, index);
  }
  return index;
}
