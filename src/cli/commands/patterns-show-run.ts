import { stringify } from "yaml";
import { loadCatalogue, lookupEntry, unknownIdError } from "../catalogue.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import type { FieldDiagnosisInfo } from "../field-diagnoses.js";
import { writeStdout } from "../output.js";
import { patternDocument, patternLocation } from "../pattern-display.js";

export interface ShowArgs {
  id: string;
  patterns: string[];
  config?: string;
}

function showField(f: FieldDiagnosisInfo): string {
  const doc = {
    id: f.id,
    title: f.title,
    area: f.area,
    severity: f.severity,
    kind: "field diagnosis (joins log lines with facts across files; code in src/diagnose/rules/)",
    folds: [...f.consequences],
    documentation: f.doc,
  };
  return `# ${f.id}: field diagnosis\n${stringify(doc, { lineWidth: 0 })}# bundle-analyze explain ${f.id} prints the documentation page.\n`;
}

export async function runShow(args: ShowArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const catalogue = await loadCatalogue([...config.patterns, ...args.patterns]);
  const entry = lookupEntry(catalogue, args.id);
  if (!entry) throw unknownIdError(catalogue, args.id);
  if (entry.kind === "field") {
    await writeStdout(showField(entry.field));
    return exitCodes.ok;
  }
  const p = entry.pattern;
  const replaced = catalogue.library.overridden.some((o) => o.id === p.id);
  const origin = p.user ? `user pattern${replaced ? " replacing the built-in one" : ""}` : "built-in pattern";
  await writeStdout(`# ${p.id}: ${origin}, ${patternLocation(p)}\n${stringify(patternDocument(p), { lineWidth: 0 })}`);
  return exitCodes.ok;
}
