import { escapeControlChars } from "../ingest/paths.js";
import type { Report } from "./model.js";
import { formatUtc } from "./timeline-scale.js";

const sgr = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  critical: "\x1b[1;97;41m",
  error: "\x1b[1;31m",
  warning: "\x1b[1;33m",
  info: "\x1b[1;36m",
  ok: "\x1b[1;32m",
  code: "\x1b[36m",
} as const;

type Style = keyof typeof sgr;

const maxFindings = 12;
const maxSummaryLines = 6;

export interface TerminalOptions {
  /** The caller decides: a TTY without NO_COLOR. Plain text otherwise. */
  color: boolean;
  writtenTo?: string;
  /** Columns to fit; 80 unless told otherwise. */
  width?: number;
}

/**
 * A short summary for a person at a terminal: the diagnosis in a sentence, then the findings
 * most severe first, one line each with the value that identifies the case, then where the
 * full report went. Fits `width` columns; without color it is plain text.
 */
export function renderTerminalSummary(report: Report, options: TerminalOptions): string {
  const width = Math.max(40, options.width ?? 80);
  const paint = (style: Style, text: string): string => (options.color ? `${sgr[style]}${text}${sgr.reset}` : text);
  const lines: string[] = [];
  const n = report.findings.length;
  const nodes = report.inventory.nodes.length;
  lines.push(fit(`${paint("bold", "bundle-analyze")} ${clean(report.bundle.name)}`, width, options.color));
  const facts = [`${report.stats.files} files`, `${report.stats.lines} log lines`, `${nodes} node${nodes === 1 ? "" : "s"}`];
  if (report.timeSpan) facts.push(`${formatUtc(report.timeSpan.first, "minute")} → ${formatUtc(report.timeSpan.last, "minute")} UTC`);
  lines.push(paint("dim", fit(facts.join(" · "), width, false)));
  lines.push("");

  if (n === 0) {
    lines.push(`${paint("ok", "OK")} No known failure pattern found.`);
  } else {
    const summary = wrap(plainSummary(report.summary), width);
    // The first sentences carry the diagnosis; a long tail of "also found" belongs in the report.
    if (summary.length > maxSummaryLines) {
      const last = summary[maxSummaryLines - 1] ?? "";
      summary.splice(maxSummaryLines - 1, summary.length, `${last.length > width - 2 ? last.slice(0, width - 2) : last} …`);
    }
    for (const line of summary) lines.push(options.color ? line.replace(/^(Diagnosis|Most likely cause[^:]*):/, (m) => paint("bold", m)) : line);
    lines.push("");
    const counts = (["critical", "error", "warning", "info"] as const).map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const).filter(([, c]) => c > 0);
    lines.push(`Findings: ${counts.map(([s, c]) => paint(s, `${c} ${s}`)).join(", ")}`);
    for (const f of report.findings.slice(0, maxFindings)) {
      const label = f.severity.toUpperCase().padEnd(8);
      const key = Object.entries(f.keyValues).slice(0, 1).map(([k, v]) => `${k}=${v}`).join("");
      // Severity, id, then the key value: the id is what `explain` and the docs use.
      const body = fitPlain(`${f.id}${key ? `  ${key}` : ""}`, width - 11);
      lines.push(`  ${paint(f.severity, label)} ${clean(body)}`);
    }
    if (n > maxFindings) lines.push(paint("dim", `  … and ${n - maxFindings} more in the report`));
  }
  if (report.warnings.length > 0) lines.push(paint("warning", fitPlain(`${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"} about the bundle itself (skipped or damaged parts): see the report`, width)));
  if (options.writtenTo) lines.push(`${paint("bold", "Report:")} ${clean(options.writtenTo)}`);
  return `${lines.join("\n")}\n`;
}

function clean(text: string): string {
  return escapeControlChars(text);
}

/** The report's Markdown summary as plain words: no emphasis marks, no backticks, no escapes. */
function plainSummary(markdown: string): string {
  return clean(markdown.replace(/\*\*/g, "").replace(/`([^`]*)`/g, "$1").replace(/\\([\\`*_{}[\]<>()#+!|~])/g, "$1"));
}

function fitPlain(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Truncates visible text (escape sequences do not count) to `width`. */
function fit(text: string, width: number, colored: boolean): string {
  if (!colored) return fitPlain(text, width);
  let visible = 0;
  let out = "";
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith("\x1b[")) {
      out += part;
      continue;
    }
    const room = width - visible;
    if (part.length > room) return `${out}${part.slice(0, Math.max(0, room - 1))}…${sgr.reset}`;
    out += part;
    visible += part.length;
  }
  return out;
}

/** Word-wraps to `width`; a word longer than a line is cut. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines;
}
