import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { obfuscateReport } from "./obfuscate.js";
import { redactDeep } from "./redact.js";

import type { OutputFormat } from "./formats.js";

export { outputFormats, type OutputFormat } from "./formats.js";

export interface RenderOptions {
  /** Replace IP addresses and host names with consistent pseudonyms (--obfuscate). */
  obfuscate?: boolean;
}

/**
 * The report as it may be shown: secrets redacted (unless told not to), then addresses and
 * host names obfuscated when asked. Every renderer, the terminal summary included, must
 * read this and never the raw report: findings were computed on the original text, only
 * what leaves the program changes.
 */
export function prepareReport(report: Report, redact: boolean, options: RenderOptions = {}): Report {
  const safe = redact ? redactDeep(report) : { ...report, redaction: { enabled: false } };
  return options.obfuscate ? obfuscateReport(safe) : safe;
}

/** Redacts (unless told not to), obfuscates (when asked), then renders. The only way a report leaves the program. */
export function renderReport(report: Report, format: OutputFormat, redact: boolean, options: RenderOptions = {}): string {
  const safe = prepareReport(report, redact, options);
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
