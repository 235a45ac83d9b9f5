import { isoToUtc, klogToUtc, syslogToUtc } from "./timestamps.js";
import type { Level, LogFormat } from "./types.js";

/** What a line says about itself, with the log-format wrapper taken off. */
export interface ParsedLine {
  format: LogFormat;
  timestamp?: string;
  host?: string;
  component?: string;
  level?: Level;
  message: string;
}

/** The file's modification time: syslog and klog stamps take their year from it. */
export interface YearReference {
  year: number | undefined;
  month: number | undefined;
}

// The host field never ends in ":" ("Feb 07 15:32:54 kernel: ..." has no host).
const journaldShort = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([^\s:]+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const journaldIso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const cri = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (stdout|stderr) ([FP]) ?(.*)$/;
const klog = /^([IWEF])(\d{4}) (\d{2}:\d{2}:\d{2}\.\d+)\s+\d+ ([^\]\s]+)\] ?(.*)$/;
const dmesg = /^\[\s*(\d+\.\d+)\] ?(.*)$/;
// journalctl -o short-monotonic: "[  12.345678] host unit[pid]: message". The host has no
// ":": /var/log/dmesg's "[    0.000000] kernel: x86/fpu: ..." is dmesg, not host "kernel:".
const journaldMonotonic = /^\[\s*\d+\.\d+\] ([^\s:]+) ([^\s:[]+)(?:\[\d+\])?: ?(.*)$/;
// journalctl -o export: one KEY=value field per line; the message is the MESSAGE= line
const exportMessage = /^MESSAGE=(.*)$/;
const isoLead = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(.*)$/;
const logfmtLevel = /(?:^|\s)level=("?)(\w+)\1/;
const logfmtTime = /(?:^|\s)time="?(\d{4}-\d{2}-\d{2}T[^"\s]+)"?/;
const bracketLevel = /^\[(ERROR|WARNING|WARN|INFO|DEBUG|FATAL|PANIC)\]/;
const wordLevel = /\b(FATAL|PANIC|ERROR|ERR|WARNING|WARN|INFO|DEBUG|error|warning|warn|fatal|panic)\b/;

/** Parses one line, trying the file's own format first. */
export function parseLogLine(text: string, hint: LogFormat, ref: YearReference): ParsedLine {
  for (const format of orderFor(hint)) {
    const parsed = tryFormat(format, text, ref);
    if (parsed) return parsed;
  }
  return { format: "plain", message: text, level: levelOf(text) };
}

const autoOrder: LogFormat[] = ["cri", "klog", "journald-iso", "journald", "json", "logfmt", "iso", "journald-monotonic", "dmesg", "journald-export"];
/** The formats to try for each hint, its own first: built once, not per line. */
const orders = new Map<LogFormat, readonly LogFormat[]>();

function orderFor(hint: LogFormat): readonly LogFormat[] {
  if (hint === "plain") return autoOrder;
  let order = orders.get(hint);
  if (!order) {
    order = [hint, ...autoOrder.filter((f) => f !== hint)];
    orders.set(hint, order);
  }
  return order;
}

function tryFormat(format: LogFormat, text: string, ref: YearReference): ParsedLine | undefined {
  switch (format) {
    case "cri": {
      const m = cri.exec(text);
      if (!m) return undefined;
      // The container's own line sits inside the CRI wrapper: klog, JSON, logfmt...
      const inner = parseLogLine(m[4] ?? "", "plain", ref);
      // `inner` is a fresh object: re-labelled in place rather than copied.
      inner.format = "cri";
      inner.timestamp = isoToUtc(m[1] ?? "") ?? inner.timestamp;
      return inner;
    }
    case "klog": {
      const m = klog.exec(text);
      if (!m) return undefined;
      return {
        format: "klog",
        timestamp: klogToUtc(m[2] ?? "", m[3] ?? "", ref.year, ref.month),
        level: klogLevel(m[1] ?? "I"),
        component: m[4]?.replace(/:\d+$/, ""),
        message: m[5] ?? "",
      };
    }
    case "journald": {
      const m = journaldShort.exec(text);
      if (!m) return undefined;
      const message = m[7] ?? "";
      return {
        format: "journald",
        timestamp: syslogToUtc(m[1] ?? "", m[2] ?? "", m[3] ?? "", ref.year, ref.month),
        host: m[4],
        component: m[5],
        message,
        level: innerLevel(message, ref),
      };
    }
    case "journald-iso": {
      const m = journaldIso.exec(text);
      if (!m) return undefined;
      const message = m[5] ?? "";
      return { format: "journald-iso", timestamp: isoToUtc(m[1] ?? ""), host: m[2], component: m[3], message, level: innerLevel(message, ref) };
    }
    case "json":
      return parseJsonLine(text);
    case "logfmt": {
      const lvl = logfmtLevel.exec(text);
      if (!lvl) return undefined;
      const time = logfmtTime.exec(text);
      return { format: "logfmt", timestamp: time ? isoToUtc(time[1] ?? "") : undefined, level: normalizeLevel(lvl[2] ?? ""), message: text };
    }
    case "iso": {
      const m = isoLead.exec(text);
      if (!m) return undefined;
      const rest = m[2] ?? "";
      return { format: "iso", timestamp: isoToUtc(m[1] ?? ""), message: rest, level: levelOf(rest) };
    }
    case "journald-monotonic": {
      const m = journaldMonotonic.exec(text);
      if (!m) return undefined;
      return { format: "journald-monotonic", host: m[1], component: m[2], message: m[3] ?? "", level: innerLevel(m[3] ?? "", ref) };
    }
    case "journald-export": {
      const m = exportMessage.exec(text);
      if (!m) return undefined;
      return { format: "journald-export", message: m[1] ?? "", level: innerLevel(m[1] ?? "", ref) };
    }
    case "dmesg": {
      const m = dmesg.exec(text);
      if (!m) return undefined;
      return { format: "dmesg", message: m[2] ?? "", level: levelOf(m[2] ?? "") };
    }
    default:
      return undefined;
  }
}

