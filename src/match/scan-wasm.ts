/**
 * The keyword automaton's inner loop in WebAssembly: four streams advanced in lock-step
 * over the per-class transition table, as `runClassed` in matcher-automaton.ts does in
 * JavaScript. Measured on 200 MB of the benchmark's logs: 0.84 to 0.92 ns a byte, the
 * block copy into the module's memory included, against 1.13 to 1.24 for the JavaScript
 * loop on its per-byte table (1.45 to 1.53 on the per-class one). The module (this loop
 * and `ends`, the one-stream keyword lister) is 358 bytes, written out below instruction
 * by instruction; nothing is downloaded or compiled at install time.
 *
 * Memory layout: [0, 16) the four states on return, [64, 320) the byte → class table,
 * then the transition table (entries are byte offsets into it: state * width * 4, bit-
 * inverted when the next state ends a keyword), the keyword ends `ends` lists, room for
 * one line, then the block being scanned.
 */

const i32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Buffer.from(s, "latin1")];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  i32Const: 0x41,
  i32LtS: 0x48,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32Xor: 0x73,
  if: 0x04,
  void: 0x40,
} as const;

/**
 * run(p0, p1, p2, p3, s0, s1, s2, s3, run, table, classes) → k: advances stream j from
 * address pj in state sj by up to `run` bytes, stopping after the byte that takes any
 * stream to a keyword's end; stores the four states at [0, 16) and returns k, the bytes
 * each stream advanced.
 */
function runModule(): Uint8Array {
  const p = [0, 1, 2, 3];
  const s = [4, 5, 6, 7];
  const [run, table, classes, k] = [8, 9, 10, 11];
  const get = (i: number): number[] => [op.localGet, i];
  const set = (i: number): number[] => [op.localSet, i];
  // s = load32(table + s + (load8u(classes + load8u(p + k)) << 2))
  const step = (j: number): number[] => [
    ...get(table), ...get(s[j] as number), op.i32Add,
    ...get(classes), ...get(p[j] as number), ...get(k), op.i32Add, op.i32Load8U, 0, 0, op.i32Add, op.i32Load8U, 0, 0,
    op.i32Const, 2, op.i32Shl, op.i32Add, op.i32Load, 2, 0, ...set(s[j] as number),
  ];
  const body = [
    ...vec([[1, i32]]),
    op.block, op.void, op.loop, op.void,
    ...get(k), ...get(run), op.i32GeS, op.brIf, 1,
    ...step(0), ...step(1), ...step(2), ...step(3),
    ...get(k), op.i32Const, 1, op.i32Add, ...set(k),
    ...get(4), ...get(5), op.i32Or, ...get(6), op.i32Or, ...get(7), op.i32Or, op.i32Const, 0, op.i32LtS, op.brIf, 1,
    op.br, 0,
    op.end, op.end,
    ...[0, 1, 2, 3].flatMap((j) => [op.i32Const, 4 * j, ...get(s[j] as number), op.i32Store, 2, 0]),
    ...get(k),
    op.end,
  ];
  const ends = endsBody();
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec(Array.from({ length: 11 }, () => [i32])), ...vec([[i32]])],
      [0x60, ...vec(Array.from({ length: 6 }, () => [i32])), ...vec([[i32]])],
    ])),
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name("run"), 0x00, 0], [...name("ends"), 0x00, 1]])),
    ...section(10, vec([[...uleb(body.length), ...body], [...uleb(ends.length), ...ends]])),
  ]);
}

/**
 * ends(p, end, table, classes, out, max) → n: runs one stream from the root over [p, end)
 * and stores at out[i] (i < max) the i-th state it reached that ends a keyword (as a byte
 * offset into the table); returns how many there were, which may exceed `max`.
 */
