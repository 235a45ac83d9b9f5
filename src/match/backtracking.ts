import { CharSet, parseRegex, type RegexNode } from "./regex-ast.js";

/**
 * Finds regexes that V8's backtracking engine can run for a catastrophic time on one line.
 * JavaScript cannot stop a running regex, so this must be decided before any line is matched.
 *
 * - Exponential: a repeated part that can match one same text in two different ways
 *   ((a+)+, (a|a)*, (\w+\s?)+, (a?b?)*): every extra character doubles the work.
 * - High-degree polynomial: three or more loops in a row that can all read the same text
 *   (.*a.*b.*c, \w*\w*\w*, (.*x){3}): O(n^3) and worse on a 64 KiB line is a hang. Two such
 *   loops (foo.*bar.*baz) stay allowed: too common to refuse, and bounded by the line limit.
 *
 * Method: the regex becomes a position (Glushkov) automaton whose states are its character
 * atoms (Weideman et al., "Analyzing matching time behavior of backtracking regular
 * expression matchers by using ambiguity of NFA", 2016). Exponential: one transition derived
 * twice inside a loop, or a cycle of the automaton's product with itself that leaves the
 * diagonal (two different atoms reading the same text and meeting again). Polynomial: loop
 * p then loop q with a word w that p reads from p back to p, from p to q, and q from q back
 * to q, found in the automaton's product with itself twice; chained loops multiply.
 * The check is conservative: a few harmless regexes may be refused, none that explode.
 */
export interface BacktrackingRisk {
  kind: "exponential" | "polynomial";
  /** The part of the source that can be matched in too many ways. */
  fragment: string;
}

/** Loops in a row over the same text that are refused (O(n^3) on a long line). */
export const maxOverlappingLoops = 2;
/** Above this many atoms the check gives up and the regex is treated as risky. */
const maxPositions = 3000;
/** Exact counts ({3}) are unrolled up to this count; larger ones and ranges ({1,3}) are treated as loops. */
const maxUnrolledCopies = 10;
const maxUnrolledPositions = 400;
/** Product states explored before the check gives up (and reports the regex as risky). */
const maxProductStates = 400_000;

/** `overlappingLoops`: how many overlapping loops in a row are still accepted (default `maxOverlappingLoops`). */
export function backtrackingRisk(source: string, caseInsensitive: boolean, options: { overlappingLoops?: number } = {}): BacktrackingRisk | undefined {
  const parsed = parseRegex(source, caseInsensitive);
  for (const node of [parsed.root, ...parsed.lookarounds]) {
    const risk = checkNode(node, source, options.overlappingLoops ?? maxOverlappingLoops);
    if (risk) return risk;
  }
  return undefined;
}

interface Position {
  set: CharSet;
  /** Spans of the unbounded repeats this atom sits in, innermost last. */
  loops: { start: number; end: number }[];
}

interface Glushkov {
  nullable: boolean;
  first: number[];
  last: number[];
}

class Automaton {
  /** Position 0 is the start state; it matches nothing. */
  readonly positions: Position[] = [{ set: CharSet.empty(), loops: [] }];
  /** follow[p] maps q to how many different ways the regex allows q right after p (capped at 2). */
  readonly follow: Map<number, number>[] = [new Map()];
  tooBig = false;

  addPosition(set: CharSet, loops: Position["loops"]): number {
    if (this.positions.length >= maxPositions) this.tooBig = true;
    this.positions.push({ set, loops: [...loops] });
    this.follow.push(new Map());
    return this.positions.length - 1;
  }

  link(from: number[], to: number[]): void {
    for (const p of from) {
      const edges = this.follow[p] as Map<number, number>;
      for (const q of to) edges.set(q, Math.min(2, (edges.get(q) ?? 0) + 1));
    }
  }
}

function checkNode(node: RegexNode, source: string, overlappingLoops: number): BacktrackingRisk | undefined {
  const automaton = new Automaton();
  const root = build(node, automaton, []);
  automaton.link([0], root.first);
  if (automaton.tooBig) return { kind: "exponential", fragment: source };
  const comp = components(automaton.positions.length, (v) => (automaton.follow[v] as Map<number, number>).keys());
  return findAmbiguousLoop(automaton, comp, source) ?? findOverlappingLoops(automaton, comp, source, overlappingLoops);
}