/** A journald message is often a klog or logfmt line of the program itself. */
function innerLevel(message: string, ref: YearReference): Level | undefined {
  // A test, not exec: no capture array to build for the one letter needed.
  if (klog.test(message)) return klogLevel(message[0] as string);
  const inner = tryFormat("logfmt", message, ref) ?? tryFormat("json", message, ref);
  if (inner?.level) return inner.level;
  return levelOf(message);
}

function parseJsonLine(text: string): ParsedLine | undefined {
  if (!text.startsWith("{") || !text.endsWith("}")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const obj = value as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof obj[k] === "string" ? (obj[k] as string) : undefined);
  if (str("MESSAGE") !== undefined || str("__REALTIME_TIMESTAMP") !== undefined) return parseJournalJson(str);
  const message = str("msg") ?? str("message") ?? str("log") ?? text;
  const stamp = str("ts") ?? str("time") ?? str("timestamp") ?? str("@timestamp");
  const levelText = str("level") ?? str("severity") ?? str("lvl");
  const level = levelText ? normalizeLevel(levelText) : levelOf(message);
  const ts = typeof obj.ts === "number" ? safeIso(obj.ts * 1000) : stamp ? isoToUtc(stamp) : undefined;
  return { format: "json", timestamp: ts, level, message: message === text ? text : `${message} ${text}` };
}

/** `journalctl -o json`: one object per line with journal fields. */
function parseJournalJson(str: (k: string) => string | undefined): ParsedLine {
  const message = str("MESSAGE") ?? "";
  const micros = Number(str("__REALTIME_TIMESTAMP"));
  const priority = Number(str("PRIORITY"));
  const inner = levelOf(message);
  const level: Level | undefined = Number.isFinite(priority) && str("PRIORITY") !== undefined ? (priority <= 2 ? "fatal" : priority === 3 ? "error" : priority === 4 ? "warning" : (inner ?? "info")) : inner;
  const component = str("SYSLOG_IDENTIFIER") ?? str("_SYSTEMD_UNIT")?.replace(/\.service$/, "");
  const host = str("_HOSTNAME");
  return {
    format: "json",
    ...(Number.isFinite(micros) && micros > 0 ? { timestamp: safeIso(micros / 1000) } : {}),
    ...(host ? { host } : {}),
    ...(component ? { component } : {}),
    ...(level ? { level } : {}),
    message,
  };
}

function safeIso(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function klogLevel(letter: string): Level {
  return letter === "E" ? "error" : letter === "W" ? "warning" : letter === "F" ? "fatal" : "info";
}

export function normalizeLevel(word: string): Level | undefined {
  switch (word.toLowerCase()) {
    case "fatal":
    case "panic":
    case "crit":
    case "critical":
    case "emerg":
    case "alert":
      return "fatal";
    case "error":
    case "err":
      return "error";
    case "warn":
    case "warning":
      return "warning";
    case "info":
    case "notice":
      return "info";
    case "debug":
    case "trace":
      return "debug";
    default:
      return undefined;
  }
}

/** Level of a line with no structured level field: a bracketed or bare level word. */
function levelOf(text: string): Level | undefined {
  const b = bracketLevel.exec(text);
  if (b) return normalizeLevel(b[1] ?? "");
  const w = wordLevel.exec(text.length > 200 ? text.slice(0, 200) : text);
  if (w) return normalizeLevel(w[1] ?? "");
  return undefined;
}

/**
 * Whether `tryFormat(format, text)` would give a result, without building it (no stamp
 * converted, no inner line parsed): the format sniffer runs on the first 20 lines of every
 * file, which for 20,000 small files was 0.7 s of JSON parsing and date formatting.
 */
function formatMatches(format: LogFormat, text: string): boolean {
  switch (format) {
    case "cri":
      return cri.test(text);
    case "klog":
      return klog.test(text);
    case "journald":
      return journaldShort.test(text);
    case "journald-iso":
      return journaldIso.test(text);
    case "json": {
      if (!text.startsWith("{") || !text.endsWith("}")) return false;
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null;
      } catch {
        return false;
      }
    }
    case "logfmt":
      return logfmtLevel.test(text);
    case "iso":
      return isoLead.test(text);
    case "journald-monotonic":
      return journaldMonotonic.test(text);
    case "journald-export":
      return exportMessage.test(text);
    case "dmesg":
      return dmesg.test(text);
    default:
      return false;
  }
}

/** Picks the format most of a file's first lines agree on. */
export function sniffLogFormat(lines: string[]): LogFormat {
  const votes = new Map<LogFormat, number>();
  for (const line of lines) {
    if (!line.trim()) continue;
    for (const format of autoOrder) {
      if (formatMatches(format, line)) {
        votes.set(format, (votes.get(format) ?? 0) + 1);
        break;
      }
    }
  }
  let best: LogFormat = "plain";
  let bestVotes = 0;
  for (const [format, n] of votes) {
    if (n > bestVotes) {
      best = format;
      bestVotes = n;
    }
  }
  return best;
}
