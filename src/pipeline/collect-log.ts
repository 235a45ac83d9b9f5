import { lineBlocks, lineIsEmpty, lineText, splitLines } from "../ingest/lines.js";
import type { BundleEntry } from "../ingest/types.js";
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

/**
 * How a log file is read. "blocks" (the default) scans whole chunks for candidate lines
 * and decodes only those; "lines" decodes and matches every line. Both give the same
 * result; "lines" is the reference the equivalence tests compare against.
 */
export type LineScanMode = "blocks" | "lines";

export interface LogSinks {
  matcher: LineMatcher;
  limits: Limits;
  warnings: WarningLog;
  signals: SignalSet;
  unclassified: UnclassifiedClusters;
}

/** One log file being read: what every reading mode does with a line that matters. */
class LogFileScan {
  readonly hosts = new Set<string>();
  lines = 0;
  private warnedLong = false;

  constructor(
    private readonly path: string,
    private readonly format: LogFormat,
    private readonly ref: YearReference,
    private readonly info: FileInfo,
    private readonly sinks: LogSinks,
  ) {}

  longLine(number: number): void {
    if (this.warnedLong) return;
    this.warnedLong = true;
    const max = this.sinks.limits.maxLineBytes;
    this.sinks.warnings.add({ code: "limit-line-length", path: this.path, message: `line ${number} is longer than ${max} bytes; only its start was analysed (raise with --max-line-bytes)` });
  }

  /** Early lines are searched for the file's first timestamp. */
  wantsFirstSeen(number: number): boolean {
    return !this.info.firstSeen && number <= firstSeenLines;
  }

  noteFirstSeen(text: string): void {
    const parsed = parseLogLine(text, this.format, this.ref);
    if (parsed.timestamp) this.info.firstSeen = parsed.timestamp;
  }

  /** Matches a non-empty line; a hit or an error-looking line is parsed and recorded. */
  inspect(text: string, number: number, bytes?: Buffer, start?: number, end?: number): void {
    const { matcher, signals, unclassified } = this.sinks;
    const hits = bytes ? matcher.matchLine(text, bytes, start, end) : matcher.match(text);
    if (hits.length === 0 && !errorish.test(text)) return;
    const parsed = parseLogLine(text, this.format, this.ref);
    if (parsed.host && this.hosts.size < 8) this.hosts.add(parsed.host);
    const evidence: Evidence = {
      file: this.path,
      line: number,
      text,
      ...(parsed.timestamp ? { timestamp: parsed.timestamp } : {}),
      ...(parsed.host ? { host: parsed.host } : {}),
    };
    if (hits.length > 0) {
      for (const hit of hits) signals.add(hit, evidence);
    } else if (parsed.level && unclassifiedLevels.has(parsed.level)) {
      unclassified.add(parsed.message, parsed.level, evidence);
    }
  }

  /** The last non-empty line dates the file's end. */
  finish(lastText: string): void {
    if (lastText) {
      const parsed = parseLogLine(lastText, this.format, this.ref);
      if (parsed.timestamp) this.info.lastSeen = parsed.timestamp;
      if (parsed.host && this.hosts.size < 8) this.hosts.add(parsed.host);
    }
    this.info.lines = this.lines;
    this.info.hosts = [...this.hosts].sort();
  }
}

/** Reads one log file into the sinks; returns its line count. */
export async function scanLog(entry: BundleEntry, body: AsyncIterable<Buffer>, head: string, info: FileInfo, sinks: LogSinks, mode: LineScanMode): Promise<number> {
  const format = sniffLogFormat(head.split("\n", 20));
  info.format = format;
  const scan = new LogFileScan(entry.path, format, yearReference(head, entry.mtime), info, sinks);
  let bytes = 0;
  const counted = countBytes(body, (n) => (bytes += n));
  const lastText = mode === "lines" ? await byLine(counted, scan, sinks.limits.maxLineBytes) : await byBlock(counted, scan, sinks);
  scan.finish(lastText);
  info.bytes = bytes;
  return scan.lines;
}

/** The reference reader: every line decoded and matched. */
async function byLine(body: AsyncIterable<Buffer>, scan: LogFileScan, maxLineBytes: number): Promise<string> {
  let lastText = "";
  for await (const line of splitLines(body, maxLineBytes)) {
    scan.lines++;
    if (line.omittedBytes > 0) scan.longLine(line.number);
    const text = line.text;
    if (text.length === 0) continue;
    lastText = text;
    if (scan.wantsFirstSeen(scan.lines)) scan.noteFirstSeen(text);
    scan.inspect(text, line.number);
  }
  return lastText;
}

/**
 * The fast reader: the matcher's automaton marks the lines of each block that hold a
 * keyword or an error word; only those (and the few lines searched for the first
 * timestamp) are decoded. Every other line is only counted.
 */
async function byBlock(body: AsyncIterable<Buffer>, scan: LogFileScan, sinks: LogSinks): Promise<string> {
  const max = sinks.limits.maxLineBytes;
  const matcher = sinks.matcher;
  const hits: number[] = [];
  let last: Buffer | undefined;
  for await (const block of lineBlocks(body, max)) {
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
      if (nl - pos + block.droppedBytes > max) scan.longLine(number);
      const hit = nl === nextHit;
      if (hit) nextHit = ++h < hits.length ? (hits[h] as number) : -1;
      if (!lineIsEmpty(bytes, pos, nl, max)) {
        lastStart = pos;
        lastEnd = nl;
        const early = scan.wantsFirstSeen(number);
        if (hit || early) {
          const text = lineText(bytes, pos, nl, max);
          if (early) scan.noteFirstSeen(text);
          if (hit) scan.inspect(text, number, bytes, pos, Math.min(nl, pos + max));
        }
      }
      pos = nl + 1;
    }
    // Copied: the block is a view of a chunk that is not ours to keep.
    if (lastStart >= 0) last = Buffer.from(bytes.subarray(lastStart, Math.min(lastEnd, lastStart + max)));
  }
  return last ? lineText(last, 0, last.length, max) : "";
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