function build(node: RegexNode, a: Automaton, loops: Position["loops"]): Glushkov {
  if (a.tooBig) return { nullable: true, first: [], last: [] };
  switch (node.type) {
    case "assert":
      return { nullable: true, first: [], last: [] };
    case "chars": {
      if (node.set.isEmpty()) return { nullable: false, first: [], last: [] };
      const p = a.addPosition(node.set, loops);
      return { nullable: false, first: [p], last: [p] };
    }
    case "alt": {
      const parts = node.options.map((o) => build(o, a, loops));
      return { nullable: parts.some((p) => p.nullable), first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last) };
    }
    case "seq":
      return sequence(node.items.map((item) => () => build(item, a, loops)), a);
    case "repeat":
      return repeat(node, a, loops);
  }
}

/** Concatenation; parts are built lazily, in order, so positions are numbered left to right. */
function sequence(parts: (() => Glushkov)[], a: Automaton): Glushkov {
  let acc: Glushkov = { nullable: true, first: [], last: [] };
  for (const make of parts) {
    const next = make();
    a.link(acc.last, next.first);
    acc = {
      nullable: acc.nullable && next.nullable,
      first: acc.nullable ? [...acc.first, ...next.first] : acc.first,
      last: next.nullable ? [...acc.last, ...next.last] : next.last,
    };
  }
  return acc;
}

function repeat(node: Extract<RegexNode, { type: "repeat" }>, a: Automaton, loops: Position["loops"]): Glushkov {
  const { body, min, max } = node;
  if (max === 0) return { nullable: true, first: [], last: [] };
  if (max === 1) {
    const g = build(body, a, loops);
    return min === 0 ? { ...g, nullable: true } : g;
  }
  const inLoop = [...loops, { start: node.start, end: node.end }];
  const unrollable = (count: number): boolean => count <= maxUnrolledCopies && countPositions(body) * count <= maxUnrolledPositions;
  const copies = (n: number): (() => Glushkov)[] => Array.from({ length: n }, () => () => build(body, a, loops));
  if (min === max) {
    // A small exact count is unrolled: x{3} = x x x, no choice for the engine to make.
    if (unrollable(min)) return sequence(copies(min), a);
    // A large one behaves like x x*. If x can match nothing, any iteration can also be
    // skipped: a second way from one iteration to the next, as in (a?){30}.
    return sequence([...copies(1), () => {
      const g = star(body, a, inLoop);
      if (canBeEmpty(body)) a.link(g.last, g.first);
      return g;
    }], a);
  }
  // A range of counts (x{1,3}, x{2,}, x{0,200}) lets the engine try every split between
  // neighbouring repeats, like a loop does: x{2,5} ~ x x x*.
  const forced = min === 0 ? 0 : unrollable(min) ? min : 1;
  return sequence([...copies(forced), () => star(body, a, inLoop)], a);
}

function canBeEmpty(node: RegexNode): boolean {
  switch (node.type) {
    case "assert":
      return true;
    case "chars":
      return false;
    case "alt":
      return node.options.some(canBeEmpty);
    case "seq":
      return node.items.every(canBeEmpty);
    case "repeat":
      return node.min === 0 || canBeEmpty(node.body);
  }
}

function star(body: RegexNode, a: Automaton, loops: Position["loops"]): Glushkov {
  const g = build(body, a, loops);
  a.link(g.last, g.first);
  return { nullable: true, first: g.first, last: g.last };
}

function countPositions(node: RegexNode): number {
  switch (node.type) {
    case "assert":
      return 0;
    case "chars":
      return 1;
    case "alt":
      return node.options.reduce((n, o) => n + countPositions(o), 0);
    case "seq":
      return node.items.reduce((n, o) => n + countPositions(o), 0);
    case "repeat": {
      const copies = node.max === Infinity ? node.min + 1 : node.max;
      return countPositions(node.body) * Math.max(1, Math.min(copies, maxUnrolledCopies));
    }
  }
}

/** Strongly connected components of the automaton (iterative Tarjan); returns a component id per state. */
function components(count: number, successors: (v: number) => Iterable<number>): Int32Array {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const comp = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  let next = 0;
  let compCount = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; it: Iterator<number> }[] = [{ v: root, it: successors(root)[Symbol.iterator]() }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: number; it: Iterator<number> };
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, it: successors(w)[Symbol.iterator]() });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] as number, low[frame.v] as number);
      if (low[frame.v] === index[frame.v]) {
        for (;;) {
          const w = stack.pop() as number;
          onStack[w] = 0;
          comp[w] = compCount;
          if (w === frame.v) break;
        }
        compCount++;
      }
    }
  }
  return comp;
}

