import { escapeControlChars } from "../ingest/paths.js";
import type { Report } from "./model.js";
import { truncate } from "./text.js";

const colors: Record<string, string> = { critical: "\x1b[1;31m", error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m" };
const reset = "\x1b[0m";

/** A short summary for a person at a terminal: one line per finding, 80 columns. */
export function renderTerminalSummary(report: Report, options: { color: boolean; writtenTo?: string }): string {
  const paint = (sev: string, text: string): string => (options.color ? `${colors[sev] ?? ""}${text}${reset}` : text);
  const lines: string[] = [];
  const n = report.findings.length;
  lines.push(`bundle-analyze: ${escapeControlChars(report.bundle.name)} — ${n} finding${n === 1 ? "" : "s"}, ${report.stats.files} files, ${report.stats.lines} log lines`);
  for (const f of report.findings.slice(0, 15)) {
    const key = Object.entries(f.keyValues).slice(0, 2).map(([k, v]) => `${k}=${v}`).join(" ");
    const label = paint(f.severity, f.severity.toUpperCase().padEnd(8));
    lines.push(`  ${label} ${escapeControlChars(truncate(`${f.id} ${key}`.trim(), 68))}`);
  }
  if (n > 15) lines.push(`  … and ${n - 15} more`);
  if (report.warnings.length > 0) lines.push(`  ${report.warnings.length} warning(s) about the bundle itself: see the report`);
  if (options.writtenTo) lines.push(`Report written to ${escapeControlChars(options.writtenTo)}`);
  return `${lines.join("\n")}\n`;
}
