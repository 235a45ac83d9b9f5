import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fieldDiagnosers } from "../diagnose/rules/index.js";
import type { Severity } from "../match/pattern.js";

/** docs/findings/ of the package (beside dist/ and src/), where each field diagnosis has a page. */
export const findingDocsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "findings");

/** A field diagnosis as the patterns CLI and the catalogue show it. */
export interface FieldDiagnosisInfo {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  /** Pattern ids folded into the diagnosis when it fires. */
  consequences: readonly string[];
  /** Path of the documentation page relative to the package root. */
  doc: string;
}

export function fieldDiagnoses(): FieldDiagnosisInfo[] {
  return fieldDiagnosers
    .map((d) => {
      return { id: d.id, title: d.title, area: d.area, severity: d.severity, consequences: d.consequences, doc: `docs/findings/${d.id}.md` };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The Markdown page of a field diagnosis, or undefined when the package has none. */
export function fieldDiagnosisDoc(id: string): string | undefined {
  const file = join(findingDocsDir, `${id}.md`);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}
