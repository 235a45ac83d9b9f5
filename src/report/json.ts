import type { Report } from "./model.js";

/** Stable JSON: keys in the order the model declares them, two-space indent, final newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
