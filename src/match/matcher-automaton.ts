/**
 * A multi-keyword automaton (Aho–Corasick, as a DFA over byte classes) that finds which
 * lines of a block of bytes may contain a keyword, without decoding a single string.
 *
 * It answers a weaker question than the matcher: bytes are folded before they are
 * compared (ASCII letters to lower case, every digit to '0'), so it reports every line
 * that contains a keyword and some that do not. The matcher then checks the candidates
 * exactly. Folding digits lets one entry "E0000 " stand for every klog level prefix, and
 * folding case lets one automaton serve case-sensitive and case-insensitive keywords.
 */

/** The folded symbol of every byte. */
import { WasmStepper } from "./scan-wasm.js";

const foldTable: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b >= 0x30 && b <= 0x39 ? 0x30 : b;
  return t;
})();

export function foldBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = foldTable[bytes[i] as number] as number;
  return out;
}

const newline = 0x0a;
/** Below this many bytes the four-stream scan is not worth its set-up. */
const minInterleaved = 4096;

export class KeywordAutomaton {
  /** Byte → column of the transition table (0: no keyword uses the byte). */
  private readonly classOf = new Uint8Array(256);
  private readonly width: number;
  /**
   * table[state * width + class] = next state * width, bit-inverted (negative) when the
   * next state ends a keyword: one sign test per byte tells the scanner to stop.
   */
  private readonly table: Int32Array;
  /** Keyword ids ending at each state (its own and those of its suffixes), by state number; silent ids left out. */
  private readonly outputs: (readonly number[] | undefined)[];
  /** The same table with one column per byte (no class look-up), for automatons small enough. */
  private wide: Int32Array | undefined;
  /** The scan loop in WebAssembly (null: not available here, the JavaScript loops are used). */
  private wasm: WasmStepper | null | undefined;
  readonly states: number;

  /**
   * `keywords[i]` is found as id i. Ids from `silentFrom` on make `scanLines` report a line
   * but are not listed by `keywordsIn` (the literals that only flag lines). Empty keywords
   * are ignored.
   */
  constructor(keywords: readonly Uint8Array[], silentFrom = keywords.length, silentTo = keywords.length, engines: { wasm?: boolean } = {}) {
    if (engines.wasm === false) this.wasm = null;
    const folded = keywords.map(foldBytes);
    let classes = 1;
    for (const k of folded) {
      for (const b of k) {
        if (this.classOf[b] === 0) this.classOf[b] = classes++;
      }
    }
    // Every byte maps to the class of its folded symbol.
    for (let b = 0; b < 256; b++) this.classOf[b] = this.classOf[foldTable[b] as number] as number;
    const width = classes;
    this.width = width;

    // The trie.
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    folded.forEach((k, id) => {
      if (k.length === 0) return;
      let s = 0;
      for (const b of k) {
        const c = this.classOf[b] as number;
        const node = children[s] as Map<number, number>;
        let next = node.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          node.set(c, next);
        }
        s = next;
      }
      (own[s] as number[]).push(id);
    });
    const n = children.length;
    this.states = n;

