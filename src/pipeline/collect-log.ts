import { lineBlocks, lineIsEmpty, lineText, splitLines } from "../ingest/lines.js";
import type { IngestWarning } from "../ingest/types.js";
import type { WarningLog } from "../ingest/warnings.js";
import type { Limits } from "../limits.js";
import type { Evidence } from "../match/evidence.js";
import type { LineMatcher } from "../match/matcher.js";
import type { SignalSet } from "../match/signals.js";
import type { UnclassifiedClusters } from "../match/unclassified.js";
import { parseLogLine, sniffLogFormat, type YearReference } from "../parse/log-line.js";
import type { LogFormat } from "../parse/types.js";
import type { FileInfo } from "./file-info.js";
import type { Offloaded, ScanOffload } from "./parallel-offload.js";

/**
 * Cheap test for lines that may be errors or warnings: only those are parsed when no
 * pattern hit. CoreDNS's query log ("[INFO] ... \"A IN kubernetes.default.svc. udp 56
 * false 512\" NOERROR qr,aa,rd 72 0.000283s") says NOERROR on every answer that went well:
 * not an error word. On the 1 GiB benchmark those were 235,000 of the 340,000 lines the
 * scanner flags, each parsed (stamp and all) only to be dropped as info.
 */
const errorish = /\b[EWF]\d{4} |error|Error|(?<!NO)ERROR|fail|Fail|FAIL|fatal|Fatal|FATAL|panic|warn|Warn|WARN|refused|timed out|timeout/;

/**
 * Literals the block scanner flags so that every line `errorish` accepts is looked at:
 * compared case-insensitively and with any digit standing for any digit, so "E0000 "
 * covers the klog prefix `[EWF]\d{4} ` (the scanner's `\b` is implied by the exact test).
 */
export const errorishTriggers: readonly string[] = ["E0000 ", "W0000 ", "F0000 ", "error", "fail", "fatal", "panic", "warn", "refused", "timed out", "timeout"];

const unclassifiedLevels = new Set(["error", "warning", "fatal"]);
/** Lines searched for the file's first timestamp. */
const firstSeenLines = 50;
/** Distinct host names a file keeps. */
const maxHosts = 8;

/**
 * How a log file is read. "blocks" (the default) scans whole chunks for candidate lines
 * and decodes only those; "lines" decodes and matches every line. Both give the same
 * result; "lines" is the reference the equivalence tests compare against.
 */
export type LineScanMode = "blocks" | "lines";

/**
 * Where a log scan puts what it finds. Structural, so that a worker thread can record the
 * calls and the main thread replay them, in order, into the real sets.
 */
export interface LogSinks {
  matcher: LineMatcher;
  limits: Limits;
  warnings: Pick<WarningLog, "add">;
  signals: Pick<SignalSet, "add">;
  unclassified: Pick<UnclassifiedClusters, "add">;
  /** When set, flagged lines go to a worker (see line-work.ts) instead of `inspect` here. */
  remote?: RemoteLines;
}

/**
 * The flagged lines of the block reader, handed to another thread in bundle order. That
 * thread inspects them (match, parse, shape) into its own signals and clusters and keeps
 * the hosts they name per file; this one only reads, scans and counts.
 */
export interface RemoteLines {
  take(ctx: LogFileContext, number: number, text: string): void;
  /** After each block: sends what was taken, and waits while the other thread is far behind. */
  drain(): Promise<void>;
  /** A file read to its end: its last line's host, for the file's host list. */
  fileDone(ctx: LogFileContext, lastHost: string | undefined): void;
}

/** What every part of one log file is read with: decided once, from the file's head. */
export interface LogFileContext {
  path: string;
  format: LogFormat;
  ref: YearReference;
  /** The file's index among the bundle's files (for a remote inspector's host lists). */
  file?: number;
}

export function logFileContext(path: string, head: string, mtime: Date | undefined): LogFileContext {
  return { path, format: sniffLogFormat(head.split("\n", 20)), ref: yearReference(head, mtime) };
}

export function longLineWarning(path: string, number: number, maxLineBytes: number): IngestWarning {
  return { code: "limit-line-length", path, message: `line ${number} is longer than ${maxLineBytes} bytes; only its start was analysed (raise with --max-line-bytes)` };
}

/**
 * Matches a non-empty line; a hit or an error-looking line is parsed and recorded with
 * `number` as its line. Returns the host the line names, if it was parsed and names one.
 */