function findAmbiguousLoop(a: Automaton, comp: Int32Array, source: string): BacktrackingRisk | undefined {
  const n = a.positions.length;
  const setOf = (p: number): CharSet => (a.positions[p] as Position).set;

  // 1. One transition derived twice inside a loop: (a*)*, (\w+\s?)+, (a?b?)*.
  for (let p = 1; p < n; p++) {
    for (const [q, ways] of a.follow[p] as Map<number, number>) {
      // The loop that derives the transition a second time is the outer one.
      if (ways >= 2 && comp[p] === comp[q]) return { kind: "exponential", fragment: fragmentFor(a, [p, q], source, 1) };
    }
  }

  // 2. Two different atoms of one loop reading the same text and meeting again: (a|a)*, (a|ab|b)*.
  // Only pairs inside one component can form such a cycle.
  const inLoop = (p: number, q: number): boolean => comp[p] === comp[q];
  const pairId = (p: number, q: number): number => p * n + q;
  const ids = new Map<number, number>();
  const pairs: [number, number][] = [];
  const intern = (p: number, q: number): number => {
    const key = pairId(p, q);
    let id = ids.get(key);
    if (id === undefined) {
      id = pairs.length;
      ids.set(key, id);
      pairs.push([p, q]);
    }
    return id;
  };
  for (let p = 1; p < n; p++) if ([...(a.follow[p] as Map<number, number>).keys()].some((q) => inLoop(p, q))) intern(p, p);
  const successors: number[][] = [];
  for (let id = 0; id < pairs.length; id++) {
    if (pairs.length > maxProductStates) return { kind: "exponential", fragment: source };
    const [p, q] = pairs[id] as [number, number];
    const out: number[] = [];
    for (const p2 of (a.follow[p] as Map<number, number>).keys()) {
      if (comp[p2] !== comp[p]) continue;
      for (const q2 of (a.follow[q] as Map<number, number>).keys()) {
        if (comp[q2] !== comp[q] || comp[p2] !== comp[q2]) continue;
        if (setOf(p2).overlaps(setOf(q2))) out.push(intern(p2, q2));
      }
    }
    successors[id] = out;
  }
  const productComp = components(pairs.length, (v) => successors[v] ?? []);
  const diagonalComps = new Set<number>();
  for (let id = 0; id < pairs.length; id++) {
    const [p, q] = pairs[id] as [number, number];
    if (p === q) diagonalComps.add(productComp[id] as number);
  }
  for (let id = 0; id < pairs.length; id++) {
    const [p, q] = pairs[id] as [number, number];
    if (p !== q && diagonalComps.has(productComp[id] as number)) return { kind: "exponential", fragment: fragmentFor(a, [p, q], source, 0) };
  }
  return undefined;
}

/** An unbounded repeat around the given atoms (`outward` levels out from the innermost), as written. */
function fragmentFor(a: Automaton, atoms: number[], source: string, outward: number): string {
  const loopsOf = atoms.map((p) => (a.positions[p] as Position).loops);
  const shared = (loopsOf[0] ?? []).filter((l) => loopsOf.every((ls) => ls.some((m) => m.start === l.start && m.end === l.end)));
  const inner = shared[Math.max(0, shared.length - 1 - outward)];
  if (!inner || inner.end <= inner.start) return source;
  return source.slice(inner.start, inner.end);
}

/**
 * The longest chain of loops where each next loop can read the same text as the one before
 * (an "IDA" pair). Returns a risk when the chain is longer than `allowed`.
 */
