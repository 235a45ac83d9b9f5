/**
 * A small parser for JavaScript regex source (non-unicode mode, as patterns are compiled),
 * just precise enough to reason about backtracking: which characters each atom can match,
 * how atoms are sequenced, alternated and repeated. Assertions and lookarounds match no
 * characters; backreferences are treated as "any text" because their length is unknown.
 */

/** A set of characters: exact for ASCII, one "some non-ASCII character" flag for the rest. */
export class CharSet {
  private constructor(
    private readonly bits: Uint32Array,
    readonly other: boolean,
  ) {}

  static empty(): CharSet {
    return new CharSet(new Uint32Array(4), false);
  }

  static of(codes: Iterable<number>, other = false): CharSet {
    const bits = new Uint32Array(4);
    let nonAscii = other;
    for (const c of codes) {
      if (c < 128) bits[c >> 5] = (bits[c >> 5] ?? 0) | (1 << (c & 31));
      else nonAscii = true;
    }
    return new CharSet(bits, nonAscii);
  }

  static range(from: number, to: number): CharSet {
    const codes: number[] = [];
    for (let c = from; c <= Math.min(to, 127); c++) codes.push(c);
    return CharSet.of(codes, to > 127);
  }

  union(other: CharSet): CharSet {
    const bits = new Uint32Array(4);
    for (let i = 0; i < 4; i++) bits[i] = (this.bits[i] ?? 0) | (other.bits[i] ?? 0);
    return new CharSet(bits, this.other || other.other);
  }

  /** Complement within ASCII; non-ASCII stays possible (a negated class matches most of Unicode). */
  negate(): CharSet {
    const bits = new Uint32Array(4);
    for (let i = 0; i < 4; i++) bits[i] = ~(this.bits[i] ?? 0) >>> 0;
    return new CharSet(bits, true);
  }

  intersect(other: CharSet): CharSet {
    const bits = new Uint32Array(4);
    for (let i = 0; i < 4; i++) bits[i] = (this.bits[i] ?? 0) & (other.bits[i] ?? 0);
    return new CharSet(bits, this.other && other.other);
  }

  /** Both sets may match one same character. Two non-ASCII sets are assumed to overlap. */
  overlaps(other: CharSet): boolean {
    for (let i = 0; i < 4; i++) if (((this.bits[i] ?? 0) & (other.bits[i] ?? 0)) !== 0) return true;
    return this.other && other.other;
  }

  isEmpty(): boolean {
    return !this.other && this.bits.every((b) => b === 0);
  }

  /** Adds the other case of every ASCII letter (the "i" flag). */
  caseFolded(): CharSet {
    const codes: number[] = [];
    for (let c = 65; c <= 90; c++) {
      if (this.has(c) || this.has(c + 32)) codes.push(c, c + 32);
    }
    return this.union(CharSet.of(codes));
  }

  private has(code: number): boolean {
    return (((this.bits[code >> 5] ?? 0) >>> (code & 31)) & 1) === 1;
  }
}

export type RegexNode =
  | { type: "chars"; set: CharSet }
  | { type: "seq"; items: RegexNode[] }
  | { type: "alt"; options: RegexNode[] }
  /** `max` is Infinity for `*`, `+` and `{n,}`. `start`/`end` locate it in the source. */
  | { type: "repeat"; body: RegexNode; min: number; max: number; start: number; end: number }
  /** Matches the empty string only: ^, $, \b, \B and lookarounds (their bodies are in `lookarounds`). */
  | { type: "assert" };

export interface ParsedRegex {
  root: RegexNode;
  /** Lookaround bodies: they backtrack too, so they are checked on their own. */
  lookarounds: RegexNode[];
}

const digit = CharSet.range(48, 57);
const word = digit.union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of([95]));
const space = CharSet.of([9, 10, 11, 12, 13, 32], true);
const dot = CharSet.of([10, 13]).negate();
const anything = CharSet.empty().negate();

