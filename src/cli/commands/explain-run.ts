import { BundleAnalyzeError } from "../../errors.js";
import type { Pattern } from "../../match/pattern.js";
import { loadCatalogue, lookupEntry, unknownIdError } from "../catalogue.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { fieldDiagnosisDoc } from "../field-diagnoses.js";
import { writeStdout } from "../output.js";
import { patternLocation } from "../pattern-display.js";

export interface ExplainArgs {
  id: string;
  patterns: string[];
  config?: string;
}

/** A pattern's explanation as Markdown, shaped like a docs/findings page. */
export function explainPattern(p: Pattern): string {
  const parts = [
    `# ${p.id} — ${p.title}`,
    p.summary.trim(),
    `Area: ${p.area} · Severity: ${p.severity} · Pattern: \`${patternLocation(p)}\``,
    `## What it means\n\n${p.explanation.trim()}`,
    `## Fix\n\n${p.fix.trim()}`,
    ...(p.references.length ? [`## References\n\n${p.references.map((r) => `- ${r}`).join("\n")}`] : []),
    `Source of the example lines: ${p.source}`,
  ];
  if (/\{\{\w+\}\}/.test(`${p.summary}${p.explanation}${p.fix}`)) parts.push("Placeholders such as `{{count}}` are filled with the bundle's own values in a report.");
  return `${parts.join("\n\n")}\n`;
}

export async function runExplain(args: ExplainArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const catalogue = await loadCatalogue([...config.patterns, ...args.patterns]);
  const entry = lookupEntry(catalogue, args.id);
  if (!entry) throw unknownIdError(catalogue, args.id);
  if (entry.kind === "pattern") {
    await writeStdout(explainPattern(entry.pattern));
    return exitCodes.ok;
  }
  const doc = fieldDiagnosisDoc(entry.field.id);
  if (!doc) throw new BundleAnalyzeError(`the documentation page ${entry.field.doc} is missing from this installation`, "E_INPUT_NOT_FOUND");
  await writeStdout(doc.endsWith("\n") ? doc : `${doc}\n`);
  return exitCodes.ok;
}
