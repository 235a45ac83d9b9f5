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

/** Cheap test for lines that may be errors or warnings: only those are parsed when no pattern hit. */
const errorish = /\b[EWF]\d{4} |error|Error|ERROR|fail|Fail|FAIL|fatal|Fatal|FATAL|panic|warn|Warn|WARN|refused|timed out|timeout/;

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
}

/** What every part of one log file is read with: decided once, from the file's head. */
export interface LogFileContext {
  path: string;
  format: LogFormat;
  ref: YearReference;
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
function inspect(ctx: LogFileContext, sinks: LogSinks, text: string, number: number, bytes?: Buffer, start?: number, end?: number): string | undefined {
  const hits = bytes ? sinks.matcher.matchLine(text, bytes, start, end) : sinks.matcher.match(text);
  if (hits.length === 0 && !errorish.test(text)) return undefined;
  const parsed = parseLogLine(text, ctx.format, ctx.ref);
  const evidence: Evidence = {
    file: ctx.path,
    line: number,
    text,
    ...(parsed.timestamp ? { timestamp: parsed.timestamp } : {}),
    ...(parsed.host ? { host: parsed.host } : {}),
  };
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

/**
 * What one run of whole lines of a file (a segment: the file, or a part of it cut at a
 * line start) tells about the file. Line numbers are counted from the segment's start;
 * the effects it recorded carry such numbers too (see `FileComposer`).
 */
export interface SegmentScan {
  lines: number;
  bytes: number;
  /** Hosts named by the lines that were parsed, distinct, in order, at most 8. */
  hosts: string[];
  /** The segment's last non-empty line ("" when none). */
  lastText: string;
  /** The first of the segment's first 50 lines that has a timestamp. */
  firstStamp?: { line: number; timestamp: string };
  /** The segment's first line longer than the limit. */
  longLine?: number;
}

/**
 * The fast reader: the matcher's automaton marks the lines of each block that hold a
 * keyword or an error word; only those (and the first lines, searched for the first
 * timestamp) are decoded. Every other line is only counted. A failing body ends the
 * scan: what was scanned before is returned with the error.
 */
export async function scanSegment(body: AsyncIterable<Buffer>, ctx: LogFileContext, sinks: LogSinks): Promise<{ scan: SegmentScan; error?: unknown }> {
  const scan: SegmentScan = { lines: 0, bytes: 0, hosts: [], lastText: "" };
  try {
    await scanBlocks(body, ctx, sinks, scan);
    return { scan };
  } catch (error) {
    return { scan, error };
  }
}

async function scanBlocks(body: AsyncIterable<Buffer>, ctx: LogFileContext, sinks: LogSinks, scan: SegmentScan): Promise<void> {
  const max = sinks.limits.maxLineBytes;
  const matcher = sinks.matcher;
  const hits: number[] = [];
  // Lines up to this number are parsed for the first timestamp; 0 once one was found.
  let stampLines = firstSeenLines;
  let last: Buffer | undefined;
  for await (const block of lineBlocks(countBytes(body, (n) => (scan.bytes += n)), max)) {
    const bytes = block.bytes;
    hits.length = 0;
    matcher.scanLines(bytes, block.start, block.end, hits);
    let nextHit = hits.length ? (hits[0] as number) : -1;
    let h = 0;
    let lastStart = -1;
    let lastEnd = -1;
    for (let pos = block.start; pos < block.end; ) {
      const nl = bytes.indexOf(0x0a, pos);
      const number = ++scan.lines;
      if (nl - pos + block.droppedBytes > max && scan.longLine === undefined) scan.longLine = number;
      const hit = nl === nextHit;
      if (hit) nextHit = ++h < hits.length ? (hits[h] as number) : -1;
      if (!lineIsEmpty(bytes, pos, nl, max)) {
        lastStart = pos;
        lastEnd = nl;
        const early = number <= stampLines;
        if (hit || early) {
          const text = lineText(bytes, pos, nl, max);
          if (early) {
            const parsed = parseLogLine(text, ctx.format, ctx.ref);
            if (parsed.timestamp) {
              scan.firstStamp = { line: number, timestamp: parsed.timestamp };
              stampLines = 0;
            }
          }
          if (hit) {
            const host = inspect(ctx, sinks, text, number, bytes, pos, Math.min(nl, pos + max));
            if (host && scan.hosts.length < maxHosts && !scan.hosts.includes(host)) scan.hosts.push(host);
          }
        }
      }
      pos = nl + 1;
    }
    // Copied: the block is a view of a chunk that is not ours to keep.
    if (lastStart >= 0) last = Buffer.from(bytes.subarray(lastStart, Math.min(lastEnd, lastStart + max)));
  }
  if (last) scan.lastText = lineText(last, 0, last.length, max);
}

/**
 * Puts a file's segments back together, in order: the file's facts as one scan of the
 * whole file would have set them. `complete` false: reading the file failed after these
 * segments, and (like the reference reader) only what was seen on the way is kept.
 */
export class FileComposer {
  private offset = 0;
  private bytes = 0;
  private readonly hosts: string[] = [];
  private lastText = "";
  private warnedLong = false;

  constructor(
    private readonly ctx: LogFileContext,
    private readonly info: FileInfo,
  ) {
    info.format = ctx.format;
  }

  /** Lines before the next segment: add it to the line numbers of that segment's effects. */
  get lineOffset(): number {
    return this.offset;
  }

  add(scan: SegmentScan, warnings: Pick<WarningLog, "add">, maxLineBytes: number): void {
    const info = this.info;
    if (!info.firstSeen && scan.firstStamp && this.offset + scan.firstStamp.line <= firstSeenLines) info.firstSeen = scan.firstStamp.timestamp;
    if (scan.longLine !== undefined && !this.warnedLong) {
      this.warnedLong = true;
      warnings.add(longLineWarning(this.ctx.path, this.offset + scan.longLine, maxLineBytes));
    }
    for (const h of scan.hosts) if (this.hosts.length < maxHosts && !this.hosts.includes(h)) this.hosts.push(h);
    if (scan.lastText) this.lastText = scan.lastText;
    this.offset += scan.lines;
    this.bytes += scan.bytes;
  }

  /** Sets the file's remaining facts; returns its line count (0 when incomplete). */
  finish(complete: boolean): number {
    if (!complete) return 0;
    const info = this.info;
    if (this.lastText) {
      const parsed = parseLogLine(this.lastText, this.ctx.format, this.ctx.ref);
      if (parsed.timestamp) info.lastSeen = parsed.timestamp;
      if (parsed.host && this.hosts.length < maxHosts && !this.hosts.includes(parsed.host)) this.hosts.push(parsed.host);
    }
    info.lines = this.offset;
    info.bytes = this.bytes;
    info.hosts = [...this.hosts].sort();
    return this.offset;
  }
}

/** Reads one log file in this thread; returns its line count. Throws what the body throws. */
export async function scanLog(body: AsyncIterable<Buffer>, ctx: LogFileContext, info: FileInfo, sinks: LogSinks, mode: LineScanMode): Promise<number> {
  if (mode === "lines") {
    info.format = ctx.format;
    return scanLogByLine(body, ctx, info, sinks);
  }
  const composer = new FileComposer(ctx, info);
  const { scan, error } = await scanSegment(body, ctx, sinks);
  // What was read before a failure counts, as in the reference reader; then the failure.
  composer.add(scan, sinks.warnings, sinks.limits.maxLineBytes);
  if (error !== undefined) throw error;
  return composer.finish(true);
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