/** Parses regex source that `new RegExp(source, flags)` already accepted. */
export function parseRegex(source: string, caseInsensitive: boolean): ParsedRegex {
  const lookarounds: RegexNode[] = [];
  let i = 0;
  const peek = (offset = 0): string => source[i + offset] ?? "";
  const fold = (set: CharSet): CharSet => (caseInsensitive ? set.caseFolded() : set);

  const parseAlternation = (): RegexNode => {
    const options: RegexNode[] = [parseSequence()];
    while (peek() === "|") {
      i++;
      options.push(parseSequence());
    }
    return options.length === 1 ? (options[0] as RegexNode) : { type: "alt", options };
  };

  const parseSequence = (): RegexNode => {
    const items: RegexNode[] = [];
    while (i < source.length && peek() !== "|" && peek() !== ")") {
      const start = i;
      const atom = parseAtom();
      items.push(parseQuantifier(atom, start));
    }
    return items.length === 1 ? (items[0] as RegexNode) : { type: "seq", items };
  };

  const parseQuantifier = (atom: RegexNode, start: number): RegexNode => {
    let min: number;
    let max: number;
    const c = peek();
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      i += m[0].length - 1;
    } else return atom;
    i++;
    if (peek() === "?") i++; // lazy: same worst case as greedy
    if (atom.type === "assert") return atom;
    return parseQuantifier({ type: "repeat", body: atom, min, max, start, end: i }, start);
  };

  const parseAtom = (): RegexNode => {
    const c = peek();
    i++;
    switch (c) {
      case "^":
      case "$":
        return { type: "assert" };
      case ".":
        return { type: "chars", set: dot };
      case "[":
        return { type: "chars", set: fold(parseClass()) };
      case "(":
        return parseGroup();
      case "\\":
        return parseEscape();
      default:
        return { type: "chars", set: fold(CharSet.of([c.charCodeAt(0)])) };
    }
  };

  const parseGroup = (): RegexNode => {
    let lookaround = false;
    if (peek() === "?") {
      if (peek(1) === ":") i += 2;
      else if (peek(1) === "=" || peek(1) === "!") {
        i += 2;
        lookaround = true;
      } else if (peek(1) === "<" && (peek(2) === "=" || peek(2) === "!")) {
        i += 3;
        lookaround = true;
      } else if (peek(1) === "<") {
        i = source.indexOf(">", i) + 1;
      }
    }
    const body = parseAlternation();
    i++; // ")"
    if (lookaround) {
      lookarounds.push(body);
      return { type: "assert" };
    }
    return body;
  };

  const parseEscape = (): RegexNode => {
    const c = peek();
    i++;
    if (c === "b" || c === "B") return { type: "assert" };
    if (/[1-9]/.test(c) || (c === "k" && peek() === "<")) {
      // A backreference matches text of unknown length: as ambiguous as `[^]*`.
      if (c === "k") i = source.indexOf(">", i) + 1;
      else while (/[0-9]/.test(peek())) i++;
      return { type: "repeat", body: { type: "chars", set: anything }, min: 0, max: Infinity, start: i, end: i };
    }
    return { type: "chars", set: fold(escapeSet(c)) };
  };

  /** The set of one escape (after the backslash, whose first character was consumed). */
  const escapeSet = (c: string): CharSet => {
    switch (c) {
      case "d":
        return digit;
      case "D":
        return digit.negate();
      case "w":
        return word;
      case "W":
        return word.negate();
      case "s":
        return space;
      case "S":
        return CharSet.of([9, 10, 11, 12, 13, 32]).negate();
      case "t":
        return CharSet.of([9]);
      case "n":
        return CharSet.of([10]);
      case "v":
        return CharSet.of([11]);
      case "f":
        return CharSet.of([12]);
      case "r":
        return CharSet.of([13]);
      case "0":
        return CharSet.of([0]);
      case "c": {
        const letter = peek();
        if (/[A-Za-z]/.test(letter)) {
          i++;
          return CharSet.of([letter.charCodeAt(0) % 32]);
        }
        return CharSet.of([92]);
      }
      case "x": {
        const hex = /^[0-9a-fA-F]{2}/.exec(source.slice(i));
        if (!hex) return CharSet.of([120]);
        i += 2;
        return CharSet.of([parseInt(hex[0], 16)]);
      }
      case "u": {
        const hex = /^[0-9a-fA-F]{4}/.exec(source.slice(i));
        if (!hex) return CharSet.of([117]);
        i += 4;
        return CharSet.of([parseInt(hex[0], 16)]);
      }
      default:
        return CharSet.of([c.charCodeAt(0)]);
    }
  };

  const parseClass = (): CharSet => {
    let negated = false;
    if (peek() === "^") {
      negated = true;
      i++;
    }
    let set = CharSet.empty();
    const single = (): { set: CharSet; code?: number } => {
      const c = peek();
      i++;
      if (c !== "\\") return { set: CharSet.of([c.charCodeAt(0)]), code: c.charCodeAt(0) };
      const e = peek();
      i++;
      if (e === "b") return { set: CharSet.of([8]), code: 8 };
      const s = escapeSet(e);
      // Only a one-character escape can be a range end; \d, \w, \s... cannot.
      return /[dDwWsS]/.test(e) ? { set: s } : { set: s, ...codeOf(s, e) };
    };
    while (i < source.length && peek() !== "]") {
      const from = single();
      if (peek() === "-" && peek(1) !== "]" && peek(1) !== "" && from.code !== undefined) {
        const save = i;
        i++;
        const to = single();
        if (to.code !== undefined) {
          set = set.union(CharSet.range(from.code, to.code));
          continue;
        }
        i = save;
      }
      set = set.union(from.set);
    }
    i++; // "]"
    return negated ? set.negate() : set;
  };

  const root = parseAlternation();
  return { root, lookarounds };
}

/** The code point of a one-character escape, for ranges like [\x00-\x1f]. */
function codeOf(set: CharSet, escape: string): { code?: number } {
  const known: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, "0": 0 };
  if (escape in known) return { code: known[escape] as number };
  if (escape === "x" || escape === "u" || escape === "c") {
    for (let c = 0; c < 128; c++) if (set.overlaps(CharSet.of([c]))) return { code: c };
    return { code: 128 };
  }
  return { code: escape.charCodeAt(0) };
}