    // Breadth-first: failure links, full transitions, outputs inherited along failure links.
    const delta = new Int32Array(n * width);
    const fail = new Int32Array(n);
    const outputs: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (const [c, child] of children[0] as Map<number, number>) {
      delta[c] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      const inherited = outputs[f] as number[];
      if (inherited.length) (outputs[s] as number[]).push(...inherited);
      const node = children[s] as Map<number, number>;
      for (let c = 0; c < width; c++) {
        const child = node.get(c);
        if (child !== undefined) {
          fail[child] = delta[f * width + c] as number;
          delta[s * width + c] = child;
          queue.push(child);
        } else {
          delta[s * width + c] = delta[f * width + c] as number;
        }
      }
    }
    const table = new Int32Array(n * width);
    for (let i = 0; i < table.length; i++) {
      const next = delta[i] as number;
      table[i] = (outputs[next] as number[]).length ? ~(next * width) : next * width;
    }
    this.table = table;
    this.outputs = outputs.map((ids) => {
      const listed = ids.filter((id) => id < silentFrom || id >= silentTo);
      return listed.length ? listed : undefined;
    });
  }

  /** Ids of every keyword (folded, silent ones left out) in bytes[start, end), each once, in first-seen order. */
  keywordsIn(bytes: Uint8Array, start = 0, end = bytes.length): number[] {
    const wasm = this.wasmStepper();
    const n = wasm ? wasm.keywordEnds(bytes, start, end) : -1;
    if (wasm && n >= 0) {
      let found: number[] | undefined;
      for (let i = 0; i < n; i++) {
        const ids = this.outputs[wasm.endState(i) / this.width];
        if (ids) found = addIds(found, ids);
      }
      return found ?? [];
    }
    const wide = this.wideTable();
    if (!wide) return this.keywordsInClassed(bytes, start, end);
    // The one-column-per-byte table: one dependent load per byte instead of two (this runs
    // again on every flagged line, so its latency counts).
    let found: number[] | undefined;
    let s = 0;
    for (let i = start; i < end; i++) {
      s = wide[s + (bytes[i] as number)] as number;
      if (s < 0) {
        s = ~s;
        const ids = this.outputs[s >>> 8];
        if (ids) found = addIds(found, ids);
      }
    }
    return found ?? [];
  }

  private keywordsInClassed(bytes: Uint8Array, start: number, end: number): number[] {
    const table = this.table;
    const classOf = this.classOf;
    const width = this.width;
    let found: number[] | undefined;
    let s = 0;
    for (let i = start; i < end; i++) {
      s = table[s + (classOf[bytes[i] as number] as number)] as number;
      if (s < 0) {
        s = ~s;
        const ids = this.outputs[s / width];
        if (ids) found = addIds(found, ids);
      }
    }
    return found ?? [];
  }

  /** True when bytes[start, end) contains a (folded) keyword. */
  test(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    const table = this.table;
    const classOf = this.classOf;
    let s = 0;
    for (let i = start; i < end; i++) {
      s = table[s + (classOf[bytes[i] as number] as number)] as number;
      if (s < 0) return true;
    }
    return false;
  }

  /**
   * Finds the lines of block[start, end) that contain a (folded) keyword and appends the
   * index of each one's terminating newline (or `end`) to `hits`, in increasing order.
   * `start` must be the start of a line. No keyword holds a newline, so the automaton is
   * back at its root at every line start: the block is cut at line starts into four
   * parts scanned in lock-step, which keeps four independent table look-ups in flight
   * instead of one (the scan is bound by the latency of that look-up, not by bandwidth).
   */
  scanLines(block: Buffer, start: number, end: number, hits: number[]): void {
    const length = end - start;
    if (length < minInterleaved) {
      this.finish(block, start, end, 0, hits);
      return;
    }
    const cut = (at: number): number => {
      const nl = block.indexOf(newline, at);
      return nl < 0 || nl >= end ? end : nl + 1;
    };
    const b1 = cut(start + (length >> 2));
    const b2 = Math.max(b1, cut(start + (length >> 1)));
    const b3 = Math.max(b2, cut(start + ((3 * length) >> 2)));
    const ends = [b1, b2, b3, end];
    const found: number[][] = [[], [], [], []];
    const bytes = new Uint8Array(block.buffer, block.byteOffset, block.length);
    const wasm = this.wasmStepper();
    wasm?.load(bytes, start, end);
    const wide = wasm ? undefined : this.wideTable();
    // Positions and states of the four streams.
    const st = Int32Array.of(start, b1, b2, b3, 0, 0, 0, 0);
    for (;;) {
      const run = Math.min(b1 - (st[0] as number), b2 - (st[1] as number), b3 - (st[2] as number), end - (st[3] as number));
      if (run <= 0) break;
      if (wasm) wasm.step(st, run);
      else if (wide) runWide(bytes, wide, st, run);
      else runClassed(bytes, this.table, this.classOf, st, run);
      // A stream that found a keyword records its line and resumes at the next line.
      for (let j = 0; j < 4; j++) {
        if ((st[4 + j] as number) < 0) {
          st[j] = lineEnd(block, (st[j] as number) - 1, ends[j] as number, found[j] as number[]);
          st[4 + j] = 0;
        }
      }
    }
    // The streams end at different times; each finishes its part alone.
    const scale = wasm ? WasmStepper.scale : wide ? this.width / 256 : 1;
    for (let j = 0; j < 4; j++) this.finish(block, st[j] as number, ends[j] as number, (st[4 + j] as number) * scale, found[j] as number[]);
    for (const f of found) for (const h of f) hits.push(h);
  }

  /** Which loop `scanLines` runs on big blocks (for the tests and the benchmark's notes). */
  scanEngine(): "wasm" | "js-per-byte" | "js-per-class" {
    return this.wasmStepper() ? "wasm" : this.wideTable() ? "js-per-byte" : "js-per-class";
  }

  /** The WebAssembly loop over this automaton's tables, set up on first use; undefined where it cannot run. */
  private wasmStepper(): WasmStepper | undefined {
    if (this.wasm === undefined) this.wasm = WasmStepper.create(this.table, this.classOf) ?? null;
    return this.wasm ?? undefined;
  }

  /** The one-column-per-byte table, built on first use when it stays under 8 MiB. */
  private wideTable(): Int32Array | undefined {
    if (this.wide || this.states > maxWideStates) return this.wide;
    const width = this.width;
    const wide = new Int32Array(this.states * 256);
    for (let s = 0; s < this.states; s++) {
      for (let b = 0; b < 256; b++) {
        const v = this.table[s * width + (this.classOf[b] as number)] as number;
        const next = (v < 0 ? ~v : v) / width;
        wide[s * 256 + b] = v < 0 ? ~(next * 256) : next * 256;
      }
    }
    this.wide = wide;
    return wide;
  }

  private finish(block: Buffer, from: number, end: number, state: number, hits: number[]): void {
    const bytes = new Uint8Array(block.buffer, block.byteOffset, block.length);
    const table = this.table;
    const classOf = this.classOf;
    let s = state;
    for (let p = from; p < end; p++) {
      s = table[s + (classOf[bytes[p] as number] as number)] as number;
      if (s < 0) {
        p = lineEnd(block, p, end, hits) - 1;
        s = 0;
      }
    }
  }
}