function endsBody(): number[] {
  const [p, end, table, classes, out, max, s, n] = [0, 1, 2, 3, 4, 5, 6, 7];
  const get = (i: number): number[] => [op.localGet, i];
  const set = (i: number): number[] => [op.localSet, i];
  return [
    ...vec([[2, i32]]),
    op.block, op.void, op.loop, op.void,
    ...get(p), ...get(end), op.i32GeS, op.brIf, 1,
    ...get(table), ...get(s), op.i32Add,
    ...get(classes), ...get(p), op.i32Load8U, 0, 0, op.i32Add, op.i32Load8U, 0, 0,
    op.i32Const, 2, op.i32Shl, op.i32Add, op.i32Load, 2, 0, ...set(s),
    ...get(p), op.i32Const, 1, op.i32Add, ...set(p),
    ...get(s), op.i32Const, 0, op.i32LtS,
    op.if, op.void,
    // s = ~s; if (n < max) out[n] = s; n++
    ...get(s), op.i32Const, 0x7f, op.i32Xor, ...set(s),
    ...get(n), ...get(max), op.i32LtS,
    op.if, op.void,
    ...get(out), ...get(n), op.i32Const, 2, op.i32Shl, op.i32Add, ...get(s), op.i32Store, 2, 0,
    op.end,
    ...get(n), op.i32Const, 1, op.i32Add, ...set(n),
    op.end,
    op.br, 0,
    op.end, op.end,
    ...get(n),
    op.end,
  ];
}

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (mod: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

type RunExport = (p0: number, p1: number, p2: number, p3: number, s0: number, s1: number, s2: number, s3: number, run: number, table: number, classes: number) => number;
type EndsExport = (p: number, end: number, table: number, classes: number, out: number, max: number) => number;

let compiled: object | null | undefined;

function module(): object | undefined {
  if (compiled === undefined) {
    try {
      compiled = process.env.BUNDLE_ANALYZE_NO_WASM || !wasmApi ? null : new wasmApi.Module(runModule());
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

const pageBytes = 64 * 1024;
/** Keyword ends one `keywordEnds` call lists at most (a line with more is left to JavaScript). */
const maxEnds = 256;
/** Room for one line outside the loaded block (longer lines are left to JavaScript). */
const lineBytes = 64 * 1024;
const classesAt = 64;
const tableAt = 512;

/**
 * One automaton's tables in a WebAssembly memory, and the block being scanned. States
 * here are byte offsets (state * width * 4): `scale` turns them into the automaton's own
 * (state * width).
 */
export class WasmStepper {
  static readonly scale = 1 / 4;
  private readonly memory: WasmMemory;
  private readonly run: RunExport;
  private readonly ends: EndsExport;
  private readonly endsAt: number;
  private readonly lineAt: number;
  private readonly dataAt: number;
  /** The block last loaded (kept so that its memory cannot be reused while it is referred to), and its range. */
  private loaded: { buffer: ArrayBufferLike; byteOffset: number; start: number; end: number } | undefined;
  private endStates: Int32Array;
  private view: Uint8Array;
  private states: Int32Array;
  /** Block position + delta = address in memory. */
  private delta = 0;

  private constructor(api: WasmApi, mod: object, table: Int32Array, classOf: Uint8Array) {
    this.endsAt = tableAt + table.length * 4;
    this.lineAt = this.endsAt + maxEnds * 4;
    this.dataAt = this.lineAt + lineBytes;
    this.memory = new api.Memory({ initial: Math.ceil((this.dataAt + pageBytes) / pageBytes) });
    const exports = new api.Instance(mod, { env: { mem: this.memory } }).exports;
    this.run = exports.run as RunExport;
    this.ends = exports.ends as EndsExport;
    this.view = new Uint8Array(this.memory.buffer);
    this.states = new Int32Array(this.memory.buffer, 0, 4);
    this.endStates = new Int32Array(this.memory.buffer, this.endsAt, maxEnds);
    this.view.set(classOf, classesAt);
    const t = new Int32Array(this.memory.buffer, tableAt, table.length);
    for (let i = 0; i < table.length; i++) {
      const v = table[i] as number;
      t[i] = v < 0 ? ~(~v * 4) : v * 4;
    }
  }

  /** A stepper for the automaton's per-class table, or undefined where WebAssembly is not available (the JavaScript loop is used). */
  static create(table: Int32Array, classOf: Uint8Array): WasmStepper | undefined {
    const mod = module();
    if (!mod || !wasmApi) return undefined;
    try {
      return new WasmStepper(wasmApi, mod, table, classOf);
    } catch {
      return undefined;
    }
  }

  /** Copies block[start, end) into the memory (grown when the block is bigger than any before). */
  load(block: Uint8Array, start: number, end: number): void {
    const need = this.dataAt + (end - start);
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / pageBytes));
      this.view = new Uint8Array(this.memory.buffer);
      this.states = new Int32Array(this.memory.buffer, 0, 4);
      this.endStates = new Int32Array(this.memory.buffer, this.endsAt, maxEnds);
    }
    this.view.set(block.subarray(start, end), this.dataAt);
    this.delta = this.dataAt - start;
    this.loaded = { buffer: block.buffer, byteOffset: block.byteOffset, start, end };
  }

  /**
   * Runs the automaton from its root over bytes[start, end) and returns how many keyword ends it passed; `endState(i)` gives the
   * i-th (in the automaton's encoding, state * width). -1 when there were more than fit.
   */
  keywordEnds(bytes: Uint8Array, start: number, end: number): number {
    let at: number;
    const l = this.loaded;
    // A line of the block just scanned (the usual case: its flagged lines are matched next)
    // is already in memory: the same bytes, which nothing in the pipeline writes to.
    if (l && l.buffer === bytes.buffer && l.byteOffset === bytes.byteOffset && start >= l.start && end <= l.end) at = start + this.delta;
    else if (end - start <= lineBytes) {
      this.view.set(bytes.subarray(start, end), this.lineAt);
      at = this.lineAt;
    } else return -1;
    const n = this.ends(at, at + (end - start), tableAt, classesAt, this.endsAt, maxEnds);
    return n > maxEnds ? -1 : n;
  }

  endState(i: number): number {
    return (this.endStates[i] as number) * WasmStepper.scale;
  }

  /** `runClassed` on the loaded block: `st` holds the four positions (block coordinates), then the four states (this stepper's encoding). */
  step(st: Int32Array, run: number): void {
    const d = this.delta;
    const k = this.run((st[0] as number) + d, (st[1] as number) + d, (st[2] as number) + d, (st[3] as number) + d, st[4] as number, st[5] as number, st[6] as number, st[7] as number, run, tableAt, classesAt);
    const states = this.states;
    st[0] = (st[0] as number) + k;
    st[1] = (st[1] as number) + k;
    st[2] = (st[2] as number) + k;
    st[3] = (st[3] as number) + k;
    st[4] = states[0] as number;
    st[5] = states[1] as number;
    st[6] = states[2] as number;
    st[7] = states[3] as number;
  }
}