export function inspect(ctx: LogFileContext, sinks: LogSinks, text: string, number: number, bytes?: Buffer, start?: number, end?: number): string | undefined {
  const hits = bytes ? sinks.matcher.matchLine(text, bytes, start, end) : sinks.matcher.match(text);
  if (hits.length === 0 && !errorish.test(text)) return undefined;
  const parsed = parseLogLine(text, ctx.format, ctx.ref);
  // Built by assignment, not spread: this runs for every flagged line. Key order is the same.
  const evidence: Evidence = { file: ctx.path, line: number, text };
  if (parsed.timestamp) evidence.timestamp = parsed.timestamp;
  if (parsed.host) evidence.host = parsed.host;
  if (hits.length > 0) {
    for (const hit of hits) sinks.signals.add(hit, evidence);
  } else if (parsed.level && unclassifiedLevels.has(parsed.level)) {
    sinks.unclassified.add(parsed.message, parsed.level, evidence);
  }
  return parsed.host;
}

/** The reference reader: every line decoded and matched, the file's facts kept as it goes. */
export async function scanLogByLine(body: AsyncIterable<Buffer>, ctx: LogFileContext, info: FileInfo, sinks: LogSinks): Promise<number> {
  const max = sinks.limits.maxLineBytes;
  const hosts = new Set<string>();
  let warnedLong = false;
  let lastText = "";
  let lines = 0;
  let bytes = 0;
  for await (const line of splitLines(countBytes(body, (n) => (bytes += n)), max)) {
    lines++;
    if (line.omittedBytes > 0 && !warnedLong) {
      warnedLong = true;
      sinks.warnings.add(longLineWarning(ctx.path, line.number, max));
    }
    const text = line.text;
    if (text.length === 0) continue;
    lastText = text;
    if (!info.firstSeen && lines <= firstSeenLines) {
      const parsed = parseLogLine(text, ctx.format, ctx.ref);
      if (parsed.timestamp) info.firstSeen = parsed.timestamp;
    }
    const host = inspect(ctx, sinks, text, line.number);
    if (host && hosts.size < maxHosts) hosts.add(host);
  }
  if (lastText) {
    const parsed = parseLogLine(lastText, ctx.format, ctx.ref);
    if (parsed.timestamp) info.lastSeen = parsed.timestamp;
    if (parsed.host && hosts.size < maxHosts) hosts.add(parsed.host);
  }
  info.lines = lines;
  info.bytes = bytes;
  info.hosts = [...hosts].sort();
  return lines;
}

/** What the block reader learnt about a file besides its lines' effects. */
interface BlockScan {
  lines: number;
  bytes: number;
  /** Hosts named by the lines that were parsed, distinct, in order, at most 8. */
  hosts: string[];
  /** The last non-empty line (at most the line limit, copied out of the block). */
  last?: Buffer;
  /** Lines up to this number are parsed for the first timestamp; 0 once one was found. */
  stampLines: number;
  firstSeen?: string;
  /** The first line longer than the limit. */
  longLine?: number;
}

/**
 * The fast reader: the matcher's automaton marks the lines of each block that hold a
 * keyword or an error word; only those (and the first lines, searched for the first
 * timestamp) are decoded. Every other line is only counted. With an offload, big blocks
 * are copied to a worker that runs the automaton while this thread reads on; their
 * lines are still handled here, in order.
 */
async function scanBlocks(body: AsyncIterable<Buffer>, ctx: LogFileContext, sinks: LogSinks, scan: BlockScan, offload: ScanOffload | undefined): Promise<void> {
  const max = sinks.limits.maxLineBytes;
  const matcher = sinks.matcher;
  const scanHere = (bytes: Buffer, start: number, end: number): number[] => {
    const hits: number[] = [];
    matcher.scanLines(bytes, start, end, hits);
    return hits;
  };
  // Blocks in the ring, oldest first: their lines are handled in this order.
  const queue: Offloaded[] = [];
  const next = async (): Promise<void> => {
    const b = queue.shift() as Offloaded;
    readLines(ctx, sinks, scan, b.bytes, b.start, b.end, 0, await b.hits);
    b.release();
    if (sinks.remote) await sinks.remote.drain();
  };
  try {
    for await (const block of lineBlocks(countBytes(body, (n) => (scan.bytes += n)), max)) {
      let placed: Offloaded | undefined;
      // A block with dropped bytes is one long line: it is read here, so the queue must be empty.
      if (offload && block.droppedBytes === 0) {
        // No room in the ring: hand back the oldest blocks first.
        while (!(placed = offload.tryPlace(block.bytes, block.start, block.end, scanHere)) && queue.length) await next();
      }
      if (placed) {
        queue.push(placed);
        // Keep the worker's backlog: read a block back only when the ring is half full.
        while (queue.length && queue[0]?.ready() && offload && offload.load() > 0.5) await next();
      } else {
        while (queue.length) await next();
        readLines(ctx, sinks, scan, block.bytes, block.start, block.end, block.droppedBytes, scanHere(block.bytes, block.start, block.end));
        if (sinks.remote) await sinks.remote.drain();
      }
    }
  } finally {
    // What reached the worker was read before any failure: its lines count too.
    while (queue.length) await next();
  }
}