function findOverlappingLoops(a: Automaton, comp: Int32Array, source: string, allowed: number): BacktrackingRisk | undefined {
  const n = a.positions.length;
  const members = new Map<number, number[]>();
  for (let p = 1; p < n; p++) {
    if ([...(a.follow[p] as Map<number, number>).keys()].some((q) => comp[q] === comp[p])) {
      const list = members.get(comp[p] as number) ?? [];
      list.push(p);
      members.set(comp[p] as number, list);
    }
  }
  if (members.size <= allowed) return undefined;
  const budget = { states: 0 };
  const reach = (from: number[], next: (v: number) => Iterable<number>): Uint8Array => {
    const seen = new Uint8Array(n);
    const todo = [...from];
    for (const v of from) seen[v] = 1;
    while (todo.length > 0) {
      for (const w of next(todo.pop() as number)) {
        if (!seen[w]) {
          seen[w] = 1;
          todo.push(w);
        }
      }
    }
    return seen;
  };
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  for (let p = 0; p < n; p++) for (const q of (a.follow[p] as Map<number, number>).keys()) (predecessors[q] as number[]).push(p);
  const loops = [...members.keys()];
  const forward = new Map(loops.map((c) => [c, reach(members.get(c) as number[], (v) => (a.follow[v] as Map<number, number>).keys())]));
  const backward = new Map(loops.map((c) => [c, reach(members.get(c) as number[], (v) => predecessors[v] as number[])]));
  // Tarjan numbers components sinks first: a loop leads only to loops with smaller numbers,
  // so walking numbers downwards sees every loop before the loops it leads to.
  loops.sort((x, y) => y - x);
  const chain = new Map<number, number[]>();
  for (const target of loops) {
    let best = [target];
    for (const from of loops) {
      if (from <= target || !(forward.get(from) as Uint8Array)[(members.get(target) as number[])[0] as number]) continue;
      const before = chain.get(from) as number[];
      if (before.length + 1 <= best.length) continue;
      const between = (v: number): boolean => !!(forward.get(from) as Uint8Array)[v] && !!(backward.get(target) as Uint8Array)[v];
      const overlap = readsSameText(a, comp, members.get(from) as number[], members.get(target) as number[], between, budget);
      if (overlap === "too-complex") return { kind: "polynomial", fragment: source };
      if (overlap) best = [...before, target];
    }
    chain.set(target, best);
    if (best.length > allowed) {
      const atoms = best.map((c) => (members.get(c) as number[])[0] as number);
      return { kind: "polynomial", fragment: spanOf(a, atoms, source) };
    }
  }
  return undefined;
}

/**
 * Is there a word w that loop A reads from some p back to p, that leads from p to some q of
 * loop B, and that B reads from q back to q? Searched as (p, p, q) -> (p, q, q) in the
 * automaton's product with itself twice, every step reading one character all three accept.
 */
function readsSameText(
  a: Automaton,
  comp: Int32Array,
  loopA: number[],
  loopB: number[],
  between: (v: number) => boolean,
  budget: { states: number },
): boolean | "too-complex" {
  const n = a.positions.length;
  const setOf = (p: number): CharSet => (a.positions[p] as Position).set;
  const next = (v: number): number[] => [...(a.follow[v] as Map<number, number>).keys()];
  const compA = comp[loopA[0] as number];
  const compB = comp[loopB[0] as number];
  for (const p of loopA) {
    for (const q of loopB) {
      const key = (x: number, y: number, z: number): number => (x * n + y) * n + z;
      const seen = new Set<number>([key(p, p, q)]);
      const todo: [number, number, number][] = [[p, p, q]];
      while (todo.length > 0) {
        const [x, y, z] = todo.pop() as [number, number, number];
        for (const x2 of next(x)) {
          if (comp[x2] !== compA) continue;
          for (const y2 of next(y)) {
            if (!between(y2)) continue;
            const xy = setOf(x2).intersect(setOf(y2));
            if (xy.isEmpty()) continue;
            for (const z2 of next(z)) {
              if (comp[z2] !== compB || !xy.overlaps(setOf(z2))) continue;
              if (x2 === p && y2 === q && z2 === q) return true;
              const k = key(x2, y2, z2);
              if (seen.has(k)) continue;
              seen.add(k);
              if (++budget.states > maxProductStates) return "too-complex";
              todo.push([x2, y2, z2]);
            }
          }
        }
      }
    }
  }
  return false;
}

/** The source from the first to the last of the given atoms' innermost loops. */
function spanOf(a: Automaton, atoms: number[], source: string): string {
  const spans = atoms.map((p) => (a.positions[p] as Position).loops.at(-1)).filter((l): l is { start: number; end: number } => !!l && l.end > l.start);
  if (spans.length === 0) return source;
  return source.slice(Math.min(...spans.map((l) => l.start)), Math.max(...spans.map((l) => l.end)));
}
