import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { redactDeep } from "./redact.js";

export type OutputFormat = "md" | "json" | "html";

export const outputFormats: readonly OutputFormat[] = ["md", "json", "html"];

/** Redacts (unless told not to), then renders. The only way a report leaves the program. */
export function renderReport(report: Report, format: OutputFormat, redact: boolean): string {
  const safe = redact ? redactDeep(report) : { ...report, redaction: { enabled: false } };
  switch (format) {
    case "json":
      return renderJson(safe);
    case "html":
      return renderHtml(safe);
    default:
      return renderMarkdown(safe);
  }
}

export function formatFromPath(path: string | undefined): OutputFormat | undefined {
  if (!path) return undefined;
  if (/\.json$/i.test(path)) return "json";
  if (/\.html?$/i.test(path)) return "html";
  if (/\.(md|markdown)$/i.test(path)) return "md";
  return undefined;
}