/**
 * Handles the lines of bytes[start, end) (whole lines) given the ends of the flagged ones.
 * Most lines are only counted: the loop does no more for them than find their end.
 */
function readLines(ctx: LogFileContext, sinks: LogSinks, scan: BlockScan, bytes: Buffer, start: number, end: number, droppedBytes: number, hits: ArrayLike<number>): void {
  const max = sinks.limits.maxLineBytes;
  let nextHit = hits.length ? (hits[0] as number) : -1;
  let h = 0;
  let lines = scan.lines;
  for (let pos = start; pos < end; ) {
    const nl = bytes.indexOf(0x0a, pos);
    lines++;
    if (nl - pos + droppedBytes > max && scan.longLine === undefined) scan.longLine = lines;
    const hit = nl === nextHit;
    if (hit) nextHit = ++h < hits.length ? (hits[h] as number) : -1;
    const early = lines <= scan.stampLines;
    if ((hit || early) && !lineIsEmpty(bytes, pos, nl, max)) {
      const text = lineText(bytes, pos, nl, max);
      if (early) {
        const parsed = parseLogLine(text, ctx.format, ctx.ref);
        if (parsed.timestamp) {
          scan.firstSeen = parsed.timestamp;
          scan.stampLines = 0;
        }
      }
      if (hit && sinks.remote) sinks.remote.take(ctx, lines, text);
      else if (hit) {
        const host = inspect(ctx, sinks, text, lines, bytes, pos, Math.min(nl, pos + max));
        addHost(scan.hosts, host);
      }
    }
    pos = nl + 1;
  }
  scan.lines = lines;
  // The last non-empty line, found from the end (it is nearly always the very last one).
  for (let stop = end - 1; stop >= start; ) {
    const before = stop > start ? bytes.lastIndexOf(0x0a, stop - 1) : -1;
    const from = before >= start ? before + 1 : start;
    if (!lineIsEmpty(bytes, from, stop, max)) {
      // Copied: the block is a view of memory that is not ours to keep.
      scan.last = Buffer.from(bytes.subarray(from, Math.min(stop, from + max)));
      break;
    }
    stop = from - 1;
  }
}

/**
 * Reads one log file in this thread (the automaton possibly in a worker); returns its
 * line count. A failing body ends the reading; what was read before it is accounted for
 * as in the reference reader (first timestamp, long-line warning, effects), then the
 * error is thrown.
 */
export async function scanLog(body: AsyncIterable<Buffer>, ctx: LogFileContext, info: FileInfo, sinks: LogSinks, mode: LineScanMode, offload?: ScanOffload): Promise<number> {
  info.format = ctx.format;
  if (mode === "lines") return scanLogByLine(body, ctx, info, sinks);
  const scan: BlockScan = { lines: 0, bytes: 0, hosts: [], stampLines: firstSeenLines };
  let failure: unknown;
  try {
    await scanBlocks(body, ctx, sinks, scan, offload);
  } catch (err) {
    failure = err;
  }
  if (scan.firstSeen) info.firstSeen = scan.firstSeen;
  if (scan.longLine !== undefined) sinks.warnings.add(longLineWarning(ctx.path, scan.longLine, sinks.limits.maxLineBytes));
  if (failure !== undefined) throw failure;
  const hosts = scan.hosts;
  let lastHost: string | undefined;
  if (scan.last) {
    const parsed = parseLogLine(lineText(scan.last, 0, scan.last.length, sinks.limits.maxLineBytes), ctx.format, ctx.ref);
    if (parsed.timestamp) info.lastSeen = parsed.timestamp;
    lastHost = parsed.host;
    addHost(hosts, lastHost);
  }
  // The other thread holds the hosts of the flagged lines: it completes the list.
  sinks.remote?.fileDone(ctx, lastHost);
  info.lines = scan.lines;
  info.bytes = scan.bytes;
  info.hosts = [...hosts].sort();
  return scan.lines;
}

/** A file keeps the first `maxHosts` distinct host names its lines carry. */
export function addHost(hosts: string[], host: string | undefined): void {
  if (host && hosts.length < maxHosts && !hosts.includes(host)) hosts.push(host);
}

/**
 * Syslog and klog stamps carry no year. A full date inside the file's first lines (k0s
 * re-logs every line with time="2025-06-11 ...") beats the file's mtime, which an extracted
 * or copied bundle may have lost.
 */
function yearReference(head: string, mtime: Date | undefined): YearReference {
  const dated = /\b(20\d{2})-(\d{2})-\d{2}[T ]\d{2}:\d{2}/.exec(head);
  if (dated) return { year: Number(dated[1]), month: Number(dated[2]) - 1 };
  return { year: mtime?.getUTCFullYear(), month: mtime?.getUTCMonth() };
}

async function* countBytes(source: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}