/** `found` with each of `ids` not in it yet appended (first-seen order), created on the first id. */
function addIds(found: number[] | undefined, ids: readonly number[]): number[] {
  const out = found ?? [];
  for (const id of ids) if (!out.includes(id)) out.push(id);
  return out;
}

/** Largest automaton given a one-column-per-byte table (256 × 4 bytes per state: 8 MiB). */
const maxWideStates = 8192;

/**
 * Advances the four streams of `st` (positions, then states) by up to `run` bytes, stopping
 * after the byte that takes any of them to a keyword's end (its state is then negative).
 */
function runClassed(bytes: Uint8Array, table: Int32Array, classOf: Uint8Array, st: Int32Array, run: number): void {
  const p0 = st[0] as number;
  const p1 = st[1] as number;
  const p2 = st[2] as number;
  const p3 = st[3] as number;
  let s0 = st[4] as number;
  let s1 = st[5] as number;
  let s2 = st[6] as number;
  let s3 = st[7] as number;
  let k = 0;
  while (k < run) {
    s0 = table[s0 + (classOf[bytes[p0 + k] as number] as number)] as number;
    s1 = table[s1 + (classOf[bytes[p1 + k] as number] as number)] as number;
    s2 = table[s2 + (classOf[bytes[p2 + k] as number] as number)] as number;
    s3 = table[s3 + (classOf[bytes[p3 + k] as number] as number)] as number;
    k++;
    if ((s0 | s1 | s2 | s3) < 0) break;
  }
  st[0] = p0 + k;
  st[1] = p1 + k;
  st[2] = p2 + k;
  st[3] = p3 + k;
  st[4] = s0;
  st[5] = s1;
  st[6] = s2;
  st[7] = s3;
}

/** `runClassed` on the one-column-per-byte table: one memory access less per byte. */
function runWide(bytes: Uint8Array, table: Int32Array, st: Int32Array, run: number): void {
  const p0 = st[0] as number;
  const p1 = st[1] as number;
  const p2 = st[2] as number;
  const p3 = st[3] as number;
  let s0 = st[4] as number;
  let s1 = st[5] as number;
  let s2 = st[6] as number;
  let s3 = st[7] as number;
  let k = 0;
  while (k < run) {
    s0 = table[s0 + (bytes[p0 + k] as number)] as number;
    s1 = table[s1 + (bytes[p1 + k] as number)] as number;
    s2 = table[s2 + (bytes[p2 + k] as number)] as number;
    s3 = table[s3 + (bytes[p3 + k] as number)] as number;
    k++;
    if ((s0 | s1 | s2 | s3) < 0) break;
  }
  st[0] = p0 + k;
  st[1] = p1 + k;
  st[2] = p2 + k;
  st[3] = p3 + k;
  st[4] = s0;
  st[5] = s1;
  st[6] = s2;
  st[7] = s3;
}

/** Records the end of the line holding `at` and returns where the next line starts. */
function lineEnd(block: Buffer, at: number, end: number, hits: number[]): number {
  const nl = block.indexOf(newline, at);
  const stop = nl < 0 || nl >= end ? end : nl;
  hits.push(stop);
  return stop + 1;
}
